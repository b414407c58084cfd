/**
 * What a sync costs each Vault and the keychain (issue 14, targets 2 and 3), counted at the fake Vault
 * and at the secret store: a first sync asks sign-in, the token listing and (once) the user names; a
 * later one only signs in and lists; a run reads every stored password with one keychain request.
 * The timing is measured by `npm run bench` (test/bench/cli-sync.ts), not here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../electron/app/app-context';
import { MemorySecretStore } from '../../electron/secrets/memory-store';
import { readSecrets, type SecretStore } from '../../electron/secrets/secret-store';
import { ConnectionCreate } from '../../shared/schemas';
import { InventoryQuerySchema } from '../../shared/token-schemas';
import { startFakeVault } from '../fake-vault/index';
import { createTrustingFetch } from '../fake-vault/https-fetch';
import type { FakeVault } from '../fake-vault/types';
import { realKeychain } from '../helpers/keychain';
import { tempDir } from '../helpers/temp-dir';

const PASSWORD = 'Sync-Cost-Passw0rd!';
const keychain = await realKeychain();

/** A memory store that counts what is asked of it, with the bulk read a real keychain offers. */
class CountingStore extends MemorySecretStore {
  gets = 0;
  bulkReads = 0;
  lists = 0;
  override async get(account: string) {
    this.gets += 1;
    return super.get(account);
  }
  async getMany(wanted: readonly string[]) {
    this.bulkReads += 1;
    return new Map(wanted.map((a) => [a, this.items.get(a) ?? null]));
  }
  override async list() {
    this.lists += 1;
    return super.list();
  }
}

describe('sync cost per Vault and per keychain', () => {
  let fake: FakeVault;
  let ctx: AppContext;
  let dir: ReturnType<typeof tempDir>;
  const secrets = new CountingStore();

  beforeAll(async () => {
    fake = await startFakeVault({
      vaults: [
        { id: 61, name: 'Cost One' },
        { id: 62, name: 'Cost Two' },
        { id: 63, name: 'Cost Three' },
      ],
      users: [
        { id: 800, username: 'cost@example.com', password: PASSWORD, securityProfile: 'vault_owner__v', vaults: 'all' },
        { id: 801, username: 'other@example.com', password: 'x-Other-1!', vaults: 'all' },
      ],
    });
    for (const v of fake.vaults) {
      fake.state.createToken({ vault: v.id, user: 800, name: 'etl', expiresAt: new Date(Date.now() + 9e8) });
      fake.state.createToken({ vault: v.id, user: 801, name: 'ci', expiresAt: new Date(Date.now() + 9e8) });
    }
    dir = tempDir();
    ctx = createAppContext({
      dataDir: dir.path,
      version: 'test',
      actor: 'tester',
      secrets,
      fetch: createTrustingFetch(fake.caPem),
    });
    for (const v of fake.vaults)
      await ctx.connections.create(
        ConnectionCreate.parse({
          name: v.name,
          dns: v.dns,
          username: 'cost@example.com',
          rememberSecret: true,
          secret: PASSWORD,
        }),
      );
  });
  afterAll(async () => {
    await ctx?.close();
    await fake?.close();
    dir?.cleanup();
  });

  const requestsByVault = (from: number) => {
    const byVault = new Map<number, string[]>();
    for (const r of fake.requestLog.slice(from))
      byVault.set(r.vaultId, [
        ...(byVault.get(r.vaultId) ?? []),
        `${r.method} ${r.path.replace(/\/api\/v[\d.]+/, '')}`,
      ]);
    return byVault;
  };

  it('a first sync: sign-in, the token listing and the user names; every password in one keychain read', async () => {
    const from = fake.requestLog.length;
    secrets.gets = secrets.bulkReads = secrets.lists = 0;
    const outcomes = await ctx.sync.syncAll();
    expect(outcomes.every((o) => o.ok && o.total === 2)).toBe(true);
    for (const v of fake.vaults)
      expect(requestsByVault(from).get(v.id)).toEqual(['POST /auth', 'POST /query', 'POST /query']);
    expect({ bulkReads: secrets.bulkReads, gets: secrets.gets }).toEqual({ bulkReads: 1, gets: 0 });
    // New rows carry their owner's name from the start (one write, not an insert and then an update).
    const { rows } = await ctx.service.queryTokens(InventoryQuerySchema.parse({ offset: 0, limit: 50 }));
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => r.userName))).toEqual(new Set(['cost@example.com', 'other@example.com']));
  });

  it('a later sync signs in and lists, nothing more; a known owner costs no request', async () => {
    await Promise.all(ctx.connections.list().map((c) => ctx.gateway.forget(c.id)));
    const from = fake.requestLog.length;
    await ctx.sync.syncAll();
    const byVault = requestsByVault(from);
    for (const v of fake.vaults) expect(byVault.get(v.id)).toEqual(['POST /auth', 'POST /query']);
  });

  it('a new owner in a later sync costs one user-name request on that Vault only', async () => {
    fake.state.createToken({ vault: 62, user: 1, name: 'system job', expiresAt: new Date(Date.now() + 9e8) });
    const from = fake.requestLog.length;
    await ctx.sync.syncAll();
    const byVault = requestsByVault(from);
    expect(byVault.get(62)).toEqual(['POST /query', 'POST /query']); // signed in already: listing, names
    expect(byVault.get(61)).toEqual(['POST /query']);
  });

  it('never signs in twice in one run, even when connections share a host', async () => {
    await Promise.all(ctx.connections.list().map((c) => ctx.gateway.forget(c.id)));
    const from = fake.requestLog.length;
    await Promise.all([ctx.sync.syncAll(), ctx.sync.syncAll()]);
    for (const [, requests] of requestsByVault(from))
      expect(requests.filter((r) => r === 'POST /auth')).toHaveLength(1);
  });
});

describe('reading several secrets', () => {
  it('falls back to one read each where the store has no bulk read', async () => {
    const store = new MemorySecretStore();
    await store.set('connection/a/password', 'pa');
    await store.set('connection/b/password', 'pb');
    const found = await readSecrets(store as SecretStore, ['connection/a/password', 'connection/b/password', 'x']);
    expect([...found]).toEqual([
      ['connection/a/password', 'pa'],
      ['connection/b/password', 'pb'],
      ['x', null],
    ]);
  });

  it.skipIf(!keychain.available)(
    'reads them from the real keychain in one search, and only those asked for',
    async () => {
      const store = keychain.store;
      await store.set('connection/bulk-1/password', 'one');
      await store.set('connection/bulk-2/password', 'two');
      await store.set('token/99/not-asked', 'a token value');
      try {
        const found = await store.getMany([
          'connection/bulk-1/password',
          'connection/bulk-2/password',
          'connection/none',
        ]);
        expect(Object.fromEntries(found)).toEqual({
          'connection/bulk-1/password': 'one',
          'connection/bulk-2/password': 'two',
          'connection/none': null,
        });
      } finally {
        for (const a of ['connection/bulk-1/password', 'connection/bulk-2/password', 'token/99/not-asked'])
          await store.delete(a);
      }
    },
  );
});
