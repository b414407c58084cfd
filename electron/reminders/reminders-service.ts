/**
 * What the reminders channels do: timeline, counts, snooze, dismissal,
 * settings and calendar export. No Electron; the scheduler tells the desktop
 * layer (tray, badge, notifications) whenever something here changes.
 */
import type {
  AppSettings,
  BulkReminderAction,
  BulkReminderResult,
  CalendarFile,
  ReminderSummary,
  ReminderTokenState,
  SettingsView,
  SnoozeChoice,
  UpcomingReminders,
} from '../../shared/reminders';
import { AppError } from '../../shared/errors';
import type { Clock } from '../../shared/clock';
import type { AuditRecord } from '../store/audit-repo';
import { buildCalendar } from './calendar';
import { buildSummary, buildUpcoming, DAY_MS, nextThreshold, type WeekStart } from './compute-due';
import type { RemindersRepo } from './reminders-repo';
import type { ReminderScheduler } from './scheduler';
import type { SettingsRepo } from './settings-repo';

export interface RemindersServiceDeps {
  repo: RemindersRepo;
  settings: SettingsRepo;
  scheduler: ReminderScheduler;
  clock: Clock;
  /** Dismissals and settings changes go to the activity log when given. */
  audit?: { record(entry: AuditRecord, at: string): void } | undefined;
}

const SNOOZE_MS: Record<Exclude<SnoozeChoice, 'next-threshold'>, number> = { '1d': DAY_MS, '1w': 7 * DAY_MS };

/** Activity actions of the bulk forms, spelt out so that shared/audit-labels.ts's test finds each one. */
const BULK_AUDIT_ACTIONS: Record<BulkReminderAction, string> = {
  snooze: 'reminder.snooze-bulk',
  unsnooze: 'reminder.unsnooze-bulk',
  dismiss: 'reminder.dismiss-bulk',
  undismiss: 'reminder.undismiss-bulk',
};

export class RemindersService {
  constructor(private readonly deps: RemindersServiceDeps) {}

  private now(): Date {
    return this.deps.clock.now();
  }

  upcoming(query: { days: number; weekStartsOn: WeekStart }): UpcomingReminders {
    const { repo, settings } = this.deps;
    const defaultThresholds = settings.thresholds();
    return buildUpcoming(repo.candidates(defaultThresholds), this.now(), {
      defaultThresholds,
      windowDays: query.days,
      expiringSoonDays: settings.expiringSoonDays(),
      weekStartsOn: query.weekStartsOn,
    });
  }

  summary(): ReminderSummary {
    const { repo, settings } = this.deps;
    return buildSummary(repo.candidates(settings.thresholds()), this.now(), settings.expiringSoonDays());
  }

  /**
   * Quiet a token's reminders until `choice`, then remind once:
   * 1 day, 1 week, or until the next threshold (refused when none is left).
   */
  snooze(rowId: number, choice: SnoozeChoice): ReminderTokenState {
    const { repo, settings } = this.deps;
    const now = this.now();
    const { expiresAt } = repo.requireRemindable(rowId);
    let until: number;
    if (choice === 'next-threshold') {
      const [candidate] = repo.candidates(settings.thresholds(), [rowId]);
      const next = candidate ? nextThreshold(expiresAt, candidate.thresholds, now) : null;
      if (!next)
        throw new AppError(
          'GUARD',
          'No reminder threshold is left before this token expires. Snooze it for a day or a week instead, or dismiss it.',
        );
      until = next.at;
    } else {
      until = now.getTime() + SNOOZE_MS[choice];
    }
    repo.snooze(rowId, new Date(until).toISOString(), now.toISOString());
    this.recordFor(
      rowId,
      'reminder.snooze',
      `Reminders snoozed until ${new Date(until).toISOString()} (${choice}).`,
      now,
    );
    this.deps.scheduler.notifyChanged();
    return repo.state(rowId, now);
  }

  private recordFor(rowId: number, action: string, detail: string, now: Date): void {
    const [token] = this.deps.repo.candidates([], [rowId]);
    this.deps.audit?.record(
      {
        action,
        connectionId: token?.connectionId ?? null,
        connectionName: token?.connectionName ?? null,
        tokenId: token?.tokenId ?? null,
        detail,
      },
      now.toISOString(),
    );
  }

  unsnooze(rowId: number): ReminderTokenState {
    const { repo } = this.deps;
    const now = this.now();
    repo.requireRemindable(rowId);
    repo.clearSnooze([rowId], now.toISOString());
    this.recordFor(rowId, 'reminder.unsnooze', 'Snooze cleared; reminders are back on.', now);
    this.deps.scheduler.notifyChanged();
    return repo.state(rowId, now);
  }

  /** "I have rotated this elsewhere": no more reminders for this token unless its expiry changes. */
  dismiss(rowId: number): ReminderTokenState {
    return this.setDismissed(rowId, true);
  }

  undismiss(rowId: number): ReminderTokenState {
    return this.setDismissed(rowId, false);
  }

  private setDismissed(rowId: number, dismissed: boolean): ReminderTokenState {
    const { repo } = this.deps;
    const now = this.now();
    const at = now.toISOString();
    const { expiresAt } = repo.requireRemindable(rowId);
    repo.transaction(() => {
      if (dismissed) repo.dismiss(rowId, expiresAt, at);
      else repo.undismiss(rowId, at);
      const [token] = repo.candidates([], [rowId]);
      this.deps.audit?.record(
        {
          action: dismissed ? 'reminder.dismiss' : 'reminder.undismiss',
          connectionId: token?.connectionId ?? null,
          connectionName: token?.connectionName ?? null,
          tokenId: token?.tokenId ?? null,
          detail: dismissed
            ? `No more expiry reminders (marked as rotated elsewhere); expiry ${expiresAt}.`
            : `Expiry reminders back on; expiry ${expiresAt}.`,
        },
        at,
      );
    });
    this.deps.scheduler.notifyChanged();
    return repo.state(rowId, now);
  }

  /**
   * One bulk action over the selected tokens (issue 13 item 6): applied in ONE transaction and
   * recorded in Activity ONCE, with the count. Tokens that cannot take the action (gone, revoked,
   * imported, no threshold left for "until the next threshold") are skipped and listed, not
   * refused: the rest still happens. Nothing is recorded when nothing changed.
   */
  bulk(request: {
    action: BulkReminderAction;
    rowIds: readonly number[];
    until?: SnoozeChoice | undefined;
  }): BulkReminderResult {
    const { repo, settings } = this.deps;
    const now = this.now();
    const at = now.toISOString();
    const result = repo.transaction((): BulkReminderResult => {
      const { ok, skipped } = repo.remindable(request.rowIds);
      let changed = ok;
      let snoozedUntil: string | null = null;
      if (request.action === 'snooze') {
        const choice = request.until ?? '1d';
        const untilByRow = new Map<number, string>();
        if (choice === 'next-threshold') {
          const candidates = repo.candidates(
            settings.thresholds(),
            ok.map((r) => r.rowId),
          );
          for (const c of candidates) {
            const next = nextThreshold(c.expiresAt, c.thresholds, now);
            if (next) untilByRow.set(c.rowId, new Date(next.at).toISOString());
          }
          for (const r of ok)
            if (!untilByRow.has(r.rowId)) skipped.push({ rowId: r.rowId, reason: 'no threshold left before expiry' });
          changed = ok.filter((r) => untilByRow.has(r.rowId));
        } else {
          const until = new Date(now.getTime() + SNOOZE_MS[choice]).toISOString();
          for (const r of ok) untilByRow.set(r.rowId, until);
        }
        repo.snoozeMany(untilByRow, at);
        for (const until of untilByRow.values())
          if (snoozedUntil === null || until > snoozedUntil) snoozedUntil = until;
      } else if (request.action === 'unsnooze') {
        repo.clearSnooze(
          ok.map((r) => r.rowId),
          at,
        );
      } else if (request.action === 'dismiss') {
        repo.dismissMany(ok, at);
      } else {
        repo.undismissMany(
          ok.map((r) => r.rowId),
          at,
        );
      }
      if (changed.length) this.recordBulk(request.action, changed, skipped.length, request.until, snoozedUntil, at);
      return { action: request.action, changed: changed.length, skipped, snoozedUntil };
    });
    if (result.changed) this.deps.scheduler.notifyChanged();
    return result;
  }

  /** One Activity entry for a bulk action: the count, and the connection when all share one. */
  private recordBulk(
    action: BulkReminderAction,
    changed: readonly { rowId: number }[],
    skipped: number,
    choice: SnoozeChoice | undefined,
    snoozedUntil: string | null,
    at: string,
  ): void {
    const tokens = this.deps.repo.candidates(
      [],
      changed.map((r) => r.rowId),
    );
    const connections = new Map(tokens.map((t) => [t.connectionId, t.connectionName]));
    const [only] = connections.size === 1 ? [...connections] : [];
    const n = `${changed.length} token${changed.length === 1 ? '' : 's'}`;
    const what: Record<BulkReminderAction, string> = {
      snooze: `Reminders snoozed for ${n}${choice === 'next-threshold' ? ' until each one’s next threshold' : snoozedUntil ? ` until ${snoozedUntil} (${choice})` : ''}`,
      unsnooze: `Snooze cleared for ${n}; reminders are back on`,
      dismiss: `No more expiry reminders for ${n} (marked as rotated elsewhere)`,
      undismiss: `Expiry reminders back on for ${n}`,
    };
    const where = only ? '' : ` across ${connections.size} connections`;
    this.deps.audit?.record(
      {
        action: BULK_AUDIT_ACTIONS[action],
        connectionId: only?.[0] ?? null,
        connectionName: only?.[1] ?? null,
        detail: `${what[action]}${where}.${skipped ? ` ${skipped} skipped.` : ''}`,
      },
      at,
    );
  }

  settingsView(): SettingsView {
    return this.deps.settings.view();
  }

  /** Saves settings; new thresholds take effect at once (a threshold that has now passed reminds). */
  updateSettings(patch: Partial<AppSettings>): SettingsView {
    const { settings } = this.deps;
    const before = settings.get();
    const after = settings.update(patch);
    const changed = (Object.keys(after) as (keyof AppSettings)[]).filter(
      (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
    );
    if (changed.length) {
      this.deps.audit?.record(
        { action: 'settings.update', detail: `Changed ${changed.join(', ')}.` },
        this.now().toISOString(),
      );
    }
    this.afterThresholdChange(changed.includes('thresholds'));
    return settings.view();
  }

  setConnectionThresholds(connectionId: string, thresholds: number[] | null): SettingsView {
    const { settings } = this.deps;
    const { connectionName } = settings.setConnectionThresholds(connectionId, thresholds);
    this.deps.audit?.record(
      {
        action: 'settings.connection-thresholds',
        connectionId,
        connectionName,
        detail:
          thresholds === null
            ? 'Reminder thresholds follow the global list again.'
            : `Reminder thresholds: ${thresholds.join(', ') || 'none'} days.`,
      },
      this.now().toISOString(),
    );
    this.afterThresholdChange(true);
    return settings.view();
  }

  private afterThresholdChange(thresholdsChanged: boolean): void {
    // A due run announces `changed` itself when it notifies something.
    if (!thresholdsChanged || !this.deps.scheduler.safely('settings')) this.deps.scheduler.notifyChanged();
  }

  /**
   * The `.ics` file. With `rowIds`: those tokens, if they can remind (expired
   * ones included). Without: every token that will still remind — not
   * expired, not dismissed.
   */
  exportCalendar(rowIds?: readonly number[]): CalendarFile {
    const { repo, settings } = this.deps;
    const now = this.now();
    let tokens = repo.candidates(settings.thresholds(), rowIds);
    if (!rowIds) tokens = tokens.filter((t) => !t.dismissed && Date.parse(t.expiresAt) > now.getTime());
    if (tokens.length === 0) {
      throw new AppError(
        'NOT_FOUND',
        rowIds
          ? 'None of the chosen tokens expires (or they are revoked or imported): there is nothing to put in a calendar.'
          : 'No token is due to expire: there is nothing to put in a calendar.',
      );
    }
    return buildCalendar(tokens, now);
  }
}
