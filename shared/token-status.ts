/**
 * Token status and expiry arithmetic. Pure: no Node or DOM imports, so main,
 * renderer and CLI compute the same answer from the same data.
 *
 * Timestamps are canonical ISO 8601 UTC with milliseconds
 * (`YYYY-MM-DDTHH:MM:SS.sssZ`), so that comparing the strings compares the
 * instants: the SQL filters in the tokens repo rely on that, and
 * `tokenStatus` compares strings too so that both always agree.
 */
import { DEFAULT_EXPIRING_SOON_DAYS, type TokenRow, type TokenStatus } from './tokens';

export type TokenLifecycle = 'active' | 'revoked';

const DAY_MS = 86_400_000;

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * A Vault date or date-time as canonical `YYYY-MM-DDTHH:MM:SS.sssZ`, or null
 * for anything that is not a real date.
 *
 * - `2026-12-31T23:59:59.000Z`, `2026-12-31T23:59:59Z`, `2026-12-31T23:59Z` and
 *   `2026-12-31T18:59:59-05:00` are the same kind of value; fractions beyond
 *   milliseconds are truncated (never rounded into the next second).
 * - A date-time without a zone is read as UTC: Vault answers in UTC (docs/vault-api.md §1.2).
 * - A date alone (`2026-12-31`) is the start of that day in UTC, the way
 *   `Date.parse` reads it. (Vault itself turns a date-only expiry into 23:59:59
 *   in the user's zone when it creates the token, and then reports a date-time.)
 * - Impossible values (`2026-02-30`, `24:00`, offsets beyond ±18 h) and
 *   anything else are null.
 */
export function normaliseTimestamp(input: string | null | undefined): string | null {
  if (typeof input !== 'string') return null;
  const m = TIMESTAMP.exec(input.trim());
  if (!m) return null;
  const [, ys, mos, ds, hs, mis, ss, frac, zone] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = hs === undefined ? 0 : Number(hs);
  const minute = mis === undefined ? 0 : Number(mis);
  const second = ss === undefined ? 0 : Number(ss);
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;

  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  d.setUTCHours(hour, minute, second, ms);

  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 18 || om > 59) return null;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const time = d.getTime() - offsetMinutes * 60_000;
  if (!Number.isFinite(time)) return null;
  const iso = new Date(time).toISOString();
  // Offsets can push a year-0000/9999 value out of the four-digit range.
  return /^\d{4}-/.test(iso) ? iso : null;
}

/** The instant `soonDays` × 24 h after `now`, canonical: the upper bound of "expiring". */
export function soonCutoff(now: Date, soonDays: number = DEFAULT_EXPIRING_SOON_DAYS): string {
  return new Date(now.getTime() + soonDays * DAY_MS).toISOString();
}

/**
 * Status at `now`:
 * - `revoked` whenever the lifecycle says so (it wins over any expiry);
 * - `expired` when expiresAt <= now;
 * - `expiring` when now < expiresAt <= now + soonDays × 24 h;
 * - `active` otherwise, including tokens that never expire (expiresAt null).
 *
 * These are exactly the SQL predicates of TokensRepo.query. An expiry that is
 * not a date reads as "never expires"; the repo only ever stores canonical ones.
 */
export function tokenStatus(
  lifecycle: TokenLifecycle,
  expiresAt: string | null,
  now: Date,
  soonDays: number = DEFAULT_EXPIRING_SOON_DAYS,
): TokenStatus {
  if (lifecycle === 'revoked') return 'revoked';
  const expiry = normaliseTimestamp(expiresAt);
  if (expiry === null) return 'active';
  if (expiry <= now.toISOString()) return 'expired';
  if (expiry <= soonCutoff(now, soonDays)) return 'expiring';
  return 'active';
}

// ---------------------------------------------------------------------------
// Calendar days

const formatters = new Map<string, Intl.DateTimeFormat>();

function dayFormatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let f = formatters.get(key);
  if (!f) {
    // Throws RangeError for an unknown zone: a caller's bug, not a data problem.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    formatters.set(key, f);
  }
  return f;
}

/** Days since 1970-01-01 of the calendar date that `ms` falls on in `timeZone`. */
function localDayNumber(ms: number, timeZone: string | undefined): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let bc = false;
  for (const part of dayFormatter(timeZone).formatToParts(ms)) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
    else if (part.type === 'era' && part.value.startsWith('B')) bc = true;
  }
  const d = new Date(0);
  d.setUTCFullYear(bc ? 1 - year : year, month - 1, day);
  return Math.round(d.getTime() / DAY_MS);
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    dayFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whole calendar days from today to the expiry day, both read in `timeZone`
 * (default: the runtime's zone). 0 = expires today, 1 = tomorrow, negative once
 * the expiry day is past; null when the token never expires. Day lengths
 * (23 or 25 hours around DST changes) do not matter: only dates are compared.
 */
export function daysLeft(expiresAt: string | null, now: Date, timeZone?: string): number | null {
  const expiry = normaliseTimestamp(expiresAt);
  if (expiry === null) return null;
  return localDayNumber(Date.parse(expiry), timeZone) - today(now.getTime(), timeZone);
}

// A page of rows asks for the same "today" once per row.
let lastToday: { ms: number; zone: string | undefined; day: number } | null = null;
function today(ms: number, timeZone: string | undefined): number {
  if (lastToday?.ms !== ms || lastToday.zone !== timeZone)
    lastToday = { ms, zone: timeZone, day: localDayNumber(ms, timeZone) };
  return lastToday.day;
}

/** `daysLeft` for people: "today", "tomorrow", "in 12 days", "yesterday", "3 days ago", "never". */
export function describeDaysLeft(n: number | null): string {
  if (n === null) return 'never';
  if (n === 0) return 'today';
  if (n === 1) return 'tomorrow';
  if (n === -1) return 'yesterday';
  return n > 0 ? `in ${n} days` : `${-n} days ago`;
}

/** Vault's `status__v`: `active__v` is active; anything else (inactive, missing) is revoked. */
export function lifecycleFromVault(status: string | null | undefined): TokenLifecycle {
  return typeof status === 'string' && status.trim() === 'active__v' ? 'active' : 'revoked';
}

// ---------------------------------------------------------------------------
// Lifetimes: the expiry presets ("30 days") and rotation's default (issue 13, item 9)

const MINUTE_MS = 60_000;
const HALF_HOUR_MS = 30 * MINUTE_MS;

/**
 * The expiry a "`days` days" preset asks Vault for: `days` × 24 h from `now`, down to the minute,
 * as Vault's `YYYY-MM-DDTHH:MM:SSZ` (docs/vault-api.md §1.2). An exact instant rather than a date,
 * because Vault turns a date alone into 23:59:59 in the *Vault user's* zone, which can fall on the
 * next calendar day where the app runs: "30 days" then read "in 31 days". With an instant,
 * `daysLeft(result, now, timeZone)` is `days` in every zone.
 *
 * Only across a daylight-saving change, within about an hour of midnight, would `days` × 24 h land
 * on the neighbouring calendar day; then the instant moves by half-hours until it is on the right
 * one (never by more than the change itself). Never later than `days` × 24 h except in that case,
 * so a profile's longest lifetime ("up to 90 days", §1.1) is not exceeded by a preset of 90.
 */
export function presetExpiryIso(days: number, now: Date, timeZone?: string): string {
  let at = Math.floor((now.getTime() + days * DAY_MS) / MINUTE_MS) * MINUTE_MS;
  for (let step = 0; step < 6; step++) {
    const off = daysLeft(new Date(at).toISOString(), now, timeZone)! - days;
    if (off === 0) break;
    at += off > 0 ? -HALF_HOUR_MS : HALF_HOUR_MS;
  }
  return `${new Date(at).toISOString().slice(0, 19)}Z`;
}

/** Up to this much short of a whole day still counts as that day: a minute's rounding, Vault's latency. */
const LIFETIME_SLACK_DAYS = 0.01;

/**
 * A token's lifetime in whole days, from its creation to its expiry: null when either is unknown
 * or the expiry is not after the creation. Days are counted down (30.6 is 30): a token created
 * with a date alone expires at the end of that day, some hours past the whole days asked for.
 */
export function tokenLifetimeDays(createdAt: string | null, expiresAt: string | null): number | null {
  const created = normaliseTimestamp(createdAt);
  const expires = normaliseTimestamp(expiresAt);
  if (created === null || expires === null) return null;
  const days = Math.floor((Date.parse(expires) - Date.parse(created)) / DAY_MS + LIFETIME_SLACK_DAYS);
  return days >= 1 ? days : null;
}

/** When the old token's lifetime is unknown, a rotation proposes this (the "up to 90 days" of §1.1). */
export const FALLBACK_ROTATION_DAYS = 90;

/**
 * The expiry a rotation proposes for the replacement: the old token's rule.
 * - it never expired: never (Vault allowed that for this user before; it refuses if no longer);
 * - its lifetime is known (created and expiry dates): the same number of days, from today;
 * - otherwise 90 days, saying why.
 * A token's creation time is known when this app generated it: a sync never reads
 * `created_date__v` (electron/vault/tokens.ts, TOKEN_FIELDS), and the day a sync first saw a
 * token says nothing about its lifetime, so it is not used in its place.
 */
export type RotationExpiryRule =
  | { kind: 'never' }
  | { kind: 'same-lifetime'; days: number }
  | { kind: 'fallback'; days: number; why: 'no-created-date' | 'no-lifetime' };

export function rotationExpiryRule(old: { createdAt: string | null; expiresAt: string | null }): RotationExpiryRule {
  if (old.expiresAt === null) return { kind: 'never' };
  const days = tokenLifetimeDays(old.createdAt, old.expiresAt);
  if (days !== null) return { kind: 'same-lifetime', days };
  return {
    kind: 'fallback',
    days: FALLBACK_ROTATION_DAYS,
    why: normaliseTimestamp(old.createdAt) === null ? 'no-created-date' : 'no-lifetime',
  };
}

// ---------------------------------------------------------------------------
// Rotation links (migration 008)

/** The other end of a rotation, as the details drawer names it. */
export type { TokenLink } from './tokens';

export type RotationLinks = Pick<TokenRow, 'replacedBy' | 'replaces'>;
