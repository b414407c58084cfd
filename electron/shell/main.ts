/**
 * Electron main process: the app shell. Everything sensitive (Vault calls,
 * SQLite, keychain) lives here, behind the handler table; the renderer only
 * sees window.vaultDesk.
 */
import { BrowserWindow, app, clipboard, dialog, session, shell } from 'electron';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAppContext, type AppContext } from '../app/app-context';
import { createHandlerTable, originSenderCheck } from '../ipc/handler-table';
import { broadcast, registerIpc } from './register-ipc';
import { createLogger, stderrSink } from '../log';
import { resolveDataDir } from '../paths';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './protocol';
import { hardenSessions, hardenWebContents } from './security/harden';
import { createDevCaCheck } from './security/dev-ca';
import { createMainWindow } from './window';
import { createNativeDeliveryGate, createNativeRevealGate } from './reveal-gate';
import { startDesktopReminders, wasLaunchedAtLogin } from './desktop-reminders';
import { AppError } from '../../shared/errors';
import { cliArguments } from './cli-mode';

const logger = createLogger(stderrSink, app.isPackaged ? 'info' : 'debug');
let context: AppContext | null = null;
let stopReminders: (() => void) | null = null;

const commandLine = cliArguments(process.argv);
if (commandLine) {
  runCommandLine(commandLine);
} else {
  startDesktop();
}

/**
 * `vault-token-desk …` from the installed app (build/cli/ launchers): the CLI, no window, no tray and no
 * single-instance lock, so a script's command runs beside an open app exactly as the npm CLI does.
 */
function runCommandLine(args: string[]): void {
  app.dock?.hide();
  void import('../cli/main').then(
    ({ runAsCommand }) => runAsCommand(args, (code) => app.exit(code)),
    (error: unknown) => {
      process.stderr.write(`vault-token-desk: cannot load the command line: ${String(error)}\n`);
      app.exit(1);
    },
  );
}

function startDesktop(): void {
  // Windows needs this for notifications to show and group under the app's name.
  if (process.platform === 'win32') app.setAppUserModelId('com.vaulttokendesk.app');
  // One instance only: a second launch focuses the first (two processes on one SQLite file and one session cache would race).
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerAppScheme();
  hardenWebContents(APP_ORIGIN, logger);
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.show(); // it may be hidden in the tray
      window.focus();
    }
  });
  app.whenReady().then(start, (error: unknown) => fatal(error));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !context) return;
    event.preventDefault();
    quitting = true;
    stopReminders?.();
    void context.close().finally(() => app.quit());
  });
}

/**
 * Vault requests get a session of their own (issue 11, finding 11): not persisted (no `persist:`
 * prefix), no HTTP cache, and never shared with the renderer's session, so no cookie or cached
 * answer from Vault outlives the app or reaches the page. The dev-CA check lives only here.
 */
function vaultSession(): Electron.Session {
  return session.fromPartition('vault-requests', { cache: false });
}

/** Optional, unpackaged builds only: trust the fake Vault's CA on loopback hosts (see security/dev-ca.ts). */
function trustDevCa(target: Electron.Session): void {
  const path = process.env.VAULT_TOKEN_DESK_DEV_CA;
  if (!path) return;
  // A development aid only: an installed app never trusts an extra CA, whatever the environment says.
  if (app.isPackaged) {
    logger.warn('VAULT_TOKEN_DESK_DEV_CA is ignored in an installed app');
    return;
  }
  const trusted = createDevCaCheck(readFileSync(path, 'utf8'));
  logger.warn('trusting a development CA for loopback hosts only', { path });
  // -3: use Chromium's own verification result; 0: accept.
  target.setCertificateVerifyProc((request, callback) => callback(trusted(request) ? 0 : -3));
}

async function openSignInPage(url: string): Promise<void> {
  if (!url.startsWith('https://')) throw new Error('only https sign-in pages are opened');
  await shell.openExternal(url);
}

function start(): void {
  hardenSessions(logger);
  const vault = vaultSession();
  trustDevCa(vault);
  serveRenderer(join(__dirname, '../renderer'));
  const dataDir = resolveDataDir({ electronUserData: app.getPath('userData') });
  try {
    context = createAppContext({
      dataDir,
      version: app.getVersion(),
      logger,
      // Chromium's network stack (system proxy settings, the OS certificate store), in Vault's own session.
      fetch: vault.fetch.bind(vault) as typeof fetch,
      clipboard,
      emit: broadcast,
      keepSessionsAlive: true,
      remindAfterSync: true,
      revealGate: createNativeRevealGate(),
      deliveryGate: createNativeDeliveryGate(),
      // Single sign-on in the system browser (RFC 8252 §8.12: never an embedded window). Only the https
      // authorization URLs that electron/sso/browser-sign-in.ts builds, after a person pressed "Sign in".
      openExternal: openSignInPage,
    });
  } catch (error) {
    fatal(error);
    return;
  }
  registerIpc(createHandlerTable(context.service, originSenderCheck([APP_ORIGIN]), logger));
  // Saved sign-ins move to shared keychain items once (issue 15); it logs, never throws, and retries next start.
  void context.signInLayout.ensure();
  const preloadPath = join(__dirname, '../preload/index.js');
  // Started at login: stay in the tray until asked.
  createMainWindow({ preloadPath, show: !wasLaunchedAtLogin() });
  const ctx = context;
  stopReminders = startDesktopReminders({
    reminders: ctx.reminders,
    logger,
    iconPath: join(__dirname, '../../build/icon.png'),
    showWindow: () => BrowserWindow.getAllWindows()[0] ?? createMainWindow({ preloadPath }),
    broadcast,
    syncNow: () => ctx.sync.syncAll(),
    isPackaged: app.isPackaged,
  });
  app.on('activate', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) window.show();
    else createMainWindow({ preloadPath });
  });
}

/** A start-up failure (newer or damaged database) is explained; the only choice offered is Quit, never Delete. */
function fatal(error: unknown): void {
  const message =
    error instanceof AppError ? error.message : 'Vault Token Desk could not start. Details are in the log.';
  logger.error('start-up failed', { error });
  dialog.showMessageBoxSync({
    type: 'error',
    title: 'Vault Token Desk',
    message: 'Vault Token Desk cannot start',
    detail: message,
    buttons: ['Quit'],
  });
  app.exit(1);
}
