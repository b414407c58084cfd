import { BrowserWindow, app } from 'electron';
import { join } from 'node:path';
import { APP_ORIGIN } from './protocol';
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
    // The hardening flags, written out where the window is created (Electron security checklist,
    // docs/architecture.md), as a plain literal so that reviewers and Electronegativity read them here.
    // The shell smoke suite and test/security/electronegativity.test.ts fail if one differs from
    // security/web-preferences.ts. (A `satisfies` clause here hid contextIsolation from the scanner.)
    webPreferences: {
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
      disableBlinkFeatures: 'Auxclick',
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
