/**
 * The reminders, settings and calendar channels (shared/contract/reminders.ts),
 * answered by the RemindersService. Like app-service.ts: no Electron import.
 */
import type { z } from 'zod';
import type { MethodsFor } from '../../shared/contract';
import type { remindersContract } from '../../shared/contract/reminders';
import type { RemindersService } from './reminders-service';

type RC = typeof remindersContract;

/**
 * One method per reminders channel. Identical to `MethodsFor<typeof remindersContract>`
 * once remindersContract is merged into shared/contract/index.ts; derived here
 * from the domain contract directly so that this file type-checks before that.
 */
export type RemindersMethods = {
  [C in keyof RC as RC[C]['method']]: (request: z.output<RC[C]['request']>) => Promise<NonNullable<RC[C]['response']>>;
};

export interface RemindersMethodsDeps {
  reminders: RemindersService;
}

export function remindersMethods(deps: RemindersMethodsDeps): MethodsFor<typeof remindersContract> & RemindersMethods {
  const r = deps.reminders;
  return {
    listUpcomingReminders: async (request) => r.upcoming(request),
    getReminderSummary: async () => r.summary(),
    snoozeReminders: async (request) => r.snooze(request.rowId, request.until),
    unsnoozeReminders: async (request) => r.unsnooze(request.rowId),
    dismissReminders: async (request) => r.dismiss(request.rowId),
    undismissReminders: async (request) => r.undismiss(request.rowId),
    bulkReminders: async (request) => r.bulk(request),
    getSettings: async () => r.settingsView(),
    updateSettings: async (request) => r.updateSettings(request),
    setConnectionThresholds: async (request) => r.setConnectionThresholds(request.connectionId, request.thresholds),
    exportCalendar: async (request) => r.exportCalendar(request?.rowIds),
  };
}
