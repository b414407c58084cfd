import { z } from 'zod';
import type { AppInfo, AuditEntry } from '../domain';
import { Id, NoInput } from '../schemas';
import { channel } from './define';

/** An audit action name as the code records it (`token.rotate.revoke-old`): lower case, dots and dashes. */
const AuditAction = z
  .string()
  .max(80)
  .regex(/^[a-z][a-z0-9.-]*$/, 'Not an activity action.');

/**
 * The Activity screen's query (issue 13 item 8): filters by connection, action, token and time,
 * plus a free-text search, each applied in SQL with parameters (electron/store/audit-repo.ts);
 * paged newest first by `beforeId` as before. `from` is inclusive, `to` exclusive: the renderer
 * sends the start of the first and of the day after the last local calendar day chosen.
 */
export const AuditListQuery = z
  .strictObject({
    limit: z.number().int().min(1).max(1000).default(200),
    beforeId: z.number().int().positive().optional(),
    search: z.string().trim().max(200).optional(),
    connectionId: Id.optional(),
    actions: z.array(AuditAction).min(1).max(100).optional(),
    /** Vault's token id (with connectionId: that connection's token). */
    tokenId: z.string().trim().min(1).max(100).optional(),
    from: z.iso.datetime().optional(),
    to: z.iso.datetime().optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, {
    message: 'The end of the date range is before its start.',
    path: ['to'],
  });

/**
 * One Activity entry with what the inventory knows about its token: the token's name and its
 * owner (`userId`, `userName`, as the inventory shows owners), and the user a generate was for.
 * Null where the inventory does not (or no longer) know.
 */
export interface AuditListEntry extends AuditEntry {
  tokenName: string | null;
  userId: string | null;
  userName: string | null;
  /** A user the detail names by id ("for user 100204"), with their name where the inventory knows it. */
  mentionedUser: { userId: string; userName: string } | null;
}

export const appContract = {
  'app:info': channel<AppInfo>()('appInfo', NoInput),
  'audit:list': channel<AuditListEntry[]>()('listAudit', AuditListQuery),
} as const;

export interface AppEvents {
  'app:notice': { level: 'info' | 'warn' | 'error'; message: string };
  /** Asks the renderer to show a screen, e.g. from a notification or tray click. */
  'app:navigate': { hash: string };
}
