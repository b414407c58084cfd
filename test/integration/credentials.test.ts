/**
 * Refused credentials are never sent again: a wrong password typed for this
 * run is forgotten and asked for, so repeated actions cannot lock the Vault
 * account. Runs the real service against the fake Vault over HTTPS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../electron/app/app-context';
import { MemorySecretStore } from '../../electron/secrets/memory-store';
import { ConnectionCreate, ConnectionUpdate } from '../../shared/schemas';
import { startFakeVault } from '../fake-vault/index';
import { createTrustingFetch } from '../fake-vault/https-fetch';
import type { FakeVault } from '../fake-vault/types';
import { tempDir } from '../helpers/temp-dir';

const PASSWORD = 'Right-Passw0rd!';

describe('refused credentials', () => {
  let fake: FakeVault;
  let ctx: AppContext;
  let dir: ReturnType<typeof tempDir>;
  let id = '';
  const logins = () => fake.requestLog.filter((r) => r.path.endsWith('/auth')).length;

  beforeAll(async () => {
    fake = await startFakeVault({
      vaults: [{ id: 7, name: 'Acme QMS' }],
      users: [{ id: 70, username: 'me@acme.com', password: PASSWORD, vaults: 'all' }],
      authBurstLimit: 1000,
    });
    dir = tempDir();
    ctx = createAppContext({
      dataDir: dir.path,
      version: 'test',
      secrets: new MemorySecretStore(),
      fetch: createTrustingFetch(fake.caPem),
    });
    id = (
      await ctx.connections.create(
        ConnectionCreate.parse({ name: 'Acme QMS', dns: fake.vaults[0]!.dns, username: 'me@acme.com' }),
      )
    ).id;
  });
  afterAll(async () => {
    await ctx?.close();
    await fake?.close();
    dir?.cleanup();
  });

  it('a wrong password is reported with the Vault error type and a field to type it again', async () => {
    const error = await ctx.service.testConnection({ id, secret: 'wrong-password' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'GUARD',
      vaultErrorType: 'USERNAME_OR_PASSWORD_INCORRECT',
      fields: { secret: expect.stringMatching(/refused/) },
    });
  });

  it('the refused password is not sent again: the next action asks for it instead', async () => {
    const before = logins();
    const [outcome] = await ctx.service.syncTokens({ connectionIds: [id] });
    expect(outcome).toMatchObject({ ok: false, errorCode: 'NEEDS_SECRET' });
    expect(logins()).toBe(before);
  });

  it('the right password then works', async () => {
    await ctx.service.unlockConnection({ id, secret: PASSWORD, remember: false });
    const [outcome] = await ctx.service.syncTokens({ connectionIds: [id] });
    expect(outcome?.ok).toBe(true);
  });

  it('a wrong SAVED password is marked refused at once and never sent again, also after a restart', async () => {
    const secrets = new MemorySecretStore();
    const dataDir = tempDir();
    const open = () =>
      createAppContext({ dataDir: dataDir.path, version: 'test', secrets, fetch: createTrustingFetch(fake.caPem) });
    let app = open();
    try {
      const saved = await app.connections.create(
        ConnectionCreate.parse({
          name: 'Saved wrong',
          dns: fake.vaults[0]!.dns,
          username: 'me@acme.com',
          rememberSecret: true,
          secret: 'Wrong-Saved-1',
        }),
      );
      const first = logins();
      const [refused] = await app.service.syncTokens({ connectionIds: [saved.id] });
      expect(refused).toMatchObject({ ok: false, errorCode: 'NEEDS_SECRET' });
      expect(refused?.message).toMatch(/refused the saved password .* It will not be sent again/);
      expect(logins()).toBe(first + 1);
      expect(app.connections.require(saved.id).secretRefused).toMatchObject({
        vaultErrorType: 'USERNAME_OR_PASSWORD_INCORRECT',
      });
      expect(await app.service.connectionsNeedingSecret({ ids: [saved.id] })).toEqual([
        { connectionId: saved.id, reason: 'refused', vaultErrorType: 'USERNAME_OR_PASSWORD_INCORRECT' },
      ]);
      await app.close();
      app = open();
      // After a restart: each Sync click used to send the refused login again (an account lockout).
      await app.service.syncTokens({ connectionIds: [saved.id] });
      await app.service.testConnection({ id: saved.id }).catch(() => undefined);
      expect(logins()).toBe(first + 1);
      // "Replace the saved password" stores the right one and clears the refusal.
      expect(await app.service.unlockConnection({ id: saved.id, secret: PASSWORD, remember: true })).toEqual({
        unlocked: true,
        remembered: true,
      });
      expect(await secrets.get(`signin/password/127.0.0.1/me@acme.com`)).toBe(PASSWORD);
      expect(app.connections.require(saved.id)).toMatchObject({ secretStored: true, secretRefused: null });
      await app.close();
      app = open();
      expect((await app.service.syncTokens({ connectionIds: [saved.id] }))[0]?.ok).toBe(true);
      expect((await app.service.listAudit({ limit: 50 })).map((e) => e.action)).toContain('connection.secret-replace');
    } finally {
      await app.close();
      dataDir.cleanup();
    }
  });

  it('a remembered password is not reused for a new DNS or user without typing it again', async () => {
    expect((await ctx.service.connectionHealth(undefined))[0]).toMatchObject({ vaultId: 7, loginUserId: '70' });
    await ctx.connections.update(
      ConnectionUpdate.parse({
        id,
        name: 'Acme QMS',
        dns: fake.vaults[0]!.dns,
        username: 'me@acme.com',
        rememberSecret: true,
        secret: PASSWORD,
      }),
    );
    await expect(
      ctx.connections.update(
        ConnectionUpdate.parse({
          id,
          name: 'Acme QMS',
          dns: 'acme-qms-new.veevavault.com',
          username: 'me@acme.com',
          rememberSecret: true,
        }),
      ),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      fields: { secret: expect.any(String) },
    });
    const moved = await ctx.connections.update(
      ConnectionUpdate.parse({
        id,
        name: 'Acme QMS',
        dns: 'acme-qms-new.veevavault.com',
        username: 'me@acme.com',
        rememberSecret: true,
        secret: 'typed-again-1',
      }),
    );
    expect(moved).toMatchObject({ dns: 'acme-qms-new.veevavault.com', secretStored: true });
    // What logins told us about the old Vault no longer applies.
    const health = (await ctx.service.connectionHealth(undefined)).find((h) => h.connectionId === id);
    expect(health).toMatchObject({ vaultId: null, loginUserId: null, seesAllTokens: null, reachable: null });
  });

  it('joins a second sync of the same connection instead of listing the Vault twice at once', async () => {
    const conn = ctx.connections.require(id);
    await ctx.connections.update(
      ConnectionUpdate.parse({
        id,
        name: conn.name,
        dns: fake.vaults[0]!.dns,
        username: 'me@acme.com',
        rememberSecret: true,
        secret: PASSWORD,
      }),
    );
    const queries = () => fake.requestLog.filter((r) => r.path.endsWith('/query')).length;
    const before = queries();
    const [a, b] = await Promise.all([
      ctx.sync.syncOne(ctx.connections.require(id)),
      ctx.sync.syncOne(ctx.connections.require(id)),
    ]);
    expect(a).toBe(b);
    expect(a.ok).toBe(true);
    expect(queries() - before).toBe(1);
  });
});
