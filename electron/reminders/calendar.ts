/**
 * Calendar export: one iCalendar event per token expiry, with one alarm per
 * reminder threshold. Metadata only — the tokens table holds no token values,
 * and every text field is scrubbed of anything shaped like one all the same.
 *
 * Choices:
 * - TIMED events at the expiry instant (DTSTART in UTC, no DTEND: RFC 5545
 *   §3.6.1, an event at a point in time), not all-day events. A token expires
 *   at an exact instant (Vault's date-only expiries become 23:59:59 in the
 *   owner's zone), so an all-day event would fall on the wrong date for anyone
 *   in another zone, and could not say at what time.
 * - Alarms are relative to DTSTART, in hours: `-PT168H` for 7 days. That is
 *   exactly the app's rule (N × 24 h before the expiry instant), and it is valid
 *   RFC 5545. (The `ics` library writes a days-only duration as `-P7DT`, with a
 *   dangling `T` that strict parsers refuse, so days are not used.) The 0-day
 *   alarm is an absolute `TRIGGER;VALUE=DATE-TIME` at the expiry instant,
 *   because `ics` writes a zero duration as an invalid bare `PT`.
 * - Only alarms still to come: a trigger before the export's "now" is left out,
 *   or a calendar would pop every already-passed reminder the moment the file
 *   is imported (issue 13, item 9).
 * - Titles name the connection ("Acme PromoMats Prod"), the name people gave
 *   the Vault, not its DNS; the DNS stays in the description and the UID.
 * - UID `<tokenId>@<vaultDns>.vault-token-desk`: stable per token, so
 *   importing a newer export updates events instead of duplicating them.
 */
import { createEvents, type Alarm, type EventAttributes } from 'ics';
import type { CalendarFile, ReminderTokenInfo } from '../../shared/reminders';
import { AppError } from '../../shared/errors';
import { scrub } from './compute-due';

export interface CalendarToken extends ReminderTokenInfo {
  thresholds: readonly number[];
}

const DAY_MS = 86_400_000;

export const CALENDAR_PRODUCT_ID = '-//Vault Token Desk//Token expiries//EN';
export const CALENDAR_NAME = 'Vault token expiries';

export function calendarUid(token: Pick<ReminderTokenInfo, 'tokenId' | 'vaultDns'>): string {
  return `${token.tokenId}@${token.vaultDns}.vault-token-desk`;
}

export function eventSummary(token: Pick<ReminderTokenInfo, 'name' | 'connectionName'>): string {
  return scrub(`Vault token expires: ${token.name} (${token.connectionName})`);
}

export function eventDescription(token: ReminderTokenInfo): string {
  return scrub(
    [
      `Connection: ${token.connectionName}`,
      `Vault: ${token.vaultDns}`,
      `User: ${token.userName ?? 'unknown'}`,
      `Token id: ${token.tokenId}`,
      `Expires: ${token.expiresAt}`,
      '',
      'Rotate it in Vault Token Desk before it expires.',
    ].join('\n'),
  );
}

/** RFC 5545 TEXT escaping; `ics` escapes SUMMARY and DESCRIPTION of events but not of alarms. */
function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

function alarmFor(token: CalendarToken, days: number, expiry: number): Alarm {
  const when = days === 0 ? 'expires now' : days === 1 ? 'expires in 1 day' : `expires in ${days} days`;
  const description = escapeText(scrub(`Vault token ${when}: ${token.name} (${token.connectionName})`));
  return days === 0
    ? { action: 'display', description, trigger: expiry }
    : { action: 'display', description, trigger: { before: true, hours: days * 24 } };
}

export function calendarEvent(token: CalendarToken, now: Date): EventAttributes {
  const expiry = Date.parse(token.expiresAt);
  if (Number.isNaN(expiry)) throw new AppError('INTERNAL', `Token ${token.tokenId} has no readable expiry.`);
  // N × 24 h before the expiry instant, as alarmFor writes it; those already past are left out.
  const days = [...new Set(token.thresholds)].sort((a, b) => b - a).filter((d) => expiry - d * DAY_MS > now.getTime());
  // `timestamp` (DTSTAMP) is accepted by ics at run time but missing from its
  // types; neither is DTSTART without DTEND/DURATION. Hence the cast.
  return {
    uid: calendarUid(token),
    title: eventSummary(token),
    description: eventDescription(token),
    start: expiry,
    startInputType: 'utc',
    startOutputType: 'utc',
    timestamp: now.getTime(),
    categories: ['Vault Token Desk'],
    transp: 'TRANSPARENT',
    busyStatus: 'FREE',
    alarms: days.map((d) => alarmFor(token, d, expiry)),
  } as unknown as EventAttributes;
}

export function calendarFilename(now: Date): string {
  return `vault-token-expiries-${now.toISOString().slice(0, 10)}.ics`;
}

export function buildCalendar(tokens: readonly CalendarToken[], now: Date): CalendarFile {
  const events = [...tokens]
    .sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt) || a.rowId - b.rowId)
    .map((t) => calendarEvent(t, now));
  const { error, value } = createEvents(events, {
    productId: CALENDAR_PRODUCT_ID,
    calName: CALENDAR_NAME,
    method: 'PUBLISH',
  });
  if (error || value === null) {
    throw new AppError(
      'INTERNAL',
      'The calendar file could not be built. The details are in the log; nothing was changed.',
      { cause: error },
    );
  }
  return { filename: calendarFilename(now), content: value, events: events.length };
}
