/**
 * Expiry reminder and settings types shared by main, renderer and CLI.
 * Plain data only.
 *
 * A threshold of N days falls due at the instant `expiresAt − N × 24 h`
 * (0 = the expiry instant itself). Instants, not calendar days: the same rule
 * gives the app's notifications and the alarms of the exported calendar, in
 * every time zone.
 */

/** Days before expiry at which to remind, most distant first; 0 = on expiry. */
export const DEFAULT_REMINDER_THRESHOLDS: readonly number[] = [30, 14, 7, 1, 0];
export const MAX_THRESHOLD_DAYS = 365;

export const SNOOZE_CHOICES = ['1d', '1w', 'next-threshold'] as const;
export type SnoozeChoice = (typeof SNOOZE_CHOICES)[number];

export interface AppSettings {
  /** Global reminder thresholds in days, unique, sorted descending. Empty = no reminders. */
  thresholds: number[];
  /** "Expiring soon" window in days: the tray/badge count and the inventory's "expiring" status. */
  expiringSoonDays: number;
  /** A live token not used for this many days is "stale" (shared/nudges.ts). */
  staleAfterDays: number;
  /** Open the app when the user logs in (macOS and Windows), minimised to the tray. */
  startAtLogin: boolean;
  /** Closing the window hides it to the tray instead of quitting. */
  minimiseToTray: boolean;
}

export interface ConnectionThresholdOverride {
  connectionId: string;
  connectionName: string;
  thresholds: number[];
}

export interface SettingsView {
  settings: AppSettings;
  defaults: AppSettings;
  /** Connections with their own thresholds, by connection name. */
  overrides: ConnectionThresholdOverride[];
}

/** Token fields a reminder carries. Metadata only: never a token value. */
export interface ReminderTokenInfo {
  rowId: number;
  tokenId: string;
  name: string;
  connectionId: string;
  connectionName: string;
  vaultDns: string;
  userName: string | null;
  /** ISO 8601 UTC. */
  expiresAt: string;
}

/**
 * - `threshold`: a threshold has passed (the most urgent one, after a catch-up).
 * - `snooze-ended`: the user snoozed this token and the snooze is over.
 */
export type ReminderKind = 'threshold' | 'snooze-ended';

export interface DueReminder extends ReminderTokenInfo {
  kind: ReminderKind;
  /** The threshold that fell due (the most urgent passed one), or null for a snooze ending before any threshold. */
  thresholdDays: number | null;
  /** Milliseconds until expiry when the reminder fired; ≤ 0 once expired. */
  msLeft: number;
}

/** Why the scheduler ran. */
export type ReminderRunReason = 'tick' | 'catch-up' | 'settings';

/** Everything that fell due in one run: shown as ONE notification. */
export interface ReminderGroup {
  /** Unique per run; usable as a notification tag. */
  id: string;
  reason: ReminderRunReason;
  firedAt: string;
  /** Most urgent first. */
  items: DueReminder[];
  title: string;
  body: string;
  /** Where a click on the notification goes: the inventory filtered to these rows. */
  hash: string;
}

export type UpcomingStatus = 'expired' | 'expiring' | 'later';

export interface UpcomingToken extends ReminderTokenInfo {
  status: UpcomingStatus;
  /** Whole 24-hour periods left, rounded up ("in 7 days" at the 7-day threshold); ≤ 0 once expired. */
  daysLeft: number;
  thresholds: number[];
  thresholdsSource: 'default' | 'connection';
  /** The next threshold still to come, and when it falls due (null when none is left). */
  nextThresholdDays: number | null;
  nextThresholdAt: string | null;
  /** The most urgent threshold already notified for this expiry, if any. */
  lastNotifiedDays: number | null;
  snoozedUntil: string | null;
  dismissed: boolean;
}

export interface UpcomingWeek {
  /** First day of the week, local calendar date `yyyy-MM-dd`. */
  weekStart: string;
  /** Last day of the week, local calendar date `yyyy-MM-dd`. */
  weekEnd: string;
  tokens: UpcomingToken[];
}

export interface UpcomingReminders {
  generatedAt: string;
  windowDays: number;
  expiringSoonDays: number;
  /** The global reminder thresholds in days (connections may have their own: see each token's). */
  defaultThresholds: number[];
  /** Already expired, not dismissed: most recently expired first. */
  expired: UpcomingToken[];
  /** Expiring within `windowDays`, not dismissed, by week, soonest first. */
  weeks: UpcomingWeek[];
  /** Dismissed tokens that are expired or within the window, so they can be restored. */
  dismissed: UpcomingToken[];
}

export interface ReminderSummary {
  /** Not expired, expiring within `expiringSoonDays`, not dismissed. */
  expiring: number;
  /** Expired, not dismissed. */
  expired: number;
  /** expiring + expired: the tray and badge count. */
  attention: number;
  snoozed: number;
  dismissed: number;
  expiringSoonDays: number;
  /** When the next threshold or snooze falls due, if any. */
  nextReminderAt: string | null;
}

export interface ReminderTokenState {
  rowId: number;
  snoozedUntil: string | null;
  dismissed: boolean;
}

export interface CalendarFile {
  filename: string;
  /** The iCalendar text (RFC 5545). */
  content: string;
  events: number;
}

/** What a bulk action does to every selected token (Reminders screen, issue 13 item 6). */
export const BULK_REMINDER_ACTIONS = ['snooze', 'unsnooze', 'dismiss', 'undismiss'] as const;
export type BulkReminderAction = (typeof BULK_REMINDER_ACTIONS)[number];

/** The outcome of one bulk action: applied to `changed` tokens; the others are listed with why not. */
export interface BulkReminderResult {
  action: BulkReminderAction;
  changed: number;
  /** Tokens left alone (gone, revoked, imported, or no threshold left for "until the next threshold"). */
  skipped: { rowId: number; reason: string }[];
  /** For a snooze: the latest instant any token was snoozed until (ISO), for the notice. */
  snoozedUntil: string | null;
}

/** First day of the week: 0 Sunday, 1 Monday, 6 Saturday (date-fns `weekStartsOn`). */
export type WeekStartDay = 0 | 1 | 6;

/** What `Intl.Locale` may offer: `getWeekInfo()` (current spec) or the older `weekInfo` getter. */
export interface LocaleWeekInfoSource {
  getWeekInfo?: () => { firstDay: number };
  weekInfo?: { firstDay: number };
}

/**
 * The locale's first day of the week (Intl Locale Info proposal: `firstDay` 1 = Monday … 7 =
 * Sunday). Where the engine offers neither `getWeekInfo()` nor `weekInfo`, Monday (ISO 8601).
 * Days other than Sunday, Saturday and Monday are not used as a first day by any CLDR locale we
 * group for, so they fall back to Monday too.
 */
export function weekStartFromLocale(locale: LocaleWeekInfoSource): WeekStartDay {
  let firstDay: number | undefined;
  try {
    firstDay = typeof locale.getWeekInfo === 'function' ? locale.getWeekInfo().firstDay : locale.weekInfo?.firstDay;
  } catch {
    firstDay = undefined;
  }
  return firstDay === 7 ? 0 : firstDay === 6 ? 6 : 1;
}
