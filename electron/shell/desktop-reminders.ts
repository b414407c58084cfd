/**
 * The reminders' desktop face: the ONLY reminders file that imports Electron.
 * It holds no rules of its own — it adapts the scheduler and the service to
 * Electron: one Notification per group, the tray (menu-bar item on macOS) with
 * the count, the dock/taskbar badge, catch-up on wake (powerMonitor 'resume'),
 * the login item, and hide-to-tray on window close. The decisions it applies
 * are in desktop-logic.ts and compute-due.ts, where tests reach them.
 */
import { BrowserWindow, Menu, Notification, Tray, app, nativeImage, powerMonitor, type NativeImage } from 'electron';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AppEvents } from '../../shared/contract/app';
import type { RemindersEvents } from '../../shared/contract/reminders';
import type { ReminderGroup, ReminderSummary } from '../../shared/reminders';
import type { Logger } from '../log';
import type { Reminders } from '../reminders';
import { DEFAULT_TICK_MS } from '../reminders/scheduler';
import {
  LOGIN_ARG,
  SAFE_HASH,
  attentionLine,
  badgeCount,
  closeHidesWindow,
  launchedAtLogin,
  linuxAutostartEntry,
  trayIconSize,
  trayTitle,
  trayTooltip,
} from '../reminders/desktop-logic';

type DesktopEvents = Pick<AppEvents, 'app:navigate'> & RemindersEvents;

export interface DesktopRemindersDeps {
  reminders: Reminders;
  logger: Logger;
  /** A PNG for the tray and notifications, e.g. build/icon.png (512 × 512); resized here. */
  iconPath: string;
  /** Shows the main window, creating it if there is none, and returns it. */
  showWindow: () => BrowserWindow;
  /** Sends an event to every window: ipc/register-ipc.ts `broadcast` (typed loosely so that its wider EventMap fits). */
  broadcast: (event: keyof DesktopEvents, payload: DesktopEvents[keyof DesktopEvents]) => void;
  /** "Sync now" in the tray menu; reminders run again when it settles. Omitted: the item is hidden. */
  syncNow?: () => Promise<unknown>;
  /** Scheduler tick; default 5 minutes. */
  intervalMs?: number;
  /** Register the login item only in a packaged app: in development it would register the bare Electron binary. */
  isPackaged: boolean;
}

/** Whether the OS launched this process at login; main then creates the window hidden. */
export function wasLaunchedAtLogin(): boolean {
  let openedAtLogin = false;
  if (process.platform === 'darwin') {
    try {
      openedAtLogin = app.getLoginItemSettings().wasOpenedAtLogin;
    } catch {
      openedAtLogin = false;
    }
  }
  return launchedAtLogin(process.argv, process.platform, openedAtLogin);
}

function linuxAutostartPath(): string {
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'autostart', 'vault-token-desk.desktop');
}

function applyLoginItem(openAtLogin: boolean, logger: Logger): void {
  try {
    if (process.platform === 'darwin' || process.platform === 'win32') {
      app.setLoginItemSettings({ openAtLogin, args: [LOGIN_ARG] });
    } else if (process.platform === 'linux') {
      const path = linuxAutostartPath();
      if (openAtLogin) {
        mkdirSync(join(path, '..'), { recursive: true });
        // An AppImage runs from a temporary mount: start the image itself.
        writeFileSync(
          path,
          linuxAutostartEntry({
            name: app.getName(),
            exec: process.env.APPIMAGE ?? process.execPath,
            args: [LOGIN_ARG],
          }),
          { mode: 0o644 },
        );
      } else {
        rmSync(path, { force: true });
      }
    }
  } catch (error) {
    logger.warn('could not change the login item', { openAtLogin, error });
  }
}

/**
 * Starts the scheduler (catching up at once), the tray and the badge, and
 * listens for wake-ups and window closes. Returns a function that undoes it all.
 */
export function startDesktopReminders(deps: DesktopRemindersDeps): () => void {
  const { reminders, logger } = deps;
  const { scheduler, service, settings } = reminders;
  const log = logger.child({ component: 'reminders-desktop' });
  const send = <E extends keyof DesktopEvents>(event: E, payload: DesktopEvents[E]) => deps.broadcast(event, payload);

  const icon: NativeImage = nativeImage.createFromPath(deps.iconPath);
  const size = trayIconSize(process.platform);
  const trayImage = icon.isEmpty() ? icon : icon.resize({ width: size, height: size, quality: 'best' });
  const notificationImage = icon.isEmpty() ? icon : icon.resize({ width: 128, height: 128, quality: 'best' });

  let tray: Tray | null = null;
  try {
    tray = new Tray(trayImage);
  } catch (error) {
    // Some Linux desktops have no status area; everything else still works.
    log.warn('no tray available', { error });
  }

  // Electron drops click handlers of notifications that are garbage-collected: keep them.
  const live = new Set<Notification>();
  let quitting = false;
  let syncing = false;
  let lastSummary = '';
  let loginItem: boolean | null = null;

  /** Shows the app, at `hash` when given. */
  const openHash = (hash?: string) => {
    const win = deps.showWindow();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    if (hash === undefined || !SAFE_HASH.test(hash)) return;
    if (win.webContents.isLoading()) {
      // A window that is still loading has not subscribed to app:navigate yet: set the hash it will read at start.
      win.webContents.once('did-finish-load', () => {
        win.webContents
          .executeJavaScript(`location.hash = ${JSON.stringify(hash)}`)
          .catch((error: unknown) => log.warn('could not navigate', { error }));
      });
    } else {
      send('app:navigate', { hash });
    }
  };

  const notify = (group: ReminderGroup) => {
    send('reminders:due', group);
    if (!Notification.isSupported()) return;
    const n = new Notification({ title: group.title, body: group.body, icon: notificationImage });
    live.add(n);
    n.on('click', () => {
      live.delete(n);
      openHash(group.hash);
    });
    n.on('close', () => live.delete(n));
    n.show();
  };

  const syncNow = () => {
    if (!deps.syncNow || syncing) return;
    syncing = true;
    refresh(true);
    deps
      .syncNow()
      .catch((error: unknown) => log.warn('sync from the tray failed', { error }))
      .finally(() => {
        syncing = false;
        scheduler.safely('tick');
        refresh(true);
      });
  };

  const buildMenu = (summary: ReminderSummary) =>
    Menu.buildFromTemplate([
      { label: attentionLine(summary), enabled: false },
      { type: 'separator' },
      { label: 'Open Vault Token Desk', click: () => openHash() },
      { label: 'Show reminders', click: () => openHash('#/reminders') },
      ...(deps.syncNow ? [{ label: syncing ? 'Syncing…' : 'Sync now', enabled: !syncing, click: syncNow }] : []),
      { type: 'separator' },
      { label: 'Quit Vault Token Desk', role: 'quit' },
    ]);

  /** Tray, badge and the renderer's counts; the login item when its setting changed. */
  const refresh = (force = false) => {
    let summary: ReminderSummary;
    try {
      summary = service.summary();
    } catch (error) {
      log.error('could not count reminders', { error });
      return;
    }
    const key = JSON.stringify(summary);
    if (key !== lastSummary || force) {
      lastSummary = key;
      if (tray && !tray.isDestroyed()) {
        tray.setToolTip(trayTooltip(summary));
        if (process.platform === 'darwin') tray.setTitle(trayTitle(summary));
        tray.setContextMenu(buildMenu(summary));
      }
      app.setBadgeCount(badgeCount(summary)); // false (no-op) on Windows and some Linux docks
      send('reminders:changed', summary);
    }
    const wanted = settings.startAtLogin();
    if (deps.isPackaged && wanted !== loginItem) {
      loginItem = wanted;
      applyLoginItem(wanted, log);
    }
  };

  const unsubscribe = scheduler.subscribe((event) => {
    if (event.type === 'due') notify(event.group);
    else refresh(); // 'changed' and 'ran': refresh() only pushes when the counts differ
  });

  const onResume = () => {
    log.info('woke up: catching up on reminders');
    scheduler.safely('catch-up');
  };
  powerMonitor.on('resume', onResume);

  const onBeforeQuit = () => {
    quitting = true;
  };
  app.on('before-quit', onBeforeQuit);

  const onClose = (event: Electron.Event, win: BrowserWindow) => {
    if (
      closeHidesWindow({
        minimiseToTray: settings.minimiseToTray(),
        quitting,
        trayShown: tray !== null && !tray.isDestroyed(),
      })
    ) {
      event.preventDefault();
      win.hide();
    }
  };
  const closeHandlers = new Map<BrowserWindow, (event: Electron.Event) => void>();
  const watchWindow = (win: BrowserWindow) => {
    if (closeHandlers.has(win)) return;
    const handler = (event: Electron.Event) => onClose(event, win);
    closeHandlers.set(win, handler);
    win.on('close', handler);
    win.once('closed', () => closeHandlers.delete(win));
  };
  BrowserWindow.getAllWindows().forEach(watchWindow);
  const onWindowCreated = (_event: Electron.Event, win: BrowserWindow) => watchWindow(win);
  app.on('browser-window-created', onWindowCreated);

  if (tray) {
    // Windows and Linux: a click on the icon opens the app; macOS opens the menu.
    tray.on('click', () => {
      if (process.platform !== 'darwin') openHash('#/reminders');
    });
  }

  refresh(true);
  scheduler.start(deps.intervalMs ?? DEFAULT_TICK_MS);

  return () => {
    scheduler.stop();
    unsubscribe();
    powerMonitor.off('resume', onResume);
    app.off('before-quit', onBeforeQuit);
    app.off('browser-window-created', onWindowCreated);
    for (const [win, handler] of closeHandlers) if (!win.isDestroyed()) win.off('close', handler);
    closeHandlers.clear();
    live.forEach((n) => n.close());
    live.clear();
    if (tray && !tray.isDestroyed()) tray.destroy();
    tray = null;
    app.setBadgeCount(0);
  };
}
