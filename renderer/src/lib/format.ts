/**
 * Dates and counts as people read them. Timestamps arrive as ISO 8601 UTC;
 * the table shows local calendar dates with the exact UTC time on hover.
 */
import { format, formatDistanceToNowStrict } from 'date-fns';
import type { TokenRow, TokenStatus } from '../../../shared/tokens';

const numberFormat = new Intl.NumberFormat('en');

export function count(n: number): string {
  return numberFormat.format(n);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

function valid(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** yyyy-MM-dd in local time (as date-fns `format` would write it, without parsing a pattern per row). */
export function localDate(iso: string | null | undefined): string {
  const d = valid(iso);
  return d ? `${String(d.getFullYear()).padStart(4, '0')}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}` : '—';
}

export function localDateTime(iso: string | null | undefined): string {
  const d = valid(iso);
  return d ? format(d, 'yyyy-MM-dd HH:mm') : '—';
}

/** The exact instant in UTC, for titles and the details drawer. */
export function utc(iso: string | null | undefined): string {
  const d = valid(iso);
  return d ? `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC` : '—';
}

/** "3 hours ago", "in 2 days"; `fallback` when there is no time. */
export function relative(iso: string | null | undefined, fallback = '—'): string {
  const d = valid(iso);
  if (!d) return fallback;
  if (Math.abs(Date.now() - d.getTime()) < 45_000) return 'just now';
  return formatDistanceToNowStrict(d, { addSuffix: true });
}

export function daysText(daysLeft: number): string {
  if (daysLeft === 0) return 'today';
  if (daysLeft > 0) return daysLeft === 1 ? 'in 1 day' : `in ${count(daysLeft)} days`;
  return daysLeft === -1 ? '1 day ago' : `${count(-daysLeft)} days ago`;
}

/**
 * "2027-01-31 · in 12 days", or "never expires". A revoked token has no countdown: it stopped
 * working when it was revoked, so its expiry reads "revoked · was to expire 2027-01-31".
 */
export function expiryText(row: Pick<TokenRow, 'expiresAt' | 'daysLeft' | 'status'>): string {
  if (row.status === 'revoked')
    return row.expiresAt ? `revoked · was to expire ${localDate(row.expiresAt)}` : 'revoked';
  if (!row.expiresAt) return 'never expires';
  const date = localDate(row.expiresAt);
  if (row.daysLeft === null) return date;
  return `${date} · ${daysText(row.daysLeft)}`;
}

/** The Secret column's two words, used wherever the app says whether it holds a token's value. */
export const SECRET_LABEL = { stored: 'stored', notStored: 'not stored' } as const;

export function secretLabel(stored: boolean): string {
  return stored ? SECRET_LABEL.stored : SECRET_LABEL.notStored;
}

/** The "expiring" status chip, saying what "soon" is: "expiring ≤ 14 days". */
export function expiringLabel(soonDays: number): string {
  return `expiring ≤ ${plural(soonDays, 'day')}`;
}

export const STATUS_LABEL: Record<TokenStatus, string> = {
  active: 'active',
  expiring: 'expiring soon',
  expired: 'expired',
  revoked: 'revoked',
};

export const STATUS_TONE: Record<TokenStatus, 'ok' | 'warn' | 'danger' | 'neutral'> = {
  active: 'ok',
  expiring: 'warn',
  expired: 'danger',
  revoked: 'neutral',
};

/** Today's local calendar date as YYYY-MM-DD, plus `days` (what a date picker offers first). */
export function localDatePlus(days: number, from = new Date()): string {
  const d = new Date(from.getFullYear(), from.getMonth(), from.getDate() + days);
  return `${String(d.getFullYear()).padStart(4, '0')}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/**
 * Whether `text` is a real calendar date written the ISO 8601 way (YYYY-MM-DD), the one form the
 * app shows and accepts: 2026-02-30 and 12/31/2026 are not.
 */
export function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** Whether `text` is a 24-hour time HH:MM (00:00–23:59). */
export function isIsoTime(text: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(text);
}

/** An ISO date moved by `days` calendar days (the date field's arrow keys); null if `text` is not one. */
export function shiftIsoDate(text: string, days: number): string | null {
  if (!isIsoDate(text)) return null;
  const d = new Date(`${text}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
