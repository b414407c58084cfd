/**
 * Nudges (issue 16, item 4): which tokens are stale (not used for N days, N from Settings) and
 * which never expire, on a fake clock: the pure rule (shared/nudges.ts), and main's SQL answering
 * `tokens:query` with the same sets, combined with the other filters.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionCreate } from '../../shared/schemas';
import { isStale, neverExpires, staleCutoff, type NudgeFacts } from '../../shared/nudges';
import type { TokenLifecycle } from '../../shared/token-status';
import { SettingsPatch } from '../../shared/contract/reminders';
import { InventoryQuerySchema } from '../../shared/token-schemas';
import type { InventoryQuery } from '../../shared/tokens';
import { ManualClock } from '../fake-vault/clock';
import { testContext } from '../helpers/context';

const DAY = 86_400_000;
const START = '2030-01-10T12:00:00.000Z';

function facts(clock: ManualClock, over: Partial<NudgeFacts> & { usedDaysAgo?: number; madeDaysAgo?: number }) {
  const ago = (days: number | undefined) =>
    days === undefined ? null : new Date(clock.now().getTime() - days * DAY).toISOString();
  return {
    lifecycle: 'active' as TokenLifecycle,
    expiresAt: null,
    lastUsedAt: ago(over.usedDaysAgo),
    createdAt: ago(over.madeDaysAgo),
    firstSeenAt: clock.now().toISOString(),
    ...over,
  };
}

describe('the staleness rule', () => {
  const clock = new ManualClock(START);

  it('is stale once the last use is the set number of days ago, not a millisecond before', () => {
    expect(isStale(facts(clock, { usedDaysAgo: 89 }), clock.now(), 90)).toBe(false);
    expect(isStale(facts(clock, { usedDaysAgo: 90 }), clock.now(), 90)).toBe(true);
    const used = facts(clock, { lastUsedAt: new Date(clock.now().getTime() - 90 * DAY + 1).toISOString() });
    expect(isStale(used, clock.now(), 90)).toBe(false);
    expect(isStale(used, new Date(clock.now().getTime() + 1), 90)).toBe(true);
    expect(isStale(facts(clock, { usedDaysAgo: 31 }), clock.now(), 30)).toBe(true);
  });

  it('counts a token never used as stale only once it is older than the set days', () => {
    expect(isStale(facts(clock, { madeDaysAgo: 10 }), clock.now(), 90)).toBe(false);
    expect(isStale(facts(clock, { madeDaysAgo: 120 }), clock.now(), 90)).toBe(true);
    // Vault's listing has no creation date: the age runs from when this app first saw the token.
    const seenLongAgo = facts(clock, { firstSeenAt: new Date(clock.now().getTime() - 91 * DAY).toISOString() });
    expect(isStale(seenLongAgo, clock.now(), 90)).toBe(true);
    expect(isStale(facts(clock, {}), clock.now(), 90)).toBe(false);
    // A recent use wins over an old creation.
    expect(isStale(facts(clock, { madeDaysAgo: 400, usedDaysAgo: 2 }), clock.now(), 90)).toBe(false);
  });

  it('never nudges revoked or expired tokens', () => {
    const old = { usedDaysAgo: 200 };
    expect(isStale(facts(clock, { ...old, lifecycle: 'revoked' }), clock.now(), 90)).toBe(false);
    const expired = { ...old, expiresAt: new Date(clock.now().getTime() - 1).toISOString() };
    expect(isStale(facts(clock, expired), clock.now(), 90)).toBe(false);
    const later = { ...old, expiresAt: new Date(clock.now().getTime() + DAY).toISOString() };
    expect(isStale(facts(clock, later), clock.now(), 90)).toBe(true);
    expect(neverExpires({ lifecycle: 'active', expiresAt: null }, clock.now())).toBe(true);
    expect(neverExpires({ lifecycle: 'revoked', expiresAt: null }, clock.now())).toBe(false);
    expect(neverExpires({ lifecycle: 'active', expiresAt: later.expiresAt }, clock.now())).toBe(false);
  });

  it('measures days as 24-hour periods back from now', () => {
    expect(staleCutoff(new Date(START), 90)).toBe('2029-10-12T12:00:00.000Z');
  });
});

describe('stale and never-expiring tokens in tokens:query', () => {
  let ctx: ReturnType<typeof testContext> | null = null;
  afterEach(async () => {
    await ctx?.cleanup();
    ctx = null;
  });

  async function seed() {
    const clock = new ManualClock(START);
    ctx = testContext({ clock: { now: clock.now } });
    const rows: { name: string; rowId: number }[] = [];
    for (const [c, dns] of [
      ['Acme QA', 'acme-qa.veevavault.com'],
      ['Globex PROD', 'globex.veevavault.com'],
    ] as const) {
      const conn = await ctx.connections.create(ConnectionCreate.parse({ name: c, dns, username: `me@${dns}` }));
      let n = 0;
      const add = (name: string, expiresAt: string | null) => {
        n += 1;
        const rowId = ctx!.tokensRepo.insertGenerated({
          connectionId: conn.id,
          connectionName: conn.name,
          vaultId: c === 'Acme QA' ? 1 : 2,
          vaultDns: dns,
          tokenId: `0PI${c.length}${String(n).padStart(10, '0')}`,
          name: `${name} ${c}`,
          userId: '61603',
          userName: 'me',
          expiresAt,
          at: clock.now().toISOString(),
        });
        rows.push({ name: `${name} ${c}`, rowId });
        return rowId;
      };
      const future = '2031-01-01T00:00:00Z';
      add('old-never-used', future);
      add('never-expires-idle', null);
      add('recent', future);
      add('used-long-ago', future);
      add('used-long-ago-revoked', future);
      add('expires-soon', '2030-05-20T00:00:00Z');
    }
    // Four months pass. Vault reports uses (set here as a sync would have written them).
    clock.advance(120 * DAY);
    const usedAgo = (days: number) => new Date(clock.now().getTime() - days * DAY).toISOString();
    const set = ctx.db.prepare('UPDATE tokens SET last_used_at = ? WHERE name LIKE ?');
    set.run(usedAgo(1), 'recent %');
    set.run(usedAgo(100), 'used-long-ago%');
    set.run(usedAgo(45), 'expires-soon %');
    ctx.tokensRepo.markRevoked(
      rows.filter((r) => r.name.startsWith('used-long-ago-revoked')).map((r) => r.rowId),
      clock.now().toISOString(),
    );
    return { ctx, clock };
  }

  const query = (c: NonNullable<typeof ctx>, over: Omit<InventoryQuery, 'offset' | 'limit'>) =>
    c.service.queryTokens(InventoryQuerySchema.parse({ limit: 100, ...over }));
  const names = (page: { rows: { name: string }[] }) => page.rows.map((r) => r.name.split(' ')[0]).sort();

  it('answers the stale set from Settings, and the SQL agrees with the rule on every row', async () => {
    const { ctx, clock } = await seed();
    const stale = await query(ctx, { stale: true });
    expect(new Set(names(stale))).toEqual(new Set(['old-never-used', 'never-expires-idle', 'used-long-ago']));
    expect(stale.total).toBe(6);
    expect(stale.statusCounts).toEqual({ active: 6, expiring: 0, expired: 0, revoked: 0 });

    const raw = ctx.db
      .prepare(
        'SELECT id, lifecycle, expires_at AS expiresAt, last_used_at AS lastUsedAt, created_at AS createdAt, first_seen_at AS firstSeenAt FROM tokens',
      )
      .all() as (NudgeFacts & { id: number })[];
    for (const days of [30, 90, 119, 121]) {
      const page = await query(ctx, { stale: true, staleAfterDays: days });
      const expected = raw.filter((r) => isStale(r, clock.now(), days)).map((r) => r.id);
      expect(page.rows.map((r) => r.rowId).sort(), `${days} days`).toEqual(expected.sort());
    }

    // Settings say 30 days: the expiring token last used 45 days ago is stale too.
    await ctx.service.updateSettings({ staleAfterDays: 30 });
    expect(new Set(names(await query(ctx, { stale: true })))).toEqual(
      new Set(['old-never-used', 'never-expires-idle', 'used-long-ago', 'expires-soon']),
    );
    expect(SettingsPatch.safeParse({ staleAfterDays: 0 }).success).toBe(false);
    expect(InventoryQuerySchema.safeParse({ stale: true, staleAfterDays: 1.5 }).success).toBe(false);
  });

  it('combines the nudges with search, connection, status and each other', async () => {
    const { ctx } = await seed();
    const never = await query(ctx, { neverExpires: true });
    expect(names(never)).toEqual(['never-expires-idle', 'never-expires-idle']);
    const both = await query(ctx, { neverExpires: true, stale: true, search: 'globex' });
    expect(both.rows.map((r) => r.name)).toEqual(['never-expires-idle Globex PROD']);
    const idle = await query(ctx, { stale: true, search: 'used' });
    expect(names(idle)).toEqual(['old-never-used', 'old-never-used', 'used-long-ago', 'used-long-ago']);
    const expiring = await query(ctx, { stale: true, statuses: ['expiring'] });
    expect(expiring.total).toBe(0);
    const rowIds = idle.rows.slice(0, 1).map((r) => r.rowId);
    expect((await query(ctx, { stale: true, rowIds })).rows.map((r) => r.rowId)).toEqual(rowIds);
    const none = await query(ctx, { neverExpires: true, search: 'recent' });
    expect(none).toMatchObject({ total: 0, rows: [] });
  });
});
