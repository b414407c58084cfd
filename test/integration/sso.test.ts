/**
 * Single sign-on end to end through the real service (issue 12): real SQLite, the real OS keychain,
 * the fake Vault, login host and identity provider over HTTPS. "The system browser" is
 * test/helpers/sso-browser.ts, which signs in at the fake identity provider's login form and lands on
 * the app's loopback redirect. Covers discovery, browser and device sign-in, sync and generate,
 * silent renewal after a restart, every fault the issue lists, and that no code, token or state
 * reaches the log or the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createAppContext, type AppContext } from '../../electron/app/app-context';
import { memorySink } from '../../electron/log';
import { databasePath } from '../../electron/paths';
import { signInAccount } from '../../shared/signin-accounts';
import { ConnectionCreate } from '../../shared/schemas';
import { GenerateRequest } from '../../shared/contract/tokens';
import type { AppError } from '../../shared/errors';
import type { SsoProgressEvent } from '../../shared/contract/connections';
import {
  DEMO_ADMIN,
  DEMO_SAML_USER,
  DEMO_SSO_PASSWORD,
  DEMO_SSO_USER,
  startFakeVault,
  type FakeVault,
} from '../fake-vault/index';
import { realKeychain } from '../helpers/keychain';
import { signInThroughBrowser, type BrowserVisit } from '../helpers/sso-browser';
import { tempDir } from '../helpers/temp-dir';
import { keychainContextOptions } from '../helpers/context';

/** Every fake Vault is on 127.0.0.1: one Vault domain, so one saved renewal for the SSO user (issue 15). */
const SSO_REFRESH_ACCOUNT = signInAccount({ authMethod: 'sso', dns: '127.0.0.1', username: DEMO_SSO_USER })!;

const keychain = await realKeychain();

describe.skipIf(!keychain.available)('single sign-on (real keychain, fake Vault and identity provider)', () => {
  let fake: FakeVault;
  let dir: ReturnType<typeof tempDir>;
  const logs = memorySink();
  const visits: BrowserVisit[] = [];
  /** What "the browser" could not do, e.g. sign in with a wrong password (the form comes back). */
  const browserFailures: string[] = [];
  const progress: SsoProgressEvent[] = [];
  let browserUser = { username: DEMO_SSO_USER, password: DEMO_SSO_PASSWORD };
  let beforeCallback: (() => void) | undefined;
  const contexts: AppContext[] = [];

  /** The app as it starts: a new context on the same data directory and keychain. */
  const start = (): AppContext => {
    const ctx = createAppContext({
      ...keychainContextOptions({ dataDir: dir.path, secrets: keychain.store, sink: logs.sink, fake }),
      vaultTimeoutMs: 5000,
      env: { VAULT_TOKEN_DESK_LOGIN_HOST: fake.loginHost },
      emit: (event, payload) => {
        if (event === 'connections:sso-progress') progress.push(payload as SsoProgressEvent);
      },
      // The system browser: opens the page and signs in, while the app waits on its loopback.
      openExternal: async (url) => {
        void signInThroughBrowser(url, browserUser, fake.caPem, beforeCallback).then(
          (v) => visits.push(v),
          (e: unknown) => browserFailures.push(String(e)),
        );
      },
    });
    contexts.push(ctx);
    return ctx;
  };

  const create = async (ctx: AppContext, name: string, username = DEMO_SSO_USER) =>
    ctx.service.createConnection(
      ConnectionCreate.parse({ name, dns: fake.vaults[0]!.dns, username, authMethod: 'sso', rememberSecret: true }),
    );

  const failure = async (promise: Promise<unknown>): Promise<AppError> => {
    try {
      await promise;
    } catch (error) {
      return error as AppError;
    }
    throw new Error('expected a failure');
  };

  beforeAll(async () => {
    fake = await startFakeVault({ sso: { deviceIntervalSeconds: 1 } });
    dir = tempDir();
  });

  afterAll(async () => {
    for (const ctx of contexts) await ctx.close().catch(() => undefined);
    for (const a of await keychain.store.list()) await keychain.store.delete(a);
    await fake?.close();
    dir?.cleanup();
  });

  it('discovery tells password, single sign-on and SAML-only users apart', async () => {
    const ctx = start();
    const loginHost = null;
    const sso = await ctx.service.discoverAuth({ username: DEMO_SSO_USER, loginHost, clientId: 'vault-token-desk' });
    expect(sso).toMatchObject({ authType: 'sso', loginHost: fake.loginHost });
    expect(sso.profiles).toEqual([
      expect.objectContaining({ label: 'Acme Okta', mapsClientId: true, browser: true, deviceCode: true }),
    ]);
    expect(await ctx.service.discoverAuth({ username: DEMO_ADMIN, loginHost, clientId: 'vault-token-desk' })).toEqual({
      loginHost: fake.loginHost,
      authType: 'password',
      profiles: [],
    });
    const saml = await ctx.service.discoverAuth({ username: DEMO_SAML_USER, loginHost, clientId: 'vault-token-desk' });
    expect(saml).toMatchObject({ authType: 'sso', profiles: [] });
    // Another client id is mapped to nothing: the profile is listed, without a mapping.
    const unmapped = await ctx.service.discoverAuth({ username: DEMO_SSO_USER, loginHost, clientId: 'other-app' });
    expect(unmapped.profiles[0]).toMatchObject({ mapsClientId: false });
  });

  let connectionId = '';

  it('signs in with the browser, then tests, syncs and generates a token for me', async () => {
    const ctx = start();
    const c = await create(ctx, 'PromoMats SSO');
    connectionId = c.id;
    // No sign-in yet: a Vault call says to sign in, and nothing is sent to Vault.
    expect((await failure(ctx.service.testConnection({ id: c.id }))).code).toBe('SIGN_IN_REQUIRED');

    const result = await ctx.service.ssoSignIn({ id: c.id, mode: 'browser' });
    expect(result).toMatchObject({ connectionId: c.id, refreshStored: true, profile: { label: 'Acme Okta' } });
    expect(visits.at(-1)?.callback.status).toBe(200);
    expect(visits.at(-1)?.callback.body).toContain('return to Vault Token Desk');
    expect(progress.map((p) => p.stage)).toEqual(['discovering', 'browser', 'vault']);
    const browser = progress.find((p) => p.stage === 'browser') as Extract<SsoProgressEvent, { stage: 'browser' }>;
    const authorize = new URL(browser.url);
    expect(authorize.origin).toBe(fake.idp.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(await keychain.store.get(SSO_REFRESH_ACCOUNT)).toMatch(/.{16,}/);

    const test = await ctx.service.testConnection({ id: c.id });
    expect(test.user.userName).toBe(DEMO_SSO_USER);
    const [synced] = await ctx.service.syncTokens({ connectionIds: [c.id] });
    expect(synced).toMatchObject({ ok: true, errorCode: null });
    const generated = await ctx.service.generateToken(
      GenerateRequest.parse({
        connectionId: c.id,
        target: { kind: 'me' },
        name: 'SSO token',
        expiry: { kind: 'date', date: '2027-03-01' },
      }),
    );
    expect(generated).toMatchObject({ secretStored: true, token: { name: 'SSO token', source: 'generated' } });
    const connection = ctx.connections.require(c.id);
    expect(connection).toMatchObject({ secretStored: true, ssoProfile: { label: 'Acme Okta' } });
    expect(fake.idp.requests.filter((r) => r.grantType === 'authorization_code')).toHaveLength(1);
  });

  it('lists the Vaults the login reaches (vaultIds), marking its own and the ones already added', async () => {
    const ctx = start();
    const reached = await ctx.service.reachableVaults({ id: connectionId });
    expect(reached.map((v) => v.dns).sort()).toEqual(fake.vaults.map((v) => v.dns).sort());
    expect(reached.filter((v) => v.self)).toEqual([
      expect.objectContaining({ dns: fake.vaults[0]!.dns, connectionId, name: 'PromoMats' }),
    ]);
    expect(reached.filter((v) => !v.self).every((v) => v.connectionId === null)).toBe(true);
  });

  it('after a restart the refresh token renews the session silently', async () => {
    const before = fake.idp.requests.filter((r) => r.grantType === 'refresh_token').length;
    const ctx = start();
    const [synced] = await ctx.service.syncTokens({ connectionIds: [connectionId] });
    expect(synced).toMatchObject({ ok: true });
    expect(fake.idp.requests.filter((r) => r.grantType === 'refresh_token').length).toBe(before + 1);
    // The identity provider rotated the refresh token; the keychain holds the new one and it works again.
    const again = start();
    expect((await again.service.syncTokens({ connectionIds: [connectionId] }))[0]).toMatchObject({ ok: true });
  });

  it('a device code signs in too', async () => {
    const ctx = start();
    const c = await create(ctx, 'PromoMats SSO device');
    const seen: string[] = [];
    const done = ctx.service.ssoSignIn({ id: c.id, mode: 'device' });
    // Wait for the code, then approve it as the person would on their phone.
    for (let i = 0; i < 100 && !progress.some((p) => p.connectionId === c.id && p.stage === 'device'); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const prompt = progress.find((p) => p.connectionId === c.id && p.stage === 'device') as Extract<
      SsoProgressEvent,
      { stage: 'device' }
    >;
    seen.push(prompt.userCode);
    expect(prompt.verificationUri).toBe(`${fake.idp.issuer}/device`);
    fake.idp.approveDevice(prompt.userCode, DEMO_SSO_USER);
    expect(await done).toMatchObject({ refreshStored: true });
    expect((await ctx.service.testConnection({ id: c.id })).user.userName).toBe(DEMO_SSO_USER);
  });

  it('refuses a mismatched state and keeps the saved renewal', async () => {
    const ctx = start();
    const before = await keychain.store.get(SSO_REFRESH_ACCOUNT);
    fake.idp.setWrongState(true);
    try {
      const error = await failure(ctx.service.ssoSignIn({ id: connectionId, mode: 'browser' }));
      expect(error.message).toMatch(/did not match this sign-in request \(the state differs\)/);
    } finally {
      fake.idp.setWrongState(false);
    }
    expect(await keychain.store.get(SSO_REFRESH_ACCOUNT)).toBe(before);
  });

  it('an authorization code that expired before the exchange is refused with the reason', async () => {
    const ctx = start();
    beforeCallback = () => fake.idp.expireCodes();
    try {
      const error = await failure(ctx.service.ssoSignIn({ id: connectionId, mode: 'browser' }));
      expect(error).toMatchObject({ code: 'IDP_REFUSED' });
      expect(error.message).toMatch(/refused the authorization code exchange request \(invalid_grant/);
    } finally {
      beforeCallback = undefined;
    }
    // The saved renewal still works: nothing was lost.
    expect((await ctx.service.syncTokens({ connectionIds: [connectionId] }))[0]).toMatchObject({ ok: true });
  });

  it('reports the identity provider refusing the request', async () => {
    const ctx = start();
    fake.idp.setAuthorizeError('access_denied');
    try {
      const error = await failure(ctx.service.ssoSignIn({ id: connectionId, mode: 'browser' }));
      expect(error).toMatchObject({ code: 'IDP_REFUSED' });
      expect(error.message).toMatch(/refused the sign-in \(access_denied/);
    } finally {
      fake.idp.setAuthorizeError(null);
    }
  });

  it('a wrong identity-provider password keeps the browser on the form (nothing signs in)', async () => {
    browserUser = { username: DEMO_SSO_USER, password: 'wrong' };
    const ctx = start();
    try {
      const running = ctx.service.ssoSignIn({ id: connectionId, mode: 'browser' });
      for (let i = 0; i < 100 && browserFailures.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      // The identity provider showed its form again (HTTP 200), so no code reached the app.
      expect(browserFailures).toEqual([expect.stringMatching(/signing in at the identity provider answered 200/)]);
      expect(await ctx.service.ssoCancel({ id: connectionId })).toEqual({ cancelled: true });
      expect((await failure(running)).code).toBe('CANCELLED');
    } finally {
      browserUser = { username: DEMO_SSO_USER, password: DEMO_SSO_PASSWORD };
    }
  });

  it('an unreachable identity provider is said so, and the renewal is kept', async () => {
    const ctx = start();
    const before = await keychain.store.get(SSO_REFRESH_ACCOUNT);
    await fake.idp.setDown(true);
    try {
      const [outcome] = await ctx.service.syncTokens({ connectionIds: [connectionId] });
      expect(outcome).toMatchObject({ ok: false, errorCode: 'IDP_UNREACHABLE' });
      expect(outcome?.message).toMatch(/identity provider at 127\.0\.0\.1:\d+ could not be reached/);
    } finally {
      await fake.idp.setDown(false);
    }
    expect(await keychain.store.get(SSO_REFRESH_ACCOUNT)).toBe(before);
  });

  it('Vault refusing the identity provider’s token names Vault’s error type', async () => {
    const ctx = start();
    fake.idp.refuseAtVault(true);
    try {
      const error = await failure(ctx.service.testConnection({ id: connectionId }));
      expect(error).toMatchObject({ code: 'VAULT', vaultErrorType: 'INVALID_TOKEN' });
      expect(error.message).toMatch(
        /Vault refused the identity provider’s token for “PromoMats SSO” \(INVALID_TOKEN\)/,
      );
    } finally {
      fake.idp.refuseAtVault(false);
    }
    expect(ctx.connections.require(connectionId).secretStored).toBe(true);
  });

  it('a revoked refresh token asks for a sign-in and is never sent again', async () => {
    fake.idp.revokeRefreshTokens(DEMO_SSO_USER);
    const ctx = start();
    const [outcome] = await ctx.service.syncTokens({ connectionIds: [connectionId] });
    expect(outcome).toMatchObject({ ok: false, errorCode: 'SIGN_IN_REQUIRED' });
    expect(outcome?.message).toMatch(/no longer accepts its saved renewal/);
    expect(await keychain.store.get(SSO_REFRESH_ACCOUNT)).toBeNull();
    expect(ctx.connections.require(connectionId).secretStored).toBe(false);
    const refreshes = fake.idp.requests.filter((r) => r.grantType === 'refresh_token').length;
    await ctx.service.syncTokens({ connectionIds: [connectionId] });
    expect(fake.idp.requests.filter((r) => r.grantType === 'refresh_token').length).toBe(refreshes);
    // Signing in again restores it.
    await ctx.service.ssoSignIn({ id: connectionId, mode: 'browser' });
    expect((await ctx.service.syncTokens({ connectionIds: [connectionId] }))[0]).toMatchObject({ ok: true });
  });

  it('a password or SAML-only user cannot start single sign-on, with the reason', async () => {
    const ctx = start();
    const admin = await create(ctx, 'Admin as SSO', DEMO_ADMIN);
    expect((await failure(ctx.service.ssoSignIn({ id: admin.id, mode: 'browser' }))).message).toMatch(
      /signs in with a password, not single sign-on/,
    );
    const saml = await create(ctx, 'SAML user', DEMO_SAML_USER);
    expect((await failure(ctx.service.ssoSignIn({ id: saml.id, mode: 'browser' }))).message).toMatch(
      /SAML only, and SAML cannot be used by apps/,
    );
  });

  it('removing the last connection that renews with the refresh token deletes it', async () => {
    const ctx = start();
    const c = await create(ctx, 'Short-lived SSO');
    await ctx.service.ssoSignIn({ id: c.id, mode: 'browser' });
    expect(await keychain.store.get(SSO_REFRESH_ACCOUNT)).not.toBeNull();
    // Every SSO connection of this user on this Vault domain renews with the one saved refresh token.
    const sharing = ctx.connections.list().filter((x) => x.authMethod === 'sso' && x.secretStored);
    expect(sharing.map((x) => x.id)).toContain(c.id);
    await ctx.service.removeConnection({ id: c.id });
    if (sharing.length > 1) expect(await keychain.store.get(SSO_REFRESH_ACCOUNT)).not.toBeNull();
    for (const other of sharing.filter((x) => x.id !== c.id)) await ctx.service.removeConnection({ id: other.id });
    expect(await keychain.store.get(SSO_REFRESH_ACCOUNT)).toBeNull();
  });

  it('no code, state, token or session id reaches the log or the database', async () => {
    const secrets = new Set<string>();
    for (const v of visits) {
      const q = new URL(v.callbackUrl).searchParams;
      for (const k of ['code', 'state']) if (q.get(k)) secrets.add(q.get(k)!);
    }
    for (const p of progress) if (p.stage === 'browser') secrets.add(new URL(p.url).searchParams.get('nonce')!);
    for (const a of await keychain.store.list()) {
      const value = await keychain.store.get(a);
      if (value) secrets.add(value);
    }
    for (const s of fake.state.store.sessions.values()) secrets.add(s.id);
    expect(secrets.size).toBeGreaterThan(5);
    const logText = JSON.stringify(logs.records);
    for (const ctx of contexts) ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    const dbText = readFileSync(databasePath(dir.path)).toString('latin1');
    for (const s of secrets) {
      expect(logText).not.toContain(s);
      expect(dbText).not.toContain(s);
    }
  });
});
