/**
 * Expiry reminders, assembled. `createReminders` builds the repos, the
 * scheduler and the service on the app's database; app-context.ts calls it,
 * and the desktop layer (desktop.ts, the only Electron file here) starts the
 * scheduler and shows what it finds.
 */
import type { Clock } from '../../shared/clock';
import type { Logger } from '../log';
import type { Db } from '../store/database';
import type { AuditRecord } from '../store/audit-repo';
import { RemindersRepo } from './reminders-repo';
import { RemindersService } from './reminders-service';
import { ReminderScheduler, type Timers } from './scheduler';
import { SettingsRepo } from './settings-repo';

export interface RemindersOptions {
  db: Db;
  clock: Clock;
  logger?: Logger;
  timers?: Timers;
  audit?: { record(entry: AuditRecord, at: string): void };
}

export interface Reminders {
  settings: SettingsRepo;
  repo: RemindersRepo;
  scheduler: ReminderScheduler;
  service: RemindersService;
}

export function createReminders(options: RemindersOptions): Reminders {
  const settings = new SettingsRepo(options.db, options.clock);
  const repo = new RemindersRepo(options.db);
  const scheduler = new ReminderScheduler({
    repo,
    settings,
    clock: options.clock,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
  });
  const service = new RemindersService({ repo, settings, scheduler, clock: options.clock, audit: options.audit });
  return { settings, repo, scheduler, service };
}

export { ReminderScheduler, DEFAULT_TICK_MS, type SchedulerEvent, type Timers } from './scheduler';
export { RemindersRepo } from './reminders-repo';
export { RemindersService } from './reminders-service';
export { SettingsRepo, DEFAULT_SETTINGS } from './settings-repo';
export { buildCalendar } from './calendar';
