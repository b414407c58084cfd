/**
 * Bulk rotation with a live check (issue 16 item 2) through the real service: real SQLite, the real
 * OS keychain (a private GNOME Keyring under `npm test`), the fake Vault over HTTPS, real files and
 * child processes for deliveries.
 *
 * - The check passes: replacements generated with the same name, user and lifetime, stored,
 *   delivered (inherited dotenv target), checked with a Bearer call signed with the new value, and
 *   the old tokens revoked; one Vault's tokens one after the other, another Vault's alongside.
 * - The fake refuses the new token (only calls signed with an API access token): the rotation
 *   stops at "verify", nothing is revoked, both tokens stay listed and active.
 * - A failing delivery stops before the check and the revoke.
 * - A Vault whose burst budget runs low: each request waits first (the pause is recorded, not slept).
 *
 * Run alone:
 *   dbus-run-session -- bash test/with-keyring.sh npx vitest run -c test/vitest.config.mts test/integration/bulk-rotation.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAppContext, type AppContext } from '../../electron/app/app-context';
import { memorySink, silentLogger } from '../../electron/log';
import { BulkRotation } from '../../electron/tokens/bulk-rotation';
import { AuditRepo } from '../../electron/store/audit-repo';
import { systemClock } from '../../shared/clock';
import { ConnectionCreate } from '../../shared/schemas';
import { contract, type EventMap } from '../../shared/contract';
import { MAX_ROTATION_TOKENS, type RotationProgress } from '../../shared/contract/rotation';
import type { TokenRow } from '../../shared/tokens';
import { startFakeVault, type FakeUserSeed, type FakeVault } from '../fake-vault/index';
import { createTrustingFetch } from '../fake-vault/https-fetch';
import { realKeychain } from '../helpers/keychain';
import { tempDir } from '../helpers/temp-dir';
import { keychainContextOptions } from '../helpers/context';

const keychain = await realKeychain();
const DAY = 86_400_000;
/** Unusual ids, so that cleanup never touches another suite's keychain items. */
const VAULT_A = 918_601;
const VAULT_B = 918_602;
const ADMIN = 71_601;
const NORA = 71_602;
const PASSWORD = `Rotate-Pw-${Math.random().toString(36).slice(2)}!`;
/** The admin who signs in on every Vault of these tests and may rotate anyone's tokens. */
const ADMIN_SEED: FakeUserSeed = {
  id: ADMIN,
  username: 'rot.admin@acme.com',
  password: PASSWORD,
  securityProfile: 'vault_owner__v',
  vaults: 'all',
};

describe.skipIf(!keychain.available)('bulk rotation (real SQLite, real keychain, fake Vault)', () => {
  let fake: FakeVault;
  let ctx: AppContext;
  const dir = tempDir('vtd-bulk-rotation-');
  const work = join(dir.path, 'work');
  const logs = memorySink();
  const progress: RotationProgress[] = [];
  const connectionIds: Record<'A' | 'B', string> = { A: '', B: '' };

  const plant = (vault: number, user: number, name: string, lifetimeDays: number, daysLeft: number) =>
    fake.state.createToken({
      vault,
      user,
      name,
      createdAt: new Date(Date.now() - (lifetimeDays - daysLeft) * DAY),
      expiresAt: new Date(Date.now() + daysLeft * DAY),
    });
  const row = (connectionId: string, tokenId: string): TokenRow => {
    const found = ctx.tokensRepo.getByTokenId(connectionId, tokenId, new Date());
    if (!found) throw new Error(`no row for ${tokenId}`);
    return found;
  };
  const rotate = (input: unknown) => ctx.service.rotateMany(contract['tokens:rotate-many'].request.parse(input));
  const fakeStatus = (tokenId: string) => fake.state.getToken(tokenId)?.status;
  const tokenCalls = () => fake.requestLog.filter((e) => e.auth === 'token' && e.path.endsWith('/objects/users/me'));

  beforeAll(async () => {
    mkdirSync(work, { recursive: true });
    fake = await startFakeVault({
      vaults: [
        { id: VAULT_A, name: 'Acme QualityDocs' },
        { id: VAULT_B, name: 'Acme RIM' },
      ],
      users: [ADMIN_SEED, { id: NORA, username: 'nora@acme.com', password: PASSWORD, vaults: 'all' }],
    });
    ctx = createAppContext({
      ...keychainContextOptions({ dataDir: join(dir.path, 'data'), secrets: keychain.store, sink: logs.sink, fake }),
      vaultTimeoutMs: 10_000,
      revealGate: async () => true,
      emit: <E extends keyof EventMap>(event: E, payload: EventMap[E]) => {
        if (event === 'tokens:rotate-progress') progress.push(payload as RotationProgress);
      },
    });
    for (const [key, vault] of [
      ['A', 0],
      ['B', 1],
    ] as const) {
      connectionIds[key] = (
        await ctx.connections.create(
          ConnectionCreate.parse({
            name: fake.vaults[vault]!.name,
            dns: fake.vaults[vault]!.dns,
            username: 'rot.admin@acme.com',
            rememberSecret: true,
            secret: PASSWORD,
          }),
        )
      ).id;
    }
  });

  afterAll(async () => {
    try {
      await ctx?.close();
      await fake?.close();
      for (const account of await keychain.store.list())
        if (account.includes(`/${VAULT_A}/`) || account.includes(`/${VAULT_B}/`)) await keychain.store.delete(account);
    } finally {
      dir.cleanup();
    }
  });

  it('rotates everything expiring within N days: same name, user and lifetime; delivered, checked, old revoked', async () => {
    const etl = plant(VAULT_A, ADMIN, 'Nightly ETL', 90, 5);
    const boomi = plant(VAULT_A, NORA, 'Boomi', 30, 3);
    const rim = plant(VAULT_B, ADMIN, 'RIM export', 60, 10);
    const later = plant(VAULT_B, ADMIN, 'Not due', 90, 60);
    const synced = await ctx.service.syncTokens({});
    expect(
      synced.every((s) => s.ok),
      JSON.stringify(synced),
    ).toBe(true);

    // The dotenv target is on the old token: the replacement inherits it and writes its own value.
    const envPath = join(work, 'etl.env');
    writeFileSync(envPath, '# ETL\nVAULT_TOKEN=old\nBATCH=5\n');
    await ctx.service.addDelivery(
      contract['deliveries:add'].request.parse({
        rowId: row(connectionIds.A, etl.id).rowId,
        target: { kind: 'dotenv', path: envPath, key: 'VAULT_TOKEN' },
      }),
    );
    // Vault A answers generate slowly: Vault B's rotation must not wait for it.
    fake.faults.inject(
      { vaultId: VAULT_A, path: /api_access_token__sys$/, method: 'POST' },
      { kind: 'latency', ms: 1500 },
      { times: 1 },
    );

    const preview = await ctx.service.previewRotation({ selection: { expiringWithinDays: 14 } });
    expect(preview.map((o) => o.tokenId).sort()).toEqual([etl.id, boomi.id, rim.id].sort());
    progress.length = 0;
    const run = await rotate({ selection: { expiringWithinDays: 14 }, deliver: true });

    expect(run, JSON.stringify(run.outcomes)).toMatchObject({ rotated: 3, failed: 0, skipped: 0 });
    // Soonest first.
    expect(run.outcomes.map((o) => o.tokenId)).toEqual([boomi.id, etl.id, rim.id]);
    for (const o of run.outcomes) {
      expect(o).toMatchObject({ state: 'done', oldRevoked: true, message: null });
      expect(o.stepsDone).toEqual(['generate', 'store', 'deliver', 'verify', 'revoke']);
      expect(fakeStatus(o.tokenId)).not.toBe('active');
      expect(fakeStatus(o.replacementTokenId!)).toBe('active');
      const connectionId = o.connectionId!;
      const replacement = row(connectionId, o.replacementTokenId!);
      const old = row(connectionId, o.tokenId);
      expect(old.status).toBe('revoked');
      expect(replacement).toMatchObject({ name: old.name, userId: old.userId, secretStored: true, status: 'active' });
      expect(old.replacedBy?.tokenId).toBe(replacement.tokenId);
    }
    expect(fakeStatus(later.id)).toBe('active');

    // Same lifetime rule: Boomi lived 30 days, so its replacement expires about 30 days from now.
    const boomiNew = fake.state.getToken(run.outcomes[0]!.replacementTokenId!)!;
    const daysLeft = (boomiNew.expiresAt!.getTime() - Date.now()) / DAY;
    expect(daysLeft).toBeGreaterThan(29);
    expect(daysLeft).toBeLessThan(32);
    expect(fake.state.getToken(run.outcomes[0]!.replacementTokenId!)!.userId).toBe(NORA);

    // Delivered: the file holds the replacement's value, its other lines untouched.
    const etlOutcome = run.outcomes[1]!;
    expect(etlOutcome.delivered).toBe(1);
    const value = await ctx.tokens.valueForMain(etlOutcome.replacementRowId!);
    expect(readFileSync(envPath, 'utf8')).toBe(`# ETL\nVAULT_TOKEN=${value}\nBATCH=5\n`);
    expect(ctx.deliveries.list(etlOutcome.replacementRowId!)).toHaveLength(1);
    expect(ctx.deliveries.list(etlOutcome.rowId)).toHaveLength(0);

    // Checked: one GET /objects/users/me signed with each new token, as `Bearer` (the fake refuses raw tokens).
    expect(tokenCalls()).toHaveLength(3);

    // One Vault's tokens one after the other; the other Vault's alongside, not behind the slow one.
    const events = progress.map((p) => `${p.outcome.tokenId}:${p.outcome.state}:${p.outcome.stepsDone.length}`);
    const at = (e: string) => events.indexOf(e);
    expect(at(`${boomi.id}:done:5`)).toBeLessThan(at(`${etl.id}:running:0`));
    expect(at(`${rim.id}:done:5`)).toBeLessThan(at(`${boomi.id}:running:1`));

    const audited = (await ctx.service.listAudit({ limit: 200 })).map((e) => `${e.action} ${e.tokenId ?? ''}`);
    for (const o of run.outcomes) {
      for (const action of ['token.rotate.replacement', 'token.rotate.verify', 'token.rotate.revoke-old'])
        expect(
          audited.some((a) => a.startsWith(action) && (a.endsWith(o.tokenId) || a.endsWith(o.replacementTokenId!))),
        ).toBe(true);
    }
    expect(audited.some((a) => a.startsWith('token.deliver '))).toBe(true);
    expect(audited.some((a) => a.startsWith('tokens.rotate-many'))).toBe(true);
  });

  it('the fake refuses the new token: stops at "verify", nothing revoked, both tokens listed', async () => {
    const old = plant(VAULT_A, ADMIN, 'Refused replacement', 90, 4);
    await ctx.service.syncTokens({ connectionIds: [connectionIds.A] });
    const rule = fake.faults.inject({ path: '/objects/users/me', auth: 'token' }, { kind: 'invalidSession' });
    try {
      const run = await rotate({ selection: { rowIds: [row(connectionIds.A, old.id).rowId] }, deliver: true });
      const [o] = run.outcomes;
      expect(run).toMatchObject({ rotated: 0, failed: 1 });
      expect(o).toMatchObject({
        state: 'failed',
        step: 'verify',
        oldRevoked: false,
        vaultErrorType: 'INVALID_SESSION_ID',
      });
      expect(o!.stepsDone).toEqual(['generate', 'store', 'deliver']);
      expect(o!.message).toMatch(/Checking the replacement/);
      expect(o!.advice).toMatch(new RegExp(`${old.id} is still active`));
      expect(rule.hits).toBe(1);
      expect(fakeStatus(old.id)).toBe('active');
      expect(fakeStatus(o!.replacementTokenId!)).toBe('active');
      expect(row(connectionIds.A, old.id).status).not.toBe('revoked');
      expect(row(connectionIds.A, o!.replacementTokenId!).status).toBe('active');
      // The connection's own saved password was not taken for refused.
      expect(ctx.connections.require(connectionIds.A).secretRefused).toBeFalsy();
      const audited = (await ctx.service.listAudit({ limit: 50 })).map((e) => e.action);
      expect(audited).toContain('token.rotate.verify.failed');
      expect(audited).toContain('token.rotate.failed');
    } finally {
      fake.faults.remove(rule);
    }
  });

  it('a failing delivery stops before the check and the revoke', async () => {
    const old = plant(VAULT_B, ADMIN, 'Delivery fails', 90, 2);
    await ctx.service.syncTokens({ connectionIds: [connectionIds.B] });
    const rowId = row(connectionIds.B, old.id).rowId;
    await ctx.service.addDelivery(
      contract['deliveries:add'].request.parse({
        rowId,
        target: {
          kind: 'command',
          argv: [process.execPath, '-e', 'process.stderr.write("no such secret store"); process.exit(3)'],
        },
      }),
    );
    const checksBefore = tokenCalls().length;
    const run = await rotate({ selection: { rowIds: [rowId] }, deliver: true });
    const [o] = run.outcomes;
    expect(o).toMatchObject({ state: 'failed', step: 'deliver', oldRevoked: false, delivered: 1 });
    expect(o!.message).toMatch(/1 of 1 deliveries failed/);
    expect(o!.advice).toMatch(/Deliver now/);
    expect(tokenCalls().length).toBe(checksBefore);
    expect(fakeStatus(old.id)).toBe('active');
    expect(fakeStatus(o!.replacementTokenId!)).toBe('active');
    expect(row(connectionIds.B, old.id).status).not.toBe('revoked');
  });

  it('without deliveries asked for, a token with delivery targets is skipped: nothing generated, nothing revoked', async () => {
    const old = plant(VAULT_B, ADMIN, 'Feeds an integration', 90, 2);
    await ctx.service.syncTokens({ connectionIds: [connectionIds.B] });
    const rowId = row(connectionIds.B, old.id).rowId;
    await ctx.service.addDelivery(
      contract['deliveries:add'].request.parse({
        rowId,
        target: { kind: 'command', argv: [process.execPath, '-e', 'process.stdin.resume()'] },
      }),
    );
    const tokensBefore = fake.state.listTokens().length;
    const run = await rotate({ selection: { rowIds: [rowId] }, deliver: false });
    const [o] = run.outcomes;
    expect(o).toMatchObject({ state: 'skipped', oldRevoked: false, replacementTokenId: null, stepsDone: [] });
    expect(o!.message).toMatch(/^Has 1 delivery target, and deliveries were not asked for/);
    expect(o!.advice).toMatch(/--deliver/);
    expect(fake.state.listTokens()).toHaveLength(tokensBefore);
    expect(fakeStatus(old.id)).toBe('active');
    expect(ctx.deliveries.list(rowId)).toHaveLength(1);
  });

  it('skips what cannot be rotated, and never logs a value', async () => {
    const run = await rotate({ selection: { rowIds: [987_654_321] }, deliver: false });
    expect(run.outcomes[0]).toMatchObject({ state: 'skipped', message: 'Not in the inventory any more.' });
    const text = JSON.stringify(logs.records);
    expect(text).not.toMatch(/veeva-vault-[A-Za-z0-9]{8,}/);
    expect(text).not.toContain(PASSWORD);
  });
});

describe.skipIf(!keychain.available)('bulk rotation respects the burst limit (real keychain, fake Vault)', () => {
  const VAULT_C = 918_603;
  let fake: FakeVault;
  let ctx: AppContext;
  const dir = tempDir('vtd-bulk-burst-');
  const waits: number[] = [];

  beforeAll(async () => {
    // 30 calls per window: after five, fewer than 25 are left and each Vault request waits first.
    fake = await startFakeVault({
      vaults: [{ id: VAULT_C, name: 'Acme Safety' }],
      users: [ADMIN_SEED],
      burstLimit: 30,
    });
    ctx = createAppContext({
      dataDir: join(dir.path, 'data'),
      version: 'test',
      actor: 'tester',
      secrets: keychain.store,
      fetch: createTrustingFetch(fake.caPem),
      revealGate: async () => true,
    });
    await ctx.connections.create(
      ConnectionCreate.parse({
        name: 'Acme Safety',
        dns: fake.vaults[0]!.dns,
        username: 'rot.admin@acme.com',
        rememberSecret: true,
        secret: PASSWORD,
      }),
    );
  });

  afterAll(async () => {
    try {
      await ctx?.close();
      await fake?.close();
      for (const account of await keychain.store.list())
        if (account.includes(`/${VAULT_C}/`)) await keychain.store.delete(account);
    } finally {
      dir.cleanup();
    }
  });

  it('pauses before a Vault request when the budget Vault reports is nearly spent, and still rotates all', async () => {
    for (const name of ['Safety one', 'Safety two', 'Safety three'])
      fake.state.createToken({
        vault: VAULT_C,
        user: ADMIN,
        name,
        createdAt: new Date(Date.now() - 20 * DAY),
        expiresAt: new Date(Date.now() + 10 * DAY),
      });
    expect((await ctx.service.syncTokens({}))[0]!.ok).toBe(true);
    const rotation = new BulkRotation({
      tokens: ctx.tokens,
      tokensRepo: ctx.tokensRepo,
      deliveries: ctx.deliveries,
      connections: ctx.connections,
      gateway: ctx.gateway,
      audit: new AuditRepo(ctx.db, 'tester'),
      clock: systemClock,
      logger: silentLogger,
      expiringSoonDays: () => 14,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    const run = await rotation.rotateMany(
      contract['tokens:rotate-many'].request.parse({ selection: { expiringWithinDays: 14 }, deliver: false }),
    );
    expect(run, JSON.stringify(run.outcomes)).toMatchObject({ rotated: 3, failed: 0 });
    expect(waits.length).toBeGreaterThan(0);
    for (const ms of waits) expect(ms).toBeGreaterThanOrEqual(1000);
  });

  it('refuses, before anything starts, a run with more due tokens than it may take', async () => {
    // The inventory answers as if 1,001 tokens were due; the run must say so, never cut silently.
    const crowded = Object.create(ctx.tokensRepo) as typeof ctx.tokensRepo;
    crowded.query = (...args) => ({ ...ctx.tokensRepo.query(...args), rows: [], total: MAX_ROTATION_TOKENS + 1 });
    const rotation = new BulkRotation({
      tokens: ctx.tokens,
      tokensRepo: crowded,
      deliveries: ctx.deliveries,
      connections: ctx.connections,
      gateway: ctx.gateway,
      audit: new AuditRepo(ctx.db, 'tester'),
      clock: systemClock,
      logger: silentLogger,
      expiringSoonDays: () => 14,
    });
    const request = contract['tokens:rotate-many'].request.parse({
      selection: { expiringWithinDays: 14 },
      deliver: false,
    });
    await expect(rotation.rotateMany(request)).rejects.toThrow(
      /^1001 tokens expire within 14 days; one run rotates at most 1000\. Choose fewer days/,
    );
    expect(() => rotation.preview(request.selection)).toThrow(/one run rotates at most 1000/);
  });
});
