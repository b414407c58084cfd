/**
 * Date helpers: Vault's date-time format and IANA time-zone arithmetic with
 * Intl only (no libraries).
 */

/** `YYYY-MM-DDTHH:MM:SS.000Z` (docs/vault-api.md §2.1: format UNCONFIRMED; Vault object samples use this). */
export function formatVaultDateTime(d: Date): string {
  return `${d.toISOString().slice(0, 19)}.000Z`;
}

/** Vault keeps second precision. */
export function truncateToSecond(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock time in `tz` at instant `ms`. */
export function wallTimeInZone(ms: number, tz: string): WallTime {
  const parts = formatterFor(tz).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes): number => {
    const p = parts.find((x) => x.type === type);
    return p ? Number(p.value) : 0;
  };
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour') % 24,
    minute: get('minute'),
    second: get('second'),
  };
}

/** Offset of `tz` from UTC at instant `ms`, in ms (local − UTC). */
function zoneOffsetMs(ms: number, tz: string): number {
  const w = wallTimeInZone(ms, tz);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The UTC instant at which the wall clock in `tz` shows `w`. */
export function zonedWallTimeToUtc(w: WallTime, tz: string): Date {
  const guess = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const first = zoneOffsetMs(guess, tz);
  let t = guess - first;
  const second = zoneOffsetMs(t, tz);
  if (second !== first) t = guess - second;
  return new Date(t);
}

/** The calendar date (in `tz`) of instant `ms`, as `YYYY-MM-DD`. */
export function localDateString(ms: number, tz: string): string {
  const w = wallTimeInZone(ms, tz);
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

export type ExpiryInput =
  | { kind: 'instant'; date: Date }
  | { kind: 'date'; year: number; month: number; day: number; text: string }
  | { kind: 'invalid' };

function realDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/**
 * docs/vault-api.md §1.2: `expiry_date__v` is `YYYY-MM-DDTHH:MM:SSZ` (UTC), or a
 * date alone meaning 23:59:59 in the user's time zone. Fractional seconds:
 * UNCONFIRMED, accepted only when `acceptFractional`.
 */
export function parseExpiryInput(text: string, acceptFractional: boolean): ExpiryInput {
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (dateOnly) {
    const [y, m, d] = [Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3])];
    return realDate(y, m, d) ? { kind: 'date', year: y, month: m, day: d, text } : { kind: 'invalid' };
  }
  const re = acceptFractional
    ? /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,3})?Z$/
    : /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
  const m = re.exec(text);
  if (!m) return { kind: 'invalid' };
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (!realDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return { kind: 'invalid' };
  return { kind: 'instant', date: new Date(Date.UTC(y, mo - 1, d, h, mi, s)) };
}

/**
 * Parse a date literal used in a VQL WHERE clause: ISO date-time with or
 * without milliseconds (Z required), or a date alone (midnight UTC).
 */
export function parseVqlDateLiteral(text: string): Date | null {
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (dateOnly) {
    const [y, m, d] = [Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3])];
    return realDate(y, m, d) ? new Date(Date.UTC(y, m - 1, d)) : null;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (!realDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
}
