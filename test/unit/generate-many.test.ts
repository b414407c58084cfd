/**
 * Generate across Vaults (electron/tokens/generate-many.ts): the service over the fake Vault
 * (in-process HTTPS, which enforces the documented 25 active tokens per user, docs/vault-api.md
 * §1.1), an in-memory keychain and a temp SQLite file.
 *  - checkOnly runs every Vault's guard rails and sends nothing to Vault's generate endpoint;
 *  - one Vault at its 25-token limit is refused before the call, one whose generate Vault refuses
 *    fails, and neither undoes the others, whose tokens are minted, stored and listed;
 *  - a limit the inventory did not know about yet (no sync) is enforced by Vault and reported;
 *  - connections to one Vault go one after another, different Vaults in parallel;
 *  - twelve fresh values can each be revealed and copied once despite the 10-a-minute limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenerateManyRequest } from '../../shared/contract/tokens';
import type { Connection } from '../../shared/domain';
import type { GenerateManyOutcome } from '../../shared/tokens';
import { startFakeVault, MAX_ACTIVE_TOKENS } from '../fake-vault/index';
import { createTrustingFetch } from '../fake-vault/https-fetch';
import type { FakeVault } from '../fake-vault/types';
import { testContext } from '../helpers/context';
import { addPasswordConnections } from '../helpers/connections';

const PASSWORD = 'Many-Vaults-Pass-1';
const ADMIN = 8100;
const VAULTS = Array.from({ length: 12 }, (_, i) => ({ id: 8000 + i, name: `Client ${i} QA` }));
const FULL = VAULTS[1]!; // the admin already holds 25 active tokens here
const FAILING = VAULTS[2]!; // Vault refuses the generate
const STALE = VAULTS[3]!; // 25 tokens that the inventory has not synced yet
const GEN_PATH = /\/objects\/users\/me\/api_access_token__sys$/;

describe('GenerateMany over the fake Vault', () => {
  let fake: FakeVault;
  let ctx: ReturnType<typeof testContext>;
  const conn = new Map<number, Connection>();
  const ids = (...vaults: { id: number }[]) => vaults.map((v) => conn.get(v.id)!.id);
  const minted = (name: string) =>
    fake.state
      .listTokens()
      .filter((t) => t.name === name)
      .map((t) => t.vaultId)
      .sort();
  const run = (input: unknown) => ctx.service.generateMany(GenerateManyRequest.parse(input));
  const byVault = (outcomes: GenerateManyOutcome[], vault: { id: number }) =>
    outcomes.find((o) => o.connectionId === conn.get(vault.id)!.id)!;

  beforeAll(async () => {
    fake = await startFakeVault({
      authBurstLimit: 10_000,
      vaults: VAULTS,
      users: [
        {
          id: ADMIN,
          username: 'many@example.com',
          password: PASSWORD,
          securityProfile: 'vault_owner__v',
          vaults: 'all',
        },
      ],
      tokens: [FULL, STALE].flatMap((v) =>
        Array.from({ length: MAX_ACTIVE_TOKENS }, (_, i) => ({ vault: v.id, user: ADMIN, name: `Busy ${i}` })),
      ),
    });
    ctx = testContext({ fetch: createTrustingFetch(fake.caPem), vaultTimeoutMs: 5_000 });
    const made = await addPasswordConnections(ctx, fake.vaults, { username: 'many@example.com', password: PASSWORD });
    fake.vaults.forEach((v, i) => conn.set(v.id, made[i]!));
    // Sync everything but STALE: the inventory knows FULL holds 25 active tokens.
    const synced = await ctx.service.syncTokens({ connectionIds: ids(...VAULTS.filter((v) => v !== STALE)) });
    expect(synced.filter((o) => !o.ok)).toEqual([]);
  }, 120_000);

  afterAll(async () => {
    await ctx?.cleanup();
    await fake?.close();
  });

  it('refuses an empty, repeated or oversized list of Vaults before anything runs', () => {
    const base = { name: 'x', expiry: { kind: 'never' } };
    expect(GenerateManyRequest.safeParse({ ...base, connectionIds: [] }).success).toBe(false);
    const twice = GenerateManyRequest.safeParse({ ...base, connectionIds: ['a', 'a'] });
    expect(twice.error?.issues[0]?.message).toBe('Each Vault may be chosen once.');
    expect(GenerateManyRequest.safeParse({ ...base, connectionIds: ['a'], target: { kind: 'me' } }).success).toBe(
      false,
    );
  });

  it('checkOnly checks the limit and the expiry per Vault and sends nothing to generate', async () => {
    const before = fake.state.listTokens().length;
    const outcomes = await run({
      connectionIds: ids(VAULTS[0]!, FULL, VAULTS[4]!),
      name: 'Preflight only',
      expiry: { kind: 'date', date: '2031-01-31' },
      checkOnly: true,
    });
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(byVault(outcomes, VAULTS[0]!)).toMatchObject({ tokenId: null, generated: null, activeCount: 0 });
    expect(byVault(outcomes, FULL)).toMatchObject({
      activeCount: 25,
      error: { code: 'GUARD', stage: 'check', needsSecret: false, message: expect.stringMatching(/25 active tokens/) },
    });
    expect(fake.state.listTokens()).toHaveLength(before);
    expect(minted('Preflight only')).toEqual([]);

    // The expiry rule, per Vault: a past date refuses every one of them.
    const past = await run({
      connectionIds: ids(VAULTS[0]!, VAULTS[4]!),
      name: 'Past',
      expiry: { kind: 'datetime', iso: '2001-01-01T00:00:00Z' },
      checkOnly: true,
    });
    expect(past.map((o) => [o.ok, o.error?.message])).toEqual([
      [false, 'The expiry is in the past. Pick a later date or time.'],
      [false, 'The expiry is in the past. Pick a later date or time.'],
    ]);
    // Nothing happened, so nothing is in Activity.
    const audit = await ctx.service.listAudit({ limit: 50 });
    expect(audit.some((a) => a.action.startsWith('token.generate-many'))).toBe(false);
  });

  it('one Vault at its limit and one failing never undo the others: stored, listed and audited', async () => {
    fake.faults.inject(
      { vaultId: FAILING.id, method: 'POST', path: GEN_PATH },
      { kind: 'vaultError', type: 'INSUFFICIENT_ACCESS', message: 'Not allowed here.' },
      { times: 1 },
    );
    const chosen = [VAULTS[0]!, FULL, FAILING, VAULTS[4]!, VAULTS[5]!];
    const outcomes = await run({
      connectionIds: ids(...chosen),
      name: 'Across Vaults',
      expiry: { kind: 'date', date: '2031-01-31' },
    });
    expect(outcomes.map((o) => o.connectionName)).toEqual(chosen.map((v) => v.name));
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, false, true, true]);
    expect(byVault(outcomes, FULL).error).toMatchObject({ code: 'GUARD', stage: 'check' });
    expect(byVault(outcomes, FAILING).error).toMatchObject({
      code: 'VAULT',
      stage: 'generate',
      vaultErrorType: 'INSUFFICIENT_ACCESS',
    });
    expect(minted('Across Vaults')).toEqual([VAULTS[0]!.id, VAULTS[4]!.id, VAULTS[5]!.id]);

    for (const o of outcomes.filter((x) => x.ok)) {
      expect(o.tokenId).toBe(o.generated!.token.tokenId);
      expect(o.generated).toMatchObject({ secretStored: true, token: { name: 'Across Vaults', status: 'active' } });
      expect(o.activeCount).toBe(1);
      // The value is in the keychain under its Vault, not in the outcome.
      const vaultId = o.generated!.token.vaultId!;
      expect(await ctx.secrets.get(`token/${vaultId}/${o.tokenId}`)).toMatch(/^veeva-vault-/);
      expect(JSON.stringify(o)).not.toMatch(/veeva-vault-/);
    }
    const listed = await ctx.service.queryTokens({ search: 'Across Vaults', offset: 0, limit: 50 });
    expect(listed.rows.map((r) => r.connectionName).sort()).toEqual(
      [VAULTS[0]!, VAULTS[4]!, VAULTS[5]!].map((v) => v.name).sort(),
    );

    const audit = await ctx.service.listAudit({ limit: 50 });
    expect(audit.filter((a) => a.action === 'token.generate-many')).toHaveLength(3);
    const failed = audit.filter((a) => a.action === 'token.generate-many.failed');
    expect(failed.map((a) => a.connectionName).sort()).toEqual([FULL.name, FAILING.name].sort());
  });

  it('a limit the inventory had not seen (no sync yet) is enforced by Vault and reported for that Vault only', async () => {
    const outcomes = await run({
      connectionIds: ids(STALE, VAULTS[6]!),
      name: 'Stale inventory',
      expiry: { kind: 'never' },
    });
    expect(outcomes[0]).toMatchObject({
      ok: false,
      error: { code: 'VAULT', stage: 'generate', vaultErrorType: 'OPERATION_NOT_ALLOWED' },
    });
    expect(outcomes[1]).toMatchObject({ ok: true });
    expect(minted('Stale inventory')).toEqual([VAULTS[6]!.id]);
    expect(fake.state.listTokens({ vault: STALE.id, status: 'active' })).toHaveLength(MAX_ACTIVE_TOKENS);
  });

  it('a connection that is gone is reported, and the rest still generate', async () => {
    const outcomes = await run({
      connectionIds: ['no-such-connection', ...ids(VAULTS[7]!)],
      name: 'One missing',
      expiry: { kind: 'never' },
    });
    expect(outcomes.map((o) => [o.connectionId, o.ok, o.error?.code ?? null])).toEqual([
      ['no-such-connection', false, 'NOT_FOUND'],
      [conn.get(VAULTS[7]!.id)!.id, true, null],
    ]);
  });

  it('twelve fresh values: each revealed and copied once though at most 10 values a minute are shown', async () => {
    const outcomes = await run({ connectionIds: ids(...VAULTS), name: 'Twelve at once', expiry: { kind: 'never' } });
    const fresh = outcomes.filter((o) => o.ok);
    // All but the full, and the stale Vault (which Vault refused before).
    expect(fresh).toHaveLength(10);
    const extra = await run({ connectionIds: ids(FAILING, STALE), name: 'Twelve at once', expiry: { kind: 'never' } });
    expect(extra.map((o) => o.ok)).toEqual([true, false]);
    const rows = [...fresh, extra[0]!].map((o) => o.generated!.token.rowId);
    const more = await run({ connectionIds: ids(VAULTS[8]!), name: 'Twelfth', expiry: { kind: 'never' } });
    rows.push(more[0]!.generated!.token.rowId);
    expect(rows).toHaveLength(12);

    for (const rowId of rows) {
      expect((await ctx.service.revealToken({ rowId })).value).toMatch(/^veeva-vault-/);
      await ctx.service.copyToken({ rowId });
    }
    // A second reveal of a fresh value is metered again: ten pass, the eleventh waits.
    for (const rowId of rows.slice(0, 10)) await ctx.service.revealToken({ rowId });
    await expect(ctx.service.revealToken({ rowId: rows[10]! })).rejects.toMatchObject({
      code: 'GUARD',
      message: expect.stringMatching(/At most 10 .* per minute/),
    });
  });
});

describe('GenerateMany lanes', () => {
  it('runs connections to one Vault one after another, and different Vaults in parallel', async () => {
    const { GenerateMany } = await import('../../electron/tokens/generate-many');
    const connections = [
      { id: 'a1', name: 'A one', dns: 'a.example.com' },
      { id: 'a2', name: 'A two', dns: 'A.example.com' },
      { id: 'b', name: 'B', dns: 'b.example.com' },
      { id: 'c', name: 'C', dns: 'c.example.com' },
    ];
    let running = 0;
    let peak = 0;
    const overlapping = new Set<string>();
    const inFlight = new Set<string>();
    const tokens = {
      async checkGenerate(req: { connectionId: string }) {
        const dns = connections.find((c) => c.id === req.connectionId)!.dns.toLowerCase();
        if (inFlight.has(dns)) overlapping.add(dns);
        inFlight.add(dns);
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        inFlight.delete(dns);
        return {};
      },
      activeCountOfLoginUser: () => null,
    };
    const many = new GenerateMany({
      tokens: tokens as never,
      connections: { list: () => connections } as never,
      audit: { record: () => undefined } as never,
      clock: { now: () => new Date() },
      logger: { warn: () => undefined } as never,
      concurrency: 3,
    });
    const outcomes = await many.run({
      connectionIds: ['a1', 'a2', 'b', 'c'],
      name: 'Lanes',
      expiry: { kind: 'never' },
      checkOnly: true,
    });
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, true]);
    expect(overlapping.size).toBe(0);
    expect(peak).toBe(3);
  });
});
