/**
 * The child process of the shell smoke suite: makes `require('electron')` answer with the stand-in, runs the
 * real main bundle (out/main/index.js, the file `npm start` and the packaged app run), then becomes "ready"
 * the way Electron does after the main script's first turn. The test drives it through process.send.
 *
 *   node --import tsx test/shell/stand-in/boot.ts out/main/index.js [app arguments…]
 */
import Module from 'node:module';
import { resolve } from 'node:path';
import type * as Real from 'electron';
import type { ControlReply, ControlRequest } from './control';
import {
  app,
  becomeReady,
  cancellable,
  ipcHandlers,
  onFinish,
  protocolHandlers,
  record,
  sessions,
  shownNotifications,
  StandInBrowserWindow,
  StandInTray,
} from './electron';
import standIn from './electron';

const [mainBundle, ...appArgs] = process.argv.slice(2);
if (!mainBundle) throw new Error('usage: boot.ts <main bundle> [arguments]');

// As Electron's process.argv: the executable, then the app's arguments (a packaged app has no script path).
process.argv = [process.execPath, ...appArgs];

type Resolve = (request: string, ...rest: unknown[]) => string;
const internals = Module as unknown as { _resolveFilename: Resolve; _cache: Record<string, unknown> };
const STAND_IN_ID = '\0electron-stand-in';
const originalResolve = internals._resolveFilename;
internals._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'electron' ? STAND_IN_ID : originalResolve.call(this, request, ...rest);
};
internals._cache[STAND_IN_ID] = { id: STAND_IN_ID, filename: STAND_IN_ID, loaded: true, exports: standIn };

function send(message: ControlReply): Promise<void> {
  return new Promise((done) => {
    if (!process.send) return done();
    process.send(message, () => done());
  });
}

onFinish((code) => {
  void send({ type: 'exit', code, record }).finally(() => process.exit(code));
});

function firstWindow(): StandInBrowserWindow {
  const [window] = StandInBrowserWindow.getAllWindows();
  if (!window) throw new Error('no window');
  return window;
}

async function answer(request: ControlRequest): Promise<unknown> {
  switch (request.op) {
    case 'record':
      return record;
    case 'invoke': {
      const handler = ipcHandlers.get(request.channel);
      if (!handler) throw new Error(`no ipcMain handler for ${request.channel}`);
      const event = { senderFrame: request.url === null ? null : { url: request.url } } as Real.IpcMainInvokeEvent;
      return await handler(event, request.payload);
    }
    case 'protocol': {
      const handler = protocolHandlers.get(new URL(request.url).protocol.replace(/:$/, ''));
      if (!handler) throw new Error(`no protocol handler for ${request.url}`);
      const response = await handler(new Request(request.url));
      return {
        status: response.status,
        headers: Object.fromEntries(response.headers.entries()),
        body: await response.text(),
      };
    }
    case 'navigate': {
      const event = Object.assign(cancellable(), { url: request.url });
      firstWindow().webContents.emit(request.event, event, request.url);
      return { prevented: event.defaultPrevented };
    }
    case 'window-open': {
      const handler = firstWindow().webContents.windowOpenHandler;
      if (!handler) throw new Error('no window-open handler');
      return handler({ url: request.url } as Real.HandlerDetails);
    }
    case 'permission': {
      const s = sessions.get(request.partition) ?? standIn.session.defaultSession;
      const webContents = firstWindow().webContents as unknown as Real.WebContents;
      const permission = request.permission as Parameters<NonNullable<typeof s.permissionRequest>>[1];
      const granted = await new Promise<boolean>((done) => {
        if (!s.permissionRequest) return done(true); // Electron's default: granted
        s.permissionRequest(webContents, permission, done, {} as Real.PermissionRequest);
      });
      const checked = s.permissionCheck ? s.permissionCheck(webContents, permission, 'app://x', {} as never) : true;
      const device = s.devicePermission ? s.devicePermission({} as never) : true;
      return { granted, checked, device };
    }
    case 'app-event': {
      const event = cancellable();
      app.emit(request.name, event, ...(request.args ?? []));
      return { prevented: event.defaultPrevented };
    }
    case 'minimise':
      firstWindow().minimized = true;
      return null;
    case 'click-notification': {
      const notification = shownNotifications[request.index];
      if (!notification) throw new Error(`no notification ${request.index}`);
      notification.emit('click', cancellable());
      return null;
    }
    case 'click-tray-item': {
      const item = StandInTray.created.at(-1)?.menuItems.find((i) => i.label === request.label);
      if (!item?.click) throw new Error(`no tray menu item "${request.label}"`);
      item.click();
      return null;
    }
    case 'quit':
      app.quit();
      return null;
  }
}

process.on('message', (message: ControlRequest & { id: number }) => {
  answer(message).then(
    (value) => send({ type: 'reply', id: message.id, ok: true, value: JSON.parse(JSON.stringify(value ?? null)) }),
    (error: unknown) => send({ type: 'reply', id: message.id, ok: false, error: String(error) }),
  );
});

Module.createRequire(resolve(mainBundle))(resolve(mainBundle));
// Electron emits `ready` after the main script's synchronous part: schemes must be registered before this.
setImmediate(becomeReady);
void send({ type: 'loaded' });
