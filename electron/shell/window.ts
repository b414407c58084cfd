import { BrowserWindow, app } from 'electron';
import { join } from 'node:path';
import { APP_ORIGIN } from './protocol';
import { HARDENED_WEB_PREFERENCES } from './security/web-preferences';
import { CHANNELS, EVENTS } from '../../shared/contract';
import { encodeBridgeNames } from '../../shared/ipc-names';

/** The main window. */
export function createMainWindow(options: { preloadPath: string; show?: boolean }): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'Vault Token Desk',
    backgroundColor: '#f6f7f9',
    icon: join(__dirname, '../../build/icon.png'),
    webPreferences: {
      ...HARDENED_WEB_PREFERENCES,
      preload: options.preloadPath,
      additionalArguments: [encodeBridgeNames({ channels: CHANNELS, events: EVENTS })],
      devTools: !app.isPackaged,
    },
  });
  window.once('ready-to-show', () => {
    if (options.show !== false) window.show();
  });
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}
