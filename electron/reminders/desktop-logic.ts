/**
 * The decisions behind the tray, badge, window and login item, kept out of
 * desktop.ts (which cannot run without Electron) so that they are testable.
 */
import type { ReminderSummary } from '../../shared/reminders';

/** Passed to the app when the OS starts it at login (Windows, Linux); it then starts in the tray. */
export const LOGIN_ARG = '--hidden-at-login';

/** Launched by the OS at login: start with the window hidden, in the tray. */
export function launchedAtLogin(
  argv: readonly string[],
  platform: NodeJS.Platform,
  wasOpenedAtLogin: boolean,
): boolean {
  return argv.includes(LOGIN_ARG) || (platform === 'darwin' && wasOpenedAtLogin);
}

/** Tokens that need attention: expiring soon or expired, not dismissed. */
export function badgeCount(summary: ReminderSummary): number {
  return summary.attention;
}

/** Text beside the menu-bar icon (macOS): the count, or nothing. */
export function trayTitle(summary: ReminderSummary): string {
  return summary.attention > 0 ? String(summary.attention) : '';
}

/** One line for the tray tooltip and the menu's first (disabled) item. */
export function attentionLine(summary: ReminderSummary): string {
  const parts: string[] = [];
  if (summary.expiring)
    parts.push(
      `${summary.expiring} expiring within ${summary.expiringSoonDays} day${summary.expiringSoonDays === 1 ? '' : 's'}`,
    );
  if (summary.expired) parts.push(`${summary.expired} expired`);
  return parts.length ? parts.join(', ') : 'No tokens need attention';
}

export function trayTooltip(summary: ReminderSummary): string {
  return `Vault Token Desk — ${attentionLine(summary)}`;
}

/** Closing the window hides it to the tray when the setting says so and the app is not quitting. */
export function closeHidesWindow(options: { minimiseToTray: boolean; quitting: boolean; trayShown: boolean }): boolean {
  return options.minimiseToTray && options.trayShown && !options.quitting;
}

/** Tray icon edge in device-independent pixels. */
export function trayIconSize(platform: NodeJS.Platform): number {
  return platform === 'linux' ? 22 : 16;
}

/** The hashes the desktop layer may navigate to: screen names and row ids only. */
export const SAFE_HASH = /^#\/[a-z-]+(\?[a-z]+=[0-9,]+)?$/;

/**
 * Linux has no login-item API in Electron: an XDG autostart entry does the
 * same job (~/.config/autostart/<name>.desktop). Quoting per the Desktop Entry
 * spec: arguments containing spaces are double-quoted, `"`, `` ` ``, `$` and
 * `\` escaped.
 */
export function linuxAutostartEntry(options: { name: string; exec: string; args: readonly string[] }): string {
  const quote = (arg: string) => (/[\s"`$\\]/.test(arg) ? `"${arg.replace(/(["`$\\])/g, '\\$1')}"` : arg);
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${options.name}`,
    `Exec=${[options.exec, ...options.args].map(quote).join(' ')}`,
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    '',
  ].join('\n');
}
