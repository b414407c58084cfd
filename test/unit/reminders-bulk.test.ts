/**
 * Bulk snooze, unsnooze, dismiss and undismiss (issue 13 item 6): the request schema, one
 * transaction for the lot, one Activity entry with the count, skipped tokens listed with why.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testContext } from '../helpers/context';
import { buildReminderInventory } from '../bench/ui';
import { BulkRemindersRequest } from '../../shared/contract/reminders';

const NOW = new Date('2026-03-10T09:00:00.000Z');
const contexts: ReturnType<typeof testContext>[] = [];
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.cleanup();
});

function seeded() {
  const ctx = testContext({ clock: { now: () => new Date(NOW) } });
  contexts.push(ctx);
  buildReminderInventory(ctx.db, NOW, { connections: 3, perConnection: 20 });
  return ctx;
}

const auditCount = (ctx: ReturnType<typeof testContext>, action: string) =>
  (ctx.db.prepare('SELECT COUNT(*) FROM audit_log WHERE action = ?').pluck().get(action) as number) ?? 0;

describe('reminders:bulk request', () => {
  it('takes 1 to 10,000 distinct row ids and a snooze choice for a snooze only', () => {
    expect(BulkRemindersRequest.safeParse({ action: 'snooze', rowIds: [1, 2], until: '1w' }).success).toBe(true);
    expect(BulkRemindersRequest.safeParse({ action: 'dismiss', rowIds: [3] }).success).toBe(true);
    expect(BulkRemindersRequest.safeParse({ action: 'snooze', rowIds: [1] }).success).toBe(false);
    expect(BulkRemindersRequest.safeParse({ action: 'dismiss', rowIds: [3], until: '1w' }).success).toBe(false);
    expect(BulkRemindersRequest.safeParse({ action: 'dismiss', rowIds: [] }).success).toBe(false);
    expect(BulkRemindersRequest.safeParse({ action: 'dismiss', rowIds: [4, 4] }).success).toBe(false);
    expect(BulkRemindersRequest.safeParse({ action: 'dismiss', rowIds: [0] }).success).toBe(false);
    expect(BulkRemindersRequest.safeParse({ action: 'revoke', rowIds: [1] }).success).toBe(false);
    expect(
      BulkRemindersRequest.safeParse({ action: 'dismiss', rowIds: Array.from({ length: 10_001 }, (_, i) => i + 1) })
        .success,
    ).toBe(false);
  });
});

describe('RemindersService.bulk', () => {
  it('dismisses many tokens at once, records ONE entry with the count, and undoes it', async () => {
    const ctx = seeded();
    const before = await ctx.service.listUpcomingReminders({ days: 365, weekStartsOn: 1 });
    const coming = before.weeks.flatMap((w) => w.tokens);
    const ids = coming.slice(0, 12).map((t) => t.rowId);
    const result = await ctx.service.bulkReminders({ action: 'dismiss', rowIds: ids });
    expect(result).toMatchObject({ action: 'dismiss', changed: 12, skipped: [] });
    const after = await ctx.service.listUpcomingReminders({ days: 365, weekStartsOn: 1 });
    expect(after.dismissed.map((t) => t.rowId).sort()).toEqual([...ids].sort());
    expect(auditCount(ctx, 'reminder.dismiss-bulk')).toBe(1);
    expect(auditCount(ctx, 'reminder.dismiss')).toBe(0);
    const [entry] = await ctx.service.listAudit({ limit: 1 });
    expect(entry?.detail).toMatch(/12 tokens/);

    const undo = await ctx.service.bulkReminders({ action: 'undismiss', rowIds: ids });
    expect(undo.changed).toBe(12);
    expect((await ctx.service.listUpcomingReminders({ days: 365, weekStartsOn: 1 })).dismissed).toEqual([]);
    expect(auditCount(ctx, 'reminder.undismiss-bulk')).toBe(1);
  });

  it('snoozes for a week, or until each token’s next threshold, and skips tokens with none left', async () => {
    const ctx = seeded();
    const data = await ctx.service.listUpcomingReminders({ days: 365, weekStartsOn: 1 });
    const coming = data.weeks.flatMap((w) => w.tokens);
    const far = coming.filter((t) => t.nextThresholdAt !== null).slice(0, 5);
    const week = await ctx.service.bulkReminders({ action: 'snooze', rowIds: far.map((t) => t.rowId), until: '1w' });
    expect(week.changed).toBe(5);
    expect(week.snoozedUntil).toBe(new Date(NOW.getTime() + 7 * 86_400_000).toISOString());
    for (const t of far) expect(ctx.reminders.repo.state(t.rowId, NOW).snoozedUntil).toBe(week.snoozedUntil);

    // Expired tokens have no threshold left: skipped, said why; the others snooze to their own.
    const expired = data.expired.slice(0, 2);
    const mixed = [...expired, ...far.slice(0, 2)].map((t) => t.rowId);
    const next = await ctx.service.bulkReminders({ action: 'snooze', rowIds: mixed, until: 'next-threshold' });
    expect(next.changed).toBe(2);
    expect(next.skipped.map((s) => s.rowId).sort()).toEqual(expired.map((t) => t.rowId).sort());
    expect(next.skipped[0]?.reason).toMatch(/no threshold left/);
    for (const t of far.slice(0, 2))
      expect(ctx.reminders.repo.state(t.rowId, NOW).snoozedUntil).toBe(t.nextThresholdAt);
    expect(auditCount(ctx, 'reminder.snooze-bulk')).toBe(2);
  });

  it('skips rows that cannot remind (revoked, missing) and records nothing when nothing changed', async () => {
    const ctx = seeded();
    const [a, b] = (await ctx.service.listUpcomingReminders({ days: 365, weekStartsOn: 1 })).weeks.flatMap(
      (w) => w.tokens,
    );
    ctx.db.prepare(`UPDATE tokens SET lifecycle = 'revoked' WHERE id = ?`).run(a!.rowId);
    const result = await ctx.service.bulkReminders({ action: 'dismiss', rowIds: [a!.rowId, 987_654, b!.rowId] });
    expect(result.changed).toBe(1);
    expect(result.skipped).toEqual([
      { rowId: a!.rowId, reason: 'revoked: never reminds' },
      { rowId: 987_654, reason: 'no longer in the inventory' },
    ]);
    const none = await ctx.service.bulkReminders({ action: 'dismiss', rowIds: [987_654] });
    expect(none.changed).toBe(0);
    expect(auditCount(ctx, 'reminder.dismiss-bulk')).toBe(1);
  });

  it('applies all or nothing: a failure part-way leaves every token as it was', async () => {
    const ctx = seeded();
    const ids = (await ctx.service.listUpcomingReminders({ days: 365, weekStartsOn: 1 })).weeks
      .flatMap((w) => w.tokens)
      .slice(0, 6)
      .map((t) => t.rowId);
    // The audit write comes last inside the transaction: make it fail.
    ctx.db.exec(`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    await expect(ctx.service.bulkReminders({ action: 'dismiss', rowIds: ids })).rejects.toThrow();
    const dismissed = ctx.db
      .prepare('SELECT COUNT(*) FROM reminder_state WHERE dismissed_expires_at IS NOT NULL')
      .pluck()
      .get();
    expect(dismissed).toBe(0);
  });
});
