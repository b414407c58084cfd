/**
 * The fake Vault over real HTTPS (node:https via createTrustingFetch).
 * Section references (§) are to docs/vault-api.md.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTrustingFetch } from './https-fetch';
import { DEMO_ADMIN, DEMO_PASSWORD, MAX_ACTIVE_TOKENS, startFakeVault } from './index';
import { expectFailure } from './expect-envelope';
import { PASSWORD, U, startHarness, type Harness, type Json } from './test-support';

const V = 'v26.2';
const MIN = 60_000;
const HOUR = 60 * MIN;

// ---------------------------------------------------------------------------
describe('TLS certificate and createTrustingFetch', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.fake.close());

  it('writes a CA:true PEM whose server certificate covers 127.0.0.1 and localhost', async () => {
    expect(readFileSync(h.fake.caPath, 'utf8')).toBe(h.fake.caPem);
    const ca = new X509Certificate(h.fake.caPem);
    expect(ca.ca).toBe(true);
    const alpha = h.vault('Alpha');
    expect(alpha.dns).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(alpha.origin).toBe(`https://${alpha.dns}`);
    const viaLocalhost = await h.fetch(`https://localhost:${alpha.port}/api/${V}/nope`);
    expect(viaLocalhost.status).toBe(200);
  });

  it('is not trusted by the plain global fetch', async () => {
    await expect(fetch(`${h.vault('Alpha').origin}/api/`)).rejects.toThrow(TypeError);
  });

  it('returns a standard Response with status, headers and JSON', async () => {
    const res = await h.fetch(`${h.vault('Alpha').origin}/api/${V}/auth`, {
      method: 'POST',
      body: new URLSearchParams({ username: 'admin@example.com', password: PASSWORD }),
    });
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.url).toBe(`${h.vault('Alpha').origin}/api/${V}/auth`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-vaultapi-vaultid')).toBe('100');
    const body = (await res.json()) as Json;
    expect(body.responseStatus).toBe('SUCCESS');
  });

  it('rejects with the abort reason when the signal fires mid-request', async () => {
    h.fake.faults.inject({ path: '/keep-alive' }, { kind: 'latency', ms: 2000 }, { times: 1 });
    const ac = new AbortController();
    const p = h.fetch(`${h.vault('Alpha').origin}/api/${V}/keep-alive`, { method: 'POST', signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    await expect(h.fetch(`${h.vault('Alpha').origin}/api/`, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('reuses the key and certificate found in certDir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fv-cert-'));
    const first = await startFakeVault({ certDir: dir });
    await first.close();
    const second = await startFakeVault({ certDir: dir });
    try {
      expect(second.caPem).toBe(first.caPem);
      expect(second.caPath).toBe(join(dir, 'ca.pem'));
      const res = await createTrustingFetch(first.caPem)(`${second.vaults[0]!.origin}/api/`);
      expect(res.status).toBe(200);
    } finally {
      await second.close();
    }
  });
});

// ---------------------------------------------------------------------------
describe('default demo seed', () => {
  it('starts three veepharm Vaults with the documented admin and a dozen tokens', async () => {
    const fake = await startFakeVault();
    try {
      expect(fake.vaults.map((v) => v.name)).toEqual(['PromoMats', 'QualityDocs', 'PromoMats Sandbox']);
      expect(fake.vaults[2]!.sandboxOf).toBe(fake.vaults[0]!.id);
      expect(fake.state.listTokens()).toHaveLength(12);
      const statuses = new Set(fake.state.listTokens().map((t) => t.status));
      expect(statuses).toEqual(new Set(['active', 'expired', 'deleted']));
      expect(fake.state.listTokens().some((t) => t.expiresAt === null)).toBe(true);
      const f = createTrustingFetch(fake.caPem);
      const res = await f(`${fake.vaults[0]!.origin}/api/${V}/auth`, {
        method: 'POST',
        body: new URLSearchParams({ username: DEMO_ADMIN, password: DEMO_PASSWORD }),
      });
      const body = (await res.json()) as Json;
      expect(body.responseStatus).toBe('SUCCESS');
      expect(body.vaultIds).toHaveLength(3);
    } finally {
      await fake.close();
    }
  });
});

// ---------------------------------------------------------------------------
describe('authentication (§3.2, §3.3)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ authBurstLimit: 4, authBurstDelayMs: 40 });
  });
  afterAll(() => h.fake.close());

  const auth = (vault: string, form: Record<string, string>) => h.call(vault, 'POST', `/api/${V}/auth`, { form });

  it('returns the documented success shape', async () => {
    const { res, body } = await auth('Alpha', { username: 'admin@example.com', password: PASSWORD });
    expect(res.status).toBe(200);
    expect(body.responseStatus).toBe('SUCCESS');
    expect(body.sessionId).toMatch(/^[0-9A-F]{64,}$/);
    expect(body.userId).toBe(U.admin);
    expect(body.vaultId).toBe(100);
    expect(body.vaultIds).toEqual([
      { id: 200, name: 'Beta', url: `${h.vault('Beta').origin}/api` },
      { id: 100, name: 'Alpha', url: `${h.vault('Alpha').origin}/api` },
      { id: 150, name: 'Alpha Sandbox', url: `${h.vault('Alpha Sandbox').origin}/api` },
    ]);
  });

  it('accepts multipart bodies and the vaultDNS override', async () => {
    const fd = new FormData();
    fd.set('username', 'admin@example.com');
    fd.set('password', PASSWORD);
    fd.set('vaultDNS', h.vault('Beta').dns);
    const { body } = await h.call('Alpha', 'POST', `/api/${V}/auth`, { body: fd });
    expect(body.responseStatus).toBe('SUCCESS');
    expect(body.vaultId).toBe(200);
  });

  it('defaults to the last-login Vault, then the oldest active one, and records the login', async () => {
    // beta@ cannot use Alpha: lands in Beta (its only Vault).
    expect((await auth('Alpha', { username: 'beta@example.com', password: PASSWORD })).body.vaultId).toBe(200);
    // last@ last logged into Alpha: Dormant's DNS (inactive) ⇒ Alpha.
    expect((await auth('Dormant', { username: 'last@example.com', password: PASSWORD })).body.vaultId).toBe(100);
    // multi@ has no last login: oldest ACTIVE Vault is Beta (2015); Dormant (2010) is inactive.
    expect((await auth('Dormant', { username: 'multi@example.com', password: PASSWORD })).body.vaultId).toBe(200);
    // After an explicit Alpha login, defaulting follows the last login.
    expect((await auth('Alpha', { username: 'multi@example.com', password: PASSWORD })).body.vaultId).toBe(100);
    expect((await auth('Dormant', { username: 'multi@example.com', password: PASSWORD })).body.vaultId).toBe(100);
    expect(h.fake.state.getUser(U.multi)?.lastLoginVaultId).toBe(100);
    // An unknown DNS also triggers defaulting.
    const { body } = await auth('Alpha', {
      username: 'beta@example.com',
      password: PASSWORD,
      vaultDNS: 'nowhere.veevavault.com',
    });
    expect(body.vaultId).toBe(200);
  });

  it('fails when the user can use no Vault at all', async () => {
    const { body } = await auth('Alpha', { username: 'orphan@example.com', password: PASSWORD });
    expectFailure(body, 'INSUFFICIENT_ACCESS');
    expect(body.errorType).toBe('AUTHENTICATION_FAILED');
  });

  it.each([
    [{ username: 'admin@example.com', password: 'wrong' }, 'USERNAME_OR_PASSWORD_INCORRECT'],
    [{ username: 'nobody@example.com', password: PASSWORD }, 'USERNAME_OR_PASSWORD_INCORRECT'],
    [{ username: 'admin@example.com' }, 'NO_PASSWORD_PROVIDED'],
    [{ username: 'gone@example.com', password: PASSWORD }, 'INACTIVE_USER'],
    [{ username: 'locked@example.com', password: PASSWORD }, 'USER_LOCKED_OUT'],
  ])('fails with HTTP 200 and errorType AUTHENTICATION_FAILED: %j ⇒ %s', async (form, type) => {
    const { res, body } = await auth('Alpha', form);
    expect(res.status).toBe(200);
    expectFailure(body, type);
    expect(body.errorType).toBe('AUTHENTICATION_FAILED');
    expect(body.sessionId).toBeUndefined();
  });

  it('does not read credentials from a JSON body', async () => {
    const { body } = await h.call('Alpha', 'POST', `/api/${V}/auth`, {
      json: { username: 'admin@example.com', password: PASSWORD },
    });
    expect(body.responseStatus).toBe('FAILURE');
  });

  it('lets a user without API permission log in, then refuses calls (§3.2)', async () => {
    const session = await h.login('noapi@example.com', 'Alpha');
    const { body } = await h.call('Alpha', 'GET', `/api/${V}/objects/users/me`, { auth: session });
    expectFailure(body, 'INSUFFICIENT_ACCESS');
    expect(body.errors[0].message).toContain('VaultActions_API_Access');
  });

  it('applies the auth burst limit per username+DNS per minute (§5.3)', async () => {
    const form = { username: 'nora@example.com', password: PASSWORD };
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await auth('Alpha', form));
    expect(results.slice(0, 2).map((r) => r.res.headers.get('x-vaultapi-responsedelay'))).toEqual([null, null]);
    expect(results.slice(2, 4).map((r) => r.res.headers.get('x-vaultapi-responsedelay'))).toEqual(['40', '40']);
    expect(results.slice(0, 4).every((r) => r.body.responseStatus === 'SUCCESS')).toBe(true);
    expectFailure(results[4]!.body, 'API_LIMIT_EXCEEDED');
    expect(results[4]!.body.errorType).toBe('AUTHENTICATION_FAILED');
    // Same user at another DNS, and another user at this DNS, are unaffected.
    expect((await auth('Alpha Sandbox', form)).body.responseStatus).toBe('SUCCESS');
    expect((await auth('Alpha', { username: 'pat@example.com', password: PASSWORD })).body.responseStatus).toBe(
      'SUCCESS',
    );
    h.clock.advance(MIN);
    expect((await auth('Alpha', form)).body.responseStatus).toBe('SUCCESS');
  });
});

// ---------------------------------------------------------------------------
describe('sessions, whoami and versions (§3.1, §3.7, §3.8)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ idleTimeoutMs: 20 * MIN });
  });
  afterAll(() => h.fake.close());

  const whoami = (auth: string, vault = 'Alpha') => h.call(vault, 'GET', `/api/${V}/objects/users/me`, { auth });
  const keepAlive = (auth: string) => h.call('Alpha', 'POST', `/api/${V}/keep-alive`, { auth });

  it('accepts a raw session ID and Bearer <sessionId>; whoami has the documented shape', async () => {
    const s = await h.login('pat@example.com', 'Alpha');
    for (const auth of [s, `Bearer ${s}`]) {
      const { body } = await whoami(auth);
      expect(body.responseStatus).toBe('SUCCESS');
      expect(body.users[0].user).toMatchObject({
        id: U.pacific,
        user_name__v: 'pat@example.com',
        user_timezone__v: 'America/Los_Angeles',
        security_profile__v: 'document_user__v',
        active__v: true,
      });
    }
  });

  it('refuses missing, unknown and other-Vault session IDs with INVALID_SESSION_ID', async () => {
    const s = await h.login('admin@example.com', 'Alpha');
    expectFailure((await h.call('Alpha', 'GET', `/api/${V}/objects/users/me`)).body, 'INVALID_SESSION_ID');
    expectFailure((await whoami('DEADBEEF')).body, 'INVALID_SESSION_ID');
    expectFailure((await whoami(s, 'Beta')).body, 'INVALID_SESSION_ID');
  });

  it('expires after the idle timeout; each finished request restarts the idle clock', async () => {
    const s = await h.login('pat@example.com', 'Alpha');
    h.clock.advance(19 * MIN);
    expect((await keepAlive(s)).body.responseStatus).toBe('SUCCESS');
    h.clock.advance(19 * MIN);
    expect((await whoami(s)).body.responseStatus).toBe('SUCCESS');
    h.clock.advance(20 * MIN);
    expectFailure((await keepAlive(s)).body, 'INVALID_SESSION_ID');
  });

  it('ends every session at 48 hours even when kept alive', async () => {
    const s = await h.login('pat@example.com', 'Alpha');
    for (let t = 0; t < 47 * HOUR; t += 15 * MIN) {
      h.clock.advance(15 * MIN);
      expect((await keepAlive(s)).body.responseStatus).toBe('SUCCESS');
    }
    h.clock.advance(HOUR);
    expectFailure((await keepAlive(s)).body, 'INVALID_SESSION_ID');
  });

  it('DELETE /session ends only that session', async () => {
    const a = await h.login('nora@example.com', 'Alpha');
    const b = await h.login('nora@example.com', 'Alpha');
    expect((await h.call('Alpha', 'DELETE', `/api/${V}/session`, { auth: a })).body.responseStatus).toBe('SUCCESS');
    expectFailure((await whoami(a)).body, 'INVALID_SESSION_ID');
    expect((await whoami(b)).body.responseStatus).toBe('SUCCESS');
  });

  it('expireAllSessions and changePassword kill sessions but not tokens', async () => {
    const s = await h.login('nora@example.com', 'Alpha');
    const token = h.fake.state.createToken({
      vault: 'Alpha',
      user: U.nora,
      name: 'survivor',
      expiresAt: new Date('2030-03-01T00:00:00Z'),
    });
    expect(h.fake.state.expireAllSessions()).toBeGreaterThan(0);
    expectFailure((await whoami(s)).body, 'INVALID_SESSION_ID');
    expect((await whoami(`Bearer ${token.value}`)).body.responseStatus).toBe('SUCCESS');

    const s2 = await h.login('nora@example.com', 'Alpha');
    h.fake.state.changePassword(U.nora, 'N3w-password!');
    expectFailure((await whoami(s2)).body, 'INVALID_SESSION_ID');
    const old = await h.call('Alpha', 'POST', `/api/${V}/auth`, {
      form: { username: 'nora@example.com', password: PASSWORD },
    });
    expectFailure(old.body, 'USERNAME_OR_PASSWORD_INCORRECT');
    const fresh = await h.call('Alpha', 'POST', `/api/${V}/auth`, {
      form: { username: 'nora@example.com', password: 'N3w-password!' },
    });
    expect(fresh.body.responseStatus).toBe('SUCCESS');
    h.fake.state.changePassword(U.nora, PASSWORD);
  });

  it('GET /api/ lists versions with this Vault’s own DNS and needs a credential', async () => {
    const s = await h.login('admin@example.com', 'Beta');
    const { body } = await h.call('Beta', 'GET', '/api/', { auth: s });
    expect(body.responseStatus).toBe('SUCCESS');
    expect(body.values[V]).toBe(`https://${h.vault('Beta').dns}/api/${V}`);
    expectFailure((await h.call('Beta', 'GET', '/api/')).body, 'INVALID_SESSION_ID');
  });

  it('keep-alive with an access token is a no-op SUCCESS by default', async () => {
    const t = h.fake.state.createToken({ vault: 'Alpha', user: U.admin, name: 'ka', expiresAt: null });
    expect((await keepAlive(`Bearer ${t.value}`)).body.responseStatus).toBe('SUCCESS');
    expect(
      (await h.call('Alpha', 'DELETE', `/api/${V}/session`, { auth: `Bearer ${t.value}` })).body.responseStatus,
    ).toBe('SUCCESS');
    expect((await whoami(`Bearer ${t.value}`)).body.responseStatus).toBe('SUCCESS');
  });
});

// ---------------------------------------------------------------------------
describe('generate API access tokens (§1.2–§1.4, §1.7)', () => {
  let h: Harness;
  let admin: string;
  let nora: string;
  beforeAll(async () => {
    h = await startHarness();
    admin = await h.login('admin@example.com', 'Alpha');
    nora = await h.login('nora@example.com', 'Alpha');
  });
  afterAll(() => h.fake.close());

  const gen = (auth: string, path: string, form: Record<string, string>, vault = 'Alpha') =>
    h.call(vault, 'POST', `/api/${V}${path}`, { auth, form });
  const mine = '/objects/users/me/api_access_token__sys';
  const forUser = (id: number | string) => `/objects/users/${id}/api_access_token__sys`;

  it('generates my token: 0PI id, veeva-vault- value, usable as Bearer', async () => {
    const { body } = await gen(admin, mine, { name__v: 'mine', expiry_date__v: '2030-02-01T00:00:00Z' });
    expect(body.responseStatus).toBe('SUCCESS');
    expect(body.data.id).toMatch(/^0PI[0-9A-Z]{12}$/);
    expect(body.data.token__sys).toMatch(/^veeva-vault-[0-9A-Za-z]+$/);
    const info = h.fake.state.getToken(body.data.id);
    expect(info).toMatchObject({ userId: U.admin, vaultId: 100, name: 'mine', status: 'active' });
    expect(info?.expiresAt?.toISOString()).toBe('2030-02-01T00:00:00.000Z');
    const who = await h.call('Alpha', 'GET', `/api/${V}/objects/users/me`, { auth: `Bearer ${body.data.token__sys}` });
    expect(who.body.users[0].user.id).toBe(U.admin);
  });

  it('never stores the token value, only its SHA-256', async () => {
    const { body } = await gen(admin, mine, { name__v: 'secret-check', expiry_date__v: '2030-02-01T00:00:00Z' });
    const value: string = body.data.token__sys;
    const dump = JSON.stringify(h.fake.state.snapshot());
    expect(dump).not.toContain(value);
    expect(dump).not.toContain(value.slice('veeva-vault-'.length));
    expect(dump).toContain(createHash('sha256').update(value).digest('hex'));
    expect(JSON.stringify(h.fake.state.listTokens())).not.toContain(value);
  });

  it('lets a token manager generate for another user; creator is recorded', async () => {
    const { body } = await gen(admin, forUser(U.nora), { name__v: 'for nora', expiry_date__v: '2030-02-01T00:00:00Z' });
    expect(body.responseStatus).toBe('SUCCESS');
    expect(h.fake.state.getToken(body.data.id)).toMatchObject({ userId: U.nora, createdBy: U.admin });
  });

  it('refuses another user’s token without permission, but allows my own ID', async () => {
    expectFailure(
      (await gen(nora, forUser(U.admin), { name__v: 'x', expiry_date__v: '2030-02-01' })).body,
      'INSUFFICIENT_ACCESS',
    );
    const own = await gen(nora, forUser(U.nora), { name__v: 'own', expiry_date__v: '2030-02-01' });
    expect(own.body.responseStatus).toBe('SUCCESS');
  });

  it('generates a sandbox token from the production Vault', async () => {
    const { body } = await gen(admin, '/objects/sandbox/Alpha%20Sandbox/users/me/api_access_token__sys', {
      name__v: 'sbx',
      expiry_date__v: '2030-02-01',
    });
    expect(body.responseStatus).toBe('SUCCESS');
    expect(h.fake.state.getToken(body.data.id)?.vaultId).toBe(150);
    const value = `Bearer ${body.data.token__sys}`;
    expect(
      (await h.call('Alpha Sandbox', 'GET', `/api/${V}/objects/users/me`, { auth: value })).body.responseStatus,
    ).toBe('SUCCESS');
    expectFailure(
      (await h.call('Alpha', 'GET', `/api/${V}/objects/users/me`, { auth: value })).body,
      'INVALID_SESSION_ID',
    );
  });

  it('refuses unknown sandboxes, sandboxes of other Vaults, and non-members', async () => {
    expectFailure(
      (
        await gen(admin, '/objects/sandbox/Nope/users/me/api_access_token__sys', {
          name__v: 'x',
          expiry_date__v: '2030-02-01',
        })
      ).body,
      'INVALID_DATA',
    );
    const beta = await h.login('admin@example.com', 'Beta');
    expectFailure(
      (
        await gen(
          beta,
          '/objects/sandbox/Alpha%20Sandbox/users/me/api_access_token__sys',
          { name__v: 'x', expiry_date__v: '2030-02-01' },
          'Beta',
        )
      ).body,
      'INVALID_DATA',
    );
    const pat = await h.login('pat@example.com', 'Alpha');
    expectFailure(
      (
        await gen(pat, '/objects/sandbox/Alpha%20Sandbox/users/me/api_access_token__sys', {
          name__v: 'x',
          expiry_date__v: '2030-02-01',
        })
      ).body,
      'INSUFFICIENT_ACCESS',
    );
  });

  it('accepts a JSON body', async () => {
    const { body } = await h.call('Alpha', 'POST', `/api/${V}${mine}`, {
      auth: admin,
      json: { name__v: 'json', expiry_date__v: '2030-02-01T10:00:00Z' },
    });
    expect(body.responseStatus).toBe('SUCCESS');
    expect(h.fake.state.getToken(body.data.id)?.expiresAt?.toISOString()).toBe('2030-02-01T10:00:00.000Z');
  });

  it('turns a date alone into 23:59:59 in the TARGET user’s time zone (DST-aware)', async () => {
    const winter = await gen(admin, forUser(U.pacific), { name__v: 'pst', expiry_date__v: '2030-01-15' });
    const summer = await gen(admin, forUser(U.pacific), { name__v: 'pdt', expiry_date__v: '2030-03-20' });
    const oslo = await gen(admin, forUser(U.nora), { name__v: 'cet', expiry_date__v: '2030-01-15' });
    expect(h.fake.state.getToken(winter.body.data.id)?.expiresAt?.toISOString()).toBe('2030-01-16T07:59:59.000Z');
    expect(h.fake.state.getToken(summer.body.data.id)?.expiresAt?.toISOString()).toBe('2030-03-21T06:59:59.000Z');
    expect(h.fake.state.getToken(oslo.body.data.id)?.expiresAt?.toISOString()).toBe('2030-01-15T22:59:59.000Z');
  });

  it.each([
    ['2030-13-01', 'INVALID_DATA'],
    ['2030-02-30', 'INVALID_DATA'],
    ['2030-01-01T12:00:00:00.000Z', 'INVALID_DATA'],
    ['2030-02-01T12:00:00.000Z', 'INVALID_DATA'],
    ['2030-02-01 12:00:00', 'INVALID_DATA'],
    ['', 'INVALID_DATA'],
    ['2030-01-10T11:59:59Z', 'INVALID_DATA'],
  ])('refuses expiry %j with %s', async (expiry, type) => {
    expectFailure((await gen(admin, mine, { name__v: 'bad', expiry_date__v: expiry })).body, type);
  });

  it('refuses expiry_date__sys (the doc sample’s parameter) by default', async () => {
    expectFailure(
      (await gen(admin, mine, { name__v: 'sys', expiry_date__sys: '2030-02-01T00:00:00Z' })).body,
      'ATTRIBUTE_NOT_SUPPORTED',
    );
  });

  it('requires name__v', async () => {
    expectFailure((await gen(admin, mine, { expiry_date__v: '2030-02-01' })).body, 'PARAMETER_REQUIRED');
    expectFailure(
      (await gen(admin, mine, { name__v: '   ', expiry_date__v: '2030-02-01' })).body,
      'PARAMETER_REQUIRED',
    );
  });

  it('enforces the profile’s maximum lifetime (document_user__v: 90 days)', async () => {
    // Clock: 2030-01-10T12:00Z. +90 days = 2030-04-10T12:00Z.
    expectFailure(
      (await gen(nora, mine, { name__v: 'late', expiry_date__v: '2030-04-10T12:00:01Z' })).body,
      'INVALID_DATA',
    );
    expect(
      (await gen(nora, mine, { name__v: 'edge', expiry_date__v: '2030-04-10T12:00:00Z' })).body.responseStatus,
    ).toBe('SUCCESS');
    // A date alone may use the whole last allowed day.
    expect((await gen(nora, mine, { name__v: 'edge-day', expiry_date__v: '2030-04-10' })).body.responseStatus).toBe(
      'SUCCESS',
    );
    expectFailure((await gen(nora, mine, { name__v: 'day-late', expiry_date__v: '2030-04-11' })).body, 'INVALID_DATA');
    h.fake.state.setSecurityProfile('document_user__v', { maxTokenLifetimeDays: 30 });
    expectFailure((await gen(nora, mine, { name__v: 'late30', expiry_date__v: '2030-02-10' })).body, 'INVALID_DATA');
    h.fake.state.setSecurityProfile('document_user__v', { maxTokenLifetimeDays: 90 });
  });

  it('allows a never-expiring token only when the profile does', async () => {
    const ok = await gen(admin, mine, { name__v: 'forever' });
    expect(ok.body.responseStatus).toBe('SUCCESS');
    expect(h.fake.state.getToken(ok.body.data.id)?.expiresAt).toBeNull();
    expectFailure((await gen(nora, mine, { name__v: 'forever' })).body, 'PARAMETER_REQUIRED');
    h.fake.state.setSecurityProfile('document_user__v', { allowNeverExpire: true });
    expect((await gen(nora, mine, { name__v: 'forever' })).body.responseStatus).toBe('SUCCESS');
    h.fake.state.setSecurityProfile('document_user__v', { allowNeverExpire: false });
  });

  it('refuses the 26th active token; expired and deleted ones do not count', async () => {
    const user = h.fake.state.addUser({
      username: 'many@example.com',
      password: PASSWORD,
      vaults: [100],
      securityProfile: 'vault_owner__v',
    });
    const ids: string[] = [];
    for (let i = 0; i < MAX_ACTIVE_TOKENS; i++)
      ids.push(h.fake.state.createToken({ vault: 'Alpha', user: user.id, name: `t${i}` }).id);
    h.fake.state.createToken({
      vault: 'Alpha',
      user: user.id,
      name: 'old',
      expiresAt: new Date('2029-01-01T00:00:00Z'),
    });
    const s = await h.login('many@example.com', 'Alpha');
    expectFailure((await gen(s, mine, { name__v: '26th' })).body, 'OPERATION_NOT_ALLOWED');
    // The limit is per Vault: Beta is not affected (he is not a member there), and
    // a sandbox/other-Vault token would not count either. Free one slot:
    h.fake.state.deleteToken(ids[0]!);
    expect((await gen(s, mine, { name__v: '25th again' })).body.responseStatus).toBe('SUCCESS');
    expectFailure((await gen(s, mine, { name__v: '26th again' })).body, 'OPERATION_NOT_ALLOWED');
  });

  it('refuses VeevaID, inactive and unknown target users', async () => {
    expectFailure(
      (await gen(admin, forUser(U.veevaId), { name__v: 'v', expiry_date__v: '2030-02-01' })).body,
      'OPERATION_NOT_ALLOWED',
    );
    expectFailure(
      (await gen(admin, forUser(U.inactive), { name__v: 'v', expiry_date__v: '2030-02-01' })).body,
      'INACTIVE_USER',
    );
    expectFailure(
      (await gen(admin, forUser(99999), { name__v: 'v', expiry_date__v: '2030-02-01' })).body,
      'INVALID_DATA',
    );
    expectFailure(
      (await gen(admin, forUser(U.betaOnly), { name__v: 'v', expiry_date__v: '2030-02-01' })).body,
      'INVALID_DATA',
    );
  });

  it('a token can mint a token', async () => {
    const first = await gen(admin, mine, { name__v: 'parent', expiry_date__v: '2030-02-01' });
    const second = await gen(`Bearer ${first.body.data.token__sys}`, mine, {
      name__v: 'child',
      expiry_date__v: '2030-02-01',
    });
    expect(second.body.responseStatus).toBe('SUCCESS');
  });
});

// ---------------------------------------------------------------------------
describe('access-token authentication (§1.7, §5.2)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.fake.close());

  it('Bearer <token> updates last_used_date__sys and is logged as token auth', async () => {
    const t = h.fake.state.createToken({
      vault: 'Alpha',
      user: U.nora,
      name: 'lu',
      expiresAt: new Date('2030-02-01T00:00:00Z'),
    });
    expect(h.fake.state.getToken(t.id)?.lastUsedAt).toBeNull();
    h.clock.set('2030-01-11T08:30:15.678Z');
    const { body, res } = await h.call('Alpha', 'GET', `/api/${V}/objects/users/me`, { auth: `Bearer ${t.value}` });
    expect(body.responseStatus).toBe('SUCCESS');
    expect(res.headers.get('x-vaultapi-userid')).toBe(String(U.nora));
    expect(res.headers.get('x-vaultapi-truncatedsessionid')).toBeNull();
    expect(h.fake.state.getToken(t.id)?.lastUsedAt?.toISOString()).toBe('2030-01-11T08:30:15.000Z');
    expect(h.fake.requestLog.at(-1)).toMatchObject({
      auth: 'token',
      vaultId: 100,
      method: 'GET',
      path: `/api/${V}/objects/users/me`,
    });
    const q = await h.call('Alpha', 'POST', `/api/${V}/query`, {
      auth: `Bearer ${t.value}`,
      form: { q: `SELECT id, last_used_date__sys FROM api_access_token__sys WHERE id = '${t.id}'` },
    });
    expect(q.body.data[0].last_used_date__sys).toBe('2030-01-11T08:30:15.000Z');
  });

  it('deleted, expired, unknown and other-Vault tokens get INVALID_SESSION_ID', async () => {
    const auth = (value: string, vault = 'Alpha') =>
      h.call(vault, 'GET', `/api/${V}/objects/users/me`, { auth: `Bearer ${value}` });
    const del = h.fake.state.createToken({ vault: 'Alpha', user: U.nora, name: 'del' });
    h.fake.state.deleteToken(del.id);
    expectFailure((await auth(del.value)).body, 'INVALID_SESSION_ID');
    const exp = h.fake.state.createToken({
      vault: 'Alpha',
      user: U.nora,
      name: 'exp',
      expiresAt: new Date(h.clock.now().getTime() + HOUR),
    });
    expect((await auth(exp.value)).body.responseStatus).toBe('SUCCESS');
    h.clock.advance(HOUR);
    expectFailure((await auth(exp.value)).body, 'INVALID_SESSION_ID');
    expectFailure((await auth('veeva-vault-NOPE')).body, 'INVALID_SESSION_ID');
    const beta = h.fake.state.createToken({ vault: 'Beta', user: U.admin, name: 'beta' });
    expectFailure((await auth(beta.value, 'Alpha')).body, 'INVALID_SESSION_ID');
    expect((await auth(beta.value, 'Beta')).body.responseStatus).toBe('SUCCESS');
  });

  it('a deactivated user’s tokens stop working', async () => {
    const t = h.fake.state.createToken({ vault: 'Alpha', user: U.pacific, name: 'p' });
    h.fake.state.setUserActive(U.pacific, false);
    expectFailure(
      (await h.call('Alpha', 'GET', `/api/${V}/objects/users/me`, { auth: `Bearer ${t.value}` })).body,
      'INVALID_SESSION_ID',
    );
    h.fake.state.setUserActive(U.pacific, true);
  });
});

// ---------------------------------------------------------------------------
describe('VQL (§2)', () => {
  let h: Harness;
  let admin: string;
  let nora: string;
  const ids: string[] = [];
  beforeAll(async () => {
    h = await startHarness();
    for (let i = 0; i < 23; i++) {
      ids.push(
        h.fake.state.createToken({
          vault: 'Alpha',
          user: U.nora,
          name: `bulk ${String(i).padStart(2, '0')}`,
          expiresAt: new Date(Date.UTC(2030, 1, 1 + i)),
        }).id,
      );
    }
    h.fake.state.createToken({
      vault: 'Alpha',
      user: U.admin,
      name: 'admin forever',
      expiresAt: null,
      createdAt: new Date('2029-12-01T10:20:30Z'),
    });
    h.fake.state.createToken({
      vault: 'Alpha',
      user: U.admin,
      name: 'admin expired',
      expiresAt: new Date('2030-01-01T00:00:00Z'),
    });
    const deleted = h.fake.state.createToken({
      vault: 'Alpha',
      user: U.admin,
      name: 'admin deleted',
      expiresAt: new Date('2030-06-01T00:00:00Z'),
    });
    h.fake.state.deleteToken(deleted.id);
    h.fake.state.createToken({ vault: 'Beta', user: U.admin, name: 'beta token', expiresAt: null });
    admin = await h.login('admin@example.com', 'Alpha');
    nora = await h.login('nora@example.com', 'Alpha');
  });
  afterAll(() => h.fake.close());

  const query = (auth: string, q: string, headers?: Record<string, string>) =>
    h.call('Alpha', 'POST', `/api/${V}/query`, { auth, form: { q }, headers });
  const FIELDS = 'id, name__v, user__sys, status__v, expiry_date__sys, last_used_date__sys';

  it('pages through next_page (POST without body) until pageoffset+size = total', async () => {
    const first = await query(nora, `SELECT ${FIELDS} FROM api_access_token__sys ORDER BY name__v ASC PAGESIZE 10`);
    expect(first.body.responseStatus).toBe('SUCCESS');
    expect(first.body.responseDetails).toMatchObject({ pagesize: 10, pageoffset: 0, size: 10, total: 23 });
    expect(first.body.responseDetails.previous_page).toBeUndefined();
    expect(first.body.responseDetails.next_page).toMatch(
      /^\/api\/v26\.2\/query\/[0-9a-f-]{36}\?pagesize=10&pageoffset=10$/,
    );
    const rows = [...first.body.data];
    let next: string | undefined = first.body.responseDetails.next_page;
    const seen: Json[] = [];
    while (next) {
      const page = await h.call('Alpha', 'POST', next, { auth: nora });
      expect(page.body.responseStatus).toBe('SUCCESS');
      seen.push(page.body.responseDetails);
      rows.push(...page.body.data);
      next = page.body.responseDetails.next_page;
    }
    expect(seen).toEqual([
      expect.objectContaining({
        pageoffset: 10,
        size: 10,
        total: 23,
        previous_page: expect.stringContaining('pageoffset=0'),
      }),
      expect.objectContaining({ pageoffset: 20, size: 3, total: 23 }),
    ]);
    expect(seen[1].next_page).toBeUndefined();
    expect(rows.map((r: Json) => r.name__v)).toEqual(
      Array.from({ length: 23 }, (_, i) => `bulk ${String(i).padStart(2, '0')}`),
    );
    expect(new Set(rows.map((r: Json) => r.id))).toEqual(new Set(ids));
  });

  it('formats rows: ISO dates with .000Z, status picklists, numeric user refs, null never-expiry', async () => {
    // created_date__v is not a documented field of the target (§2.1): see strictness.test.ts.
    const { body } = await query(
      admin,
      `SELECT ${FIELDS} FROM api_access_token__sys WHERE user__sys = '${U.admin}' ORDER BY name__v`,
    );
    expect(body.data).toEqual([
      expect.objectContaining({
        name__v: 'admin deleted',
        status__v: ['inactive__v'],
        expiry_date__sys: '2030-06-01T00:00:00.000Z',
      }),
      expect.objectContaining({
        name__v: 'admin expired',
        status__v: ['inactive__v'],
        expiry_date__sys: '2030-01-01T00:00:00.000Z',
      }),
      expect.objectContaining({
        name__v: 'admin forever',
        user__sys: U.admin,
        status__v: ['active__v'],
        expiry_date__sys: null,
        last_used_date__sys: null,
      }),
    ]);
    expect(Object.keys(body.data[0])).toEqual([
      'id',
      'name__v',
      'user__sys',
      'status__v',
      'expiry_date__sys',
      'last_used_date__sys',
    ]);
    expect(body.responseDetails).toMatchObject({ pagesize: 1000, pageoffset: 0, size: 3, total: 3 });
    expect(body.responseDetails.next_page).toBeUndefined();
  });

  it('filters with =, !=, <, >=, CONTAINS, BETWEEN, AND/OR and parentheses, null and LIKE', async () => {
    const names = async (where: string): Promise<string[]> => {
      const { body } = await query(admin, `SELECT name__v FROM api_access_token__sys WHERE ${where} ORDER BY name__v`);
      expect(body.responseStatus).toBe('SUCCESS');
      return body.data.map((r: Json) => r.name__v);
    };
    expect(await names(`status__v = 'active__v' AND user__sys = ${U.admin}`)).toEqual(['admin forever']);
    expect(await names(`status__v != 'active__v'`)).toEqual(['admin deleted', 'admin expired']);
    expect(await names(`expiry_date__sys < '2030-02-03T00:00:00.000Z' AND user__sys = '${U.nora}'`)).toEqual([
      'bulk 00',
      'bulk 01',
    ]);
    expect(await names(`expiry_date__sys >= '2030-02-23' OR expiry_date__sys = null`)).toEqual([
      'admin deleted',
      'admin forever',
      'bulk 22',
    ]);
    expect(
      await names(`(name__v = 'bulk 05' OR name__v = 'bulk 06') AND status__v CONTAINS ('active__v', 'other__v')`),
    ).toEqual(['bulk 05', 'bulk 06']);
    expect(await names(`id CONTAINS ('${ids[3]}', '${ids[4]}')`)).toEqual(['bulk 03', 'bulk 04']);
    expect(await names(`name__v BETWEEN 'bulk 20' AND 'bulk 22'`)).toEqual(['bulk 20', 'bulk 21', 'bulk 22']);
    // Field values are case sensitive (VQL Syntax Basics) unless CASEINSENSITIVE() wraps the field.
    expect(await names(`name__v LIKE 'ADMIN%'`)).toEqual([]);
    expect(await names(`CASEINSENSITIVE(name__v) LIKE 'ADMIN%' AND name__v != 'admin deleted'`)).toEqual([
      'admin expired',
      'admin forever',
    ]);
    expect(await names(`name__v = 'it\\'s missing'`)).toEqual([]);
  });

  it('shows a user only their own tokens unless they can manage tokens (§1.5)', async () => {
    const mine = await query(nora, 'SELECT id, user__sys FROM api_access_token__sys');
    expect(mine.body.responseDetails.total).toBe(23);
    expect(mine.body.data.every((r: Json) => r.user__sys === U.nora)).toBe(true);
    const all = await query(admin, 'SELECT id FROM api_access_token__sys');
    expect(all.body.responseDetails.total).toBe(26); // 23 + 3 of admin in Alpha; Beta's token is not here
  });

  it('PAGEOFFSET gives previous_page; DescribeQuery adds queryDescribe', async () => {
    const { body } = await query(nora, 'SELECT id, name__v FROM api_access_token__sys PAGESIZE 5 PAGEOFFSET 5', {
      'X-VaultAPI-DescribeQuery': 'true',
    });
    expect(body.responseDetails).toMatchObject({ pagesize: 5, pageoffset: 5, size: 5, total: 23 });
    expect(body.responseDetails.previous_page).toContain('pageoffset=0');
    expect(body.responseDetails.next_page).toContain('pageoffset=10');
    expect(body.queryDescribe.object.name).toBe('api_access_token__sys');
    expect(body.queryDescribe.fields.map((f: Json) => f.name)).toEqual(['id', 'name__v']);
  });

  it.each([
    ['SELECT FROM api_access_token__sys', 'INCORRECT_QUERY_SYNTAX_ERROR'],
    ['SELECT id api_access_token__sys', 'INCORRECT_QUERY_SYNTAX_ERROR'],
    ["SELECT id FROM api_access_token__sys WHERE name__v = 'x", 'INCORRECT_QUERY_SYNTAX_ERROR'],
    ['SELECT id FROM api_access_token__sys WHERE (id = 1', 'INCORRECT_QUERY_SYNTAX_ERROR'],
    ['SELECT id, token__sys FROM api_access_token__sys', 'INVALID_DATA'],
    ["SELECT id FROM api_access_token__sys WHERE colour__c = 'red'", 'INVALID_DATA'],
    ['SELECT id FROM nothing__c', 'INCORRECT_QUERY_SYNTAX_ERROR'],
    ["SELECT id FROM api_access_token__sys WHERE expiry_date__sys < 'tomorrow'", 'INVALID_FILTER'],
    ["SELECT id FROM api_access_token__sys WHERE status__v > 'a'", 'INVALID_FILTER'],
  ])('%s ⇒ %s', async (q, type) => {
    expectFailure((await query(admin, q)).body, type);
  });

  it('needs q, and accepts q in the query string of a POST', async () => {
    expectFailure(
      (await h.call('Alpha', 'POST', `/api/${V}/query`, { auth: admin, form: {} })).body,
      'PARAMETER_REQUIRED',
    );
    const viaUrl = await h.call(
      'Alpha',
      'POST',
      `/api/${V}/query?q=${encodeURIComponent('SELECT id FROM api_access_token__sys PAGESIZE 1')}`,
      { auth: admin },
    );
    expect(viaUrl.body.data).toHaveLength(1);
  });

  it('forgets result sets 72 h after the last page call', async () => {
    const { body } = await query(nora, 'SELECT id FROM api_access_token__sys PAGESIZE 5');
    const next = body.responseDetails.next_page as string;
    h.clock.advance(71 * HOUR);
    const s = await h.login('nora@example.com', 'Alpha');
    expect((await h.call('Alpha', 'POST', next, { auth: s })).body.responseStatus).toBe('SUCCESS');
    h.clock.advance(73 * HOUR);
    const s2 = await h.login('nora@example.com', 'Alpha');
    expectFailure((await h.call('Alpha', 'POST', next, { auth: s2 })).body, 'INVALID_DATA');
    nora = await h.login('nora@example.com', 'Alpha');
    admin = await h.login('admin@example.com', 'Alpha');
  });

  it('queries user__sys on its documented fields', async () => {
    const { body } = await query(
      admin,
      "SELECT id, username__sys, status__v FROM user__sys WHERE username__sys = 'System' OR username__sys = 'pat@example.com' ORDER BY id",
    );
    expect(body.data).toEqual([
      { id: 1, username__sys: 'System', status__v: ['active__v'] },
      { id: U.pacific, username__sys: 'pat@example.com', status__v: ['active__v'] },
    ]);
  });

  it('queries legacy users on one page without next_page; PAGEOFFSET paginates', async () => {
    const all = await query(admin, 'SELECT id, user_name__v, active__v FROM users');
    expect(all.body.responseDetails.total).toBe(all.body.data.length);
    expect(all.body.data.length).toBeGreaterThan(5);
    expect(all.body.responseDetails.next_page).toBeUndefined();
    const page = await query(admin, 'SELECT id FROM users ORDER BY id PAGESIZE 2 PAGEOFFSET 2');
    expect(page.body.data).toEqual(all.body.data.slice(2, 4).map((r: Json) => ({ id: r.id })));
    expect(page.body.responseDetails.next_page).toBeUndefined();
    expect(page.body.responseDetails.previous_page).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------
describe('users (§4)', () => {
  let h: Harness;
  let s: string;
  beforeAll(async () => {
    h = await startHarness();
    s = await h.login('nora@example.com', 'Alpha');
  });
  afterAll(() => h.fake.close());

  it('lists the Vault’s users with limit/start, including system users', async () => {
    const { body } = await h.call('Alpha', 'GET', `/api/${V}/objects/users?limit=3&start=0`, { auth: s });
    expect(body).toMatchObject({ responseStatus: 'SUCCESS', size: 3, start: 0, limit: 3, sort: 'id asc' });
    expect(body.users[0].user).toMatchObject({ id: 1, user_name__v: 'System' });
    const page2 = await h.call('Alpha', 'GET', `/api/${V}/objects/users?limit=3&start=3`, { auth: s });
    expect(page2.body.users[0].user.id).toBeGreaterThan(body.users[2].user.id);
    const ids = (await h.call('Alpha', 'GET', `/api/${V}/objects/users?limit=1000`, { auth: s })).body.users.map(
      (u: Json) => u.user.id,
    );
    expect(ids).not.toContain(U.betaOnly);
    const domain = (
      await h.call('Alpha', 'GET', `/api/${V}/objects/users?vaults=all&limit=1000`, { auth: s })
    ).body.users.map((u: Json) => u.user.id);
    expect(domain).toContain(U.betaOnly);
  });

  it('retrieves one user, with vault_membership on request', async () => {
    const { body } = await h.call('Alpha', 'GET', `/api/${V}/objects/users/${U.admin}?exclude_vault_membership=false`, {
      auth: s,
    });
    expect(body.users[0].user).toMatchObject({
      id: U.admin,
      user_name__v: 'admin@example.com',
      security_profile__v: 'vault_owner__v',
    });
    expect(body.users[0].user.vault_membership.map((m: Json) => m.id).sort()).toEqual([100, 150, 200]);
    expectFailure((await h.call('Alpha', 'GET', `/api/${V}/objects/users/424242`, { auth: s })).body, 'INVALID_DATA');
    expectFailure(
      (await h.call('Alpha', 'GET', `/api/${V}/objects/users?limit=abc`, { auth: s })).body,
      'INVALID_DATA',
    );
  });
});

// ---------------------------------------------------------------------------
describe('retrieve and revoke tokens (§1.5)', () => {
  let h: Harness;
  let admin: string;
  let nora: string;
  beforeAll(async () => {
    h = await startHarness();
    admin = await h.login('admin@example.com', 'Alpha');
    nora = await h.login('nora@example.com', 'Alpha');
  });
  afterAll(() => h.fake.close());

  const del = (auth: string, opts: { csv?: string; json?: unknown }, viaPost = false) =>
    h.call(
      'Alpha',
      viaPost ? 'POST' : 'DELETE',
      `/api/${V}/vobjects/api_access_token__sys${viaPost ? '?_method=DELETE' : ''}`,
      { auth, ...opts },
    );

  it('retrieves a token record; others’ tokens need permission', async () => {
    const t = h.fake.state.createToken({
      vault: 'Alpha',
      user: U.admin,
      name: 'rec',
      expiresAt: new Date('2030-05-05T05:05:05Z'),
    });
    const { body } = await h.call('Alpha', 'GET', `/api/${V}/vobjects/api_access_token__sys/${t.id}`, { auth: admin });
    expect(body.responseStatus).toBe('SUCCESS');
    expect(body.data).toMatchObject({
      id: t.id,
      name__v: 'rec',
      user__sys: U.admin,
      status__v: ['active__v'],
      expiry_date__sys: '2030-05-05T05:05:05.000Z',
    });
    expect(body.responseDetails.object.name).toBe('api_access_token__sys');
    expectFailure(
      (await h.call('Alpha', 'GET', `/api/${V}/vobjects/api_access_token__sys/${t.id}`, { auth: nora })).body,
      'INSUFFICIENT_ACCESS',
    );
    expectFailure(
      (await h.call('Alpha', 'GET', `/api/${V}/vobjects/api_access_token__sys/0PI000000000000`, { auth: admin })).body,
      'INVALID_DATA',
    );
  });

  it('deletes a CSV batch with per-record results in input order', async () => {
    const own = h.fake.state.createToken({ vault: 'Alpha', user: U.nora, name: 'own' });
    const other = h.fake.state.createToken({ vault: 'Alpha', user: U.admin, name: 'other' });
    const { body } = await del(nora, { csv: `id\r\n${own.id}\r\n0PI000000000BAD\r\n${own.id}\r\n"${other.id}"\r\n` });
    expect(body.responseStatus).toBe('SUCCESS');
    expect(body.data).toHaveLength(4);
    expect(body.data[0]).toEqual({ responseStatus: 'SUCCESS', data: { id: own.id } });
    expect(body.data[1]).toMatchObject({ responseStatus: 'FAILURE', errors: [{ type: 'INVALID_DATA' }] });
    expect(body.data[2]).toMatchObject({ responseStatus: 'FAILURE', errors: [{ type: 'INVALID_DATA' }] });
    expect(body.data[3]).toMatchObject({ responseStatus: 'FAILURE', errors: [{ type: 'INSUFFICIENT_ACCESS' }] });
    expect(h.fake.state.getToken(own.id)?.status).toBe('deleted');
    expect(h.fake.state.getToken(other.id)?.status).toBe('active');
    // Deleted tokens stay queryable as inactive and no longer authenticate.
    const q = await h.call('Alpha', 'POST', `/api/${V}/query`, {
      auth: nora,
      form: { q: `SELECT status__v FROM api_access_token__sys WHERE id = '${own.id}'` },
    });
    expect(q.body.data).toEqual([{ status__v: ['inactive__v'] }]);
    expectFailure(
      (await h.call('Alpha', 'GET', `/api/${V}/objects/users/me`, { auth: `Bearer ${own.value}` })).body,
      'INVALID_SESSION_ID',
    );
  });

  it('accepts JSON through POST ?_method=DELETE; managers may delete others’ tokens', async () => {
    const t = h.fake.state.createToken({ vault: 'Alpha', user: U.nora, name: 'by admin' });
    const { body } = await del(admin, { json: [{ id: t.id }] }, true);
    expect(body.data).toEqual([{ responseStatus: 'SUCCESS', data: { id: t.id } }]);
    expect(h.fake.state.getToken(t.id)?.status).toBe('deleted');
    const again = await del(admin, { json: [{ id: t.id }] });
    expect(again.body.data[0]).toMatchObject({ responseStatus: 'FAILURE', errors: [{ type: 'INVALID_DATA' }] });
    expect(h.fake.requestLog.at(-2)).toMatchObject({ method: 'POST', query: '?_method=DELETE' });
  });

  it('refuses more than 500 records and deletes nothing', async () => {
    const t = h.fake.state.createToken({ vault: 'Alpha', user: U.admin, name: 'survivor' });
    const csv = ['id', t.id, ...Array.from({ length: 500 }, (_, i) => `0PI${String(i).padStart(12, '0')}`)].join('\n');
    const { body } = await del(admin, { csv });
    expectFailure(body, 'INVALID_DATA');
    expect(body.data).toBeUndefined();
    expect(h.fake.state.getToken(t.id)?.status).toBe('active');
  });

  it('refuses a body that is neither CSV nor JSON', async () => {
    const { body } = await h.call('Alpha', 'DELETE', `/api/${V}/vobjects/api_access_token__sys`, {
      auth: admin,
      body: 'id\n0PI1',
      headers: { 'Content-Type': 'text/plain' },
    });
    expectFailure(body, 'INVALID_DATA');
  });
});

// ---------------------------------------------------------------------------
describe('envelope, headers and burst limit (§5)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ burstLimit: 3, burstDelayMs: 120 });
  });
  afterAll(() => h.fake.close());

  it('answers unknown routes and wrong methods with HTTP 200 FAILURE', async () => {
    const a = await h.call('Alpha', 'GET', `/api/${V}/objects/documents`);
    expect(a.res.status).toBe(200);
    expectFailure(a.body, 'MALFORMED_URL');
    expectFailure((await h.call('Alpha', 'GET', `/api/${V}/auth`)).body, 'METHOD_NOT_SUPPORTED');
    expectFailure((await h.call('Alpha', 'GET', '/api/latest/auth')).body, 'MALFORMED_URL');
  });

  it('sends the X-VaultAPI headers and delays calls over the burst limit', async () => {
    h.clock.set('2030-01-10T12:05:00Z'); // start of a fresh 5-minute window
    const s = await h.login('admin@example.com', 'Alpha'); // call 1
    const r2 = await h.call('Alpha', 'GET', `/api/${V}/objects/users/me`, { auth: s });
    expect(r2.res.headers.get('x-vaultapi-executionid')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(r2.res.headers.get('x-vaultapi-burstlimit')).toBe('3');
    expect(r2.res.headers.get('x-vaultapi-burstlimitremaining')).toBe('1');
    expect(r2.res.headers.get('x-vaultapi-vaultid')).toBe('100');
    expect(r2.res.headers.get('x-vaultapi-status')).toBe('SUCCESS');
    expect(r2.res.headers.get('x-vaultapi-userid')).toBe(String(U.admin));
    const truncated = r2.res.headers.get('x-vaultapi-truncatedsessionid')!;
    expect(s.startsWith(truncated)).toBe(true);
    expect(truncated.length).toBeLessThan(s.length);
    expectFailure(
      (await h.call('Alpha', 'GET', `/api/${V}/objects/users/me`, { auth: truncated })).body,
      'INVALID_SESSION_ID',
    );
    const r4 = await h.call('Alpha', 'GET', `/api/${V}/objects/users/me`, { auth: s });
    expect(r4.res.headers.get('x-vaultapi-burstlimitremaining')).toBe('0');
    expect(r4.res.headers.get('x-vaultapi-responsedelay')).toBe('120');
    expect(r4.ms).toBeGreaterThanOrEqual(100);
    expect(r4.body.responseStatus).toBe('SUCCESS');
    // Per Vault: Beta's window is untouched.
    const beta = await h.call('Beta', 'GET', '/api/nope');
    expect(beta.res.headers.get('x-vaultapi-burstlimitremaining')).toBe('2');
    expect(beta.res.headers.get('x-vaultapi-status')).toBe('FAILURE');
    // Next window: back to full.
    h.clock.advance(5 * MIN);
    const fresh = await h.call('Alpha', 'GET', `/api/${V}/objects/users/me`, { auth: s });
    expect(fresh.res.headers.get('x-vaultapi-burstlimitremaining')).toBe('2');
    expect(fresh.res.headers.get('x-vaultapi-responsedelay')).toBeNull();
  });

  it('records the client ID as Vault logs it (§5.5)', async () => {
    h.clock.advance(5 * MIN);
    await h.call('Alpha', 'GET', '/api/', { headers: { 'X-VaultAPI-ClientID': 'veepharm-it-tokendesk' } });
    expect(h.fake.requestLog.at(-1)).toMatchObject({
      clientId: 'veepharm-it-tokendesk',
      clientIdHeader: 'veepharm-it-tokendesk',
    });
    await h.call('Alpha', 'GET', '/api/?client_id=from-query', { headers: { 'X-VaultAPI-ClientID': 'from-header' } });
    expect(h.fake.requestLog.at(-1)?.clientId).toBe('from-query');
    await h.call('Alpha', 'GET', '/api/', { headers: { 'X-VaultAPI-ClientID': 'bad id!' } });
    expect(h.fake.requestLog.at(-1)?.clientId).toBe('invalid_client_id');
    await h.call('Alpha', 'GET', '/api/');
    expect(h.fake.requestLog.at(-1)).toMatchObject({
      clientId: 'unknown',
      auth: 'none',
      method: 'GET',
      path: '/api/',
      vaultId: 100,
    });
  });
});

// ---------------------------------------------------------------------------
describe('fault injection', () => {
  let h: Harness;
  let s: string;
  beforeAll(async () => {
    h = await startHarness();
    s = await h.login('admin@example.com', 'Alpha');
  });
  afterEach(() => h.fake.faults.clear());
  afterAll(() => h.fake.close());

  const me = (vault = 'Alpha') => h.call(vault, 'GET', `/api/${V}/objects/users/me`, { auth: s });

  it('latency delays only matching requests', async () => {
    h.fake.faults.inject({ path: /\/users\/me$/ }, { kind: 'latency', ms: 400 });
    const slow = await me();
    expect(slow.ms).toBeGreaterThanOrEqual(390);
    expect(slow.body.responseStatus).toBe('SUCCESS');
    const fast = await h.call('Alpha', 'POST', `/api/${V}/keep-alive`, { auth: s });
    expect(fast.ms).toBeLessThan(390);
  });

  it('drop destroys the socket; times limits how often', async () => {
    const rule = h.fake.faults.inject({ method: 'GET', path: '/objects/users/me' }, { kind: 'drop' }, { times: 1 });
    await expect(me()).rejects.toThrow('fetch failed');
    expect(rule.hits).toBe(1);
    expect(h.fake.requestLog.at(-1)?.responseStatus).toBe('DROPPED');
    expect((await me()).body.responseStatus).toBe('SUCCESS');
  });

  it('html500 answers HTTP 500 with an HTML body', async () => {
    h.fake.faults.inject({ vaultId: 100 }, { kind: 'html500' }, { times: 1 });
    const { res, body } = await me();
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(String(body)).toContain('<html>');
  });

  it('malformedJson answers 200 with a body that does not parse', async () => {
    h.fake.faults.inject({}, { kind: 'malformedJson' }, { times: 1 });
    const res = await h.fetch(`${h.vault('Alpha').origin}/api/${V}/objects/users/me`, {
      headers: { Authorization: s },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it('invalidSession answers INVALID_SESSION_ID for a valid session, on matching Vaults only', async () => {
    h.fake.faults.inject({ vaultId: 100 }, { kind: 'invalidSession' }, { times: 1 });
    const beta = await h.login('admin@example.com', 'Beta');
    expect((await h.call('Beta', 'GET', `/api/${V}/objects/users/me`, { auth: beta })).body.responseStatus).toBe(
      'SUCCESS',
    );
    expectFailure((await me()).body, 'INVALID_SESSION_ID');
    expect((await me()).body.responseStatus).toBe('SUCCESS');
  });

  it('apiLimit on login answers API_LIMIT_EXCEEDED with errorType', async () => {
    h.fake.faults.inject({ path: '/auth' }, { kind: 'apiLimit' }, { times: 1 });
    const { body } = await h.call('Alpha', 'POST', `/api/${V}/auth`, {
      form: { username: 'admin@example.com', password: PASSWORD },
    });
    expectFailure(body, 'API_LIMIT_EXCEEDED');
    expect(body.errorType).toBe('AUTHENTICATION_FAILED');
  });

  it('otherVault makes a login land in another Vault', async () => {
    h.fake.faults.inject({ path: '/auth' }, { kind: 'otherVault', vaultId: 200 }, { times: 1 });
    const { body } = await h.call('Alpha', 'POST', `/api/${V}/auth`, {
      form: { username: 'admin@example.com', password: PASSWORD },
    });
    expect(body.responseStatus).toBe('SUCCESS');
    expect(body.vaultId).toBe(200);
    expectFailure(
      (await h.call('Alpha', 'GET', `/api/${V}/objects/users/me`, { auth: body.sessionId })).body,
      'INVALID_SESSION_ID',
    );
    expect(
      (await h.call('Beta', 'GET', `/api/${V}/objects/users/me`, { auth: body.sessionId })).body.responseStatus,
    ).toBe('SUCCESS');
  });

  it('vaultError answers any FAILURE; clear() removes all rules', async () => {
    h.fake.faults.inject(
      { method: 'get' },
      { kind: 'vaultError', type: 'CONFIGURATION_MODE_ENABLED', message: 'Vault is in configuration mode.' },
    );
    expectFailure((await me()).body, 'CONFIGURATION_MODE_ENABLED');
    expectFailure((await me()).body, 'CONFIGURATION_MODE_ENABLED');
    expect(h.fake.faults.active).toHaveLength(1);
    h.fake.faults.clear();
    expect((await me()).body.responseStatus).toBe('SUCCESS');
  });
});

// ---------------------------------------------------------------------------
describe('UNCONFIRMED switches', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      inactiveStatus: 'revoked__v',
      expiredTokensReadInactive: false,
      deletedTokens: 'hidden',
      picklistsAsArrays: false,
      userReferencesAs: 'string',
      versionsRequireAuth: false,
      tokenOnSessionEndpoints: 'reject',
      expiryDateSysParam: 'accept',
      minTokenApiVersion: 'v26.2',
      errorTypes: { tooManyTokens: 'CUSTOM_LIMIT', veevaIdTarget: 'VEEVAID_NOPE', invalidToken: 'EXPIRED_TOKEN' },
    });
  });
  afterAll(() => h.fake.close());

  it('change VQL status values, visibility of deleted tokens and value shapes', async () => {
    const expired = h.fake.state.createToken({
      vault: 'Alpha',
      user: U.nora,
      name: 'expired',
      expiresAt: new Date('2030-01-01T00:00:00Z'),
    });
    const deleted = h.fake.state.createToken({ vault: 'Alpha', user: U.nora, name: 'deleted' });
    h.fake.state.deleteToken(deleted.id);
    const s = await h.login('nora@example.com', 'Alpha');
    const { body } = await h.call('Alpha', 'POST', `/api/${V}/query`, {
      auth: s,
      form: { q: 'SELECT id, user__sys, status__v FROM api_access_token__sys' },
    });
    expect(body.data).toEqual([{ id: expired.id, user__sys: String(U.nora), status__v: 'active__v' }]);
    expectFailure(
      (await h.call('Alpha', 'GET', `/api/${V}/objects/users/me`, { auth: `Bearer ${expired.value}` })).body,
      'EXPIRED_TOKEN',
    );
  });

  it('change session-endpoint and version rules', async () => {
    expect((await h.call('Alpha', 'GET', '/api/')).body.responseStatus).toBe('SUCCESS');
    const t = h.fake.state.createToken({ vault: 'Alpha', user: U.admin, name: 'ka' });
    expectFailure(
      (await h.call('Alpha', 'POST', `/api/${V}/keep-alive`, { auth: `Bearer ${t.value}` })).body,
      'OPERATION_NOT_ALLOWED',
    );
    const s = await h.login('admin@example.com', 'Alpha');
    expectFailure(
      (
        await h.call('Alpha', 'POST', '/api/v25.3/objects/users/me/api_access_token__sys', {
          auth: s,
          form: { name__v: 'old' },
        })
      ).body,
      'METHOD_NOT_SUPPORTED',
    );
    const sys = await h.call('Alpha', 'POST', `/api/${V}/objects/users/me/api_access_token__sys`, {
      auth: s,
      form: { name__v: 'sys', expiry_date__sys: '2030-02-01T00:00:00Z' },
    });
    expect(h.fake.state.getToken(sys.body.data.id)?.expiresAt?.toISOString()).toBe('2030-02-01T00:00:00.000Z');
  });

  it('override the error types chosen for undocumented failures', async () => {
    const s = await h.login('admin@example.com', 'Alpha');
    const veevaid = await h.call('Alpha', 'POST', `/api/${V}/objects/users/${U.veevaId}/api_access_token__sys`, {
      auth: s,
      form: { name__v: 'x', expiry_date__v: '2030-02-01' },
    });
    expectFailure(veevaid.body, 'VEEVAID_NOPE');
    for (let i = 0; i < MAX_ACTIVE_TOKENS; i++)
      h.fake.state.createToken({ vault: 'Alpha', user: U.pacific, name: `p${i}` });
    const limit = await h.call('Alpha', 'POST', `/api/${V}/objects/users/${U.pacific}/api_access_token__sys`, {
      auth: s,
      form: { name__v: 'x', expiry_date__v: '2030-02-01' },
    });
    expectFailure(limit.body, 'CUSTOM_LIMIT');
  });
});

// ---------------------------------------------------------------------------
describe('administration at run time (FakeVaultState)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.fake.close());

  it('adds a Vault on its own port and a user who can log in there', async () => {
    const gamma = await h.fake.state.addVault({ id: 400, name: 'Gamma' });
    expect(gamma.port).toBeGreaterThan(0);
    expect(h.fake.vaults.map((v) => v.id)).toContain(400);
    h.fake.state.addUser({
      id: 777,
      username: 'g@example.com',
      password: PASSWORD,
      vaults: ['Gamma'],
      timezone: 'Asia/Tokyo',
    });
    const { body } = await h.call(gamma, 'POST', `/api/${V}/auth`, {
      form: { username: 'g@example.com', password: PASSWORD },
    });
    expect(body).toMatchObject({ responseStatus: 'SUCCESS', vaultId: 400, userId: 777 });
    expect(body.vaultIds).toEqual([{ id: 400, name: 'Gamma', url: `${gamma.origin}/api` }]);
  });

  it('deactivating a Vault sends logins elsewhere', async () => {
    h.fake.state.setVaultActive('Alpha', false);
    const { body } = await h.call('Alpha', 'POST', `/api/${V}/auth`, {
      form: { username: 'admin@example.com', password: PASSWORD },
    });
    expect(body.vaultId).toBe(200);
    h.fake.state.setVaultActive('Alpha', true);
  });

  it('updates users and lists sessions without exposing full session IDs', async () => {
    h.fake.state.updateUser(U.pacific, { timezone: 'Pacific/Auckland', securityProfile: 'vault_owner__v' });
    expect(h.fake.state.getUser(U.pacific)).toMatchObject({
      timezone: 'Pacific/Auckland',
      securityProfile: 'vault_owner__v',
    });
    const s = await h.login('pat@example.com', 'Alpha');
    const sessions = h.fake.state.listSessions().filter((x) => x.userId === U.pacific);
    expect(sessions).toHaveLength(1);
    expect(s.startsWith(sessions[0]!.truncatedId)).toBe(true);
    expect(sessions[0]!.validity).toBe('valid');
  });
});
