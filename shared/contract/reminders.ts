/**
 * Expiry reminders, settings and calendar export: channels, request schemas
 * and events. The renderer may reuse the schemas (and `parseThresholdsText`)
 * for inline errors; main parses every request with them again.
 */
import { z } from 'zod';
import type {
  BulkReminderResult,
  CalendarFile,
  ReminderGroup,
  ReminderSummary,
  ReminderTokenState,
  SettingsView,
  UpcomingReminders,
} from '../reminders';
import { MAX_THRESHOLD_DAYS, SNOOZE_CHOICES } from '../reminders';
import { MAX_STALE_AFTER_DAYS } from '../nudges';
import { Id, NoInput, RowId } from '../schemas';
import { channel } from './define';

export const ThresholdDays = z
  .number({ error: 'Use whole days.' })
  .int('Use whole days.')
  .min(0, 'A threshold cannot be negative.')
  .max(MAX_THRESHOLD_DAYS, `Use at most ${MAX_THRESHOLD_DAYS} days.`);

/** Unique whole days 0–365, at most 20 of them; normalised to descending order. */
export const Thresholds = z
  .array(ThresholdDays)
  .max(20, 'Use at most 20 thresholds.')
  .superRefine((days, ctx) => {
    const seen = new Set<number>();
    for (const d of days) {
      if (seen.has(d)) ctx.addIssue({ code: 'custom', message: `Each threshold once: ${d} appears twice.` });
      seen.add(d);
    }
  })
  .transform((days) => [...days].sort((a, b) => b - a));

/**
 * "30, 14, 7, 1, 0" → [30, 14, 7, 1, 0]. An empty text is an empty list (no
 * reminders). Spaces and a trailing comma are forgiven; anything else that is
 * not a whole number is refused with a message a person can act on.
 */
export function parseThresholdsText(text: string): { ok: true; value: number[] } | { ok: false; message: string } {
  const trimmed = text.trim().replace(/,\s*$/, '');
  if (trimmed === '') return { ok: true, value: [] };
  const parts = trimmed.split(',').map((p) => p.trim());
  if (parts.some((p) => p === ''))
    return { ok: false, message: 'Separate days with single commas, e.g. 30, 14, 7, 1, 0.' };
  const numbers: number[] = [];
  for (const part of parts) {
    if (!/^\d+$/.test(part))
      return { ok: false, message: `“${part}” is not a whole number of days (0–${MAX_THRESHOLD_DAYS}).` };
    numbers.push(Number(part));
  }
  const parsed = Thresholds.safeParse(numbers);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? 'Invalid thresholds.' };
  return { ok: true, value: parsed.data };
}

export const ExpiringSoonDays = z
  .number({ error: 'Enter a number of days.' })
  .int('Use whole days.')
  .min(1, 'Use at least 1 day.')
  .max(MAX_THRESHOLD_DAYS, `Use at most ${MAX_THRESHOLD_DAYS} days.`);

/** Days without use after which a token is "stale" (shared/nudges.ts). */
export const StaleAfterDays = z
  .number({ error: 'Enter a number of days.' })
  .int('Use whole days.')
  .min(1, 'Use at least 1 day.')
  .max(MAX_STALE_AFTER_DAYS, `Use at most ${MAX_STALE_AFTER_DAYS} days.`);

export const UpcomingQuery = z
  .strictObject({
    /** How far ahead to look, in days. */
    days: z.number().int().min(1).max(366).default(90),
    /** First day of the week for grouping: 0 = Sunday, 1 = Monday. */
    weekStartsOn: z.union([z.literal(0), z.literal(1), z.literal(6)]).default(1),
  })
  .prefault({});

export const SnoozeRequest = z.strictObject({ rowId: RowId, until: z.enum(SNOOZE_CHOICES) });
export const ByRowId = z.strictObject({ rowId: RowId });

/** At most this many tokens per bulk action: the Reminders screen's "select all" stays well inside it. */
export const MAX_BULK_REMINDER_ROWS = 10_000;
const BulkRowIds = z
  .array(RowId)
  .min(1, 'Select at least one token.')
  .max(MAX_BULK_REMINDER_ROWS, `Select at most ${MAX_BULK_REMINDER_ROWS} tokens at once.`)
  .refine((ids) => new Set(ids).size === ids.length, 'Each token once.');

/** Snooze, unsnooze, dismiss or undismiss many tokens in one transaction (issue 13 item 6). */
export const BulkRemindersRequest = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('snooze'), rowIds: BulkRowIds, until: z.enum(SNOOZE_CHOICES) }),
  z.strictObject({ action: z.literal('unsnooze'), rowIds: BulkRowIds }),
  z.strictObject({ action: z.literal('dismiss'), rowIds: BulkRowIds }),
  z.strictObject({ action: z.literal('undismiss'), rowIds: BulkRowIds }),
]);

export const SettingsPatch = z.strictObject({
  thresholds: Thresholds.optional(),
  expiringSoonDays: ExpiringSoonDays.optional(),
  staleAfterDays: StaleAfterDays.optional(),
  startAtLogin: z.boolean().optional(),
  minimiseToTray: z.boolean().optional(),
});

/** `thresholds: null` removes the override: the connection follows the global list again. */
export const ConnectionThresholdsRequest = z.strictObject({ connectionId: Id, thresholds: Thresholds.nullable() });

/** Without rowIds: every token that will remind (active, expiring, not imported, not dismissed, not yet expired). */
export const CalendarExportRequest = z
  .strictObject({ rowIds: z.array(RowId).min(1).max(10_000).optional() })
  .prefault({});

export const remindersContract = {
  'reminders:upcoming': channel<UpcomingReminders>()('listUpcomingReminders', UpcomingQuery),
  'reminders:summary': channel<ReminderSummary>()('getReminderSummary', NoInput),
  'reminders:snooze': channel<ReminderTokenState>()('snoozeReminders', SnoozeRequest),
  'reminders:unsnooze': channel<ReminderTokenState>()('unsnoozeReminders', ByRowId),
  'reminders:dismiss': channel<ReminderTokenState>()('dismissReminders', ByRowId),
  'reminders:undismiss': channel<ReminderTokenState>()('undismissReminders', ByRowId),
  'reminders:bulk': channel<BulkReminderResult>()('bulkReminders', BulkRemindersRequest),
  'settings:get': channel<SettingsView>()('getSettings', NoInput),
  'settings:update': channel<SettingsView>()('updateSettings', SettingsPatch),
  'settings:connection-thresholds': channel<SettingsView>()('setConnectionThresholds', ConnectionThresholdsRequest),
  'calendar:export': channel<CalendarFile>()('exportCalendar', CalendarExportRequest),
} as const;

export interface RemindersEvents {
  /** One group of reminders just notified (also shown as one OS notification). */
  'reminders:due': ReminderGroup;
  /** Counts changed: a reminder fired, a token was snoozed or dismissed, settings changed. */
  'reminders:changed': ReminderSummary;
}
