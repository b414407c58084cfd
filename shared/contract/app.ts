import type { AppInfo, AuditEntry } from '../domain';
import { AuditQuery, NoInput } from '../schemas';
import { channel } from './define';

export const appContract = {
  'app:info': channel<AppInfo>()('appInfo', NoInput),
  'audit:list': channel<AuditEntry[]>()('listAudit', AuditQuery),
} as const;

export interface AppEvents {
  'app:notice': { level: 'info' | 'warn' | 'error'; message: string };
  /** Asks the renderer to show a screen, e.g. from a notification or tray click. */
  'app:navigate': { hash: string };
}
