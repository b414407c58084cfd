/**
 * The token lifecycle through the real service: real SQLite, the real OS
 * keychain, the fake Vault over HTTPS. Covers generate (me / user), guard
 * rails, keychain failure, sync reconcile, revoke, rotate with a failure
 * between its steps, offline review, and a log-leak check over the whole run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { createAppContext, type AppContext } from '../../electron/app/app-context';
import { createLogger, memorySink } from '../../electron/log';
import { MemoryClipboard } from '../../electron/tokens/clipboard';
import { databasePath } from '../../electron/paths';
import { ConnectionCreate } from '../../shared/schemas';
import { ExportRequest, GenerateRequest } from '../../shared/contract/tokens';
import { InventoryQuerySchema } from '../../shared/token-schemas';
import type { AppError } from '../../shared/errors';
import { startFakeVault } from '../fake-vault/index';
import { createTrustingFetch } from '../fake-vault/https-fetch';
import type { FakeVault } from '../fake-vault/types';
import { realKeychain } from '../helpers/keychain';
import { tempDir } from '../helpers/temp-dir';
import type { RevealRequest } from '../../electron/tokens/tokens-service';
import { keychainContextOptions } from '../helpers/context';

const keychain = await realKeychain();
const PASSWORD = 'Lifecycle-Passw0rd!';
const ADMIN = 700;
const NORA = 701;
const VEEVA_ID = 702;

describe.skipIf(!keychain.available)('token lifecycle (real SQLite, real keychain, fake Vault)', () => {
  let fake: FakeVault;
  let ctx: AppContext;
  let dir: ReturnType<typeof tempDir>;
  const logs = memorySink();
  const clipboard = new MemoryClipboard();
  const secretsSeen: string[] = [PASSWORD];
  let connectionId = '';
  // Stands in for the desktop app's native confirmation (electron/shell/reveal-gate.ts).
  const revealRequests: RevealRequest[] = [];

  const build = () =>
    createAppContext({
      ...keychainContextOptions({ dataDir: dir.path, secrets: keychain.store, sink: logs.sink, fake }),
      clipboard,
      vaultTimeoutMs: 3000,
      revealGate: async (request) => {
        revealRequests.push(request);
        return true;
      },
    });

  beforeAll(async () => {
    fake = await startFakeVault({
      vaults: [
        { id: 42, name: 'Acme PromoMats' },
        { id: 43, name: 'PromoMats Sandbox', sandboxOf: 42 },
      ],
      users: [
        {
          id: ADMIN,
          username: 'admin@acme.com',
          password: PASSWORD,
          securityProfile: 'vault_owner__v',
          vaults: 'all',
          timezone: 'America/New_York',
        },
        { id: NORA, username: 'nora@acme.com', password: PASSWORD, vaults: 'all', timezone: 'Europe/Oslo' },
        { id: VEEVA_ID, username: 'vid@veevaid.com', password: PASSWORD, vaults: 'all', veevaId: true },
      ],
    });
    dir = tempDir();
    ctx = build();
    const c = await ctx.connections.create(
      ConnectionCreate.parse({
        name: 'Acme PromoMats',
        dns: fake.vaults[0]!.dns,
        username: 'admin@acme.com',
        rememberSecret: true,
        secret: PASSWORD,
      }),
    );
    connectionId = c.id;
  });

  afterAll(async () => {
    await ctx?.close();
    await fake?.close();
    for (const account of await keychain.store.list()) await keychain.store.delete(account);
    dir?.cleanup();
  });

  const generate = (input: Record<string, unknown>) =>
    ctx.service.generateToken(GenerateRequest.parse({ connectionId, ...input }));
  const inFuture = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  it('tests the connection and learns the Vault', async () => {
    const result = await ctx.service.testConnection({ id: connectionId });
    expect(result).toMatchObject({ vault: { id: 42, dns: fake.vaults[0]!.dns }, user: { id: String(ADMIN) } });
  });

  it('generates for me: value in the keychain only, row in SQLite', async () => {
    const result = await generate({
      target: { kind: 'me' },
      name: 'Boomi integration',
      expiry: { kind: 'date', date: inFuture(30) },
    });
    expect(result.secretStored).toBe(true);
    expect(result.token).toMatchObject({
      name: 'Boomi integration',
      userId: String(ADMIN),
      status: 'active',
      secretStored: true,
      source: 'generated',
    });
    // Vault applied 23:59:59 in the user's time zone (New York): 04:59:59Z the next day in winter, 03:59:59Z in summer.
    expect(result.token.expiresAt).toMatch(/T0[34]:59:59\.000Z$/);
    const { value } = await ctx.service.revealToken({ rowId: result.token.rowId });
    secretsSeen.push(value);
    expect(value).toMatch(/^veeva-vault-/);
    // Generated minutes ago in this run: shown without asking (the reveal gate's fresh-value rule).
    expect(revealRequests).toEqual([]);
    expect(await keychain.store.get(`token/42/${result.token.tokenId}`)).toBe(value);
    expect(fake.state.getToken(result.token.tokenId)).toMatchObject({ name: 'Boomi integration' });
  });

  it('generates for another user and copies through main with auto-clear', async () => {
    const result = await generate({
      target: { kind: 'user', userId: String(NORA) },
      name: 'Nora reporting',
      expiry: { kind: 'datetime', iso: `${inFuture(10)}T12:00:00Z` },
    });
    expect(result.token).toMatchObject({ userId: String(NORA), expiresAt: `${inFuture(10)}T12:00:00.000Z` });
    const copy = await ctx.service.copyToken({ rowId: result.token.rowId });
    expect(copy.clearsAfterMs).toBe(30_000);
    expect(clipboard.text).toMatch(/^veeva-vault-/);
    secretsSeen.push(clipboard.text);
  });

  it('refuses bad input before calling Vault: past expiry', async () => {
    const before = fake.requestLog.length;
    await expect(
      generate({ target: { kind: 'me' }, name: 'Too late', expiry: { kind: 'date', date: '2020-01-01' } }),
    ).rejects.toMatchObject({
      code: 'GUARD',
      message: expect.stringMatching(/past/),
    });
    expect(fake.requestLog.length).toBe(before);
  });

  it("shows Vault's refusal for a VeevaID user with its error type", async () => {
    const error = (await generate({
      target: { kind: 'user', userId: String(VEEVA_ID) },
      name: 'Nope',
      expiry: { kind: 'date', date: inFuture(5) },
    }).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('VAULT');
    expect(error.vaultErrorType).toBe('OPERATION_NOT_ALLOWED');
    expect(error.message).toMatch(/Acme PromoMats/);
  });

  it('syncs: picks up a token made elsewhere, marks one deleted there as revoked', async () => {
    const outside = fake.state.createToken({
      vault: 42,
      user: NORA,
      name: 'Made in the Vault UI',
      expiresAt: new Date(Date.now() + 5 * 86_400_000),
    });
    const doomed = await generate({
      target: { kind: 'me' },
      name: 'Will vanish',
      expiry: { kind: 'date', date: inFuture(60) },
    });
    fake.state.deleteToken(doomed.token.tokenId);
    const [outcome] = await ctx.service.syncTokens({});
    expect(outcome).toMatchObject({ ok: true, added: 1 });
    const page = await ctx.service.queryTokens(InventoryQuerySchema.parse({ offset: 0, limit: 100 }));
    const byId = new Map(page.rows.map((r) => [r.tokenId, r]));
    expect(byId.get(outside.id)).toMatchObject({
      name: 'Made in the Vault UI',
      secretStored: false,
      source: 'sync',
      status: 'expiring',
    });
    expect(byId.get(doomed.token.tokenId)).toMatchObject({ status: 'revoked' });
  });

  it('generates for a sandbox: recorded against the sandbox Vault, left alone by the parent’s sync, not revocable through the parent', async () => {
    const result = await generate({
      target: { kind: 'sandbox', sandboxName: 'PromoMats Sandbox' },
      name: 'Sandbox loader',
      expiry: { kind: 'date', date: inFuture(30) },
    });
    // §1.4: the token belongs to the sandbox; its id and DNS come from the login's vaultIds.
    expect(result.token).toMatchObject({
      sandboxName: 'PromoMats Sandbox',
      vaultId: 43,
      vaultDns: fake.vaults[1]!.dns,
      secretStored: true,
    });
    const stored = await keychain.store.get(
      `connection/${connectionId}/sandbox/PromoMats Sandbox/${result.token.tokenId}`,
    );
    expect(stored).toMatch(/^veeva-vault-/);
    secretsSeen.push(stored!);
    expect(fake.state.getToken(result.token.tokenId)).toMatchObject({ vaultId: 43 });
    await ctx.service.syncTokens({});
    expect(ctx.tokens.requireRow(result.token.rowId).status).toBe('active');
    const [outcome] = await ctx.service.revokeTokens({ rowIds: [result.token.rowId] });
    expect(outcome).toMatchObject({
      ok: false,
      message: expect.stringMatching(/sandbox “PromoMats Sandbox” \(127\.0\.0\.1:\d+\)/),
    });
    expect((await ctx.service.revealToken({ rowId: result.token.rowId })).value).toBe(stored);
  });

  it('an imported "revoked" row naming a live token never deletes that token’s keychain value', async () => {
    const live = await generate({
      target: { kind: 'me' },
      name: 'Live and stored',
      expiry: { kind: 'date', date: inFuture(30) },
    });
    const account = `token/42/${live.token.tokenId}`;
    const value = await keychain.store.get(account);
    expect(value).toMatch(/^veeva-vault-/);
    secretsSeen.push(value!);
    // A file that names the live token's Vault id and token id, marked revoked.
    const exported = await ctx.service.exportTokens(
      ExportRequest.parse({ format: 'json', query: { search: live.token.tokenId } }),
    );
    const doc = JSON.parse(exported.content) as { rows: { tokenId: string; status: string; vaultId: number | null }[] };
    expect(doc.rows.map((r) => [r.tokenId, r.vaultId])).toEqual([[live.token.tokenId, 42]]);
    doc.rows[0]!.status = 'revoked';
    await ctx.service.importTokens({ content: JSON.stringify(doc), fileName: 'hostile.json' });
    const imported = (
      await ctx.service.queryTokens(
        InventoryQuerySchema.parse({ offset: 0, limit: 100, includeImported: true, search: live.token.tokenId }),
      )
    ).rows.filter((r) => r.source === 'import');
    expect(imported).toHaveLength(1);
    await ctx.service.clearRevoked({ rowIds: [imported[0]!.rowId] });
    await ctx.service.clearRevoked({});
    expect(await keychain.store.get(account)).toBe(value);
    expect((await ctx.service.revealToken({ rowId: live.token.rowId })).value).toBe(value);
    await ctx.service.clearImported(undefined);
  });

  it('once the sandbox has its own connection, its sync adopts the token (value moved, read back) and revoke works there', async () => {
    const minted = await generate({
      target: { kind: 'sandbox', sandboxName: 'PromoMats Sandbox' },
      name: 'Sandbox adopted',
      expiry: { kind: 'date', date: inFuture(30) },
    });
    const oldAccount = `connection/${connectionId}/sandbox/PromoMats Sandbox/${minted.token.tokenId}`;
    const value = await keychain.store.get(oldAccount);
    secretsSeen.push(value!);
    const sbx = await ctx.connections.create(
      ConnectionCreate.parse({
        name: 'Acme Sandbox',
        dns: fake.vaults[1]!.dns,
        username: 'admin@acme.com',
        rememberSecret: true,
        secret: PASSWORD,
      }),
    );
    const [outcome] = await ctx.service.syncTokens({ connectionIds: [sbx.id] });
    expect(outcome).toMatchObject({ ok: true });
    const row = ctx.tokens.requireRow(minted.token.rowId);
    expect(row).toMatchObject({
      connectionId: sbx.id,
      connectionName: 'Acme Sandbox',
      sandboxName: null,
      vaultId: 43,
      secretStored: true,
      status: 'active',
    });
    expect(await keychain.store.get(`token/43/${minted.token.tokenId}`)).toBe(value);
    expect(await keychain.store.get(oldAccount)).toBeNull();
    // Listed once, not twice.
    const page = await ctx.service.queryTokens(InventoryQuerySchema.parse({ offset: 0, limit: 500 }));
    expect(page.rows.filter((r) => r.tokenId === minted.token.tokenId)).toHaveLength(1);
    const [revoked] = await ctx.service.revokeTokens({ rowIds: [minted.token.rowId] });
    expect(revoked).toMatchObject({ ok: true });
    expect(fake.state.getToken(minted.token.tokenId)).toMatchObject({ status: 'deleted' });
    await ctx.connections.remove(sbx.id);
  });

  it('fills user names from the Vault user list during sync', async () => {
    const page = await ctx.service.queryTokens(
      InventoryQuerySchema.parse({ offset: 0, limit: 100, search: 'made in the vault' }),
    );
    expect(page.rows[0]?.userName).toBe('nora@acme.com');
  });

  it('refuses the 26th active token for a user from the last sync', async () => {
    for (let i = 0; i < 23; i++)
      fake.state.createToken({
        vault: 42,
        user: NORA,
        name: `filler ${i}`,
        expiresAt: new Date(Date.now() + 40 * 86_400_000),
      });
    await ctx.service.syncTokens({});
    expect(ctx.tokensRepo.activeCountForUser(connectionId, String(NORA), new Date())).toBe(25);
    const before = fake.requestLog.filter(
      (r) => r.method === 'POST' && r.path.includes('api_access_token__sys'),
    ).length;
    await expect(
      generate({
        target: { kind: 'user', userId: String(NORA) },
        name: 'One too many',
        expiry: { kind: 'date', date: inFuture(5) },
      }),
    ).rejects.toMatchObject({
      code: 'GUARD',
      message: expect.stringMatching(/25 active tokens/),
    });
    expect(fake.requestLog.filter((r) => r.method === 'POST' && r.path.includes('api_access_token__sys')).length).toBe(
      before,
    );
  });

  it('revokes one and many, per-token results, keychain items deleted', async () => {
    const a = await generate({
      target: { kind: 'me' },
      name: 'Revoke A',
      expiry: { kind: 'date', date: inFuture(20) },
    });
    const b = await generate({
      target: { kind: 'me' },
      name: 'Revoke B',
      expiry: { kind: 'date', date: inFuture(20) },
    });
    const one = await ctx.service.revokeTokens({ rowIds: [a.token.rowId] });
    expect(one).toEqual([
      { rowId: a.token.rowId, tokenId: a.token.tokenId, ok: true, message: null, vaultErrorType: null },
    ]);
    fake.state.deleteToken(b.token.tokenId); // already gone in Vault: Vault refuses that record
    const nora = (
      await ctx.service.queryTokens(InventoryQuerySchema.parse({ offset: 0, limit: 5, search: 'filler' }))
    ).rows.map((r) => r.rowId);
    const many = await ctx.service.revokeTokens({ rowIds: [b.token.rowId, ...nora] });
    expect(many[0]).toMatchObject({ ok: false, vaultErrorType: expect.any(String) });
    expect(many.slice(1).every((o) => o.ok)).toBe(true);
    expect(await keychain.store.get(`token/42/${a.token.tokenId}`)).toBeNull();
    expect(ctx.tokens.requireRow(a.token.rowId).status).toBe('revoked');
    expect(ctx.tokens.requireRow(b.token.rowId).status).toBe('active'); // untouched until a sync says otherwise
  });

  it('rotates in two steps; a failure between them leaves both tokens listed and nothing lost', async () => {
    const old = await generate({
      target: { kind: 'me' },
      name: 'Rotating',
      expiry: { kind: 'date', date: inFuture(3) },
    });
    const replacement = await ctx.service.rotateToken({
      rowId: old.token.rowId,
      expiry: { kind: 'date', date: inFuture(90) },
    });
    expect(replacement.token).toMatchObject({ name: 'Rotating', status: 'active', secretStored: true });
    fake.faults.inject({ method: 'DELETE', path: /api_access_token__sys/ }, { kind: 'html500' }, { times: 1 });
    await expect(
      ctx.service.completeRotation({ oldRowId: old.token.rowId, newRowId: replacement.token.rowId }),
    ).resolves.toMatchObject({ ok: false });
    expect(ctx.tokens.requireRow(old.token.rowId).status).not.toBe('revoked');
    expect(await keychain.store.get(`token/42/${old.token.tokenId}`)).toMatch(/^veeva-vault-/);
    expect(await keychain.store.get(`token/42/${replacement.token.tokenId}`)).toMatch(/^veeva-vault-/);
    await expect(
      ctx.service.completeRotation({ oldRowId: old.token.rowId, newRowId: old.token.rowId }),
    ).rejects.toMatchObject({ code: 'GUARD' });
    // The live check (issue 16): Vault refusing the new token keeps the old one, with the reason.
    const refusal = fake.faults.inject({ path: '/objects/users/me', auth: 'token' }, { kind: 'invalidSession' });
    try {
      await expect(
        ctx.service.completeRotation({ oldRowId: old.token.rowId, newRowId: replacement.token.rowId }),
      ).rejects.toThrow(
        new RegExp(
          `^The new token ${replacement.token.tokenId} did not sign in to Vault, so ${old.token.tokenId} was not revoked`,
        ),
      );
    } finally {
      fake.faults.remove(refusal);
    }
    expect(ctx.tokens.requireRow(old.token.rowId).status).not.toBe('revoked');
    expect(fake.state.getToken(old.token.tokenId)?.status).toBe('active');
    const done = await ctx.service.completeRotation({ oldRowId: old.token.rowId, newRowId: replacement.token.rowId });
    expect(done.ok).toBe(true);
    expect(ctx.tokens.requireRow(old.token.rowId).status).toBe('revoked');
    const audit = (await ctx.service.listAudit({ limit: 50 })).map((e) => e.action);
    expect(audit).toEqual(
      expect.arrayContaining([
        'token.rotate.start',
        'token.rotate.replacement',
        'token.rotate.verify.failed',
        'token.rotate.verify',
        'token.rotate.revoke-old',
      ]),
    );
  });

  it('links a rotated token to its replacement and back, in SQLite, through a restart and after the revoke', async () => {
    const old = await generate({
      target: { kind: 'me' },
      name: 'Linked rotation',
      expiry: { kind: 'datetime', iso: `${inFuture(30)}T12:00:00Z` },
    });
    expect(old.token).toMatchObject({ replacedBy: null, replaces: null });
    const replacement = await ctx.service.rotateToken({
      rowId: old.token.rowId,
      expiry: { kind: 'datetime', iso: `${inFuture(60)}T12:00:00Z` },
    });
    // The rotate answer already names the token it replaces (the dialog's second step has it).
    expect(replacement.token).toMatchObject({
      replaces: { rowId: old.token.rowId, tokenId: old.token.tokenId, name: 'Linked rotation' },
      replacedBy: null,
    });
    const link = { rowId: replacement.token.rowId, tokenId: replacement.token.tokenId, name: 'Linked rotation' };
    expect(ctx.tokens.requireRow(old.token.rowId)).toMatchObject({ replacedBy: link, replaces: null });
    // In the file: the link is the Vault token id, kept on both rows.
    const stored = new Map(
      (
        ctx.db
          .prepare('SELECT id, replaced_by_token_id, replaces_token_id FROM tokens WHERE id IN (?, ?)')
          .all(old.token.rowId, replacement.token.rowId) as {
          id: number;
          replaced_by_token_id: string | null;
          replaces_token_id: string | null;
        }[]
      ).map((r) => [r.id, r]),
    );
    expect(stored.get(old.token.rowId)).toMatchObject({
      replaced_by_token_id: replacement.token.tokenId,
      replaces_token_id: null,
    });
    expect(stored.get(replacement.token.rowId)).toMatchObject({
      replaced_by_token_id: null,
      replaces_token_id: old.token.tokenId,
    });

    expect((await ctx.service.completeRotation({ oldRowId: old.token.rowId, newRowId: link.rowId })).ok).toBe(true);
    // A sync after the revoke keeps both rows and the link; so does a restart.
    await ctx.service.syncTokens({ connectionIds: [connectionId] });
    await ctx.close();
    ctx = build();
    const page = await ctx.service.queryTokens(
      InventoryQuerySchema.parse({ rowIds: [old.token.rowId, link.rowId], offset: 0, limit: 5 }),
    );
    const byId = new Map(page.rows.map((r) => [r.rowId, r]));
    expect(byId.get(old.token.rowId)).toMatchObject({ status: 'revoked', replacedBy: link });
    expect(byId.get(link.rowId)).toMatchObject({
      status: 'active',
      replaces: { rowId: old.token.rowId, tokenId: old.token.tokenId, name: 'Linked rotation' },
    });
    // Clearing the revoked old row leaves the replacement without a dangling link.
    await ctx.service.clearRevoked({ rowIds: [old.token.rowId] });
    expect(ctx.tokens.requireRow(link.rowId)).toMatchObject({ replaces: null });
  });

  it('keeps the value in memory when the keychain refuses, until the user confirms', async () => {
    const failing = Object.create(keychain.store) as typeof keychain.store;
    failing.set = async () => {
      throw Object.assign(new Error('No OS keychain is available (locked).'), { code: 'KEYCHAIN_UNAVAILABLE' });
    };
    await ctx.close();
    ctx = createAppContext({
      dataDir: dir.path,
      version: 'test',
      actor: 'tester',
      secrets: failing,
      logger: createLogger(logs.sink, 'debug'),
      fetch: createTrustingFetch(fake.caPem),
      clipboard,
      revealGate: async () => true,
    });
    const result = await generate({
      target: { kind: 'me' },
      name: 'Keychain down',
      expiry: { kind: 'date', date: inFuture(15) },
    });
    expect(result.secretStored).toBe(false);
    expect(result.keychainError).toBeTruthy();
    expect(result.token.secretStored).toBe(false);
    const { value } = await ctx.service.revealToken({ rowId: result.token.rowId });
    secretsSeen.push(value);
    expect(value).toMatch(/^veeva-vault-/);
    // The only copy is in memory: the connection cannot be removed until it is saved elsewhere.
    await expect(ctx.service.removeConnection({ id: connectionId })).rejects.toMatchObject({
      code: 'GUARD',
      message: expect.stringMatching(/not in the keychain/),
    });
    await ctx.service.confirmTokenSaved({ rowId: result.token.rowId });
    await expect(ctx.service.revealToken({ rowId: result.token.rowId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await ctx.service.listAudit({ limit: 20 })).map((e) => e.action)).toContain('token.keychain-failed');
    await ctx.close();
    ctx = build();
  });

  it('reviews offline: the inventory reads from SQLite with the Vault unreachable, and generate is refused', async () => {
    await fake.close();
    await ctx.close();
    ctx = build();
    const [outcome] = await ctx.service.syncTokens({});
    expect(outcome).toMatchObject({ ok: false, message: expect.stringMatching(/Acme PromoMats/) });
    const page = await ctx.service.queryTokens(InventoryQuerySchema.parse({ offset: 0, limit: 200 }));
    expect(page.total).toBeGreaterThan(25);
    expect((await ctx.service.connectionHealth(undefined))[0]).toMatchObject({
      reachable: false,
      lastSyncedAt: expect.any(String),
    });
    await expect(
      generate({ target: { kind: 'me' }, name: 'Offline', expiry: { kind: 'date', date: inFuture(5) } }),
    ).rejects.toMatchObject({
      code: 'GUARD',
      message: expect.stringMatching(/is offline.*Nothing was sent to Vault/),
    });
  });

  it('removing the connection deletes its token values from the keychain', async () => {
    const stored = (await keychain.store.list()).filter((a) => a.startsWith('token/42/'));
    expect(stored.length).toBeGreaterThan(0);
    await ctx.service.removeConnection({ id: connectionId });
    expect(
      (await keychain.store.list()).filter(
        (a) => a.startsWith('token/42/') || a.startsWith(`connection/${connectionId}/`),
      ),
    ).toEqual([]);
  });

  it('never wrote a secret to SQLite or a log', () => {
    const base = databasePath(dir.path);
    for (const file of [base, `${base}-wal`, `${base}-shm`].filter(existsSync)) {
      const bytes = readFileSync(file);
      for (const secret of secretsSeen)
        expect(bytes.includes(Buffer.from(secret)), `${file} holds a secret`).toBe(false);
    }
    const logText = logs.records.map((r) => JSON.stringify(r)).join('\n');
    expect(logs.records.length).toBeGreaterThan(10);
    for (const secret of secretsSeen) expect(logText.includes(secret)).toBe(false);
  });
});
