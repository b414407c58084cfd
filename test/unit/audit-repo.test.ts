/**
 * Activity's filters in SQL (issue 13 item 8): by connection, action, token and date range,
 * plus a search; every value a bound parameter; paging newest first; the token's name and its
 * owner's name from the inventory.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testContext } from '../helpers/context';
import { buildReminderInventory } from '../bench/ui';
import { AuditRepo } from '../../electron/store/audit-repo';
import { AuditListQuery } from '../../shared/contract/app';

const NOW = new Date('2026-03-10T09:00:00.000Z');
const contexts: ReturnType<typeof testContext>[] = [];
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.cleanup();
});

function seeded() {
  const ctx = testContext({ clock: { now: () => new Date(NOW) } });
  contexts.push(ctx);
  const inv = buildReminderInventory(ctx.db, NOW, { connections: 2, perConnection: 5 });
  const audit = new AuditRepo(ctx.db, 'tester');
  const [a, b] = inv.connections;
  const token = ctx.db
    .prepare(
      'SELECT token_id AS tokenId, name, user_id AS userId, user_name AS userName FROM tokens WHERE connection_id = ? ORDER BY id LIMIT 1',
    )
    .get(a!.id) as { tokenId: string; name: string; userId: string; userName: string };
  const other = ctx.db
    .prepare(
      'SELECT user_id AS userId, user_name AS userName FROM tokens WHERE connection_id = ? ORDER BY id DESC LIMIT 1',
    )
    .get(a!.id) as { userId: string; userName: string };
  const at = (day: number) => new Date(Date.UTC(2026, 2, day, 12)).toISOString();
  audit.record({ action: 'connection.create', connectionId: a!.id, connectionName: a!.name, detail: 'added' }, at(1));
  audit.record(
    {
      action: 'token.generate',
      connectionId: a!.id,
      connectionName: a!.name,
      tokenId: token.tokenId,
      detail: `“x” for user ${other.userId}`,
    },
    at(2),
  );
  audit.record(
    {
      action: 'token.rotate.revoke-old',
      connectionId: a!.id,
      connectionName: a!.name,
      tokenId: token.tokenId,
      detail: token.name,
    },
    at(3),
  );
  audit.record(
    { action: 'token.revoke', connectionId: b!.id, connectionName: b!.name, tokenId: 'GONE0001', detail: '100%_done' },
    at(4),
  );
  audit.record({ action: 'tokens.sync', detail: '2 of 2 connection(s) synced' }, at(5));
  return { ctx, audit, a: a!, b: b!, token, other, at };
}

describe('AuditRepo.list filters', () => {
  it('filters by connection, actions and token, newest first', () => {
    const { audit, a, token } = seeded();
    expect(audit.list(50, undefined, { connectionId: a.id }).map((e) => e.action)).toEqual([
      'token.rotate.revoke-old',
      'token.generate',
      'connection.create',
    ]);
    expect(audit.list(50, undefined, { actions: ['token.revoke', 'tokens.sync'] }).map((e) => e.action)).toEqual([
      'tokens.sync',
      'token.revoke',
    ]);
    const history = audit.list(50, undefined, { tokenId: token.tokenId, connectionId: a.id });
    expect(history.map((e) => e.action)).toEqual(['token.rotate.revoke-old', 'token.generate']);
  });

  it('filters by a date range, start inclusive and end exclusive', () => {
    const { audit, at } = seeded();
    const got = audit.list(50, undefined, { from: at(2), to: at(4) });
    expect(got.map((e) => e.action)).toEqual(['token.rotate.revoke-old', 'token.generate']);
  });

  it('searches action, connection, detail and the token’s name, with % and _ literal', () => {
    const { audit, token, b } = seeded();
    expect(audit.list(50, undefined, { search: '100%_' }).map((e) => e.action)).toEqual(['token.revoke']);
    expect(audit.list(50, undefined, { search: '%' }).map((e) => e.action)).toEqual(['token.revoke']);
    expect(audit.list(50, undefined, { search: b.name.toUpperCase() }).map((e) => e.action)).toEqual(['token.revoke']);
    // The token's name is only in the inventory, not in the generate entry: found through the join.
    expect(audit.list(50, undefined, { search: token.name }).map((e) => e.action)).toContain('token.generate');
    expect(audit.list(50, undefined, { search: "'; DROP TABLE audit_log; --" })).toEqual([]);
    expect(audit.list(50).length).toBe(5);
  });

  it('names the token and its owner, and the user a token was generated for', () => {
    const { audit, token, other } = seeded();
    const [revokeOld, generate] = audit.list(50, undefined, { tokenId: token.tokenId });
    expect(revokeOld).toMatchObject({ tokenName: token.name, userId: token.userId, userName: token.userName });
    expect(generate).toMatchObject({ tokenName: token.name, userId: token.userId });
    const [gone] = audit.list(50, undefined, { tokenId: 'GONE0001' });
    expect(gone).toMatchObject({ tokenName: null, userName: null });
    // The user the generate was for, named by id in the detail, is looked up by name.
    expect(generate?.mentionedUser).toEqual({ userId: other.userId, userName: other.userName });
    expect(revokeOld?.mentionedUser).toBeNull();
  });

  it('pages below beforeId with the same filters', () => {
    const { audit } = seeded();
    const first = audit.list(2);
    const next = audit.list(2, first.at(-1)!.id);
    expect(first.map((e) => e.action)).toEqual(['tokens.sync', 'token.revoke']);
    expect(next.map((e) => e.action)).toEqual(['token.rotate.revoke-old', 'token.generate']);
  });
});

describe('AuditListQuery', () => {
  it('validates every filter and refuses a range that ends before it starts', () => {
    expect(AuditListQuery.safeParse({ limit: 10, actions: ['token.revoke'], search: ' x ' }).success).toBe(true);
    expect(AuditListQuery.safeParse({ actions: ["x' OR 1=1"] }).success).toBe(false);
    expect(AuditListQuery.safeParse({ from: 'yesterday' }).success).toBe(false);
    expect(AuditListQuery.safeParse({ from: '2026-03-05T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' }).success).toBe(
      false,
    );
    expect(AuditListQuery.safeParse({ tokenId: 'A', extra: 1 }).success).toBe(false);
  });
});
