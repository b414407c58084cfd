/**
 * Contract tests from Veeva's own examples: the REAL Vault client
 * (electron/vault/client.ts) against a stub fetch that answers with the
 * example responses of Veeva's documentation, kept verbatim (or completed
 * where the docs truncate them) in test/fixtures/veeva-docs/. The README
 * there names the doc page of every fixture and what was completed.
 *
 * Each test asserts both directions of the contract: what the client sent
 * (method, path, headers, body fields) and what it made of Veeva's answer.
 * Section numbers (§n.n) refer to docs/vault-api.md.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLogger, memorySink } from '../../electron/log';
import {
  VaultClient,
  VaultError,
  type FetchLike,
  type PageInfo,
  type VaultConnectionConfig,
  type VaultCredentials,
  type VaultTokenRow,
} from '../../electron/vault/client';

// ---------------------------------------------------------------------------
// fixtures

const FIXTURES = new URL('../fixtures/veeva-docs/', import.meta.url);

function fixtureText(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

/** Veeva's example session id (User Name and Password page). */
const DOC_SESSION_ID =
  '3B3C45FD240E26F0C3DB4F82BBB0C15C7EFE4B29EF9916AF41AF7E44B170BAA01F232B462BE5C2BE2ACB82F6704FDA216EBDD69996EB23A6050723D1EFE6FA2B';
/** The API Access Tokens explanation page shows `Bearer veeva-vault-B5A79AAD...`; completed here. */
const DOC_ACCESS_TOKEN = 'veeva-vault-B5A79AAD0C1E2F3A4B5C6D7E8F9A0B1C';
/** The VQL cursor of the PAGEOFFSET example. */
const CURSOR = 'c2b58293-1606-4c99-925d-b9b89e83670e';

/** Host of the Vault the auth example logs in to (its vaultId 1776). */
const PROMO_DNS = 'promomats-veevapharm.veevavault.com';
/** Host of the Retrieve API Versions example. */
const MYVAULT_DNS = 'myvault.veevavault.com';

// ---------------------------------------------------------------------------
// stub Vault

interface SentRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | undefined;
}

interface Answer {
  /** File in test/fixtures/veeva-docs/ (`.json` answered as JSON, `.html` as text/html). */
  fixture?: string;
  /** Inline JSON body (only for answers derived from a fixture, see the test). */
  json?: unknown;
  status?: number;
}

type Route = Answer | ((req: SentRequest) => Answer);

interface StubVault {
  fetch: FetchLike;
  requests: SentRequest[];
  /** "METHOD /path" of every request, in order. */
  lines(): string[];
}

/**
 * Routes by "METHOD /full/path" (query string ignored). JSON answers come
 * with status 200 (Errors page: "When Vault processes an API request, it
 * returns an HTTP response status code of 200"), a JSON content type and the
 * headers the Response Headers page lists for every call; HTML answers come
 * with their HTTP status, text/html and none of Vault's headers (a proxy or
 * load balancer answered, not Vault).
 */
function stubVault(routes: Record<string, Route>): StubVault {
  const requests: SentRequest[] = [];
  let remaining = 2000;
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input);
    const headers = { ...(init.headers as Record<string, string>) };
    const body = typeof init.body === 'string' ? init.body : init.body == null ? undefined : String(init.body);
    const req: SentRequest = { method: String(init.method ?? 'GET'), url, headers, body };
    requests.push(req);
    const route = routes[`${req.method} ${url.pathname}`];
    if (route === undefined) throw new Error(`stub Vault: no route for ${req.method} ${url.pathname}`);
    const answer = typeof route === 'function' ? route(req) : route;
    const n = requests.length;
    if (answer.fixture?.endsWith('.html')) {
      return new Response(fixtureText(answer.fixture), {
        status: answer.status ?? 503,
        headers: { 'Content-Type': 'text/html' },
      });
    }
    const text = answer.fixture !== undefined ? fixtureText(answer.fixture) : JSON.stringify(answer.json);
    const status = (JSON.parse(text) as { responseStatus?: string }).responseStatus ?? 'SUCCESS';
    remaining -= 1;
    const vaultHeaders: Record<string, string> = {
      'Content-Type': 'application/json;charset=UTF-8',
      'X-VaultAPI-ExecutionId': `3f1c9a52-7d4e-4b8a-9c61-${String(n).padStart(12, '0')}`,
      'X-VaultAPI-BurstLimit': '2000',
      'X-VaultAPI-BurstLimitRemaining': String(remaining),
      'X-VaultAPI-VaultId': '1776',
      'X-VaultAPI-Status': status,
    };
    const auth = headers.Authorization;
    if (auth && !auth.startsWith('Bearer veeva-vault-')) {
      vaultHeaders['X-VaultAPI-UserId'] = '12021';
      vaultHeaders['X-VaultAPI-TruncatedSessionId'] = auth.slice(0, 8);
    }
    return new Response(text, { status: answer.status ?? 200, headers: vaultHeaders });
  };
  return {
    fetch,
    requests,
    lines: () => requests.map((r) => `${r.method} ${r.url.pathname}`),
  };
}

const NOW = new Date('2026-03-10T12:00:00.000Z');

function connect(
  vault: StubVault,
  creds: VaultCredentials,
  config: Partial<VaultConnectionConfig> = {},
  logSink: Parameters<typeof createLogger>[0] = () => undefined,
) {
  const client = new VaultClient({
    fetch: vault.fetch,
    logger: createLogger(logSink, 'debug'),
    now: () => NOW,
    sleep: async () => undefined,
  });
  const handle = client.connection(
    { connectionId: 'docs', dns: PROMO_DNS, apiVersion: 'v26.2', clientId: 'vault-token-desk', ...config },
    async () => creds,
  );
  return { client, handle };
}

const PASSWORD: VaultCredentials = { kind: 'password', username: 'tibanez@veepharm.com', password: 'Correct-Horse-42' };
const TOKEN: VaultCredentials = { kind: 'token', token: DOC_ACCESS_TOKEN };

async function rejection(p: Promise<unknown>): Promise<VaultError> {
  const err = await p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VaultError);
  return err as VaultError;
}

function form(req: SentRequest | undefined): URLSearchParams {
  return new URLSearchParams(req?.body ?? '');
}

/** The documented fields of an `api_access_token__sys` row, as the client names them. */
function documented(row: VaultTokenRow) {
  return {
    id: row.id,
    name: row.name,
    userId: row.userId,
    status: row.status,
    expiryDate: row.expiryDate,
    lastUsedDate: row.lastUsedDate,
  };
}

/** The Retrieve API Versions example re-pointed at another host (the docs use a different placeholder host per page). */
function versionsOn(host: string): unknown {
  return JSON.parse(fixtureText('retrieve-api-versions.json').replaceAll(MYVAULT_DNS, host));
}

const TERESA = {
  id: '61603',
  username: 'tibanez@veepharm.com',
  firstName: 'Teresa',
  lastName: 'Ibanez',
  displayName: 'Teresa Ibanez',
  email: 'teresa.ibanez@veepharm.com',
  timezone: 'America/Denver',
  active: true,
  securityProfile: 'vault_owner__v',
  licenseType: 'full__v',
};

// ---------------------------------------------------------------------------

describe('Authentication: User Name and Password (auth-user-name-and-password.json)', () => {
  it('sends the documented form body, then uses the returned sessionId raw; the session is for vaultId 1776', async () => {
    const vault = stubVault({
      'POST /api/v21.1/auth': { fixture: 'auth-user-name-and-password.json' },
      'GET /api/v21.1/objects/users/me': { fixture: 'validate-session-user.json' },
      'GET /api/': { json: versionsOn(PROMO_DNS) },
    });
    const { handle } = connect(vault, PASSWORD, { apiVersion: 'v21.1' });

    const result = await handle.testConnection();

    // Request: POST https://{vaultDNS}/api/{version}/auth, form-urlencoded username + password, no Authorization.
    const auth = vault.requests[0]!;
    expect(auth.method).toBe('POST');
    expect(auth.url.href).toBe(`https://${PROMO_DNS}/api/v21.1/auth`);
    expect(auth.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(auth.headers.Accept).toBe('application/json');
    expect(auth.headers.Authorization).toBeUndefined();
    expect(form(auth).get('username')).toBe('tibanez@veepharm.com');
    expect(form(auth).get('password')).toBe('Correct-Horse-42');

    // Later calls carry the example sessionId as the raw Authorization value.
    expect(vault.lines()).toEqual(['POST /api/v21.1/auth', 'GET /api/v21.1/objects/users/me', 'GET /api/']);
    expect(vault.requests.slice(1).map((r) => r.headers.Authorization)).toEqual([DOC_SESSION_ID, DOC_SESSION_ID]);

    // vaultId 1776 is "PromoMats" at https://promomats-veevapharm.veevavault.com/api.
    expect(result.vault).toEqual({ id: 1776, name: 'PromoMats', dns: PROMO_DNS });
    expect(result.apiVersion).toBe('v21.1');
    expect(result.user).toMatchObject(TERESA);
    expect(result.burstLimitRemaining).toBe(1997);
  });

  it('authentication defaulting: the same answer for another DNS is refused as wrong-vault; the session id goes only to the DNS asked for', async () => {
    const vault = stubVault({
      'POST /api/v26.2/auth': { fixture: 'auth-user-name-and-password.json' },
      'DELETE /api/v26.2/session': { fixture: 'end-session.json' },
    });
    const { handle } = connect(vault, PASSWORD, { dns: MYVAULT_DNS });

    const err = await rejection(handle.whoami());
    expect(err.kind).toBe('wrong-vault');
    expect(err.message).toContain('"PromoMats"');
    expect(err.message).toContain(PROMO_DNS);
    expect(err.message).toContain(MYVAULT_DNS);
    expect(vault.lines()).toEqual(['POST /api/v26.2/auth', 'DELETE /api/v26.2/session']);
    const end = vault.requests[1]!;
    expect(end.url.host).toBe(MYVAULT_DNS);
    expect(end.headers.Authorization).toBe(DOC_SESSION_ID);
  });
});

describe('Errors: Example Failed Authentication (errors-failed-authentication.json)', () => {
  it('the FAILURE envelope with top-level errorType becomes a VaultError of kind vault, type errors[0].type', async () => {
    const vault = stubVault({ 'POST /api/v26.2/auth': { fixture: 'errors-failed-authentication.json' } });
    const { handle } = connect(vault, PASSWORD);

    const err = await rejection(handle.whoami());
    expect(err.kind).toBe('vault');
    expect(err.type).toBe('NO_PASSWORD_PROVIDED');
    expect(err.vaultMessage).toBe('No password was provided for the login call.');
    expect(err.errors).toEqual([
      { type: 'NO_PASSWORD_PROVIDED', message: 'No password was provided for the login call.' },
    ]);
    expect(err.httpStatus).toBe(200);
    expect(err.executionId).toBe('3f1c9a52-7d4e-4b8a-9c61-000000000001');
    expect(err.method).toBe('POST');
    expect(err.path).toBe('/api/v26.2/auth');
    expect(err.message).toContain('NO_PASSWORD_PROVIDED');
    expect(err.message).toContain('No password was provided for the login call.');
    // One sign-in attempt; nothing else was sent with a session that does not exist.
    expect(vault.lines()).toEqual(['POST /api/v26.2/auth']);
  });
});

describe('Retrieve API Versions (retrieve-api-versions.json)', () => {
  const versions = fixtureJson<{ values: Record<string, string> }>('retrieve-api-versions.json').values;

  it('GET https://{vaultDNS}/api/ with the Bearer token; values parse to { version: url }', async () => {
    const vault = stubVault({ 'GET /api/': { fixture: 'retrieve-api-versions.json' } });
    const { handle } = connect(vault, TOKEN, { dns: MYVAULT_DNS, apiVersion: 'v21.1' });

    const values = await handle.apiVersions();
    expect(values).toEqual(versions);
    expect(Object.keys(values)).toHaveLength(23);
    expect(values['v21.1']).toBe('https://myvault.veevavault.com/api/v21.1');

    const req = vault.requests[0]!;
    expect(req.method).toBe('GET');
    expect(req.url.href).toBe('https://myvault.veevavault.com/api/');
    expect(req.headers.Authorization).toBe(`Bearer ${DOC_ACCESS_TOKEN}`);
    expect(req.headers.Accept).toBe('application/json');
    expect(req.headers['X-VaultAPI-ClientID']).toBe('vault-token-desk');
    expect(req.body).toBeUndefined();
  });

  it('testConnection on a token connection: whoami + versions; the Vault id comes from X-VaultAPI-VaultId', async () => {
    const vault = stubVault({
      'GET /api/v21.1/objects/users/me': { fixture: 'validate-session-user.json' },
      'GET /api/': { fixture: 'retrieve-api-versions.json' },
    });
    const { handle } = connect(vault, TOKEN, { dns: MYVAULT_DNS, apiVersion: 'v21.1' });

    const result = await handle.testConnection();
    expect(result.user).toMatchObject(TERESA);
    expect(result.vault).toEqual({ id: 1776, name: null, dns: MYVAULT_DNS });
    expect(result.apiVersion).toBe('v21.1');
    expect(result.burstLimitRemaining).toBe(1998);
    expect(handle.limits()).toMatchObject({ burstLimit: 2000, burstLimitRemaining: 1998, seenAt: NOW });
  });

  it('a version the example does not list (v26.2) is refused with the list of offered versions', async () => {
    const vault = stubVault({
      'GET /api/v26.2/objects/users/me': { fixture: 'validate-session-user.json' },
      'GET /api/': { fixture: 'retrieve-api-versions.json' },
    });
    const { handle } = connect(vault, TOKEN, { dns: MYVAULT_DNS, apiVersion: 'v26.2' });

    const err = await rejection(handle.testConnection());
    expect(err.kind).toBe('invalid-input');
    expect(err.message).toContain('v26.2');
    expect(err.message).toContain('v21.1');
  });

  it('a pasted session id is validated with GET /api/ (values[version] is this DNS) and then sent raw', async () => {
    const vault = stubVault({
      'GET /api/': { fixture: 'retrieve-api-versions.json' },
      'GET /api/v21.1/objects/users/me': { fixture: 'validate-session-user.json' },
    });
    const { handle } = connect(
      vault,
      { kind: 'session', sessionId: DOC_SESSION_ID },
      { dns: MYVAULT_DNS, apiVersion: 'v21.1' },
    );

    expect(await handle.whoami()).toMatchObject(TERESA);
    expect(vault.lines()).toEqual(['GET /api/', 'GET /api/v21.1/objects/users/me']);
    expect(vault.requests.map((r) => r.headers.Authorization)).toEqual([DOC_SESSION_ID, DOC_SESSION_ID]);
  });
});

describe('Validate Session User (validate-session-user.json)', () => {
  it('GET /objects/users/me parses users[0].user field by field (numeric id → string)', async () => {
    const vault = stubVault({ 'GET /api/v26.2/objects/users/me': { fixture: 'validate-session-user.json' } });
    const { handle } = connect(vault, TOKEN);

    const me = await handle.whoami();
    expect(me.id).toBe('61603');
    expect(me.username).toBe('tibanez@veepharm.com');
    expect(me.firstName).toBe('Teresa');
    expect(me.lastName).toBe('Ibanez');
    expect(me.displayName).toBe('Teresa Ibanez');
    expect(me.email).toBe('teresa.ibanez@veepharm.com');
    expect(me.timezone).toBe('America/Denver');
    expect(me.active).toBe(true);
    expect(me.securityProfile).toBe('vault_owner__v');
    expect(me.licenseType).toBe('full__v');

    const req = vault.requests[0]!;
    expect(req.method).toBe('GET');
    expect(req.url.pathname).toBe('/api/v26.2/objects/users/me');
    expect(req.headers.Authorization).toBe(`Bearer ${DOC_ACCESS_TOKEN}`);
  });
});

describe('Generate API Access Token (for a user / me / sandbox)', () => {
  it('for a user: POST /objects/users/{user_id}/api_access_token__sys with name__v + expiry_date__v (UTC, whole seconds) → { id, value }', async () => {
    const log = memorySink();
    const vault = stubVault({
      'POST /api/v26.2/auth': { fixture: 'auth-user-name-and-password.json' },
      'POST /api/v26.2/objects/users/12345/api_access_token__sys': { fixture: 'generate-api-access-token.json' },
    });
    const { handle } = connect(vault, PASSWORD, {}, log.sink);

    const minted = await handle.generateToken({
      target: { kind: 'user', userId: '12345' },
      name: 'IntegrationKey',
      expiry: { kind: 'datetime', iso: '2026-12-31T12:00:00Z' },
    });
    expect(minted).toEqual({ id: '0PI00000000C003', value: 'veeva-vault-B5A79ABC4E1F4C2D9A7E3B6C8D0F1A2B' });

    expect(vault.lines()).toEqual([
      'POST /api/v26.2/auth',
      'POST /api/v26.2/objects/users/12345/api_access_token__sys',
    ]);
    const req = vault.requests[1]!;
    expect(req.headers.Authorization).toBe(DOC_SESSION_ID);
    expect(req.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers.Accept).toBe('application/json');
    expect(form(req).get('name__v')).toBe('IntegrationKey');
    // The parameter table's name and format, not the curl sample's `expiry_date__sys=2025-12-31T12:00:00:00.000Z`.
    expect(form(req).get('expiry_date__v')).toBe('2026-12-31T12:00:00Z');
    expect(form(req).has('expiry_date__sys')).toBe(false);
    expect([...form(req).keys()].sort()).toEqual(['expiry_date__v', 'name__v']);

    // The token value and the session id never reach the log.
    const logged = JSON.stringify(log.records);
    expect(logged).not.toContain(minted.value);
    expect(logged).not.toContain(DOC_SESSION_ID);
    expect(logged).toContain('0PI00000000C003');
  });

  it('me: POST /objects/users/me/api_access_token__sys with a Bearer token; a bare date is sent as-is', async () => {
    const vault = stubVault({
      'POST /api/v26.2/objects/users/me/api_access_token__sys': { fixture: 'generate-my-api-access-token.json' },
    });
    const { handle } = connect(vault, TOKEN);

    const minted = await handle.generateToken({
      target: { kind: 'me' },
      name: 'IntegrationKey',
      expiry: { kind: 'date', date: '2026-12-31' },
    });
    expect(minted).toEqual({ id: 'V8T000000002001', value: 'veeva-vault-019e93385c2a4b7d8e1f0a3b6c9d2e5f' });

    const req = vault.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.headers.Authorization).toBe(`Bearer ${DOC_ACCESS_TOKEN}`);
    expect(form(req).get('name__v')).toBe('IntegrationKey');
    expect(form(req).get('expiry_date__v')).toBe('2026-12-31');
  });

  it('sandbox: POST /objects/sandbox/{sandbox_name}/users/me/api_access_token__sys; never-expiring omits expiry_date__v', async () => {
    const vault = stubVault({
      'POST /api/v26.2/objects/sandbox/VeePharmSandbox/users/me/api_access_token__sys': {
        fixture: 'generate-api-access-token-for-sandbox.json',
      },
    });
    const { handle } = connect(vault, TOKEN);

    const minted = await handle.generateToken({
      target: { kind: 'sandbox', sandboxName: 'VeePharmSandbox' },
      name: 'IntegrationKey',
      expiry: { kind: 'never' },
    });
    expect(minted).toEqual({ id: '0PI00000000C003', value: 'veeva-vault-B5A79ABC7D3E4F5A6B1C2D9E0F8A7B6C' });

    const req = vault.requests[0]!;
    expect(req.url.href).toBe(
      `https://${PROMO_DNS}/api/v26.2/objects/sandbox/VeePharmSandbox/users/me/api_access_token__sys`,
    );
    expect([...form(req).keys()]).toEqual(['name__v']);
    expect(form(req).get('name__v')).toBe('IntegrationKey');
  });
});

describe('Submitting a Query: api_access_token__sys with next_page / previous_page (vql-api-access-tokens-page*.json)', () => {
  const DOCUMENTED_FIELDS = ['id', 'name__v', 'user__sys', 'status__v', 'expiry_date__sys', 'last_used_date__sys'];

  function queryVault(): StubVault {
    return stubVault({
      'POST /api/v26.2/query': { fixture: 'vql-api-access-tokens-page1.json' },
      [`POST /api/v26.2/query/${CURSOR}`]: (req) => {
        const offset = req.url.searchParams.get('pageoffset');
        if (offset === '2') return { fixture: 'vql-api-access-tokens-page2.json' };
        if (offset === '4') return { fixture: 'vql-api-access-tokens-page3-last.json' };
        throw new Error(`stub Vault: no page at pageoffset=${offset}`);
      },
    });
  }

  it('POSTs q= in a form body, then POSTs each next_page with no body until the page without one; rows are typed', async () => {
    const vault = queryVault();
    const { handle } = connect(vault, TOKEN);
    const pages: PageInfo[] = [];

    const rows = await handle.listTokens({ onPage: (_rows, page) => pages.push(page) });

    expect(rows.map(documented)).toEqual([
      {
        id: '0PI00000000C001',
        name: 'Nightly QMS export',
        userId: '12345',
        status: 'active__v',
        expiryDate: '2026-12-31T12:00:00.000Z',
        lastUsedDate: '2026-03-09T23:15:42.000Z',
      },
      {
        id: '0PI00000000C002',
        name: 'CI pipeline',
        userId: '12345',
        status: 'active__v',
        expiryDate: null,
        lastUsedDate: null,
      },
      {
        id: '0PI00000000C003',
        name: 'IntegrationKey',
        userId: '12345',
        status: 'active__v',
        expiryDate: '2026-12-31T12:00:00.000Z',
        lastUsedDate: '2026-03-10T08:01:07.000Z',
      },
      {
        id: '0PI00000000C004',
        name: 'Migration 2025',
        userId: '61603',
        status: 'inactive__v',
        expiryDate: '2025-12-31T23:59:59.000Z',
        lastUsedDate: '2025-12-30T17:45:00.000Z',
      },
      {
        id: '0PI00000000C005',
        name: 'Reporting (read only)',
        userId: '61603',
        status: 'active__v',
        expiryDate: '2026-06-30T23:59:59.000Z',
        lastUsedDate: null,
      },
    ]);
    expect(pages).toEqual([
      { index: 0, size: 2, total: 5, offset: 0 },
      { index: 1, size: 2, total: 5, offset: 2 },
      { index: 2, size: 1, total: 5, offset: 4 },
    ]);

    // First page: POST /query, q in a form-urlencoded body (not in the URL).
    const [first, second, third] = vault.requests;
    expect(vault.requests).toHaveLength(3);
    expect(first!.method).toBe('POST');
    expect(first!.url.href).toBe(`https://${PROMO_DNS}/api/v26.2/query`);
    expect(first!.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(first!.headers.Authorization).toBe(`Bearer ${DOC_ACCESS_TOKEN}`);
    expect(form(first).get('q')).toMatch(/^SELECT .+ FROM api_access_token__sys$/);

    // Following pages: POST to the exact next_page URL (path and query), no body (Pagination Best Practices).
    for (const [req, offset] of [
      [second, '2'],
      [third, '4'],
    ] as const) {
      expect(req!.method).toBe('POST');
      expect(req!.url.origin).toBe(`https://${PROMO_DNS}`);
      expect(req!.url.pathname).toBe(`/api/v26.2/query/${CURSOR}`);
      expect(req!.url.search).toBe(`?pagesize=2&pageoffset=${offset}`);
      expect(req!.body).toBeUndefined();
      expect(req!.headers.Authorization).toBe(`Bearer ${DOC_ACCESS_TOKEN}`);
    }
  });

  it('selects only the six documented fields (no created_date__v)', async () => {
    const vault = queryVault();
    const { handle } = connect(vault, TOKEN);
    await handle.listTokens();

    const q = form(vault.requests[0]).get('q') ?? '';
    const select = /^SELECT (.+?) FROM api_access_token__sys\b/.exec(q)?.[1] ?? '';
    const fields = select.split(',').map((f) => f.trim());
    expect(q).not.toContain('created_date__v');
    expect([...fields].sort()).toEqual([...DOCUMENTED_FIELDS].sort());
  });

  it("userId + activeOnly give the WHERE clause of the docs example (user__sys = '12345' AND status__v = 'active__v')", async () => {
    const vault = queryVault();
    const { handle } = connect(vault, TOKEN);
    await handle.listTokens({ userId: '12345', activeOnly: true });

    const q = form(vault.requests[0]).get('q') ?? '';
    expect(q).toMatch(/ FROM api_access_token__sys WHERE user__sys = '12345' AND status__v = 'active__v'$/);
  });
});

describe('Delete Object Records (delete-object-records*.json)', () => {
  it('mixed per-record results: DELETE /vobjects/api_access_token__sys with a CSV body; ok/failed in input order', async () => {
    const vault = stubVault({
      'DELETE /api/v26.2/vobjects/api_access_token__sys': { fixture: 'delete-object-records-mixed.json' },
    });
    const { handle } = connect(vault, TOKEN);

    const results = await handle.revokeTokens(['0PI00000000C001', '0PI00000000C002', '0PI00000000C003']);
    expect(results).toEqual([
      { id: '0PI00000000C001', ok: true },
      {
        id: '0PI00000000C002',
        ok: false,
        errorType: 'INVALID_DATA',
        message: 'Error message describing why this object record was not deleted.',
      },
      { id: '0PI00000000C003', ok: true },
    ]);

    expect(vault.requests).toHaveLength(1);
    const req = vault.requests[0]!;
    expect(req.method).toBe('DELETE');
    expect(req.url.href).toBe(`https://${PROMO_DNS}/api/v26.2/vobjects/api_access_token__sys`);
    expect(req.headers['Content-Type']).toBe('text/csv');
    expect(req.headers.Authorization).toBe(`Bearer ${DOC_ACCESS_TOKEN}`);
    expect(req.body?.split(/\r?\n/).filter(Boolean)).toEqual([
      'id',
      '0PI00000000C001',
      '0PI00000000C002',
      '0PI00000000C003',
    ]);
  });

  it('the 26.2 example verbatim (all SUCCESS, data.id per record) with a session', async () => {
    const vault = stubVault({
      'POST /api/v26.2/auth': { fixture: 'auth-user-name-and-password.json' },
      'DELETE /api/v26.2/vobjects/api_access_token__sys': { fixture: 'delete-object-records.json' },
    });
    const { handle } = connect(vault, PASSWORD);

    const ids = ['00P000000000607', '00P00000000O048', '00P00000000O078'];
    expect(await handle.revokeTokens(ids)).toEqual(ids.map((id) => ({ id, ok: true })));
    expect(vault.requests[1]!.headers.Authorization).toBe(DOC_SESSION_ID);
    expect(vault.requests[1]!.body?.split(/\r?\n/).filter(Boolean)).toEqual(['id', ...ids]);
  });
});

describe('Session Keep Alive and End Session (session-keep-alive.json, end-session.json)', () => {
  it('POST /keep-alive and DELETE /session with the raw session id; both succeed', async () => {
    const vault = stubVault({
      'POST /api/v26.2/auth': { fixture: 'auth-user-name-and-password.json' },
      'GET /api/v26.2/objects/users/me': { fixture: 'validate-session-user.json' },
      'POST /api/v26.2/keep-alive': { fixture: 'session-keep-alive.json' },
      'DELETE /api/v26.2/session': { fixture: 'end-session.json' },
    });
    const { handle } = connect(vault, PASSWORD);

    await handle.whoami();
    await expect(handle.keepAlive()).resolves.toBeUndefined();
    await expect(handle.end()).resolves.toBeUndefined();

    expect(vault.lines()).toEqual([
      'POST /api/v26.2/auth',
      'GET /api/v26.2/objects/users/me',
      'POST /api/v26.2/keep-alive',
      'DELETE /api/v26.2/session',
    ]);
    const [, , keepAlive, end] = vault.requests;
    expect(keepAlive!.headers.Authorization).toBe(DOC_SESSION_ID);
    expect(keepAlive!.body).toBeUndefined();
    expect(end!.headers.Authorization).toBe(DOC_SESSION_ID);
    expect(end!.url.host).toBe(PROMO_DNS);

    // The session is gone: a keep-alive now sends nothing.
    await handle.keepAlive();
    expect(vault.requests).toHaveLength(4);
  });
});

describe('HTML error pages from a proxy / load balancer (gateway-50x.html)', () => {
  it('503 on a GET becomes a not-json VaultError with a clear message, not a crash and not a retry', async () => {
    const vault = stubVault({
      'GET /api/v26.2/objects/users/me': { fixture: 'gateway-503-service-unavailable.html', status: 503 },
    });
    const { handle } = connect(vault, TOKEN);

    const err = await rejection(handle.whoami());
    expect(err.kind).toBe('not-json');
    expect(err.httpStatus).toBe(503);
    expect(err.executionId).toBeUndefined();
    expect(err.method).toBe('GET');
    expect(err.path).toBe('/api/v26.2/objects/users/me');
    expect(err.message).toMatch(/HTTP 503/);
    expect(err.message).toMatch(/HTML page/);
    expect(err.message).not.toContain('<html');
    expect(vault.requests).toHaveLength(1);
  });

  it('502 on the sign-in is a not-json VaultError', async () => {
    const vault = stubVault({ 'POST /api/v26.2/auth': { fixture: 'gateway-502-bad-gateway.html', status: 502 } });
    const { handle } = connect(vault, PASSWORD);

    const err = await rejection(handle.whoami());
    expect(err.kind).toBe('not-json');
    expect(err.httpStatus).toBe(502);
    expect(err.message).toMatch(/HTTP 502/);
    expect(vault.lines()).toEqual(['POST /api/v26.2/auth']);
  });

  it('502 on Generate: not-json, never repeated, and the message warns a token may exist', async () => {
    const vault = stubVault({
      'POST /api/v26.2/objects/users/me/api_access_token__sys': {
        fixture: 'gateway-502-bad-gateway.html',
        status: 502,
      },
    });
    const { handle } = connect(vault, TOKEN);

    const err = await rejection(
      handle.generateToken({ target: { kind: 'me' }, name: 'IntegrationKey', expiry: { kind: 'never' } }),
    );
    expect(err.kind).toBe('not-json');
    expect(err.httpStatus).toBe(502);
    expect(err.message).toMatch(/HTML page/);
    expect(err.message).toMatch(/token may have been created/);
    expect(vault.requests).toHaveLength(1);
  });

  it('503 on a next_page ends the listing with a not-json VaultError', async () => {
    const vault = stubVault({
      'POST /api/v26.2/query': { fixture: 'vql-api-access-tokens-page1.json' },
      [`POST /api/v26.2/query/${CURSOR}`]: { fixture: 'gateway-503-service-unavailable.html', status: 503 },
    });
    const { handle } = connect(vault, TOKEN);

    const err = await rejection(handle.listTokens());
    expect(err.kind).toBe('not-json');
    expect(err.httpStatus).toBe(503);
    expect(vault.requests).toHaveLength(2);
  });
});
