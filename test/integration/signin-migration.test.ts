/**
 * The move from per-connection keychain items to one shared item per account (issue 15, item 2),
 * from a database and keychain in the old layout, on the real OS keychain: nothing is lost, the new
 * item is verified before an old one is deleted, a stop half-way loses nothing and the next start
 * finishes, and refusal marks follow the shared item.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../electron/app/app-context';
import type { NewConnection } from '../../electron/connections/connections-repo';
import { ConnectionsRepo } from '../../electron/connections/connections-repo';
import { legacySignInAccount } from '../../electron/connections/signin-migration';
import type { SecretStore } from '../../electron/secrets/secret-store';
import { openDatabase } from '../../electron/store/database';
import { databasePath } from '../../electron/paths';
import { makePrivateDir } from '../../electron/store/private-files';
import { startFakeVault } from '../fake-vault/index';
import { createTrustingFetch } from '../fake-vault/https-fetch';
import type { FakeVault } from '../fake-vault/types';
import { realKeychain } from '../helpers/keychain';
import { tempDir } from '../helpers/temp-dir';

const keychain = await realKeychain();
const USER = 'me@acme.com';
const PASSWORD = 'Current-Passw0rd!';
const OLDER_PASSWORD = 'Older-Passw0rd!';
const LOGIN_TOKEN = 'veeva-vault-LOGIN-TOKEN-OLD-LAYOUT';
const REFRESH = 'idp-refresh-token-old-layout';
const SANDBOX_ITEM_VALUE = 'veeva-vault-SANDBOX-VALUE';

describe.skipIf(!keychain.available)('moving saved sign-ins from the old keychain layout (real keychain)', () => {
  const store = keychain.store;
  let fake: FakeVault;
  let dir: ReturnType<typeof tempDir>;
  let dns = '';
  const ids = {
    a1: 'c-a1',
    a2: 'c-a2',
    a3: 'c-a3',
    token: 'c-token',
    sso: 'c-sso',
    refused: 'c-refused',
    none: 'c-none',
  };
  const shared = () => `signin/password/127.0.0.1/${USER}`;
  const sandboxItem = () => `connection/${ids.a1}/sandbox/Acme Sandbox/0PI000000000001`;

  /** A database and keychain exactly as the version before issue 15 left them. */
  async function oldLayout(): Promise<void> {
    makePrivateDir(dir.path);
    const db = openDatabase(databasePath(dir.path));
    const repo = new ConnectionsRepo(db);
    const add = (c: Partial<NewConnection> & Pick<NewConnection, 'id' | 'name'>, at: string) =>
      repo.insert(
        {
          dns,
          apiVersion: 'v26.2',
          username: USER,
          authMethod: 'password',
          clientId: 'vault-token-desk',
          secretStored: true,
          ...c,
        },
        at,
      );
    add({ id: ids.a1, name: 'Acme 1' }, '2026-11-02T10:00:00.000Z');
    add({ id: ids.a2, name: 'Acme 2', dns: dns.replace(/:\d+$/, ':1') }, '2026-11-03T10:00:00.000Z');
    add({ id: ids.a3, name: 'Acme 3 (older password)', dns: dns.replace(/:\d+$/, ':2') }, '2026-10-01T10:00:00.000Z');
    add({ id: ids.token, name: 'By token', authMethod: 'token', username: 'etl@acme.com' }, '2026-11-01T10:00:00.000Z');
    add({ id: ids.sso, name: 'By SSO', authMethod: 'sso', username: 'sasha@acme.com' }, '2026-11-01T10:00:00.000Z');
    add({ id: ids.refused, name: 'Refused', username: 'locked@acme.com' }, '2026-11-01T10:00:00.000Z');
    add(
      { id: ids.none, name: 'Nothing saved', username: 'asks@acme.com', secretStored: false },
      '2026-11-01T10:00:00.000Z',
    );
    repo.markSecretRefused(ids.refused, '2026-11-20T08:00:00.000Z', 'USERNAME_OR_PASSWORD_INCORRECT');
    db.close();
    await store.set(`connection/${ids.a1}/password`, PASSWORD);
    await store.set(`connection/${ids.a2}/password`, PASSWORD);
    await store.set(`connection/${ids.a3}/password`, OLDER_PASSWORD);
    await store.set(`connection/${ids.token}/token`, LOGIN_TOKEN);
    await store.set(`connection/${ids.sso}/oauth-refresh`, REFRESH);
    await store.set(`connection/${ids.refused}/password`, 'Refused-Passw0rd!');
    await store.set(sandboxItem(), SANDBOX_ITEM_VALUE);
  }

  const open = (secrets: SecretStore = store): AppContext =>
    createAppContext({ dataDir: dir.path, version: 'test', secrets, fetch: createTrustingFetch(fake.caPem) });

  const clear = async () => {
    for (const account of await store.list()) await store.delete(account);
  };

  beforeAll(async () => {
    fake = await startFakeVault({
      vaults: [{ id: 7, name: 'Acme QMS' }],
      users: [{ id: 70, username: USER, password: PASSWORD, vaults: 'all' }],
      authBurstLimit: 1000,
    });
    dns = fake.vaults[0]!.dns;
  });
  beforeEach(async () => {
    await clear();
    dir = tempDir();
    await oldLayout();
  });
  afterEach(() => dir.cleanup());
  afterAll(async () => {
    await clear();
    await fake?.close();
  });

  it('moves every saved sign-in, verified, and deletes only old items holding the moved value', async () => {
    const ctx = open();
    try {
      expect(ctx.signInLayout.done()).toBe(false);
      const report = await ctx.signInLayout.run();
      expect(report).toEqual({ moved: 4, deleted: 5, kept: 1 });
      expect(await store.get(shared())).toBe(PASSWORD);
      expect(await store.get(`signin/token/${dns}/etl@acme.com`)).toBe(LOGIN_TOKEN);
      expect(await store.get('signin/sso/127.0.0.1/sasha@acme.com')).toBe(REFRESH);
      expect(await store.get('signin/password/127.0.0.1/locked@acme.com')).toBe('Refused-Passw0rd!');
      // Deleted only after the shared item read back equal…
      for (const id of [ids.a1, ids.a2, ids.token, ids.sso, ids.refused]) {
        const c = ctx.connections.require(id);
        expect(await store.get(legacySignInAccount(c)!)).toBeNull();
      }
      // …while a different (older) value is never lost, and items of other kinds are left alone.
      expect(await store.get(`connection/${ids.a3}/password`)).toBe(OLDER_PASSWORD);
      expect(await store.get(sandboxItem())).toBe(SANDBOX_ITEM_VALUE);
      expect(ctx.signInLayout.done()).toBe(true);
    } finally {
      await ctx.close();
    }
  });

  it('keeps the refusal mark with the shared item: a refused password stays refused and is not sent', async () => {
    const ctx = open();
    try {
      await ctx.signInLayout.ensure();
      expect(ctx.connections.require(ids.refused).secretRefused).toMatchObject({
        vaultErrorType: 'USERNAME_OR_PASSWORD_INCORRECT',
      });
      for (const id of [ids.a1, ids.a2, ids.a3])
        expect(ctx.connections.require(id)).toMatchObject({ secretStored: true, secretRefused: null });
      const logins = fake.requestLog.filter((r) => r.path.endsWith('/auth')).length;
      const [refused] = await ctx.service.syncTokens({ connectionIds: [ids.refused] });
      expect(refused).toMatchObject({ ok: false, errorCode: 'NEEDS_SECRET' });
      expect(fake.requestLog.filter((r) => r.path.endsWith('/auth')).length).toBe(logins);
    } finally {
      await ctx.close();
    }
  });

  it('after the move a connection signs in with the shared item, the old one gone', async () => {
    const ctx = open();
    try {
      const outcomes = await ctx.service.syncTokens({ connectionIds: [ids.a1] });
      expect(outcomes[0]).toMatchObject({ ok: true });
      expect(ctx.signInLayout.done()).toBe(true);
      expect(await store.get(`connection/${ids.a1}/password`)).toBeNull();
    } finally {
      await ctx.close();
    }
  });

  it('a stop half-way (a delete refused) loses nothing; the next start finishes the move', async () => {
    let deletes = 0;
    const failing: SecretStore = {
      get: (a) => store.get(a),
      set: (a, v) => store.set(a, v),
      list: () => store.list(),
      status: () => store.status(),
      delete: async (a) => {
        if (++deletes === 2) throw new Error('keychain went away');
        return store.delete(a);
      },
    };
    let ctx = open(failing);
    try {
      await ctx.signInLayout.ensure(); // logs, never throws
      expect(ctx.signInLayout.done()).toBe(false);
      expect(await store.get(shared())).toBe(PASSWORD);
      expect(await store.get(`connection/${ids.a2}/password`)).toBe(PASSWORD);
      expect((await ctx.service.syncTokens({ connectionIds: [ids.a1] }))[0]).toMatchObject({ ok: true });
    } finally {
      await ctx.close();
    }
    ctx = open();
    try {
      await ctx.signInLayout.ensure();
      expect(ctx.signInLayout.done()).toBe(true);
      const left = (await store.list()).filter((a) => a.startsWith('connection/') && a.endsWith('/password'));
      expect(left).toEqual([`connection/${ids.a3}/password`]);
      expect(await store.get(shared())).toBe(PASSWORD);
    } finally {
      await ctx.close();
    }
  });

  it('while the keychain refuses the move, sign-in reads the old item, and nothing is deleted', async () => {
    const refusing: SecretStore = {
      get: (a) => store.get(a),
      set: async () => {
        throw new Error('keychain is locked');
      },
      delete: (a) => store.delete(a),
      list: () => store.list(),
      status: () => store.status(),
    };
    const ctx = open(refusing);
    try {
      expect((await ctx.service.syncTokens({ connectionIds: [ids.a1] }))[0]).toMatchObject({ ok: true });
      expect(ctx.signInLayout.done()).toBe(false);
      expect(await store.get(`connection/${ids.a1}/password`)).toBe(PASSWORD);
      expect(await store.get(shared())).toBeNull();
    } finally {
      await ctx.close();
    }
  });

  it('a shared item that does not read back as written stops the move before any old item is deleted', async () => {
    const garbling: SecretStore = {
      get: async (a) => (a.startsWith('signin/') ? 'not what was written' : store.get(a)),
      set: async () => undefined,
      delete: (a) => store.delete(a),
      list: () => store.list(),
      status: () => store.status(),
    };
    const ctx = open(garbling);
    try {
      await expect(ctx.signInLayout.run()).rejects.toThrow(/did not read back/);
      expect(ctx.signInLayout.done()).toBe(false);
      for (const account of [
        `connection/${ids.a1}/password`,
        `connection/${ids.a2}/password`,
        `connection/${ids.a3}/password`,
        `connection/${ids.token}/token`,
        `connection/${ids.sso}/oauth-refresh`,
      ])
        expect(await store.get(account)).not.toBeNull();
    } finally {
      await ctx.close();
    }
  });

  it('runs once: a database with nothing saved is done without touching the keychain', async () => {
    const fresh = tempDir();
    let touched = 0;
    const counting: SecretStore = {
      get: async (a) => (touched++, store.get(a)),
      set: async (a, v) => (touched++, store.set(a, v)),
      delete: async (a) => (touched++, store.delete(a)),
      list: async () => (touched++, store.list()),
      status: () => store.status(),
    };
    const ctx = createAppContext({ dataDir: fresh.path, version: 'test', secrets: counting });
    try {
      await ctx.signInLayout.ensure();
      expect(ctx.signInLayout.done()).toBe(true);
      expect(touched).toBe(0);
    } finally {
      await ctx.close();
      fresh.cleanup();
    }
  });
});
