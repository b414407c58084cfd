/**
 * Contract tests of the Vault client (electron/vault/) against the fake Vault
 * over real HTTPS (startFakeVault + createTrustingFetch). Section numbers
 * (§n.n) refer to docs/vault-api.md.
 */
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, memorySink, type LogFields, type Logger } from '../../electron/log';
import {
  VaultClient,
  VaultError,
  type VaultConnectionHandle,
  type VaultCredentials,
} from '../../electron/vault/client';
import type { LimitsSnapshot } from '../../electron/vault/types';
import {
  ManualClock,
  startFakeVault,
  type FakeVault,
  type FakeVaultInfo,
  type FakeVaultOptions,
} from '../fake-vault/index';
import { createTrustingFetch } from '../fake-vault/https-fetch';

const CERT_DIR = mkdtempSync(join(tmpdir(), 'vault-client-test-'));
const START = '2030-01-10T12:00:20.000Z';
const ADMIN_PW = 'Admin-Passw0rd!42';
const USER_PW = 'User-Passw0rd!42';

const IDS = {
  promo: 1776,
  quality: 2001,
  sandbox: 1790,
  system: 1,
  appOwner: 2,
  admin: 61603,
  jane: 61610,
  raj: 61611,
  former: 61613,
  siobhan: 61614,
  mcdonald: 61615,
} as const;

function seed(clock: ManualClock, extra: FakeVaultOptions = {}): FakeVaultOptions {
  return {
    now: clock.now,
    certDir: CERT_DIR,
    vaults: [
      { id: IDS.promo, name: 'PromoMats', createdAt: new Date('2016-03-01T00:00:00Z') },
      { id: IDS.quality, name: 'QualityDocs', createdAt: new Date('2018-06-15T00:00:00Z') },
      { id: IDS.sandbox, name: 'PromoMats Sandbox', sandboxOf: IDS.promo, createdAt: new Date('2023-01-10T00:00:00Z') },
    ],
    users: [
      { id: IDS.system, username: 'System', firstName: 'System', lastName: '', systemUser: true, vaults: 'all' },
      {
        id: IDS.appOwner,
        username: 'application.owner@veepharm.com',
        firstName: 'Application',
        lastName: 'Owner',
        systemUser: true,
        vaults: 'all',
      },
      {
        id: IDS.admin,
        username: 'admin@veepharm.com',
        password: ADMIN_PW,
        firstName: 'Avery',
        lastName: 'Admin',
        email: 'avery.admin@veepharm.com',
        timezone: 'America/New_York',
        securityProfile: 'vault_owner__v',
        vaults: [IDS.promo, IDS.quality, IDS.sandbox],
      },
      {
        id: IDS.jane,
        username: 'jane.doe@veepharm.com',
        password: USER_PW,
        firstName: 'Jane',
        lastName: 'Doe',
        email: 'jane.doe@veepharm.com',
        timezone: 'Europe/Berlin',
        vaults: [IDS.promo, IDS.sandbox],
      },
      {
        id: IDS.raj,
        username: 'raj.patel@veepharm.com',
        password: USER_PW,
        firstName: 'Raj',
        lastName: 'Patel',
        vaults: [IDS.quality],
        lastLoginVault: IDS.quality,
      },
      {
        id: IDS.former,
        username: 'former@veepharm.com',
        password: USER_PW,
        firstName: 'Former',
        lastName: 'Employee',
        active: false,
        vaults: [IDS.promo],
      },
      {
        id: IDS.siobhan,
        username: 'sobrien@veepharm.com',
        password: USER_PW,
        firstName: 'Siobhan',
        lastName: "O'Brien",
        email: 'siobhan.obrien@veepharm.com',
        vaults: [IDS.promo],
      },
      {
        id: IDS.mcdonald,
        username: 'kmcd@veepharm.com',
        password: USER_PW,
        firstName: 'Kate',
        lastName: 'McDonald',
        email: 'kate@veepharm.com',
        vaults: [IDS.promo],
      },
    ],
    ...extra,
  };
}

interface Env {
  fake: FakeVault;
  clock: ManualClock;
  fetch: typeof fetch;
  vault(name: string): FakeVaultInfo;
  /** Logs in with a raw call (not through the client) and returns the session id. */
  rawLogin(username: string, password: string, vaultName: string): Promise<string>;
  /** Requests the fake saw, optionally filtered. */
  seen(filter?: { method?: string; path?: RegExp | string; vaultId?: number }): FakeVault['requestLog'];
}

async function startEnv(extra: FakeVaultOptions = {}): Promise<Env> {
  const clock = new ManualClock(START);
  const fake = await startFakeVault(seed(clock, extra));
  const f = createTrustingFetch(fake.caPem);
  const vault = (name: string): FakeVaultInfo => {
    const v = fake.vaults.find((x) => x.name === name);
    if (!v) throw new Error(`no Vault ${name}`);
    return v;
  };
  return {
    fake,
    clock,
    fetch: f,
    vault,
    async rawLogin(username, password, vaultName) {
      const res = await f(`${vault(vaultName).origin}/api/v26.2/auth`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({ username, password }).toString(),
      });
      const body = (await res.json()) as { responseStatus: string; sessionId: string };
      if (body.responseStatus !== 'SUCCESS') throw new Error('raw login failed');
      return body.sessionId;
    },
    seen(filter = {}) {
      return fake.requestLog.filter(
        (e) =>
          (filter.method === undefined || e.method === filter.method) &&
          (filter.vaultId === undefined || e.vaultId === filter.vaultId) &&
          (filter.path === undefined ||
            (typeof filter.path === 'string'
              ? e.path === filter.path || e.path.endsWith(filter.path)
              : filter.path.test(e.path))),
      );
    },
  };
}

const quiet = createLogger(() => undefined);
const password =
  (username = 'admin@veepharm.com', pw = ADMIN_PW) =>
  async (): Promise<VaultCredentials> => ({
    kind: 'password',
    username,
    password: pw,
  });

let env: Env;
let clients: VaultClient[] = [];

function newClient(deps: Partial<ConstructorParameters<typeof VaultClient>[0]> = {}): VaultClient {
  const c = new VaultClient({
    fetch: env.fetch,
    logger: quiet,
    now: env.clock.now,
    sleep: async (ms) => void env.clock.advance(ms),
    ...deps,
  });
  clients.push(c);
  return c;
}

let nextConn = 0;
function connect(
  credentials: () => Promise<VaultCredentials> = password(),
  opts: { vault?: string; client?: VaultClient; clientId?: string; dns?: string } = {},
): VaultConnectionHandle {
  const client = opts.client ?? newClient();
  return client.connection(
    {
      connectionId: `conn-${nextConn++}`,
      dns: opts.dns ?? env.vault(opts.vault ?? 'PromoMats').dns,
      apiVersion: 'v26.2',
      clientId: opts.clientId ?? '',
    },
    credentials,
  );
}

beforeAll(async () => {
  // The auth burst limit (§5.3) is exercised by the "tight limits" fake below;
  // here every test signs in afresh within the same injected minute.
  env = await startEnv({ authBurstLimit: 100_000 });
});

afterEach(async () => {
  env.fake.faults.clear();
  await Promise.all(clients.map((c) => c.endAll()));
  clients = [];
});

afterAll(async () => {
  await env?.fake.close();
});

describe('authentication (§3)', () => {
  it('password login → whoami; sends the client id; one login for several calls', async () => {
    const before = env.seen({ path: '/auth' }).length;
    const vault = connect(password(), { clientId: 'veepharm-it.token-desk_1' });
    const user = await vault.whoami();
    expect(user).toMatchObject({
      id: String(IDS.admin),
      username: 'admin@veepharm.com',
      firstName: 'Avery',
      lastName: 'Admin',
      displayName: 'Avery Admin',
      email: 'avery.admin@veepharm.com',
      active: true,
      securityProfile: 'vault_owner__v',
    });
    await vault.whoami();
    expect(env.seen({ path: '/auth' }).length - before).toBe(1);
    const last = env.fake.requestLog.at(-1)!;
    expect(last.path).toBe('/api/v26.2/objects/users/me');
    expect(last.clientId).toBe('veepharm-it.token-desk_1');
    expect(last.auth).toBe('session');
  });

  it('default client id is vault-token-desk (§5.5)', async () => {
    await connect().whoami();
    expect(env.fake.requestLog.at(-1)!.clientId).toBe('vault-token-desk');
  });

  it('wrong password surfaces USERNAME_OR_PASSWORD_INCORRECT as a vault error', async () => {
    const err = await connect(password('admin@veepharm.com', 'wrong-password-123'))
      .whoami()
      .catch((e) => e);
    expect(err).toBeInstanceOf(VaultError);
    expect(err).toMatchObject({ kind: 'vault', type: 'USERNAME_OR_PASSWORD_INCORRECT', httpStatus: 200 });
    expect(err.executionId).toMatch(/[0-9a-f-]{36}/);
    expect(err.message).toMatch(/rejected the username or password/);
  });

  it('testConnection reports user, vault, API version and burst remaining', async () => {
    const result = await connect().testConnection();
    expect(result.user.id).toBe(String(IDS.admin));
    expect(result.vault).toEqual({ id: IDS.promo, name: 'PromoMats', dns: env.vault('PromoMats').dns });
    expect(result.apiVersion).toBe('v26.2');
    expect(result.burstLimitRemaining).toEqual(expect.any(Number));
    expect(result.burstLimitRemaining).toBeLessThan(2000);
  });

  it('apiVersions lists https://{dns}/api/{version} (§3.8)', async () => {
    const versions = await connect().apiVersions();
    expect(versions['v26.2']).toBe(`${env.vault('PromoMats').origin}/api/v26.2`);
  });

  it('token login: Bearer token, no /auth, no keep-alive, no end-session', async () => {
    const { value } = env.fake.state.createToken({ vault: IDS.promo, user: IDS.jane, name: 'jane key' });
    const before = env.fake.requestLog.length;
    const vault = connect(async () => ({ kind: 'token', token: value }));
    const me = await vault.whoami();
    expect(me.id).toBe(String(IDS.jane));
    await vault.keepAlive();
    await vault.end();
    const calls = env.fake.requestLog.slice(before);
    expect(calls.map((c) => `${c.method} ${c.path} ${c.auth}`)).toEqual(['GET /api/v26.2/objects/users/me token']);
  });

  it('token login: testConnection takes the Vault id from X-VaultAPI-VaultId (name unknown without a password login)', async () => {
    const { value } = env.fake.state.createToken({ vault: IDS.promo, user: IDS.jane, name: 'jane key 2' });
    const result = await connect(async () => ({ kind: 'token', token: value })).testConnection();
    expect(result.user.id).toBe(String(IDS.jane));
    expect(result.vault).toEqual({ id: IDS.promo, name: null, dns: env.vault('PromoMats').dns });
  });

  it('a revoked token fails once with INVALID_SESSION_ID and is not retried with the same token', async () => {
    const { id, value } = env.fake.state.createToken({ vault: IDS.promo, user: IDS.jane, name: 'soon revoked' });
    env.fake.state.deleteToken(id);
    const before = env.fake.requestLog.length;
    const err = await connect(async () => ({ kind: 'token', token: value }))
      .whoami()
      .catch((e) => e);
    expect(err).toMatchObject({ kind: 'vault', type: 'INVALID_SESSION_ID' });
    expect(env.fake.requestLog.length - before).toBe(1);
  });

  it('pasted session: validated with GET /api/, used as is, not ended on disconnect', async () => {
    const sessionId = await env.rawLogin('jane.doe@veepharm.com', USER_PW, 'PromoMats');
    const before = env.fake.requestLog.length;
    const vault = connect(async () => ({ kind: 'session', sessionId }));
    expect((await vault.whoami()).id).toBe(String(IDS.jane));
    await vault.end();
    expect(env.fake.requestLog.slice(before).map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /api/',
      'GET /api/v26.2/objects/users/me',
    ]);
    expect(env.fake.state.listSessions().find((s) => sessionId.startsWith(s.truncatedId))?.validity).toBe('valid');
  });

  it('pasted session of another Vault is refused at validation', async () => {
    const sessionId = await env.rawLogin('admin@veepharm.com', ADMIN_PW, 'QualityDocs');
    const before = env.fake.requestLog.length;
    const err = await connect(async () => ({ kind: 'session', sessionId }))
      .whoami()
      .catch((e) => e);
    expect(err).toBeInstanceOf(VaultError);
    expect(err.type).toBe('INVALID_SESSION_ID');
    expect(env.fake.requestLog.slice(before).map((c) => c.path)).toEqual(['/api/']);
  });
});

describe('authentication defaulting guard (§3.3)', () => {
  it('fault otherVault: the session is ended and the login refused, naming both Vaults', async () => {
    env.fake.faults.inject({ path: '/auth' }, { kind: 'otherVault', vaultId: IDS.quality }, { times: 1 });
    const sessionsBefore = env.fake.state.listSessions().length;
    const err = await connect()
      .whoami()
      .catch((e) => e);
    expect(err).toBeInstanceOf(VaultError);
    expect(err.kind).toBe('wrong-vault');
    expect(err.message).toContain(`"QualityDocs" (${env.vault('QualityDocs').dns})`);
    expect(err.message).toContain(env.vault('PromoMats').dns);
    const created = env.fake.state.listSessions().slice(sessionsBefore);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ vaultId: IDS.quality });
    // The session id goes only to the host asked for, never to one named in Vault's reply
    // (issue 11, finding 9); whoami never ran.
    expect(env.fake.requestLog.at(-1)).toMatchObject({
      method: 'DELETE',
      path: '/api/v26.2/session',
      vaultId: IDS.promo,
    });
    const afterAuth = env.fake.requestLog.slice(
      env.fake.requestLog.findLastIndex((r) => r.path === '/api/v26.2/auth') + 1,
    );
    expect(afterAuth.filter((r) => r.vaultId !== IDS.promo)).toEqual([]);
  });

  it('real defaulting: a user without access to PromoMats lands in QualityDocs and is refused', async () => {
    const sessionsBefore = env.fake.state.listSessions().length;
    const err = await connect(password('raj.patel@veepharm.com', USER_PW))
      .whoami()
      .catch((e) => e);
    expect(err.kind).toBe('wrong-vault');
    expect(err.message).toMatch(/"QualityDocs"/);
    const created = env.fake.state.listSessions().slice(sessionsBefore);
    expect(created.map((s) => s.vaultId)).toEqual([IDS.quality]);
    // The end-session call went to PromoMats, the DNS asked for, not to the host in Vault's reply.
    expect(env.fake.requestLog.at(-1)).toMatchObject({ method: 'DELETE', vaultId: IDS.promo });
  });
});

describe('session lifetime (§3.7, §3.8)', () => {
  it('fault invalidSession on a GET: re-authenticates once and retries', async () => {
    const vault = connect();
    await vault.whoami();
    const authBefore = env.seen({ path: '/auth' }).length;
    env.fake.faults.inject({ path: '/objects/users/me' }, { kind: 'invalidSession' }, { times: 1 });
    expect((await vault.whoami()).id).toBe(String(IDS.admin));
    expect(env.seen({ path: '/auth' }).length - authBefore).toBe(1);
  });

  it('real idle timeout: after 21 idle minutes the session is gone; the client signs in again', async () => {
    const vault = connect();
    await vault.whoami();
    const authBefore = env.seen({ path: '/auth' }).length;
    env.clock.advance(21 * 60_000);
    expect((await vault.whoami()).id).toBe(String(IDS.admin));
    const after = env.fake.requestLog.slice(-3).map((e) => `${e.path} ${e.errorType ?? e.responseStatus}`);
    expect(after).toEqual([
      '/api/v26.2/objects/users/me INVALID_SESSION_ID',
      '/api/v26.2/auth SUCCESS',
      '/api/v26.2/objects/users/me SUCCESS',
    ]);
    expect(env.seen({ path: '/auth' }).length - authBefore).toBe(1);
  });

  it('keep-alive keeps an idle session valid past the idle timeout', async () => {
    const timer: { tick: (() => void) | null; ms: number } = { tick: null, ms: 0 };
    const client = newClient({
      timers: {
        setInterval: (fn, ms) => {
          timer.tick = fn;
          timer.ms = ms;
          return 1;
        },
        clearInterval: () => {
          timer.tick = null;
        },
      },
    });
    const vault = connect(password(), { client });
    await vault.whoami();
    const authBefore = env.seen({ path: '/auth' }).length;
    const pingsBefore = env.seen({ path: '/keep-alive' }).length;
    const stop = vault.startKeepAlive({ intervalMs: 5 * 60_000, idlePeriodMs: 60 * 60_000 });
    expect(timer.ms).toBe(5 * 60_000);
    for (let i = 0; i < 5; i++) {
      env.clock.advance(5 * 60_000);
      timer.tick?.();
      await expect
        .poll(
          () => env.seen({ path: '/keep-alive' }).filter((e) => e.responseStatus === 'SUCCESS').length - pingsBefore,
        )
        .toBe(i + 1);
    }
    stop();
    expect(timer.tick).toBeNull();
    // 25 minutes since the last real request, but keep-alive restarted the idle clock.
    await vault.whoami();
    expect(env.seen({ path: '/auth' }).length - authBefore).toBe(0);
    expect(env.fake.requestLog.at(-1)).toMatchObject({
      path: '/api/v26.2/objects/users/me',
      responseStatus: 'SUCCESS',
    });
  });

  it('keepAlive() posts /keep-alive with the session', async () => {
    const vault = connect();
    await vault.whoami();
    await vault.keepAlive();
    expect(env.fake.requestLog.at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/v26.2/keep-alive',
      auth: 'session',
      responseStatus: 'SUCCESS',
    });
  });

  it('forces a fresh login before the 48-hour cap and ends the old session', async () => {
    const vault = connect();
    await vault.whoami();
    const sessionsBefore = env.fake.state.listSessions().length;
    const first = env.fake.state.listSessions().at(-1)!;
    const authBefore = env.seen({ path: '/auth' }).length;
    // Keep the old session alive (fake idle timeout 20 min) while the clock runs to 47 h.
    for (let step = 1; step < 47 * 4; step++) {
      env.clock.advance(15 * 60_000);
      await vault.keepAlive();
    }
    expect(env.seen({ path: '/auth' }).length).toBe(authBefore);
    env.clock.advance(15 * 60_000); // now 47 h after the login; Vault would still accept it for 1 h
    await vault.whoami();
    const sessions = env.fake.state.listSessions();
    expect(sessions.length - sessionsBefore).toBe(1);
    expect(sessions.find((s) => s.truncatedId === first.truncatedId)?.validity).toBe('ended');
    expect(sessions.at(-1)?.validity).toBe('valid');
  });

  it('end() and endAll() end sessions (DELETE /session)', async () => {
    const client = newClient();
    const a = connect(password(), { client });
    const b = connect(password('jane.doe@veepharm.com', USER_PW), { client });
    await a.whoami();
    await b.whoami();
    const ours = env.fake.state.listSessions().slice(-2);
    await client.endAll();
    const now = env.fake.state.listSessions().filter((s) => ours.some((o) => o.truncatedId === s.truncatedId));
    expect(now.map((s) => s.validity)).toEqual(['ended', 'ended']);
    expect(
      env
        .seen({ method: 'DELETE', path: '/session' })
        .slice(-2)
        .every((e) => e.responseStatus === 'SUCCESS'),
    ).toBe(true);
  });

  it('a changed connection config replaces the cached connection', async () => {
    const client = newClient();
    const cfg = { connectionId: 'same', dns: env.vault('PromoMats').dns, apiVersion: 'v26.2', clientId: '' };
    const a = client.connection(cfg, password());
    expect(client.connection(cfg, password())).toBe(a);
    const b = client.connection({ ...cfg, dns: env.vault('QualityDocs').dns }, password());
    expect(b).not.toBe(a);
    expect((await b.testConnection()).vault.id).toBe(IDS.quality);
  });
});

describe('API access tokens (§1, §2)', () => {
  it('generates for me with a date-only expiry, lists it, reads it, revokes it', async () => {
    const vault = connect();
    const { id, value } = await vault.generateToken({
      target: { kind: 'me' },
      name: 'CI pipeline',
      expiry: { kind: 'date', date: '2030-02-01' },
    });
    expect(id).toMatch(/^0PI[0-9A-Z]{12}$/);
    expect(value).toMatch(/^veeva-vault-/);
    // §1.2: a bare date is 23:59:59 in the user's zone (America/New_York, UTC-5 in February).
    expect(env.fake.state.getToken(id)?.expiresAt?.toISOString()).toBe('2030-02-02T04:59:59.000Z');

    const mine = await vault.listTokens({ userId: String(IDS.admin) });
    const row = mine.find((r) => r.id === id);
    expect(row).toMatchObject({
      id,
      name: 'CI pipeline',
      userId: String(IDS.admin),
      status: 'active__v',
      lastUsedDate: null,
    });
    expect(row?.expiryDate).toMatch(/^2030-02-02T04:59:59/);
    // The listing selects only the six documented fields (§2.1).
    expect(row && 'createdDate' in row).toBe(false);

    const one = await vault.getToken(id);
    expect(one).toMatchObject({ id, name: 'CI pipeline', status: 'active__v' });

    const results = await vault.revokeTokens([id]);
    expect(results).toEqual([{ id, ok: true }]);
    expect(env.fake.state.getToken(id)?.status).toBe('deleted');
    expect((await vault.getToken(id))?.status).toBe('inactive__v');
  });

  it('the new token works as a credential', async () => {
    const { value } = await connect().generateToken({
      target: { kind: 'me' },
      name: 'works',
      expiry: { kind: 'never' },
    });
    expect((await connect(async () => ({ kind: 'token', token: value })).whoami()).id).toBe(String(IDS.admin));
  });

  it('generates for another user with a UTC date-time and for a sandbox', async () => {
    const vault = connect();
    const forJane = await vault.generateToken({
      target: { kind: 'user', userId: String(IDS.jane) },
      name: 'Jane reporting',
      expiry: { kind: 'datetime', iso: '2030-01-20T18:30:00+01:00' },
    });
    const jane = env.fake.state.getToken(forJane.id)!;
    expect(jane.userId).toBe(IDS.jane);
    expect(jane.expiresAt?.toISOString()).toBe('2030-01-20T17:30:00.000Z');

    const sbx = await vault.generateToken({
      target: { kind: 'sandbox', sandboxName: 'PromoMats Sandbox' },
      name: 'sbx',
      expiry: { kind: 'date', date: '2030-01-15' },
    });
    expect(env.fake.state.getToken(sbx.id)?.vaultId).toBe(IDS.sandbox);
    expect(
      env.seen({ path: /\/objects\/sandbox\/PromoMats%20Sandbox\/users\/me\/api_access_token__sys$/ }),
    ).toHaveLength(1);
    // §1.4: the token belongs to the sandbox: listed there, not on the parent; the login names the sandbox's own Vault.
    expect((await vault.listTokens()).map((t) => t.id)).not.toContain(sbx.id);
    expect((await connect(password(), { vault: 'PromoMats Sandbox' }).listTokens()).map((t) => t.id)).toContain(sbx.id);
    expect(vault.reachableVaults()).toContainEqual({
      id: IDS.sandbox,
      name: 'PromoMats Sandbox',
      dns: env.vault('PromoMats Sandbox').dns,
    });
  });

  it('sandbox names and user ids that could change the path never reach Vault', async () => {
    const vault = connect();
    await vault.whoami();
    const before = env.fake.requestLog.length;
    for (const sandboxName of ['..', '.', '../users/me']) {
      await expect(
        vault.generateToken({ target: { kind: 'sandbox', sandboxName }, name: 'x', expiry: { kind: 'never' } }),
      ).rejects.toMatchObject({
        kind: 'invalid-input',
      });
    }
    await expect(
      vault.generateToken({ target: { kind: 'user', userId: '..' }, name: 'x', expiry: { kind: 'never' } }),
    ).rejects.toMatchObject({
      kind: 'invalid-input',
    });
    expect(env.fake.requestLog.length).toBe(before);
  });

  it('a Vault refusal of a generate is a typed vault error (e.g. profile forbids never-expire)', async () => {
    const err = await connect(password('jane.doe@veepharm.com', USER_PW))
      .generateToken({ target: { kind: 'me' }, name: 'forever', expiry: { kind: 'never' } })
      .catch((e) => e);
    expect(err).toMatchObject({ kind: 'vault', type: 'PARAMETER_REQUIRED' });
  });

  it('refuses a past or malformed expiry before sending anything', async () => {
    const vault = connect();
    const before = env.fake.requestLog.length;
    await expect(
      vault.generateToken({
        target: { kind: 'me' },
        name: 'x',
        expiry: { kind: 'datetime', iso: '2020-01-01T00:00:00Z' },
      }),
    ).rejects.toMatchObject({
      kind: 'invalid-input',
    });
    await expect(
      vault.generateToken({ target: { kind: 'me' }, name: ' ', expiry: { kind: 'never' } }),
    ).rejects.toMatchObject({ kind: 'invalid-input' });
    expect(env.fake.requestLog.length).toBe(before);
  });

  describe('Generate is never retried (§1.2)', () => {
    const GEN = '/objects/users/me/api_access_token__sys';
    it.each([
      ['drop', { kind: 'drop' as const }, 'connection-reset'],
      ['invalidSession', { kind: 'invalidSession' as const }, 'vault'],
      ['html500', { kind: 'html500' as const }, 'not-json'],
      ['malformedJson', { kind: 'malformedJson' as const }, 'not-json'],
      ['apiLimit', { kind: 'apiLimit' as const }, 'vault'],
    ])('%s → one generate request, then the error', async (_name, fault, kind) => {
      const vault = connect();
      await vault.whoami();
      const tokensBefore = env.fake.state.listTokens({ user: IDS.admin }).length;
      const genBefore = env.seen({ path: GEN }).length;
      env.fake.faults.inject({ method: 'POST', path: GEN }, fault);
      const err = await vault
        .generateToken({ target: { kind: 'me' }, name: 'once', expiry: { kind: 'never' } })
        .catch((e) => e);
      expect(err).toBeInstanceOf(VaultError);
      expect(err.kind).toBe(kind);
      expect(env.seen({ path: GEN }).length - genBefore).toBe(1);
      expect(env.fake.state.listTokens({ user: IDS.admin }).length).toBe(tokensBefore);
      if (kind !== 'vault') expect(err.message).toMatch(/A token may have been created anyway/);
    });

    it('timeout → one generate request', async () => {
      const vault = connect(password(), { client: newClient({ timeoutMs: 300 }) });
      await vault.whoami();
      const genBefore = env.seen({ path: GEN }).length;
      env.fake.faults.inject({ method: 'POST', path: GEN }, { kind: 'latency', ms: 1500 }, { times: 1 });
      const err = await vault
        .generateToken({ target: { kind: 'me' }, name: 'slow', expiry: { kind: 'never' } })
        .catch((e) => e);
      expect(err.kind).toBe('timeout');
      expect(env.seen({ path: GEN }).length - genBefore).toBe(1);
    });
  });

  it('listTokens for another user (admin sees everyone, §1.5)', async () => {
    env.fake.state.createToken({
      vault: IDS.promo,
      user: IDS.jane,
      name: 'Jane local scripts',
      expiresAt: new Date('2030-03-01T00:00:00Z'),
    });
    const rows = await connect().listTokens({ userId: String(IDS.jane), activeOnly: true });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.userId === String(IDS.jane) && r.status === 'active__v')).toBe(true);
    expect(rows.find((r) => r.name === 'Jane local scripts')?.expiryDate).toMatch(/^2030-03-01T00:00:00/);
  });

  it('getToken of an unknown id is null', async () => {
    expect(await connect().getToken('0PI999999999999')).toBeNull();
  });

  it('revoke batch with one bad id: per-record results in input order', async () => {
    const a = env.fake.state.createToken({ vault: IDS.promo, user: IDS.admin, name: 'a' });
    const b = env.fake.state.createToken({ vault: IDS.promo, user: IDS.admin, name: 'b' });
    const results = await connect().revokeTokens([a.id, '0PI999999999999', b.id]);
    expect(results).toEqual([
      { id: a.id, ok: true },
      { id: '0PI999999999999', ok: false, errorType: 'INVALID_DATA', message: expect.stringContaining('not found') },
      { id: b.id, ok: true },
    ]);
    expect(env.fake.state.getToken(a.id)?.status).toBe('deleted');
    expect(env.fake.state.getToken(b.id)?.status).toBe('deleted');
  });

  it('600 ids go out as 2 DELETE batches (500 + 100), results in order', async () => {
    const ids = Array.from(
      { length: 600 },
      (_, i) => env.fake.state.createToken({ vault: IDS.promo, user: IDS.jane, name: `bulk ${i}` }).id,
    );
    const vault = connect();
    await vault.whoami();
    const before = env.seen({ method: 'DELETE', path: '/vobjects/api_access_token__sys' }).length;
    const results = await vault.revokeTokens(ids);
    expect(env.seen({ method: 'DELETE', path: '/vobjects/api_access_token__sys' }).length - before).toBe(2);
    expect(results.map((r) => r.id)).toEqual(ids);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(
      env.fake.state.listTokens({ user: IDS.jane, status: 'deleted' }).filter((t) => t.name.startsWith('bulk ')).length,
    ).toBe(600);
  });

  it('revoke is not repeated after INVALID_SESSION_ID', async () => {
    const t = env.fake.state.createToken({ vault: IDS.promo, user: IDS.admin, name: 'keep' });
    const vault = connect();
    await vault.whoami();
    const before = env.seen({ method: 'DELETE', path: '/vobjects/api_access_token__sys' }).length;
    env.fake.faults.inject(
      { method: 'DELETE', path: '/vobjects/api_access_token__sys' },
      { kind: 'invalidSession' },
      { times: 1 },
    );
    await expect(vault.revokeTokens([t.id])).rejects.toMatchObject({ type: 'INVALID_SESSION_ID' });
    expect(env.seen({ method: 'DELETE', path: '/vobjects/api_access_token__sys' }).length - before).toBe(1);
    expect(env.fake.state.getToken(t.id)?.status).toBe('active');
  });
});

describe('capability check: what this login may do here (read-only)', () => {
  const statuses = (checks: { id: string; status: string }[]) =>
    Object.fromEntries(checks.map((c) => [c.id, c.status]));

  it('an admin: every check says yes, and only reads reach the Vault', async () => {
    const vault = connect();
    await vault.generateToken({
      target: { kind: 'user', userId: String(IDS.jane) },
      name: 'for jane',
      expiry: { kind: 'date', date: '2030-02-01' },
    });
    const before = env.fake.requestLog.length;
    const data = () => {
      const snap = env.fake.state.snapshot() as { tokens: unknown; users: unknown; vaults: unknown };
      return JSON.stringify({ tokens: snap.tokens, users: snap.users, vaults: snap.vaults });
    };
    const dataBefore = data();
    const report = await vault.checkCapabilities();
    expect(statuses(report.checks)).toEqual({
      'signed-in': 'yes',
      'api-versions': 'yes',
      'token-endpoints': 'yes',
      'own-tokens': 'yes',
      'all-tokens': 'yes',
      'read-users': 'yes',
      'burst-limit': 'yes',
    });
    expect(report.apiVersions).toContain('v26.2');
    expect(report.checks.find((c) => c.id === 'signed-in')?.detail).toContain('PromoMats');
    expect(report.checks.find((c) => c.id === 'burst-limit')?.detail).toMatch(/^[\d,]+ of 2,000 calls left/);
    const sent = env.fake.requestLog.slice(before).map((r) => `${r.method} ${r.path}`);
    for (const r of sent)
      expect(r).toMatch(/^(GET \/api\/|GET \/api\/v26\.2\/objects\/users\/me|POST \/api\/v26\.2\/query)$/);
    expect(data()).toBe(dataBefore);
  });

  it('a user without token-manager rights: the admin view cannot be told, the rest works', async () => {
    const report = await connect(password('jane.doe@veepharm.com', USER_PW)).checkCapabilities();
    expect(statuses(report.checks)).toMatchObject({
      'own-tokens': 'yes',
      'all-tokens': 'unknown',
      'read-users': 'yes',
    });
    expect(report.checks.find((c) => c.id === 'all-tokens')?.detail).toMatch(/only its own tokens/);
  });

  it('a refused step becomes a "no" with Vault’s reason, and the other steps still run', async () => {
    const vault = connect();
    await vault.whoami();
    env.fake.faults.inject(
      { path: '/query' },
      { kind: 'vaultError', type: 'INSUFFICIENT_ACCESS', message: 'not allowed' },
      { times: 1 },
    );
    const report = await vault.checkCapabilities();
    const own = report.checks.find((c) => c.id === 'own-tokens')!;
    expect(own.status).toBe('no');
    expect(own.detail).toMatch(/INSUFFICIENT_ACCESS|permission|not allowed/i);
    expect(statuses(report.checks)).toMatchObject({ 'read-users': 'yes', 'burst-limit': 'yes' });
  });

  it('a connection on an API version older than the token endpoints is told which version to use', async () => {
    const client = newClient();
    const vault = client.connection(
      { connectionId: `conn-${nextConn++}`, dns: env.vault('PromoMats').dns, apiVersion: 'v25.3', clientId: '' },
      password(),
    );
    const report = await vault.checkCapabilities();
    const tokens = report.checks.find((c) => c.id === 'token-endpoints')!;
    expect(tokens.status).toBe('no');
    expect(tokens.detail).toMatch(/v25\.3, older than v26\.2.*use v26\.3/);
  });
});

describe('users for the picker (§4)', () => {
  it('lists active humans only (no System, Application Owner or inactive users)', async () => {
    const users = await connect().listUsers({ limit: 100 });
    const ids = users.map((u) => u.id);
    expect(ids).toEqual(expect.arrayContaining([String(IDS.admin), String(IDS.jane), String(IDS.siobhan)]));
    expect(ids).not.toContain(String(IDS.system));
    expect(ids).not.toContain(String(IDS.appOwner));
    expect(ids).not.toContain(String(IDS.former));
    expect(ids).not.toContain(String(IDS.raj)); // not a member of PromoMats
    expect(env.fake.requestLog.at(-1)?.path).toBe('/api/v26.2/query');
  });

  it.each([
    ['jane', IDS.jane],
    ['DOE', IDS.jane],
    ['sobrien@', IDS.siobhan],
    ["o'brien", IDS.siobhan],
    ['siobhan.obrien@veepharm', IDS.siobhan],
    ['Avery Admin', IDS.admin],
  ])('search %j finds one user', async (search, id) => {
    const users = await connect().listUsers({ search });
    expect(users.map((u) => u.id)).toEqual([String(id)]);
  });

  it('search for nobody is empty; limit is honoured', async () => {
    expect(await connect().listUsers({ search: 'zzz-nobody' })).toEqual([]);
    expect(await connect().listUsers({ limit: 1 })).toHaveLength(1);
  });

  it('mixed-case names: one CASEINSENSITIVE query finds McDonald from "mcd" and "MCDON"', async () => {
    const vault = connect();
    expect((await vault.listUsers({ search: 'mcd' })).map((u) => u.id)).toEqual([String(IDS.mcdonald)]);
    const before = env.seen({ path: '/query' }).length;
    expect((await vault.listUsers({ search: 'MCDON' })).map((u) => u.id)).toEqual([String(IDS.mcdonald)]);
    expect(env.seen({ path: '/query' }).length - before).toBe(1);
  });

  it('a search with _ or % is one valid query (no fallback to the legacy list): _ is no VQL wildcard, % is escaped', async () => {
    const vault = connect();
    expect(await vault.listUsers({ search: 'jane_' })).toEqual([]);
    expect(await vault.listUsers({ search: '%' })).toEqual([]);
    expect(env.seen({ path: '/objects/users' })).toEqual([]);
  });

  it('names for token owners (sync): one query with documented fields only, system users kept', async () => {
    const vault = connect();
    const before = env.seen({ path: '/query' }).length;
    const users = await vault.listUsers({ limit: 1000, includeSystemUsers: true });
    expect(users.map((u) => u.id)).toEqual(expect.arrayContaining([String(IDS.system), String(IDS.admin)]));
    expect(
      env
        .seen({ path: '/query' })
        .slice(before)
        .map((r) => r.responseStatus),
    ).toEqual(['SUCCESS']);
  });

  it('a Vault that refuses the undocumented user_type__v is asked once more without it, and not again', async () => {
    const vault = connect();
    const before = env.seen({ path: '/query' }).length;
    expect((await vault.listUsers({ search: 'jane' })).map((u) => u.id)).toEqual([String(IDS.jane)]);
    const first = env.seen({ path: '/query' }).slice(before);
    expect(first.map((r) => r.errorType ?? r.responseStatus)).toEqual(['INVALID_DATA', 'SUCCESS']);
    await vault.listUsers({ search: 'siobhan' });
    expect(env.seen({ path: '/query' }).length - before).toBe(3);
  });

  it('a Vault that accepts user_type__v (the fake loosened for this test): one query, and system users go whatever their names', async () => {
    const loose = await startEnv({
      authBurstLimit: 100_000,
      extraQueryFields: { user__sys: ['user_type__v'] },
      users: [
        {
          id: 9001,
          username: 'robot@veepharm.com',
          password: ADMIN_PW,
          firstName: 'Robot',
          lastName: 'Account',
          systemUser: true,
          vaults: [IDS.promo],
        },
        {
          id: IDS.admin,
          username: 'admin@veepharm.com',
          password: ADMIN_PW,
          firstName: 'Avery',
          lastName: 'Admin',
          securityProfile: 'vault_owner__v',
          vaults: [IDS.promo],
        },
      ],
    });
    try {
      const client = new VaultClient({ fetch: loose.fetch, logger: quiet, now: loose.clock.now });
      clients.push(client);
      const vault = client.connection(
        { connectionId: 'loose', dns: loose.vault('PromoMats').dns, apiVersion: 'v26.2', clientId: '' },
        password(),
      );
      expect((await vault.listUsers({ search: 'r' })).map((u) => u.id)).toEqual([]);
      expect((await vault.listUsers({})).map((u) => u.id)).toEqual([String(IDS.admin)]);
      expect(loose.seen({ path: '/query' }).map((r) => r.responseStatus)).toEqual(['SUCCESS', 'SUCCESS']);
    } finally {
      await loose.fake.close();
    }
  });

  it('falls back to the legacy users list when the user__sys query is refused', async () => {
    env.fake.faults.inject(
      { path: '/query' },
      { kind: 'vaultError', type: 'INCORRECT_QUERY_SYNTAX_ERROR', message: 'no such field' },
      { times: 2 },
    );
    const users = await connect().listUsers({ search: 'jane' });
    expect(users.map((u) => u.id)).toEqual([String(IDS.jane)]);
    expect(env.fake.requestLog.at(-1)).toMatchObject({ method: 'GET', path: '/api/v26.2/objects/users' });
  });
});

describe('errors (§5)', () => {
  it('html500 → not-json with HTTP 500; not retried', async () => {
    const vault = connect();
    await vault.whoami();
    const before = env.seen({ path: '/objects/users/me' }).length;
    env.fake.faults.inject({ path: '/objects/users/me' }, { kind: 'html500' }, { times: 1 });
    const err = await vault.whoami().catch((e) => e);
    expect(err).toMatchObject({ kind: 'not-json', httpStatus: 500 });
    expect(err.message).toMatch(/HTTP 500 and an HTML page/);
    expect(env.seen({ path: '/objects/users/me' }).length - before).toBe(1);
  });

  it('malformedJson → not-json with HTTP 200', async () => {
    const vault = connect();
    await vault.whoami();
    env.fake.faults.inject({ path: '/query' }, { kind: 'malformedJson' }, { times: 1 });
    await expect(vault.listTokens()).rejects.toMatchObject({ kind: 'not-json', httpStatus: 200 });
  });

  it('a vaultError fault carries type, message and execution id', async () => {
    const vault = connect();
    await vault.whoami();
    env.fake.faults.inject(
      { path: '/objects/users/me' },
      { kind: 'vaultError', type: 'INSUFFICIENT_ACCESS', message: 'not licensed' },
      { times: 1 },
    );
    const err = await vault.whoami().catch((e) => e);
    expect(err).toMatchObject({ kind: 'vault', type: 'INSUFFICIENT_ACCESS', vaultMessage: 'not licensed' });
    expect(err.executionId).toBe(env.fake.requestLog.at(-1)!.executionId);
  });

  it('timeout: kind timeout, message names the limit', async () => {
    const vault = connect(password(), { client: newClient({ timeoutMs: 250 }) });
    await vault.whoami();
    env.fake.faults.inject({ path: '/objects/users/me' }, { kind: 'latency', ms: 1500 }, { times: 1 });
    const t0 = Date.now();
    const err = await vault.whoami().catch((e) => e);
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/^Vault did not answer within 0\.25 s/);
    expect(Date.now() - t0).toBeLessThan(1400);
  });

  it('dropped connection → connection-reset', async () => {
    const vault = connect();
    await vault.whoami();
    env.fake.faults.inject({ path: '/objects/users/me' }, { kind: 'drop' }, { times: 1 });
    await expect(vault.whoami()).rejects.toMatchObject({ kind: 'connection-reset' });
  });

  it('connection refused (closed port) → network', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const err = await connect(password(), { dns: `127.0.0.1:${port}` })
      .whoami()
      .catch((e) => e);
    expect(err).toBeInstanceOf(VaultError);
    expect(err.kind).toBe('network');
    expect(err.message).toBe(
      `Could not connect to 127.0.0.1:${port}: the connection was refused. Check the Vault DNS (and port) and your network.`,
    );
  });

  it('an untrusted certificate (plain Node fetch) → tls', async () => {
    const client = newClient({ fetch: globalThis.fetch });
    const err = await connect(password(), { client })
      .whoami()
      .catch((e) => e);
    expect(err.kind).toBe('tls');
    expect(err.message).toMatch(/^The Vault's TLS certificate is not trusted: /);
  });

  it('an unknown host → dns', async () => {
    const client = newClient({ fetch: globalThis.fetch, timeoutMs: 10_000 });
    const err = await connect(password(), { client, dns: 'no-such-vault.invalid' })
      .whoami()
      .catch((e) => e);
    expect(err.kind).toBe('dns');
    expect(err.message).toBe('Could not find the host no-such-vault.invalid. Check the Vault DNS.');
  });

  it('plain http is refused at construction', () => {
    expect(() => connect(password(), { dns: `http://${env.vault('PromoMats').dns}` })).toThrow(/https only/);
  });
});

describe('limits (§5.3)', () => {
  it('records burst headers with the time seen and reports them to onLimits', async () => {
    const seen: LimitsSnapshot[] = [];
    const vault = connect(password(), { client: newClient({ onLimits: (_id, s) => seen.push(s) }) });
    expect(vault.limits().seenAt).toBeNull();
    await vault.whoami();
    const snap = vault.limits();
    expect(snap.burstLimit).toBe(2000);
    expect(snap.burstLimitRemaining).toEqual(expect.any(Number));
    expect(snap.burstLimitRemaining).toBeLessThan(2000);
    expect(snap.seenAt).toEqual(env.clock.now());
    expect(seen.length).toBeGreaterThanOrEqual(2); // /auth and /objects/users/me
    expect(seen.at(-1)).toEqual(snap);
  });

  it('API_LIMIT_EXCEEDED on login (fault): waits for the next minute once, tells the user, retries once', async () => {
    const sleeps: number[] = [];
    const notices: string[] = [];
    const client = newClient({
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      onNotice: (_id, m) => notices.push(m),
    });
    env.fake.faults.inject({ path: '/auth' }, { kind: 'apiLimit' }, { times: 1 });
    const before = env.seen({ path: '/auth' }).length;
    const expectedWait = 60_000 - (env.clock.now().getTime() % 60_000);
    expect((await connect(password(), { client }).whoami()).id).toBe(String(IDS.admin));
    expect(sleeps).toEqual([expectedWait]);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/sign-in limit.*waiting [\d.]+ s for the next minute, then trying once more/);
    expect(env.seen({ path: '/auth' }).length - before).toBe(2);
  });

  it('API_LIMIT_EXCEEDED twice: the second is surfaced', async () => {
    const sleeps: number[] = [];
    const client = newClient({ sleep: async (ms) => void sleeps.push(ms) });
    env.fake.faults.inject({ path: '/auth' }, { kind: 'apiLimit' }, { times: 2 });
    await expect(connect(password(), { client }).whoami()).rejects.toMatchObject({
      kind: 'vault',
      type: 'API_LIMIT_EXCEEDED',
    });
    expect(sleeps).toHaveLength(1);
  });

  describe('with tight limits', () => {
    let tight: Env;
    beforeAll(async () => {
      tight = await startEnv({ authBurstLimit: 1, burstLimit: 4, burstDelayMs: 30, defaultPageSize: 4 });
    });
    afterAll(async () => {
      await tight?.fake.close();
    });

    function tightClient(extra: Partial<ConstructorParameters<typeof VaultClient>[0]> = {}) {
      const c = new VaultClient({ fetch: tight.fetch, logger: quiet, now: tight.clock.now, ...extra });
      clients.push(c);
      return c;
    }

    it('real auth burst limit: the client sleeps to the next minute (on the shared clock) and gets in', async () => {
      const notices: string[] = [];
      const sleeps: number[] = [];
      const client = tightClient({
        sleep: async (ms) => {
          sleeps.push(ms);
          tight.clock.advance(ms);
        },
        onNotice: (_id, m) => notices.push(m),
      });
      const cfg = (id: string) => ({
        connectionId: id,
        dns: tight.vault('PromoMats').dns,
        apiVersion: 'v26.2',
        clientId: '',
      });
      await client.connection(cfg('first'), password()).whoami();
      await client.connection(cfg('second'), password()).whoami();
      expect(sleeps).toEqual([40_000]);
      expect(notices).toHaveLength(1);
      const auths = tight.seen({ path: '/auth' }).map((e) => e.errorType ?? e.responseStatus);
      expect(auths).toEqual(['SUCCESS', 'API_LIMIT_EXCEEDED', 'SUCCESS']);
    });

    it('over the burst limit responses are delayed; remaining 0 and the delay are recorded', async () => {
      const seen: LimitsSnapshot[] = [];
      tight.clock.advance(5 * 60_000);
      const vault = tightClient({
        sleep: async (ms) => void tight.clock.advance(ms),
        onLimits: (_id, s) => seen.push(s),
      }).connection(
        { connectionId: 'burst', dns: tight.vault('PromoMats').dns, apiVersion: 'v26.2', clientId: '' },
        password(),
      );
      for (let i = 0; i < 5; i++) await vault.whoami();
      expect(vault.limits()).toMatchObject({ burstLimit: 4, burstLimitRemaining: 0, responseDelayMs: 30 });
      expect(seen.some((s) => s.burstLimitRemaining === 0)).toBe(true);
    });

    it('VQL pagination follows next_page (POST) across several pages with a page callback', async () => {
      for (let i = 0; i < 10; i++)
        tight.fake.state.createToken({ vault: IDS.promo, user: IDS.jane, name: `page ${i}` });
      tight.clock.advance(5 * 60_000);
      const vault = tightClient({ sleep: async (ms) => void tight.clock.advance(ms) }).connection(
        { connectionId: 'pages', dns: tight.vault('PromoMats').dns, apiVersion: 'v26.2', clientId: '' },
        password('jane.doe@veepharm.com', USER_PW),
      );
      const pages: { index: number; size: number; total: number | null; rows: number }[] = [];
      const rows = await vault.listTokens({
        onPage: (r, p) => pages.push({ index: p.index, size: p.size, total: p.total, rows: r.length }),
      });
      expect(rows.map((r) => r.name).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `page ${i}`).sort());
      expect(new Set(rows.map((r) => r.id)).size).toBe(10);
      expect(pages).toEqual([
        { index: 0, size: 4, total: 10, rows: 4 },
        { index: 1, size: 4, total: 10, rows: 4 },
        { index: 2, size: 2, total: 10, rows: 2 },
      ]);
      const queryCalls = tight.seen({ path: /\/query/ }).slice(-3);
      expect(queryCalls.map((e) => `${e.method} ${e.path.replace(/[0-9a-f-]{36}$/, '{uuid}')}${e.query}`)).toEqual([
        'POST /api/v26.2/query',
        'POST /api/v26.2/query/{uuid}?pagesize=4&pageoffset=4',
        'POST /api/v26.2/query/{uuid}?pagesize=4&pageoffset=8',
      ]);
    });

    it('the max-pages guard stops runaway pagination', async () => {
      tight.clock.advance(5 * 60_000);
      const vault = tightClient({ sleep: async (ms) => void tight.clock.advance(ms) }).connection(
        { connectionId: 'guard', dns: tight.vault('PromoMats').dns, apiVersion: 'v26.2', clientId: '' },
        password('jane.doe@veepharm.com', USER_PW),
      );
      await expect(vault.listTokens({ maxPages: 2 })).rejects.toMatchObject({ kind: 'too-many-pages' });
    });
  });
});

describe('logs never carry secrets', () => {
  /** Records fields exactly as the client passes them (no redaction), to prove the client itself never logs secrets. */
  function rawLogger(out: unknown[], bindings: LogFields = {}): Logger {
    const emit = (level: string) => (message: string, fields?: LogFields) =>
      out.push({ level, message, ...bindings, ...fields });
    return {
      debug: emit('debug'),
      info: emit('info'),
      warn: emit('warn'),
      error: emit('error'),
      child: (more) => rawLogger(out, { ...bindings, ...more }),
    };
  }

  function teeLogger(a: Logger, b: Logger): Logger {
    return {
      debug: (m, f) => (a.debug(m, f), b.debug(m, f)),
      info: (m, f) => (a.info(m, f), b.info(m, f)),
      warn: (m, f) => (a.warn(m, f), b.warn(m, f)),
      error: (m, f) => (a.error(m, f), b.error(m, f)),
      child: (more) => teeLogger(a.child(more), b.child(more)),
    };
  }

  it('a whole scenario: passwords, session ids and token values never appear in any record', async () => {
    const mem = memorySink();
    const raw: unknown[] = [];
    const logger = teeLogger(createLogger(mem.sink, 'debug'), rawLogger(raw));
    const knownToken = `veeva-vault-LEAKCHECK${'7'.repeat(40)}`;
    env.fake.state.createToken({ vault: IDS.promo, user: IDS.jane, name: 'leak check', value: knownToken });
    const pastedSession = await env.rawLogin('jane.doe@veepharm.com', USER_PW, 'PromoMats');
    const client = newClient({ logger });

    // Failed login (password in the body), then a good one and everything a user does.
    await connect(password('admin@veepharm.com', 'Wrong-Passw0rd-XYZ'), { client })
      .whoami()
      .catch(() => undefined);
    const admin = connect(password(), { client });
    await admin.testConnection();
    const generated = await admin.generateToken({
      target: { kind: 'me' },
      name: 'leak test',
      expiry: { kind: 'date', date: '2030-06-30' },
    });
    const forJane = await admin.generateToken({
      target: { kind: 'user', userId: String(IDS.jane) },
      name: 'leak test 2',
      expiry: { kind: 'datetime', iso: '2030-02-20T00:00:00Z' },
    });
    await admin.listTokens({ onPage: () => undefined });
    await admin.getToken(generated.id);
    await admin.listUsers({ search: 'jane' });
    env.fake.faults.inject({ path: '/objects/users/me' }, { kind: 'invalidSession' }, { times: 1 });
    await admin.whoami(); // re-auth → a second session
    env.fake.faults.inject(
      { method: 'POST', path: '/objects/users/me/api_access_token__sys' },
      { kind: 'drop' },
      { times: 1 },
    );
    await admin
      .generateToken({ target: { kind: 'me' }, name: 'dropped', expiry: { kind: 'never' } })
      .catch(() => undefined);
    await admin.revokeTokens([generated.id, forJane.id, '0PI999999999999']);
    await admin.keepAlive();
    await connect(async () => ({ kind: 'token', token: knownToken }), { client }).listTokens();
    await connect(async () => ({ kind: 'token', token: generated.value }), { client })
      .whoami()
      .catch(() => undefined);
    await connect(async () => ({ kind: 'session', sessionId: pastedSession }), { client }).whoami();
    await client.endAll();

    const sessionIds = [...env.fake.state.store.sessions.keys()];
    const secrets = [
      ADMIN_PW,
      USER_PW,
      'Wrong-Passw0rd-XYZ',
      knownToken,
      generated.value,
      forJane.value,
      pastedSession,
      ...sessionIds,
    ];
    expect(sessionIds.length).toBeGreaterThan(3);
    expect(mem.records.length).toBeGreaterThan(20);
    expect(raw.length).toBe(mem.records.length);

    for (const [label, records] of [
      ['memorySink', mem.records],
      ['unredacted', raw],
    ] as const) {
      for (const record of records) {
        const text = JSON.stringify(record);
        for (const secret of secrets) {
          expect(text.includes(secret), `${label} record leaks a secret: ${text.slice(0, 200)}`).toBe(false);
        }
      }
    }
    // …while still carrying what support needs.
    const all = JSON.stringify(mem.records);
    expect(all).toContain('"truncatedSessionId"');
    expect(all).toContain('"executionId"');
    expect(all).toContain(generated.id);
    expect(all).toContain('/api/v26.2/objects/users/me');
  });
});
