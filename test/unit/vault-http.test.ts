import { describe, expect, it } from 'vitest';
import { createLogger, memorySink } from '../../electron/log';
import { VaultError } from '../../electron/vault/errors';
import {
  VaultHttp,
  buildEndpoint,
  normaliseDns,
  urlMatches,
  validateApiVersion,
  validateClientId,
} from '../../electron/vault/http';
import { VaultClient } from '../../electron/vault/client';
import type { FetchLike, LimitsSnapshot } from '../../electron/vault/types';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A fetch that answers from a script and records what it was asked. */
function scriptedFetch(
  handler: (call: Call, init: RequestInit) => Response | Promise<Response>,
): FetchLike & { calls: Call[] } {
  const calls: Call[] = [];
  const fn = (async (url: string, init: RequestInit) => {
    const call: Call = {
      url,
      method: String(init.method),
      headers: { ...(init.headers as Record<string, string>) },
      body: typeof init.body === 'string' ? init.body : undefined,
    };
    calls.push(call);
    return handler(call, init);
  }) as FetchLike & { calls: Call[] };
  fn.calls = calls;
  return fn;
}

function json(body: unknown, headers: Record<string, string> = {}, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

function makeHttp(fetch: FetchLike, opts: { timeoutMs?: number; onLimits?: (s: LimitsSnapshot) => void } = {}) {
  const mem = memorySink();
  const http = new VaultHttp(buildEndpoint({ dns: '127.0.0.1:8443', apiVersion: 'v26.2', clientId: 'my-app.test_1' }), {
    fetch,
    logger: createLogger(mem.sink, 'debug'),
    timeoutMs: opts.timeoutMs ?? 30_000,
    now: () => new Date('2026-01-02T03:04:05Z'),
    onLimits: opts.onLimits,
  });
  return { http, records: mem.records };
}

describe('DNS, version and client id validation', () => {
  it('keeps a port, lower-cases the host, strips a pasted https:// and trailing slash', () => {
    expect(normaliseDns('127.0.0.1:8443')).toBe('127.0.0.1:8443');
    expect(normaliseDns('MyVault.VeevaVault.com')).toBe('myvault.veevavault.com');
    expect(normaliseDns('https://myvault.veevavault.com/')).toBe('myvault.veevavault.com');
    expect(normaliseDns('myvault.veevavault.com:443')).toBe('myvault.veevavault.com');
    // The same rule as the connection form (shared/dns.ts): a pasted URL keeps its host.
    expect(normaliseDns('https://myvault.veevavault.com/ui/#home')).toBe('myvault.veevavault.com');
  });

  it('refuses plain http, paths, credentials and empty input', () => {
    for (const bad of [
      'http://myvault.veevavault.com',
      'HTTP://x.com',
      'user@x.com',
      '',
      'ftp://x.com',
      'a b.com',
      'x..com',
    ]) {
      expect(() => normaliseDns(bad), bad).toThrow(VaultError);
    }
    try {
      normaliseDns('http://myvault.veevavault.com');
    } catch (e) {
      expect((e as VaultError).kind).toBe('invalid-input');
      expect((e as VaultError).message).toMatch(/https only/);
    }
  });

  it('builds https://{dns}/api/{version} including the port', () => {
    const ep = buildEndpoint({ dns: '127.0.0.1:9443', apiVersion: 'v26.2', clientId: '' });
    expect(ep.baseUrl).toBe('https://127.0.0.1:9443/api/v26.2');
    expect(ep.origin).toBe('https://127.0.0.1:9443');
    expect(ep.clientId).toBe('vault-token-desk');
  });

  it('validates the API version form', () => {
    expect(validateApiVersion('v26.2')).toBe('v26.2');
    expect(() => validateApiVersion('26.2')).toThrow(/not a Vault API version/);
    expect(() => validateApiVersion('v26.2/../x')).toThrow(VaultError);
  });

  it('client id: alphanumeric plus . _ -, at most 100 chars, default vault-token-desk (§5.5)', () => {
    expect(validateClientId(undefined)).toBe('vault-token-desk');
    expect(validateClientId('  ')).toBe('vault-token-desk');
    expect(validateClientId('veepharm-it-desk.v1_2')).toBe('veepharm-it-desk.v1_2');
    expect(validateClientId('a'.repeat(100))).toBe('a'.repeat(100));
    expect(() => validateClientId('a'.repeat(101))).toThrow(/not valid/);
    expect(() => validateClientId('has space')).toThrow(VaultError);
    expect(() => validateClientId('slash/no')).toThrow(VaultError);
    expect(() => validateClientId('ümlaut')).toThrow(VaultError);
  });

  it('urlMatches compares host, port and path, ignoring case and trailing slash', () => {
    expect(urlMatches('https://127.0.0.1:8443/api', '127.0.0.1:8443', '/api')).toBe(true);
    expect(urlMatches('https://127.0.0.1:8443/api/', '127.0.0.1:8443', '/api')).toBe(true);
    expect(urlMatches('https://MyVault.veevavault.com/api', 'myvault.veevavault.com', '/api')).toBe(true);
    expect(urlMatches('https://127.0.0.1:8444/api', '127.0.0.1:8443', '/api')).toBe(false);
    expect(urlMatches('http://127.0.0.1:8443/api', '127.0.0.1:8443', '/api')).toBe(false);
    expect(urlMatches('https://127.0.0.1:8443/api/v26.2', '127.0.0.1:8443', '/api/v26.2')).toBe(true);
    expect(urlMatches('not a url', 'x', '/api')).toBe(false);
  });

  it('VaultClient.connection refuses http:// and a bad client id at construction', () => {
    const client = new VaultClient({ fetch: scriptedFetch(() => json({})), logger: createLogger(() => undefined) });
    const creds = async () => ({ kind: 'token' as const, token: 'veeva-vault-x' });
    expect(() =>
      client.connection({ connectionId: 'a', dns: 'http://x.com', apiVersion: 'v26.2', clientId: '' }, creds),
    ).toThrow(/https only/);
    expect(() =>
      client.connection({ connectionId: 'b', dns: 'x.com', apiVersion: 'v26.2', clientId: 'bad id!' }, creds),
    ).toThrow(/client ID/);
  });
});

describe('VaultHttp request core', () => {
  it('sends Accept and X-VaultAPI-ClientID, form bodies, and the Authorization it is given', async () => {
    const fetch = scriptedFetch(() => json({ responseStatus: 'SUCCESS' }));
    const { http } = makeHttp(fetch);
    await http.request({
      method: 'POST',
      path: '/query',
      form: { q: "SELECT id FROM x WHERE a = 'b'" },
      authorization: 'SESSION',
    });
    const call = fetch.calls[0]!;
    expect(call.url).toBe('https://127.0.0.1:8443/api/v26.2/query');
    expect(call.method).toBe('POST');
    expect(call.headers.Accept).toBe('application/json');
    expect(call.headers['X-VaultAPI-ClientID']).toBe('my-app.test_1');
    expect(call.headers.Authorization).toBe('SESSION');
    expect(call.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(call.body).get('q')).toBe("SELECT id FROM x WHERE a = 'b'");
  });

  it('root paths (GET /api/, next_page) stay on the same origin', async () => {
    const fetch = scriptedFetch(() => json({ responseStatus: 'SUCCESS' }));
    const { http } = makeHttp(fetch);
    await http.request({ method: 'GET', rootPath: '/api/', authorization: null });
    expect(fetch.calls[0]!.url).toBe('https://127.0.0.1:8443/api/');
    expect(fetch.calls[0]!.headers.Authorization).toBeUndefined();
    await expect(
      http.request({ method: 'POST', rootPath: 'https://evil.example.com/api/v26.2/query/x', authorization: 'S' }),
    ).rejects.toMatchObject({
      kind: 'unexpected-response',
    });
    expect(fetch.calls).toHaveLength(1);
  });

  it('a FAILURE envelope with HTTP 200 is a vault error carrying type, message and execution id', async () => {
    const fetch = scriptedFetch(() =>
      json(
        { responseStatus: 'FAILURE', errors: [{ type: 'INSUFFICIENT_ACCESS', message: 'no' }] },
        { 'X-VaultAPI-ExecutionId': 'exec-42' },
      ),
    );
    const { http } = makeHttp(fetch);
    const err = await http.request({ method: 'GET', path: '/objects/users/me', authorization: 'S' }).catch((e) => e);
    expect(err).toBeInstanceOf(VaultError);
    expect(err).toMatchObject({
      kind: 'vault',
      type: 'INSUFFICIENT_ACCESS',
      vaultMessage: 'no',
      httpStatus: 200,
      executionId: 'exec-42',
    });
  });

  it('WARNING is success (§5.1)', async () => {
    const { http } = makeHttp(scriptedFetch(() => json({ responseStatus: 'WARNING', warnings: [] })));
    const res = await http.request({ method: 'GET', path: '/x', authorization: 'S' });
    expect(res.body.responseStatus).toBe('WARNING');
  });

  it('HTML 500 → not-json with the HTTP status', async () => {
    const { http } = makeHttp(
      scriptedFetch(
        () =>
          new Response('<html><body>Service Unavailable</body></html>', {
            status: 500,
            headers: { 'Content-Type': 'text/html' },
          }),
      ),
    );
    const err = await http.request({ method: 'GET', path: '/x', authorization: 'S' }).catch((e) => e);
    expect(err).toMatchObject({ kind: 'not-json', httpStatus: 500 });
    expect(err.message).toMatch(/HTTP 500 and an HTML page/);
  });

  it('truncated JSON with 200 → not-json', async () => {
    const { http } = makeHttp(scriptedFetch(() => new Response('{"responseStatus":"SUCC', { status: 200 })));
    await expect(http.request({ method: 'GET', path: '/x', authorization: 'S' })).rejects.toMatchObject({
      kind: 'not-json',
      httpStatus: 200,
    });
  });

  it('non-2xx JSON without an envelope → http; 2xx JSON without an envelope → unexpected-response', async () => {
    const a = makeHttp(scriptedFetch(() => json({ message: 'Too Many Requests' }, {}, 429)));
    await expect(a.http.request({ method: 'GET', path: '/x', authorization: 'S' })).rejects.toMatchObject({
      kind: 'http',
      httpStatus: 429,
    });
    const b = makeHttp(scriptedFetch(() => json([1, 2, 3])));
    await expect(b.http.request({ method: 'GET', path: '/x', authorization: 'S' })).rejects.toMatchObject({
      kind: 'unexpected-response',
    });
  });

  it('a redirect is not followed', async () => {
    const fetch = scriptedFetch(
      () => new Response(null, { status: 302, headers: { Location: 'https://login.example.com/' } }),
    );
    const { http } = makeHttp(fetch);
    const err = await http.request({ method: 'GET', path: '/x', authorization: 'S' }).catch((e) => e);
    expect(err).toMatchObject({ kind: 'http', httpStatus: 302 });
    expect(err.message).toMatch(/redirect .*login\.example\.com/);
  });

  it('times out after timeoutMs with kind timeout, including a stalled body', async () => {
    const hang = scriptedFetch(
      (_call, init) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    );
    const { http } = makeHttp(hang, { timeoutMs: 50 });
    const err = await http.request({ method: 'GET', path: '/x', authorization: 'S' }).catch((e) => e);
    expect(err).toMatchObject({ kind: 'timeout' });
    expect(err.message).toMatch(/within 0\.05 s/);
  });

  it('a caller abort is kind aborted, not timeout', async () => {
    const hang = scriptedFetch(
      (_call, init) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    );
    const { http } = makeHttp(hang);
    const ac = new AbortController();
    const p = http.request({ method: 'GET', path: '/x', authorization: 'S', signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toMatchObject({ kind: 'aborted', message: 'The request to Vault was cancelled.' });
  });

  it('records burst headers with the time seen and calls onLimits', async () => {
    const seen: LimitsSnapshot[] = [];
    const fetch = scriptedFetch(() =>
      json(
        { responseStatus: 'SUCCESS' },
        {
          'X-VaultAPI-BurstLimit': '2000',
          'X-VaultAPI-BurstLimitRemaining': '1999',
          'X-VaultAPI-ResponseDelay': '500',
        },
      ),
    );
    const { http } = makeHttp(fetch, { onLimits: (s) => seen.push(s) });
    expect(http.limits()).toEqual({ burstLimit: null, burstLimitRemaining: null, responseDelayMs: null, seenAt: null });
    await http.request({ method: 'GET', path: '/x', authorization: 'S' });
    expect(http.limits()).toEqual({
      burstLimit: 2000,
      burstLimitRemaining: 1999,
      responseDelayMs: 500,
      seenAt: new Date('2026-01-02T03:04:05Z'),
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.burstLimitRemaining).toBe(1999);
  });

  it('logs method, path without query, status, duration and execution id — never the Authorization', async () => {
    const fetch = scriptedFetch(() =>
      json(
        { responseStatus: 'SUCCESS' },
        { 'X-VaultAPI-ExecutionId': 'exec-7', 'X-VaultAPI-TruncatedSessionId': 'ABCDEF1234' },
      ),
    );
    const { http, records } = makeHttp(fetch);
    await http.request({
      method: 'GET',
      path: '/objects/users',
      query: { limit: '5' },
      authorization: 'SECRET-SESSION-VALUE-123456',
    });
    expect(records).toHaveLength(1);
    const rec = records[0]!;
    expect(rec.fields).toMatchObject({
      method: 'GET',
      path: '/api/v26.2/objects/users',
      httpStatus: 200,
      executionId: 'exec-7',
      truncatedSessionId: 'ABCDEF1234',
    });
    expect(typeof rec.fields.durationMs).toBe('number');
    expect(JSON.stringify(rec)).not.toContain('SECRET-SESSION-VALUE-123456');
  });
});
