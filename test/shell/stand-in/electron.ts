/**
 * A stand-in for the `electron` module, so that the real main bundle (out/main/index.js) runs in plain Node
 * (issue 10: the shell smoke suite). It implements only what electron/shell/ uses, records what the shell
 * does with it, and lets the test drive it over the child-process IPC channel (see ./control.ts).
 *
 * Typed against the electron package's electron.d.ts: each class `implements` a Pick of the real type, each
 * handler is stored with the real handler type, and the export list is checked against the module's names,
 * so an API change in a future Electron fails `tsc -b` here before it fails users.
 */
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Real from 'electron';

type WebPreferences = Real.WebPreferences;

/** Everything the shell did that a test may look at; sent to the test as JSON. */
export const record = {
  schemes: [] as { scheme: string; privileges: Real.CustomScheme['privileges']; beforeReady: boolean }[],
  protocolHandlers: [] as string[],
  ipcChannels: [] as string[],
  windows: [] as {
    options: Real.BrowserWindowConstructorOptions;
    url: string | null;
    shown: number;
    focused: number;
    restored: number;
    hidden: number;
  }[],
  sent: [] as { channel: string; payload: unknown }[],
  executed: [] as string[],
  permissionHandlers: { request: false, check: false, device: false },
  sessions: [] as { partition: string; cache: boolean | undefined; certificateVerifyProc: boolean }[],
  tray: null as null | { tooltip: string; title: string; menu: string[]; destroyed: boolean },
  badgeCounts: [] as number[],
  notifications: [] as { title: string; body: string; shown: boolean }[],
  dialogs: [] as { kind: 'sync' | 'async'; options: Real.MessageBoxSyncOptions | Real.MessageBoxOptions }[],
  openedExternally: [] as string[],
  singleInstanceLocks: 0,
  appUserModelId: null as string | null,
  dockHidden: false,
  quitCalls: 0,
  exitCode: null as number | null,
  clipboard: '' as string,
};

let ready = false;
const readyWaiters: (() => void)[] = [];
const env = process.env;

class StandInApp
  extends EventEmitter
  implements
    Pick<
      Real.App,
      | 'whenReady'
      | 'isReady'
      | 'quit'
      | 'exit'
      | 'getPath'
      | 'getAppPath'
      | 'getVersion'
      | 'getName'
      | 'requestSingleInstanceLock'
      | 'setAppUserModelId'
      | 'setBadgeCount'
      | 'getLoginItemSettings'
      | 'setLoginItemSettings'
      | 'isPackaged'
    >
{
  readonly isPackaged = env.VTD_STAND_IN_PACKAGED === '1';
  readonly dock: Pick<Real.Dock, 'hide'> = {
    hide: () => {
      record.dockHidden = true;
    },
  };

  whenReady(): Promise<void> {
    return ready ? Promise.resolve() : new Promise((resolve) => readyWaiters.push(resolve));
  }
  isReady(): boolean {
    return ready;
  }
  /** As Electron: before-quit (cancellable), then will-quit, then the process ends. */
  quit(): void {
    record.quitCalls += 1;
    const event = cancellable();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    this.emit('will-quit', cancellable());
    this.exit(0);
  }
  exit(exitCode = 0): void {
    record.exitCode = exitCode;
    finish(exitCode);
  }
  getPath(name: Parameters<Real.App['getPath']>[0]): string {
    if (name === 'userData') return required('VTD_STAND_IN_USER_DATA');
    return required('VTD_STAND_IN_USER_DATA');
  }
  getAppPath(): string {
    return required('VTD_STAND_IN_APP_PATH');
  }
  getVersion(): string {
    return (JSON.parse(readFileSync(`${this.getAppPath()}/package.json`, 'utf8')) as { version: string }).version;
  }
  getName(): string {
    return 'Vault Token Desk';
  }
  requestSingleInstanceLock(): boolean {
    record.singleInstanceLocks += 1;
    return env.VTD_STAND_IN_SECOND_INSTANCE !== '1';
  }
  setAppUserModelId(id: string): void {
    record.appUserModelId = id;
  }
  setBadgeCount(count = 0): boolean {
    record.badgeCounts.push(count);
    return true;
  }
  getLoginItemSettings(): Real.LoginItemSettings {
    return {
      openAtLogin: false,
      wasOpenedAtLogin: false,
      status: 'not-registered',
      executableWillLaunchAtLogin: false,
      launchItems: [],
    };
  }
  setLoginItemSettings(): void {}
}

function required(name: string): string {
  const value = env[name];
  if (!value) throw new Error(`stand-in electron: ${name} is not set`);
  return value;
}

/** Electron's event objects: preventDefault() and defaultPrevented. */
export function cancellable(): { preventDefault(): void; defaultPrevented: boolean } {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

type WindowOpenHandler = Parameters<Real.WebContents['setWindowOpenHandler']>[0];

export class StandInWebContents
  extends EventEmitter
  implements Pick<Real.WebContents, 'setWindowOpenHandler' | 'send' | 'isLoading' | 'isDestroyed'>
{
  windowOpenHandler: WindowOpenHandler | null = null;
  loading = true;

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    record.sent.push({ channel, payload: args[0] });
  }
  isLoading(): boolean {
    return this.loading;
  }
  isDestroyed(): boolean {
    return false;
  }
  executeJavaScript(code: string): Promise<unknown> {
    record.executed.push(code);
    return Promise.resolve(undefined);
  }
}

const allWindows: StandInBrowserWindow[] = [];

export class StandInBrowserWindow
  extends EventEmitter
  implements Pick<Real.BrowserWindow, 'show' | 'hide' | 'focus' | 'restore' | 'isMinimized' | 'isDestroyed' | 'loadURL'>
{
  readonly webContents = new StandInWebContents();
  readonly index: number;
  minimized = false;

  static getAllWindows(): StandInBrowserWindow[] {
    return [...allWindows];
  }
  static getFocusedWindow(): StandInBrowserWindow | null {
    return allWindows[0] ?? null;
  }

  constructor(options: Real.BrowserWindowConstructorOptions = {}) {
    super();
    this.index = record.windows.push({ options, url: null, shown: 0, focused: 0, restored: 0, hidden: 0 }) - 1;
    allWindows.push(this);
    app.emit('web-contents-created', cancellable(), this.webContents);
    app.emit('browser-window-created', cancellable(), this);
  }
  private get entry() {
    return record.windows[this.index]!;
  }
  show(): void {
    this.entry.shown += 1;
  }
  hide(): void {
    this.entry.hidden += 1;
  }
  focus(): void {
    this.entry.focused += 1;
  }
  restore(): void {
    this.entry.restored += 1;
    this.minimized = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isDestroyed(): boolean {
    return false;
  }
  loadURL(url: string): Promise<void> {
    this.entry.url = url;
    // Loading completes on the next turn, as a page would: ready-to-show, then did-finish-load.
    setImmediate(() => {
      this.webContents.loading = false;
      this.emit('ready-to-show', cancellable());
      this.webContents.emit('did-finish-load', cancellable());
    });
    return Promise.resolve();
  }
}

type ProtocolHandler = Parameters<Real.Protocol['handle']>[1];
export const protocolHandlers = new Map<string, ProtocolHandler>();

const protocol: Pick<Real.Protocol, 'registerSchemesAsPrivileged' | 'handle'> = {
  registerSchemesAsPrivileged(schemes) {
    for (const s of schemes) record.schemes.push({ scheme: s.scheme, privileges: s.privileges, beforeReady: !ready });
  },
  handle(scheme, handler) {
    record.protocolHandlers.push(scheme);
    protocolHandlers.set(scheme, handler);
  },
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** net.fetch for file: URLs, which Node's fetch does not serve; a missing file rejects, as in Electron. */
const net: Pick<Real.Net, 'fetch'> = {
  async fetch(input) {
    const url = typeof input === 'string' ? input : input.url;
    if (!url.startsWith('file:')) return globalThis.fetch(input);
    const path = fileURLToPath(url);
    if (!existsSync(path)) throw new Error(`net::ERR_FILE_NOT_FOUND ${url}`);
    const type = CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
    return new Response(readFileSync(path), { status: 200, headers: { 'Content-Type': type } });
  },
};

type IpcHandler = Parameters<Real.IpcMain['handle']>[1];
export const ipcHandlers = new Map<string, IpcHandler>();

const ipcMain: Pick<Real.IpcMain, 'handle' | 'removeHandler'> = {
  handle(channel, listener) {
    if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    record.ipcChannels.push(channel);
    ipcHandlers.set(channel, listener);
  },
  removeHandler(channel) {
    ipcHandlers.delete(channel);
  },
};

type PermissionRequestHandler = Parameters<Real.Session['setPermissionRequestHandler']>[0];
type PermissionCheckHandler = Parameters<Real.Session['setPermissionCheckHandler']>[0];
type DevicePermissionHandler = Parameters<Real.Session['setDevicePermissionHandler']>[0];
type CertificateVerifyProc = Parameters<Real.Session['setCertificateVerifyProc']>[0];

export class StandInSession implements Pick<
  Real.Session,
  | 'setPermissionRequestHandler'
  | 'setPermissionCheckHandler'
  | 'setDevicePermissionHandler'
  | 'setCertificateVerifyProc'
  | 'fetch'
> {
  permissionRequest: PermissionRequestHandler = null;
  permissionCheck: PermissionCheckHandler = null;
  devicePermission: DevicePermissionHandler = null;
  certificateVerifyProc: CertificateVerifyProc = null;

  constructor(
    readonly partition: string,
    cache?: boolean,
  ) {
    record.sessions.push({ partition, cache, certificateVerifyProc: false });
  }
  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequest = handler;
    record.permissionHandlers.request = handler !== null;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    this.permissionCheck = handler;
    record.permissionHandlers.check = handler !== null;
  }
  setDevicePermissionHandler(handler: DevicePermissionHandler): void {
    this.devicePermission = handler;
    record.permissionHandlers.device = handler !== null;
  }
  setCertificateVerifyProc(proc: CertificateVerifyProc): void {
    this.certificateVerifyProc = proc;
    record.sessions.find((s) => s.partition === this.partition)!.certificateVerifyProc = proc !== null;
  }
  fetch(input: string | GlobalRequest, init?: RequestInit): Promise<GlobalResponse> {
    return globalThis.fetch(input, init);
  }
}

export const sessions = new Map<string, StandInSession>();
const defaultSession = new StandInSession('(default)');

const session = {
  defaultSession,
  fromPartition(partition: string, options?: Real.FromPartitionOptions): StandInSession {
    let found = sessions.get(partition);
    if (!found) {
      found = new StandInSession(partition, options?.cache);
      sessions.set(partition, found);
    }
    return found;
  },
} satisfies Record<keyof Pick<typeof Real.session, 'defaultSession' | 'fromPartition'>, unknown>;

const shell: Pick<Real.Shell, 'openExternal'> = {
  openExternal(url) {
    record.openedExternally.push(url);
    return Promise.resolve();
  },
};

const dialog: Pick<Real.Dialog, 'showMessageBoxSync'> & { showMessageBox: (...args: unknown[]) => Promise<unknown> } = {
  showMessageBoxSync(...args: unknown[]): number {
    const options = (args.length > 1 ? args[1] : args[0]) as Real.MessageBoxSyncOptions;
    record.dialogs.push({ kind: 'sync', options });
    return 0;
  },
  showMessageBox(...args: unknown[]) {
    const options = (args.length > 1 ? args[1] : args[0]) as Real.MessageBoxOptions;
    record.dialogs.push({ kind: 'async', options });
    // The person picks the default button (for the reveal gate, Cancel).
    return Promise.resolve({ response: options.defaultId ?? 0, checkboxChecked: false });
  },
};

const systemPreferences: Pick<Real.SystemPreferences, 'canPromptTouchID'> = {
  canPromptTouchID: () => false,
};

const clipboard: Pick<Real.Clipboard, 'readText' | 'writeText'> = {
  readText: () => Promise.resolve(record.clipboard),
  writeText: (text) => {
    record.clipboard = text;
    return Promise.resolve();
  },
};

class StandInNativeImage implements Pick<Real.NativeImage, 'isEmpty'> {
  constructor(readonly path: string) {}
  isEmpty(): boolean {
    return !existsSync(this.path);
  }
  resize(): StandInNativeImage {
    return this;
  }
}

const nativeImage = {
  createFromPath: (path: string) => new StandInNativeImage(path),
} satisfies Record<keyof Pick<typeof Real.nativeImage, 'createFromPath'>, unknown>;

export const shownNotifications: StandInNotification[] = [];

export class StandInNotification extends EventEmitter implements Pick<Real.Notification, 'show' | 'close'> {
  static isSupported(): boolean {
    return true;
  }
  private readonly index: number;
  constructor(options: Real.NotificationConstructorOptions = {}) {
    super();
    this.index = record.notifications.push({ title: options.title ?? '', body: options.body ?? '', shown: false }) - 1;
  }
  show(): void {
    record.notifications[this.index]!.shown = true;
    shownNotifications.push(this);
  }
  close(): void {
    this.emit('close', cancellable());
  }
}

interface MenuItemLike {
  label?: string;
  type?: string;
  enabled?: boolean;
  click?: () => void;
}

export class StandInTray
  extends EventEmitter
  implements Pick<Real.Tray, 'setToolTip' | 'setTitle' | 'isDestroyed' | 'destroy'>
{
  static readonly created: StandInTray[] = [];
  menuItems: MenuItemLike[] = [];
  constructor() {
    super();
    record.tray = { tooltip: '', title: '', menu: [], destroyed: false };
    StandInTray.created.push(this);
  }
  setToolTip(toolTip: string): void {
    record.tray!.tooltip = toolTip;
  }
  setTitle(title: string): void {
    record.tray!.title = title;
  }
  setContextMenu(menu: { items: MenuItemLike[] }): void {
    this.menuItems = menu.items;
    record.tray!.menu = menu.items.filter((i) => i.type !== 'separator').map((i) => i.label ?? '');
  }
  isDestroyed(): boolean {
    return record.tray?.destroyed ?? true;
  }
  destroy(): void {
    record.tray!.destroyed = true;
  }
}

const Menu = {
  buildFromTemplate: (template: MenuItemLike[]) => ({ items: template }),
} satisfies Record<keyof Pick<typeof Real.Menu, 'buildFromTemplate'>, unknown>;

const powerMonitor = new EventEmitter();

export const app = new StandInApp();

/** Marks the app ready (after the main bundle has run its top level, as Electron does). */
export function becomeReady(): void {
  ready = true;
  app.emit('ready', cancellable());
  readyWaiters.splice(0).forEach((resolve) => resolve());
}

let finishing: ((code: number) => void) | null = null;
/** Set by the control channel: how app.exit ends the process after reporting the record. */
export function onFinish(handler: (code: number) => void): void {
  finishing = handler;
}
function finish(code: number): void {
  if (finishing) finishing(code);
  else process.exit(code);
}

const standIn = {
  app,
  BrowserWindow: StandInBrowserWindow,
  ipcMain,
  protocol,
  net,
  session,
  shell,
  dialog,
  systemPreferences,
  clipboard,
  nativeImage,
  Notification: StandInNotification,
  Tray: StandInTray,
  Menu,
  powerMonitor,
};

// Every name the stand-in exports is one the real module exports (a rename in Electron fails here).
standIn satisfies Record<keyof typeof standIn & keyof typeof Real, unknown>;
type Unknown = Exclude<keyof typeof standIn, keyof typeof Real>;
const noUnknownNames: [Unknown] extends [never] ? true : Unknown = true;
void noUnknownNames;

export default standIn;
export type { WebPreferences };
