/**
 * Pure reminder arithmetic: which thresholds have passed, which reminders fall
 * due now, how they read, what the upcoming timeline and the counts are. No
 * SQLite, no Electron, no clock of its own: everything comes in as arguments,
 * so that every rule here is unit-testable.
 *
 * Rules (the issue's, made precise):
 * - A threshold of N days falls due at `expiresAt − N × 24 h`; 0 = the expiry instant.
 * - For each token only the MOST URGENT passed threshold notifies, and only if
 *   it was never recorded for this expiry. Every other passed threshold that
 *   was never recorded is recorded silently. So after sleeping through three
 *   thresholds (or after a restart, or on first sight of a token) a token
 *   reminds once, not once per missed threshold or day; and adding a less
 *   urgent threshold later never reminds about the past.
 * - A snoozed token is left alone until the snooze ends: nothing is recorded
 *   meanwhile, so thresholds passed during the snooze are caught up (once)
 *   when it ends. When a snooze ends, the token reminds once even if no new
 *   threshold has passed ("remind me in a day" means a reminder in a day).
 * - A dismissed token (dismissed for its current expiry) never reminds.
 */
import { endOfWeek, format, startOfWeek } from 'date-fns';
import type {
  DueReminder,
  ReminderGroup,
  ReminderRunReason,
  ReminderSummary,
  ReminderTokenInfo,
  UpcomingReminders,
  UpcomingToken,
  UpcomingWeek,
} from '../../shared/reminders';
import { redactString } from '../log';

/**
 * Text for people outside the app (notifications, calendar files) never holds
 * anything shaped like a token value, not even the `veeva-vault-` prefix of a
 * redacted one: a token name is a person's label and could hold a pasted value.
 */
export function scrub(text: string): string {
  return redactString(text.replace(/veeva-vault-[A-Za-z0-9._~+/=-]*/g, '[REDACTED]'));
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** A token that may remind, with its thresholds and reminder state. */
export interface DueCandidate extends ReminderTokenInfo {
  thresholds: readonly number[];
  thresholdsSource: 'default' | 'connection';
  /** Thresholds already recorded for this expiry → true when recorded silently. */
  recorded: ReadonlyMap<number, boolean>;
  snoozedUntil: string | null;
  snoozePending: boolean;
  /** Dismissed for its current expiry. */
  dismissed: boolean;
}

export interface RecordEntry {
  rowId: number;
  expiresAt: string;
  thresholdDays: number;
  silent: boolean;
}

export interface DuePlan {
  /** What to notify, most urgent first. */
  notify: DueReminder[];
  /** Thresholds to record: notified ones (silent false) and passed-over ones (silent true). */
  record: RecordEntry[];
  /** Tokens whose snooze is over. */
  clearSnooze: number[];
}

export function thresholdDueAt(expiresAt: string, days: number): number {
  return Date.parse(expiresAt) - days * DAY_MS;
}

/** Passed thresholds at `now`, most urgent (fewest days) first. */
export function passedThresholds(expiresAt: string, thresholds: readonly number[], now: Date): number[] {
  const t = now.getTime();
  return thresholds.filter((d) => thresholdDueAt(expiresAt, d) <= t).sort((a, b) => a - b);
}

/** The next threshold still to come, or null when all have passed. */
export function nextThreshold(
  expiresAt: string,
  thresholds: readonly number[],
  now: Date,
): { days: number; at: number } | null {
  const t = now.getTime();
  let best: { days: number; at: number } | null = null;
  for (const days of thresholds) {
    const at = thresholdDueAt(expiresAt, days);
    if (at > t && (best === null || at < best.at)) best = { days, at };
  }
  return best;
}

function isSnoozed(c: Pick<DueCandidate, 'snoozedUntil'>, now: Date): boolean {
  return c.snoozedUntil !== null && Date.parse(c.snoozedUntil) > now.getTime();
}

function info(c: ReminderTokenInfo): ReminderTokenInfo {
  return {
    rowId: c.rowId,
    tokenId: c.tokenId,
    name: c.name,
    connectionId: c.connectionId,
    connectionName: c.connectionName,
    vaultDns: c.vaultDns,
    userName: c.userName,
    expiresAt: c.expiresAt,
  };
}

/** Decides what falls due at `now`. Pure: the caller records the plan. */
export function planDue(candidates: readonly DueCandidate[], now: Date): DuePlan {
  const plan: DuePlan = { notify: [], record: [], clearSnooze: [] };
  const t = now.getTime();
  for (const c of candidates) {
    if (c.dismissed || Number.isNaN(Date.parse(c.expiresAt))) continue;
    if (isSnoozed(c, now)) continue;
    const snoozeOver = c.snoozedUntil !== null;
    const passed = passedThresholds(c.expiresAt, c.thresholds, now);
    const mostUrgent = passed[0];
    let notified: DueReminder | null = null;
    if (mostUrgent !== undefined && !c.recorded.has(mostUrgent)) {
      notified = { ...info(c), kind: 'threshold', thresholdDays: mostUrgent, msLeft: Date.parse(c.expiresAt) - t };
    } else if (snoozeOver && c.snoozePending) {
      notified = {
        ...info(c),
        kind: 'snooze-ended',
        thresholdDays: mostUrgent ?? null,
        msLeft: Date.parse(c.expiresAt) - t,
      };
    }
    if (notified) plan.notify.push(notified);
    for (const days of passed) {
      if (c.recorded.has(days)) continue;
      const silent = !(notified?.kind === 'threshold' && days === mostUrgent);
      plan.record.push({ rowId: c.rowId, expiresAt: c.expiresAt, thresholdDays: days, silent });
    }
    if (snoozeOver) plan.clearSnooze.push(c.rowId);
  }
  plan.notify.sort((a, b) => a.msLeft - b.msLeft || a.rowId - b.rowId);
  return plan;
}

// ---------------------------------------------------------------------------
// Words

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "expires in 7 days", "expires in 5 hours", "expired", "expired 3 days ago". */
export function timeLeftPhrase(msLeft: number): string {
  if (msLeft <= 0) {
    const ago = Math.floor(-msLeft / DAY_MS);
    return ago < 1 ? 'expired' : `expired ${plural(ago, 'day')} ago`;
  }
  if (msLeft < HOUR_MS) return 'expires within the hour';
  if (msLeft < DAY_MS) return `expires in ${plural(Math.ceil(msLeft / HOUR_MS), 'hour')}`;
  return `expires in ${plural(Math.ceil(msLeft / DAY_MS), 'day')}`;
}

/** Whole 24-hour periods left, rounded up while not expired; ≤ 0 once expired. */
export function daysLeft(expiresAt: string, now: Date): number {
  const ms = Date.parse(expiresAt) - now.getTime();
  return ms > 0 ? Math.ceil(ms / DAY_MS) : -Math.floor(-ms / DAY_MS);
}

export function inventoryHash(rowIds: readonly number[]): string {
  return `#/inventory?tokens=${rowIds.join(',')}`;
}

export function rotateHash(rowId: number): string {
  return `#/inventory?rotate=${rowId}`;
}

const MAX_BODY_LINES = 3;

/** One notification for everything that fell due together. Null when nothing did. */
export function buildGroup(items: readonly DueReminder[], reason: ReminderRunReason, now: Date): ReminderGroup | null {
  if (items.length === 0) return null;
  const sorted = [...items].sort((a, b) => a.msLeft - b.msLeft || a.rowId - b.rowId);
  const first = sorted[0]!;
  let title: string;
  let body: string;
  if (sorted.length === 1) {
    title = `Vault token ${timeLeftPhrase(first.msLeft)}`;
    body = `${first.name} — ${first.connectionName}${first.userName ? ` (${first.userName})` : ''}`;
  } else {
    const expired = sorted.filter((i) => i.msLeft <= 0).length;
    const expiring = sorted.length - expired;
    const parts = [
      expiring ? `${plural(expiring, 'Vault token')} expiring` : '',
      expired ? `${plural(expired, 'Vault token')} expired` : '',
    ].filter(Boolean);
    title = parts.join(', ');
    const lines = sorted
      .slice(0, MAX_BODY_LINES)
      .map((i) => `${i.name} (${i.connectionName}): ${timeLeftPhrase(i.msLeft)}`);
    if (sorted.length > MAX_BODY_LINES) lines.push(`and ${sorted.length - MAX_BODY_LINES} more`);
    body = lines.join('\n');
  }
  return {
    id: `reminders-${now.getTime()}-${first.rowId}-${sorted.length}`,
    reason,
    firedAt: now.toISOString(),
    items: sorted,
    // Token names are people's labels, but scrub anything shaped like a token value all the same.
    title: scrub(title),
    body: scrub(body),
    hash: inventoryHash(sorted.map((i) => i.rowId)),
  };
}

// ---------------------------------------------------------------------------
// Timeline and counts

export function toUpcoming(c: DueCandidate, now: Date, expiringSoonDays: number): UpcomingToken {
  const t = now.getTime();
  const exp = Date.parse(c.expiresAt);
  const next = nextThreshold(c.expiresAt, c.thresholds, now);
  let lastNotifiedDays: number | null = null;
  for (const [days, silent] of c.recorded) {
    if (!silent && (lastNotifiedDays === null || days < lastNotifiedDays)) lastNotifiedDays = days;
  }
  return {
    ...info(c),
    status: exp <= t ? 'expired' : exp <= t + expiringSoonDays * DAY_MS ? 'expiring' : 'later',
    daysLeft: daysLeft(c.expiresAt, now),
    thresholds: [...c.thresholds],
    thresholdsSource: c.thresholdsSource,
    nextThresholdDays: next?.days ?? null,
    nextThresholdAt: next ? new Date(next.at).toISOString() : null,
    lastNotifiedDays,
    snoozedUntil: isSnoozed(c, now) ? c.snoozedUntil : null,
    dismissed: c.dismissed,
  };
}

export type WeekStart = 0 | 1 | 6;

/** Tokens by the local calendar week their expiry falls in, soonest first. */
export function groupByWeek(tokens: readonly UpcomingToken[], weekStartsOn: WeekStart): UpcomingWeek[] {
  const weeks = new Map<string, UpcomingWeek>();
  const sorted = [...tokens].sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt) || a.rowId - b.rowId);
  for (const token of sorted) {
    const at = new Date(token.expiresAt);
    const weekStart = format(startOfWeek(at, { weekStartsOn }), 'yyyy-MM-dd');
    let week = weeks.get(weekStart);
    if (!week) {
      week = { weekStart, weekEnd: format(endOfWeek(at, { weekStartsOn }), 'yyyy-MM-dd'), tokens: [] };
      weeks.set(weekStart, week);
    }
    week.tokens.push(token);
  }
  return [...weeks.values()];
}

export function buildUpcoming(
  candidates: readonly DueCandidate[],
  now: Date,
  options: {
    windowDays: number;
    expiringSoonDays: number;
    weekStartsOn: WeekStart;
    defaultThresholds?: readonly number[];
  },
): UpcomingReminders {
  const t = now.getTime();
  const horizon = t + options.windowDays * DAY_MS;
  const expired: UpcomingToken[] = [];
  const coming: UpcomingToken[] = [];
  const dismissed: UpcomingToken[] = [];
  for (const c of candidates) {
    const exp = Date.parse(c.expiresAt);
    if (Number.isNaN(exp) || exp > horizon) continue;
    const token = toUpcoming(c, now, options.expiringSoonDays);
    if (c.dismissed) dismissed.push(token);
    else if (exp <= t) expired.push(token);
    else coming.push(token);
  }
  expired.sort((a, b) => Date.parse(b.expiresAt) - Date.parse(a.expiresAt) || a.rowId - b.rowId);
  dismissed.sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt) || a.rowId - b.rowId);
  return {
    generatedAt: now.toISOString(),
    windowDays: options.windowDays,
    expiringSoonDays: options.expiringSoonDays,
    defaultThresholds: [...(options.defaultThresholds ?? [])],
    expired,
    weeks: groupByWeek(coming, options.weekStartsOn),
    dismissed,
  };
}

export function buildSummary(
  candidates: readonly DueCandidate[],
  now: Date,
  expiringSoonDays: number,
): ReminderSummary {
  const t = now.getTime();
  const soon = t + expiringSoonDays * DAY_MS;
  const summary: ReminderSummary = {
    expiring: 0,
    expired: 0,
    attention: 0,
    snoozed: 0,
    dismissed: 0,
    expiringSoonDays,
    nextReminderAt: null,
  };
  let next = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const exp = Date.parse(c.expiresAt);
    if (Number.isNaN(exp)) continue;
    if (c.dismissed) {
      summary.dismissed++;
      continue;
    }
    if (exp <= t) summary.expired++;
    else if (exp <= soon) summary.expiring++;
    if (isSnoozed(c, now)) {
      summary.snoozed++;
      next = Math.min(next, Date.parse(c.snoozedUntil!));
    } else {
      const upcoming = nextThreshold(c.expiresAt, c.thresholds, now);
      if (upcoming) next = Math.min(next, upcoming.at);
    }
  }
  summary.attention = summary.expiring + summary.expired;
  summary.nextReminderAt = Number.isFinite(next) ? new Date(next).toISOString() : null;
  return summary;
}
