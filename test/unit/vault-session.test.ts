/**
 * Session handling of the Vault client against a scripted fetch: the precise
 * sequencing (which calls, in which order, with which Authorization) that is
 * easiest to pin down without a server. The same behaviours are exercised
 * against the fake Vault in test/integration/vault-client.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/log';
import { msUntilNextMinute } from '../../electron/vault/auth';
import { VaultClient } from '../../electron/vault/client';
import type { Timers } from '../../electron/vault/session-manager';
import type { FetchLike, VaultCredentials } from '../../electron/vault/types';

const DNS = 'vault.example.com';
const SESSION_A = 'SESSION-AAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const SESSION_B = 'SESSION-BBBBBBBBBBBBBBBBBBBBBBBBBBBB';

interface Call {
  host: string;
  method: string;
  path: string;
  auth: string | undefined;
  body: string | undefined;
}

type Route = (call: Call) => unknown;

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
}

const ok = (extra: Record<string, unknown> = {}) => ({ responseStatus: 'SUCCESS', ...extra });
const fail = (type: string) => ({ responseStatus: 'FAILURE', errors: [{ type, message: type.toLowerCase() }] });
const me = ok({
  users: [
    { user: { id: 61603, user_name__v: 'ana@veepharm.com', user_first_name__v: 'Ana', user_last_name__v: 'Diaz' } },
  ],
});

function authOk(sessionId: string, vaultUrl = `https://${DNS}/api`) {
  return ok({
    sessionId,
    userId: 61603,
    vaultId: 1000,
    vaultIds: [
      { id: 1000, name: 'PromoMats', url: vaultUrl },
      { id: 1001, name: 'QualityDocs', url: 'https://other.example.com/api' },
    ],
  });
}

/** Routes by "METHOD /path-after-/api/v26.2"; a route may be a queue of answers. */
function scripted(routes: Record<string, Route | unknown[]>): FetchLike & { calls: Call[] } {
  const calls: Call[] = [];
  const fn = (async (url: string, init: RequestInit) => {
    const u = new URL(url);
    const path = u.pathname.replace(/^\/api\/v26\.2/, '');
    const headers = init.headers as Record<string, string>;
    const call: Call = {
      host: u.host,
      method: String(init.method),
      path,
      auth: headers.Authorization,
      body: init.body as string | undefined,
    };
    calls.push(call);
    const route = routes[`${call.method} ${path}`];
    if (route === undefined) throw new Error(`unscripted ${call.method} ${path}`);
    if (Array.isArray(route)) {
      if (route.length === 0) throw new Error(`script exhausted for ${call.method} ${path}`);
      return json(route.length === 1 ? route[0] : route.shift());
    }
    return json((route as Route)(call));
  }) as FetchLike & { calls: Call[] };
  fn.calls = calls;
  return fn;
}

function fixture(
  fetch: FetchLike,
  creds: VaultCredentials,
  extra: Partial<ConstructorParameters<typeof VaultClient>[0]> = {},
) {
  let now = new Date('2026-03-10T12:00:20.000Z');
  const notices: string[] = [];
  const sleeps: number[] = [];
  const client = new VaultClient({
    fetch,
    logger: createLogger(() => undefined),
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now = new Date(now.getTime() + ms);
    },
    onNotice: (_id, m) => notices.push(m),
    ...extra,
  });
  const handle = client.connection(
    { connectionId: 'c1', dns: DNS, apiVersion: 'v26.2', clientId: 'vault-token-desk' },
    async () => creds,
  );
  return {
    client,
    handle,
    notices,
    sleeps,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

const PASSWORD: VaultCredentials = {
  kind: 'password',
  username: 'ana@veepharm.com',
  password: 'correct horse battery',
};

describe('password login and session cache', () => {
  it('logs in once with a form body, then reuses the session (raw Authorization, §3.1)', async () => {
    const fetch = scripted({ 'POST /auth': [authOk(SESSION_A)], 'GET /objects/users/me': [me] });
    const { handle } = fixture(fetch, PASSWORD);
    const [a, b] = await Promise.all([handle.whoami(), handle.whoami()]);
    expect(a.displayName).toBe('Ana Diaz');
    expect(b.id).toBe('61603');
    const auths = fetch.calls.filter((c) => c.path === '/auth');
    expect(auths).toHaveLength(1);
    const form = new URLSearchParams(auths[0]!.body);
    expect(form.get('username')).toBe('ana@veepharm.com');
    expect(form.get('password')).toBe('correct horse battery');
    expect(auths[0]!.auth).toBeUndefined();
    expect(fetch.calls.filter((c) => c.path === '/objects/users/me').map((c) => c.auth)).toEqual([
      SESSION_A,
      SESSION_A,
    ]);
  });

  it('defaulting guard: a session for another Vault is refused, naming both Vaults; the end call goes to the DNS asked for (§3.3)', async () => {
    const fetch = scripted({
      'POST /auth': [
        ok({
          sessionId: SESSION_A,
          userId: 1,
          vaultId: 1001,
          vaultIds: [{ id: 1001, name: 'QualityDocs', url: 'https://other.example.com/api' }],
        }),
      ],
      'DELETE /session': [ok()],
    });
    const { handle } = fixture(fetch, PASSWORD);
    const err = await handle.whoami().catch((e) => e);
    expect(err.kind).toBe('wrong-vault');
    expect(err.message).toContain('"QualityDocs" (other.example.com)');
    expect(err.message).toContain(DNS);
    const del = fetch.calls.find((c) => c.method === 'DELETE');
    expect(del?.path).toBe('/session');
    expect(del?.auth).toBe(SESSION_A);
    // Only to the DNS asked for, never to a host named in Vault's reply (issue 11, finding 9).
    expect(del?.host).toBe(DNS);
    expect(fetch.calls.find((c) => c.path === '/auth')?.host).toBe(DNS);
    expect(fetch.calls.some((c) => c.path === '/objects/users/me')).toBe(false);
  });

  it('INVALID_SESSION_ID on a GET: signs in again once and retries once', async () => {
    const fetch = scripted({
      'POST /auth': [authOk(SESSION_A), authOk(SESSION_B)],
      'GET /objects/users/me': (c) => (c.auth === SESSION_A ? fail('INVALID_SESSION_ID') : me),
    });
    const { handle } = fixture(fetch, PASSWORD);
    const user = await handle.whoami();
    expect(user.id).toBe('61603');
    expect(fetch.calls.map((c) => `${c.method} ${c.path} ${c.auth ?? '-'}`)).toEqual([
      'POST /auth -',
      `GET /objects/users/me ${SESSION_A}`,
      'POST /auth -',
      `GET /objects/users/me ${SESSION_B}`,
    ]);
  });

  it('gives up after one re-authentication', async () => {
    const fetch = scripted({
      'POST /auth': [authOk(SESSION_A), authOk(SESSION_B)],
      'GET /objects/users/me': [fail('INVALID_SESSION_ID')],
    });
    const { handle } = fixture(fetch, PASSWORD);
    await expect(handle.whoami()).rejects.toMatchObject({ kind: 'vault', type: 'INVALID_SESSION_ID' });
    expect(fetch.calls.filter((c) => c.path === '/objects/users/me')).toHaveLength(2);
    expect(fetch.calls.filter((c) => c.path === '/auth')).toHaveLength(2);
  });

  it('Generate is never repeated: INVALID_SESSION_ID surfaces, the next call signs in again', async () => {
    const fetch = scripted({
      'POST /auth': [authOk(SESSION_A), authOk(SESSION_B)],
      'POST /objects/users/me/api_access_token__sys': [fail('INVALID_SESSION_ID')],
      'GET /objects/users/me': [me],
    });
    const { handle } = fixture(fetch, PASSWORD);
    const err = await handle
      .generateToken({ target: { kind: 'me' }, name: 'ci', expiry: { kind: 'never' } })
      .catch((e) => e);
    expect(err).toMatchObject({ kind: 'vault', type: 'INVALID_SESSION_ID' });
    expect(err.message).toMatch(/did not process this request/);
    expect(fetch.calls.filter((c) => c.path.endsWith('api_access_token__sys'))).toHaveLength(1);
    await handle.whoami();
    expect(fetch.calls.at(-1)?.auth).toBe(SESSION_B);
  });

  it('Revoke is not repeated on INVALID_SESSION_ID either', async () => {
    const fetch = scripted({
      'POST /auth': [authOk(SESSION_A)],
      'DELETE /vobjects/api_access_token__sys': [fail('INVALID_SESSION_ID')],
    });
    const { handle } = fixture(fetch, PASSWORD);
    await expect(handle.revokeTokens(['0PI000000000001'])).rejects.toMatchObject({ type: 'INVALID_SESSION_ID' });
    expect(fetch.calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
  });

  it('replaces the session before the 48-hour cap (at 47 h by default)', async () => {
    const fetch = scripted({
      'POST /auth': [authOk(SESSION_A), authOk(SESSION_B)],
      'GET /objects/users/me': [me],
      'DELETE /session': [ok()],
    });
    const { handle, advance } = fixture(fetch, PASSWORD);
    await handle.whoami();
    advance(46 * 3600_000);
    await handle.whoami();
    expect(fetch.calls.filter((c) => c.path === '/auth')).toHaveLength(1);
    advance(3600_000);
    await handle.whoami();
    expect(fetch.calls.map((c) => `${c.method} ${c.path} ${c.auth ?? '-'}`).slice(-3)).toEqual([
      `DELETE /session ${SESSION_A}`,
      'POST /auth -',
      `GET /objects/users/me ${SESSION_B}`,
    ]);
  });

  it('API_LIMIT_EXCEEDED on login: waits for the next minute once, says so, retries once', async () => {
    const fetch = scripted({
      'POST /auth': [{ ...fail('API_LIMIT_EXCEEDED'), errorType: 'AUTHENTICATION_FAILED' }, authOk(SESSION_A)],
      'GET /objects/users/me': [me],
    });
    const { handle, sleeps, notices } = fixture(fetch, PASSWORD);
    await handle.whoami();
    expect(sleeps).toEqual([40_000]); // clock at 12:00:20 → next minute in 40 s
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/sign-in limit.*waiting 40 s for the next minute/);
    expect(fetch.calls.filter((c) => c.path === '/auth')).toHaveLength(2);
  });

  it('API_LIMIT_EXCEEDED twice: waits only once, then surfaces the error', async () => {
    const fetch = scripted({ 'POST /auth': [fail('API_LIMIT_EXCEEDED')] });
    const { handle, sleeps } = fixture(fetch, PASSWORD);
    await expect(handle.whoami()).rejects.toMatchObject({ type: 'API_LIMIT_EXCEEDED' });
    expect(sleeps).toHaveLength(1);
    expect(fetch.calls).toHaveLength(2);
  });

  it('msUntilNextMinute', () => {
    expect(msUntilNextMinute(new Date('2026-01-01T00:00:59.250Z'))).toBe(750);
    expect(msUntilNextMinute(new Date('2026-01-01T00:00:00.000Z'))).toBe(60_000);
  });

  it('end() deletes the session it created, once', async () => {
    const fetch = scripted({
      'POST /auth': [authOk(SESSION_A)],
      'GET /objects/users/me': [me],
      'DELETE /session': [ok()],
    });
    const { client, handle } = fixture(fetch, PASSWORD);
    await handle.whoami();
    await client.endAll();
    await handle.end();
    expect(fetch.calls.filter((c) => c.method === 'DELETE').map((c) => c.auth)).toEqual([SESSION_A]);
  });
});

describe('keep-alive scheduling', () => {
  function manualTimers(): Timers & { fire: () => void; intervals: number[] } {
    let fn: (() => void) | null = null;
    const intervals: number[] = [];
    return {
      intervals,
      setInterval: (f, ms) => {
        fn = f;
        intervals.push(ms);
        return 1;
      },
      clearInterval: () => {
        fn = null;
      },
      fire: () => fn?.(),
    };
  }

  it('pings every interval while the app was used within the idle period, not after', async () => {
    const timers = manualTimers();
    const fetch = scripted({
      'POST /auth': [authOk(SESSION_A)],
      'GET /objects/users/me': [me],
      'POST /keep-alive': [ok()],
    });
    const { handle, advance } = fixture(fetch, PASSWORD, { timers });
    await handle.whoami();
    const stop = handle.startKeepAlive({ intervalMs: 300_000, idlePeriodMs: 1_200_000 });
    expect(timers.intervals).toEqual([300_000]);
    const session = (handle as unknown as { session: { keepAliveTick(p?: number): Promise<boolean> } }).session;

    advance(300_000);
    expect(await session.keepAliveTick(1_200_000)).toBe(true);
    advance(1_000_000); // 21+ min since the last activity
    expect(await session.keepAliveTick(1_200_000)).toBe(false);
    handle.markActivity();
    timers.fire();
    await new Promise((r) => setTimeout(r, 10));
    const pings = fetch.calls.filter((c) => c.path === '/keep-alive');
    expect(pings).toHaveLength(2);
    expect(pings.every((c) => c.auth === SESSION_A)).toBe(true);
    stop();
    timers.fire();
    await new Promise((r) => setTimeout(r, 10));
    expect(fetch.calls.filter((c) => c.path === '/keep-alive')).toHaveLength(2);
  });

  it('token connections never keep alive and never end a session', async () => {
    const fetch = scripted({ 'GET /objects/users/me': [me] });
    const { handle } = fixture(fetch, { kind: 'token', token: 'veeva-vault-ABCDEF0123456789' });
    await handle.whoami();
    await handle.keepAlive();
    await handle.end();
    expect(fetch.calls.map((c) => `${c.method} ${c.path} ${c.auth}`)).toEqual([
      'GET /objects/users/me Bearer veeva-vault-ABCDEF0123456789',
    ]);
  });

  it('a token that is not a veeva-vault- value is refused before any request', async () => {
    const fetch = scripted({});
    const { handle } = fixture(fetch, { kind: 'token', token: 'abc' });
    await expect(handle.whoami()).rejects.toMatchObject({ kind: 'invalid-input' });
    expect(fetch.calls).toHaveLength(0);
  });
});

describe('pasted session (§3.8 GET /api/ validation)', () => {
  function versions(dns: string) {
    return ok({ values: { 'v26.1': `https://${dns}/api/v26.1`, 'v26.2': `https://${dns}/api/v26.2` } });
  }

  function scriptedRoot(apiRoot: unknown, rest: Record<string, unknown[]> = {}) {
    const inner = scripted(rest);
    const fn = (async (url: string, init: RequestInit) => {
      if (new URL(url).pathname === '/api/') {
        inner.calls.push({
          host: new URL(url).host,
          method: 'GET',
          path: '/api/',
          auth: (init.headers as Record<string, string>).Authorization,
          body: undefined,
        });
        return json(apiRoot);
      }
      return inner(url, init);
    }) as FetchLike;
    return { fetch: fn, calls: inner.calls };
  }

  it('accepts a session whose versions point at this DNS, and does not end it on disconnect', async () => {
    const { fetch, calls } = scriptedRoot(versions(DNS), { 'GET /objects/users/me': [me] });
    const { handle } = fixture(fetch, { kind: 'session', sessionId: SESSION_A });
    await handle.whoami();
    await handle.end();
    expect(calls.map((c) => `${c.method} ${c.path} ${c.auth}`)).toEqual([
      `GET /api/ ${SESSION_A}`,
      `GET /objects/users/me ${SESSION_A}`,
    ]);
  });

  it('refuses a session for another Vault', async () => {
    const { fetch, calls } = scriptedRoot(versions('other.example.com'));
    const { handle } = fixture(fetch, { kind: 'session', sessionId: SESSION_A });
    const err = await handle.whoami().catch((e) => e);
    expect(err.kind).toBe('wrong-vault');
    expect(err.message).toMatch(/belongs to other\.example\.com, not vault\.example\.com/);
    expect(calls).toHaveLength(1);
  });
});

describe('revoke across batches', () => {
  it('returns per-record results in input order and marks later batches after a failed batch', async () => {
    let deletes = 0;
    const fetch = scripted({
      'POST /auth': [authOk(SESSION_A)],
      'DELETE /vobjects/api_access_token__sys': (c) => {
        deletes++;
        if (deletes === 2)
          return { responseStatus: 'EXCEPTION', errors: [{ type: 'UNEXPECTED_ERROR', message: 'boom' }] };
        const ids = c.body!.trim().split('\n').slice(1);
        return ok({
          data: ids.map((id) =>
            id.endsWith('BAD')
              ? { responseStatus: 'FAILURE', errors: [{ type: 'INVALID_DATA', message: 'no such record' }] }
              : { responseStatus: 'SUCCESS', data: { id } },
          ),
        });
      },
    });
    const { handle } = fixture(fetch, PASSWORD);
    const ids = Array.from({ length: 1100 }, (_, i) =>
      i === 3 ? '0PI0000000BAD' : `0PI${String(i).padStart(12, '0')}`,
    );
    ids.splice(1, 0, 'bad,id');
    const results = await handle.revokeTokens(ids);
    expect(results.map((r) => r.id)).toEqual(ids.map((id) => (id === 'bad,id' ? 'bad,id' : id)));
    expect(results[1]).toMatchObject({ ok: false, errorType: 'INVALID_DATA' });
    expect(results[4]).toMatchObject({
      id: '0PI0000000BAD',
      ok: false,
      errorType: 'INVALID_DATA',
      message: 'no such record',
    });
    expect(results[0]!.ok).toBe(true);
    expect(results.slice(0, 501).filter((r) => r.ok)).toHaveLength(499);
    expect(results.slice(501, 1001).every((r) => !r.ok && r.errorType === 'UNEXPECTED_ERROR')).toBe(true);
    expect(results.slice(1001).every((r) => r.errorType === 'NOT_ATTEMPTED')).toBe(true);
    expect(deletes).toBe(2);
    // The malformed id was never sent.
    expect(fetch.calls.some((c) => c.body?.includes('bad,id'))).toBe(false);
  });
});
