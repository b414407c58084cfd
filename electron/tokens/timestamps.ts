/**
 * `normaliseTimestamp` (shared/token-status.ts) with a fast path for a value
 * that is already canonical (`YYYY-MM-DDTHH:MM:SS.sssZ`, a real date and
 * time): what Vault's listings, our own exports and our own rows hold. The
 * general parser costs about 4 µs a call here, which is most of a sync's or an
 * import's JavaScript time at 100,000 rows × several dates; this check costs
 * about a tenth of that. Anything else goes to the general parser, so the
 * result is always exactly normaliseTimestamp's.
 */
import { normaliseTimestamp } from '../../shared/token-status';

function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Whether `s` is a canonical UTC timestamp of a real instant (normaliseTimestamp(s) === s). */
export function isCanonicalTimestamp(s: string): boolean {
  if (
    s.length !== 24 ||
    s.charCodeAt(4) !== 45 || // -
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 || // T
    s.charCodeAt(13) !== 58 || // :
    s.charCodeAt(16) !== 58 ||
    s.charCodeAt(19) !== 46 || // .
    s.charCodeAt(23) !== 90 // Z
  )
    return false;
  const century = twoDigits(s, 0);
  const yy = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (century < 0 || yy < 0 || twoDigits(s, 20) < 0 || twoDigits(s, 21) < 0) return false;
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
  if (second < 0 || second > 59) return false;
  const year = century * 100 + yy;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days;
}

/** Exactly normaliseTimestamp(value), faster for canonical input. */
export function canonicalTimestamp(value: string | null | undefined): string | null {
  return typeof value === 'string' && isCanonicalTimestamp(value) ? value : normaliseTimestamp(value);
}

/**
 * Milliseconds since the epoch of a canonical timestamp, or NaN for anything
 * else. For canonical values, comparing these numbers is comparing the strings.
 */
export function canonicalTimestampMs(s: string): number {
  if (!isCanonicalTimestamp(s)) return Number.NaN;
  const year = twoDigits(s, 0) * 100 + twoDigits(s, 2);
  const month = twoDigits(s, 5);
  // Days from 1970-01-01 of the civil date (H. Hinnant, "chrono-compatible low-level date algorithms").
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + twoDigits(s, 8) - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146_097 + doe - 719_468;
  const millis = twoDigits(s, 20) * 10 + (s.charCodeAt(22) - 48);
  return ((days * 24 + twoDigits(s, 11)) * 60 + twoDigits(s, 14)) * 60_000 + twoDigits(s, 17) * 1000 + millis;
}
