import { BrowserWindow, app } from 'electron';
import { join } from 'node:path';
import { APP_ORIGIN } from './protocol';

/** The main window with every renderer hardening flag set explicitly (checklist items 2–4, 6, 8–10). */
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
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  window.once('ready-to-show', () => {
    if (options.show !== false) window.show();
  });
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}
