/**
 * The reminder scheduler: reads SQLite, decides what falls due (compute-due.ts),
 * records it in the same transaction, and hands the group to its listeners
 * (the desktop layer shows ONE notification per group). No Electron here.
 *
 * `tick()` runs on a timer; `catchUp()` runs at start and when the computer
 * wakes. Both apply the same rule, which is what makes catching up show each
 * token once: only the most urgent passed threshold notifies, lesser passed
 * ones are recorded silently (see compute-due.ts). Running either twice at the
 * same instant notifies nothing the second time, also across restarts, since
 * the record is in the database.
 */
import type { ReminderGroup, ReminderRunReason } from '../../shared/reminders';
import type { Clock } from '../../shared/clock';
import { silentLogger, type Logger } from '../log';
import { buildGroup, planDue } from './compute-due';
import type { RemindersRepo } from './reminders-repo';
import type { SettingsRepo } from './settings-repo';

/** Thresholds are minutes-precise at best; a few minutes late is fine, and the query is cheap. */
export const DEFAULT_TICK_MS = 5 * 60_000;

export interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const realTimers: Timers = {
  setInterval: (fn, ms) => {
    const handle = setInterval(fn, ms);
    // Never keep a CLI or test process alive just for reminders.
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

/**
 * - `due`: a group was just recorded: show it.
 * - `changed`: counts may have changed (reminder fired, snooze, dismissal, settings, sync).
 * - `ran`: a run finished (due or not); time alone moves tokens into "expiring", so the tray refreshes.
 */
export type SchedulerEvent =
  { type: 'due'; group: ReminderGroup } | { type: 'changed' } | { type: 'ran'; reason: ReminderRunReason };
export type SchedulerListener = (event: SchedulerEvent) => void;

export interface SchedulerDeps {
  repo: RemindersRepo;
  settings: SettingsRepo;
  clock: Clock;
  logger?: Logger;
  timers?: Timers;
}

export class ReminderScheduler {
  private readonly listeners = new Set<SchedulerListener>();
  private handle: unknown = null;
  private readonly logger: Logger;
  private readonly timers: Timers;

  constructor(private readonly deps: SchedulerDeps) {
    this.logger = (deps.logger ?? silentLogger).child({ component: 'reminders' });
    this.timers = deps.timers ?? realTimers;
  }

  /**
   * Decides what is due now, records it and returns it as one group (null when
   * nothing is). Listeners hear `due` with the group and `changed`, then
   * `ran` in any case.
   */
  dueNow(reason: ReminderRunReason = 'tick'): ReminderGroup | null {
    const now = this.deps.clock.now();
    const at = now.toISOString();
    const { repo, settings } = this.deps;
    const group = repo.transaction(() => {
      repo.pruneStale();
      const thresholds = settings.thresholds();
      // Only tokens that can have a threshold passed now; +1 day of slack for rounding.
      const horizon = new Date(now.getTime() + (repo.maxThresholdDays(thresholds) + 1) * 86_400_000).toISOString();
      const plan = planDue(repo.candidates(thresholds, undefined, horizon), now);
      repo.record(plan.record, at);
      repo.clearSnooze(plan.clearSnooze, at);
      return buildGroup(plan.notify, reason, now);
    });
    if (group) {
      // Row ids and token record ids only: never a token value (log.ts rule).
      this.logger.info('reminders due', {
        reason,
        rows: group.items.map((i) => i.rowId),
        tokenIds: group.items.map((i) => i.tokenId),
      });
      this.emit({ type: 'due', group });
      this.emit({ type: 'changed' });
    }
    this.emit({ type: 'ran', reason });
    return group;
  }

  tick(): ReminderGroup | null {
    return this.dueNow('tick');
  }

  /** At start and after the computer wakes: whatever was missed shows once. */
  catchUp(): ReminderGroup | null {
    return this.dueNow('catch-up');
  }

  /** Catches up now, then ticks every `intervalMs`. Calling it again restarts the timer. */
  start(intervalMs: number = DEFAULT_TICK_MS): ReminderGroup | null {
    this.stop();
    this.handle = this.timers.setInterval(() => this.safely('tick'), intervalMs);
    return this.safely('catch-up');
  }

  stop(): void {
    if (this.handle !== null) this.timers.clearInterval(this.handle);
    this.handle = null;
  }

  get running(): boolean {
    return this.handle !== null;
  }

  /** Tells listeners that counts may have changed (snooze, dismissal, settings, sync). */
  notifyChanged(): void {
    this.emit({ type: 'changed' });
  }

  subscribe(listener: SchedulerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Timer and wake-up runs must never throw into Electron's event loop. */
  safely(reason: ReminderRunReason): ReminderGroup | null {
    try {
      return this.dueNow(reason);
    } catch (error) {
      this.logger.error('reminder run failed', { reason, error });
      return null;
    }
  }

  private emit(event: SchedulerEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error('reminder listener failed', { event: event.type, error });
      }
    }
  }
}
