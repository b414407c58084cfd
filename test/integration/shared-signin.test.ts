/**
 * One saved sign-in per account (issue 15): a consultant's one login reaches 12 Vaults of a client
 * domain; adding them all gives 12 connections that share ONE keychain item, so changing the password
 * once makes every connection sign in again. A second Vault domain (the fake at `localhost`) keeps its
 * own item. Real service, real SQLite, the real OS keychain, fake Vaults over HTTPS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../electron/app/app-context';
import { ConnectionCreate, ConnectionUpdate } from '../../shared/schemas';
import { signInAccount } from '../../shared/signin-accounts';
import { startFakeVault } from '../fake-vault/index';
import { createTrustingFetch } from '../fake-vault/https-fetch';
import { CONSULTANT_PASSWORD, CONSULTANT_USER, consultantSeed } from '../fake-vault/seed';
import type { FakeVault } from '../fake-vault/types';
import { realKeychain } from '../helpers/keychain';
import { tempDir } from '../helpers/temp-dir';

const keychain = await realKeychain();
const OTHER_DOMAIN_PASSWORD = 'Other-Domain-Passw0rd!';

describe.skipIf(!keychain.available)('one saved sign-in per account (real keychain)', () => {
  let acme: FakeVault;
  let globex: FakeVault;
  let ctx: AppContext;
  let dir: ReturnType<typeof tempDir>;
  let firstId = '';
  let otherDomainId = '';
  const store = keychain.store;
  const acmeLogins = () => acme.requestLog.filter((r) => r.path.endsWith('/auth')).length;
  const acmeIds = () =>
    ctx.connections
      .list()
      .filter((c) => c.dns.startsWith('127.0.0.1:'))
      .map((c) => c.id);

  beforeAll(async () => {
    for (const account of await store.list()) await store.delete(account);
    acme = await startFakeVault({
      ...consultantSeed({ client: 'Acme', count: 12, firstId: 3000 }),
      authBurstLimit: 1000,
    });
    globex = await startFakeVault({
      ...consultantSeed({ client: 'Globex', count: 2, firstId: 4000, password: OTHER_DOMAIN_PASSWORD }),
      host: 'localhost',
    });
    dir = tempDir();
    // One fetch trusting both fakes' CAs: the app reaches each Vault by its DNS.
    const acmeFetch = createTrustingFetch(acme.caPem);
    const globexFetch = createTrustingFetch(globex.caPem);
    const fetch = ((input: string | URL | Request, init?: RequestInit) =>
      String(input instanceof Request ? input.url : input).startsWith('https://localhost:')
        ? globexFetch(input, init)
        : acmeFetch(input, init)) as typeof globalThis.fetch;
    ctx = createAppContext({ dataDir: dir.path, version: 'test', secrets: store, fetch });
    const remembered = async (name: string, dns: string, secret: string) =>
      (
        await ctx.connections.create(
          ConnectionCreate.parse({ name, dns, username: CONSULTANT_USER, rememberSecret: true, secret }),
        )
      ).id;
    firstId = await remembered('Acme 1', acme.vaults[0]!.dns, CONSULTANT_PASSWORD);
    otherDomainId = await remembered('Globex 1', globex.vaults[0]!.dns, OTHER_DOMAIN_PASSWORD);
  });
  afterAll(async () => {
    await ctx?.close();
    await acme?.close();
    await globex?.close();
    dir?.cleanup();
    for (const account of await store.list()) await store.delete(account);
  });

  it('one login reaching 12 Vaults becomes 12 tested, synced connections in one call', async () => {
    const reachable = await ctx.service.reachableVaults({ id: firstId });
    expect(reachable).toHaveLength(12);
    expect(reachable.filter((v) => v.self)).toHaveLength(1);
    const others = reachable.filter((v) => !v.connectionId).map((v) => v.vaultId);
    expect(others).toHaveLength(11);

    const outcomes = await ctx.service.addReachableVaults({ id: firstId, vaultIds: others });
    const added = outcomes.filter((o) => o.status === 'added');
    expect(added).toHaveLength(11);
    for (const o of added) expect(o).toMatchObject({ tested: true, synced: true, tokens: 2 });
    // The source had never synced: it is synced with them and reported too.
    expect(outcomes.filter((o) => o.status !== 'added')).toEqual([
      expect.objectContaining({
        vaultId: 3000,
        status: 'already-added',
        connectionId: firstId,
        synced: true,
        tokens: 2,
      }),
    ]);
    expect(added.map((o) => o.connectionName).sort()).toEqual(
      Array.from({ length: 11 }, (_, i) => `Acme ${i + 2}`).sort(),
    );
    expect(acmeIds()).toHaveLength(12);
    for (const c of ctx.connections.list().filter((x) => acmeIds().includes(x.id)))
      expect(c).toMatchObject({ username: CONSULTANT_USER, authMethod: 'password', secretStored: true });
  });

  it('adding the same Vaults again adds nothing and says they are there', async () => {
    const again = await ctx.service.addReachableVaults({ id: firstId, vaultIds: [3001, 3002] });
    expect(again.map((o) => o.status)).toEqual(['already-added', 'already-added']);
    expect(acmeIds()).toHaveLength(12);
  });

  it('the 12 connections share ONE keychain item; the other Vault domain has its own', async () => {
    const acmeAccount = signInAccount({ authMethod: 'password', dns: acme.vaults[0]!.dns, username: CONSULTANT_USER });
    const globexAccount = signInAccount(ctx.connections.require(otherDomainId));
    expect(acmeAccount).toBe(`signin/password/127.0.0.1/${CONSULTANT_USER}`);
    expect(globexAccount).toBe(`signin/password/localhost/${CONSULTANT_USER}`);
    expect((await store.list()).filter((a) => a.startsWith('signin/'))).toEqual([acmeAccount, globexAccount].sort());
    expect(await store.get(acmeAccount!)).toBe(CONSULTANT_PASSWORD);
    expect(await store.get(globexAccount!)).toBe(OTHER_DOMAIN_PASSWORD);
    expect((await store.list()).some((a) => a.startsWith('connection/'))).toBe(false);
  });

  it('a password changed in Vault is refused once and marked refused for all 12, not the other domain', async () => {
    await ctx.gateway.endAll();
    for (const id of acmeIds()) await ctx.gateway.forget(id);
    acme.state.updateUser(CONSULTANT_USER, { password: 'Changed-Passw0rd!' });
    const before = acmeLogins();
    const outcomes = await ctx.service.syncTokens({ connectionIds: acmeIds() });
    expect(outcomes.every((o) => !o.ok)).toBe(true);
    // The first sign-in goes alone; the other 11 read its refusal instead of sending the password.
    expect(acmeLogins() - before).toBe(1);
    for (const id of acmeIds())
      expect(ctx.connections.require(id).secretRefused).toMatchObject({
        vaultErrorType: 'USERNAME_OR_PASSWORD_INCORRECT',
      });
    expect(ctx.connections.require(otherDomainId).secretRefused).toBeNull();
    // Moving one to another Vault of the same domain (and back) keeps the shared item, and its refusal.
    const second = ctx.connections.list().find((c) => c.name === 'Acme 2')!;
    for (const dns of ['127.0.0.1:1', second.dns]) {
      await ctx.connections.update(
        ConnectionUpdate.parse({
          id: second.id,
          name: second.name,
          dns,
          username: second.username,
          rememberSecret: true,
        }),
      );
      expect(ctx.connections.require(second.id)).toMatchObject({
        secretStored: true,
        secretRefused: { vaultErrorType: 'USERNAME_OR_PASSWORD_INCORRECT' },
      });
    }
    const needs = await ctx.service.connectionsNeedingSecret({});
    expect(
      needs
        .filter((n) => n.reason === 'refused')
        .map((n) => n.connectionId)
        .sort(),
    ).toEqual(acmeIds().sort());
  });

  it('changing the password once, on any one of them, makes every connection sign in', async () => {
    const seventh = ctx.connections.list().find((c) => c.name === 'Acme 7')!;
    await ctx.service.unlockConnection({ id: seventh.id, secret: 'Changed-Passw0rd!', remember: true });
    for (const id of acmeIds()) expect(ctx.connections.require(id).secretRefused).toBeNull();
    // A fresh process: nothing in memory, only the one shared keychain item.
    await ctx.close();
    ctx = createAppContext({
      dataDir: dir.path,
      version: 'test',
      secrets: store,
      fetch: createTrustingFetch(acme.caPem),
    });
    const outcomes = await ctx.service.syncTokens({ connectionIds: acmeIds() });
    expect(outcomes.map((o) => o.ok)).toEqual(Array(12).fill(true));
    expect(await store.get(`signin/password/127.0.0.1/${CONSULTANT_USER}`)).toBe('Changed-Passw0rd!');
  });

  it('removing connections keeps the shared item until the last one using it goes', async () => {
    const account = `signin/password/127.0.0.1/${CONSULTANT_USER}`;
    const ids = acmeIds();
    for (const id of ids.slice(1)) await ctx.connections.remove(id);
    expect(await store.get(account)).toBe('Changed-Passw0rd!');
    await ctx.connections.remove(ids[0]!);
    expect(await store.get(account)).toBeNull();
    expect(await store.get(`signin/password/localhost/${CONSULTANT_USER}`)).toBe(OTHER_DOMAIN_PASSWORD);
  });
});
