/**
 * What the reminders channels do: timeline, counts, snooze, dismissal,
 * settings and calendar export. No Electron; the scheduler tells the desktop
 * layer (tray, badge, notifications) whenever something here changes.
 */
import type {
  AppSettings,
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

export class RemindersService {
  constructor(private readonly deps: RemindersServiceDeps) {}

  private now(): Date {
    return this.deps.clock.now();
  }

  upcoming(query: { days: number; weekStartsOn: WeekStart }): UpcomingReminders {
    const { repo, settings } = this.deps;
    return buildUpcoming(repo.candidates(settings.thresholds()), this.now(), {
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
