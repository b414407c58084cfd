/**
 * The fake Vault is exactly as strict as Veeva's documentation by default;
 * each loosening option is tested next to the rule it loosens. Section
 * references (§) are to docs/vault-api.md; the README table lists
 * every rule with its source.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_API_VERSIONS } from './options';
import { U, startHarness, type Harness, type Json } from './test-support';
import type { FakeVaultOptions } from './types';

const V = 'v26.2';
const TOKEN_FIELDS = ['id', 'name__v', 'user__sys', 'status__v', 'expiry_date__sys', 'last_used_date__sys'];
const USER_SYS_FIELDS = [
  'id',
  'name__v',
  'first_name__sys',
  'last_name__sys',
  'username__sys',
  'email__sys',
  'status__v',
];

function expectFailure(body: Json, type: string): void {
  expect(body.responseStatus).toBe('FAILURE');
  expect(body.errors?.[0]?.type).toBe(type);
  expect(body.data).toBeUndefined();
}

interface Fixture {
  h: Harness;
  admin: string;
  query(q: string, opts?: { vault?: string; auth?: string; version?: string }): Promise<Json>;
}

async function fixture(options: FakeVaultOptions = {}): Promise<Fixture> {
  const h = await startHarness(options);
  const admin = await h.login('admin@example.com', 'Alpha');
  const query = async (q: string, opts: { vault?: string; auth?: string; version?: string } = {}): Promise<Json> =>
    (
      await h.call(opts.vault ?? 'Alpha', 'POST', `/api/${opts.version ?? V}/query`, {
        auth: opts.auth ?? admin,
        form: { q },
      })
    ).body;
  return { h, admin, query };
}

function seedTokens(h: Harness): void {
  h.fake.state.createToken({
    vault: 'Alpha',
    user: U.admin,
    name: 'McDonald key',
    expiresAt: new Date('2030-06-01T00:00:00Z'),
  });
  h.fake.state.createToken({
    vault: 'Alpha',
    user: U.admin,
    name: 'mcdonald lower',
    expiresAt: new Date('2030-06-02T00:00:00Z'),
  });
  h.fake.state.createToken({
    vault: 'Alpha',
    user: U.admin,
    name: '50% off',
    expiresAt: new Date('2030-06-03T00:00:00Z'),
  });
  h.fake.state.createToken({
    vault: 'Alpha',
    user: U.admin,
    name: '50 percent',
    expiresAt: new Date('2030-06-04T00:00:00Z'),
  });
  h.fake.state.createToken({ vault: 'Alpha', user: U.admin, name: 'a_b', expiresAt: new Date('2030-06-05T00:00:00Z') });
  h.fake.state.createToken({ vault: 'Alpha', user: U.admin, name: 'axb', expiresAt: new Date('2030-06-06T00:00:00Z') });
  h.fake.state.createToken({
    vault: 'Alpha',
    user: U.admin,
    name: "o'brien",
    expiresAt: new Date('2030-06-07T00:00:00Z'),
  });
  h.fake.state.createToken({
    vault: 'Alpha',
    user: U.admin,
    name: 'back\\slash',
    expiresAt: new Date('2030-06-08T00:00:00Z'),
  });
}

const names = (body: Json): string[] => {
  expect(body.responseStatus).toBe('SUCCESS');
  return (body.data as Json[]).map((r) => r.name__v as string).sort();
};

// ---------------------------------------------------------------------------
describe('rule 1: each query target answers only its documented fields', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture();
    seedTokens(f.h);
  });
  afterAll(() => f.h.fake.close());

  it('api_access_token__sys answers exactly its six documented fields (Q-tok)', async () => {
    const body = await f.query(
      `SELECT ${TOKEN_FIELDS.join(', ')} FROM api_access_token__sys WHERE user__sys = ${U.admin} AND status__v = 'active__v' ORDER BY expiry_date__sys DESC`,
    );
    expect(body.responseStatus).toBe('SUCCESS');
    expect(Object.keys(body.data[0])).toEqual(TOKEN_FIELDS);
  });

  it.each([
    ['SELECT', 'SELECT id, created_date__v FROM api_access_token__sys'],
    ['WHERE', "SELECT id FROM api_access_token__sys WHERE modified_date__v > '2020-01-01'"],
    ['ORDER BY', 'SELECT id FROM api_access_token__sys ORDER BY created_by__v'],
  ])('an audit field in %s fails the whole query with INVALID_DATA naming the field (HTTP 200)', async (clause, q) => {
    const { res, body } = await f.h.call('Alpha', 'POST', `/api/${V}/query`, { auth: f.admin, form: { q } });
    expect(res.status).toBe(200);
    expectFailure(body, 'INVALID_DATA');
    expect(body.errors[0].message).toMatch(/\[(created_date__v|modified_date__v|created_by__v)\]/);
    expect(body.errors[0].message).toContain(clause);
  });

  it('user__sys answers its documented fields; user_type__v is refused', async () => {
    const ok = await f.query(
      `SELECT ${USER_SYS_FIELDS.join(', ')} FROM user__sys WHERE status__v = 'active__v' ORDER BY name__v`,
    );
    expect(ok.responseStatus).toBe('SUCCESS');
    expect(Object.keys(ok.data[0])).toEqual(USER_SYS_FIELDS);
    const refused = await f.query(`SELECT ${USER_SYS_FIELDS.join(', ')}, user_type__v FROM user__sys`);
    expectFailure(refused, 'INVALID_DATA');
    expect(refused.errors[0].message).toContain('[user_type__v]');
    for (const hidden of ['timezone__sys', 'security_profile__sys', 'created_date__v']) {
      expectFailure(await f.query(`SELECT id FROM user__sys WHERE ${hidden} != null`), 'INVALID_DATA');
    }
  });

  it('legacy users answers the fields Retrieve User Metadata marks queryable, nothing else (Q-usr)', async () => {
    const body = await f.query(
      'SELECT id, user_name__v, user_title__v, user_language__v, is_domain_admin__v, vault_id__v, license_type__v FROM users WHERE id = ' +
        U.admin,
    );
    expect(body.data).toEqual([
      {
        id: U.admin,
        user_name__v: 'admin@example.com',
        user_title__v: null,
        user_language__v: 'en',
        is_domain_admin__v: true,
        vault_id__v: [100, 200, 150],
        license_type__v: 'full__v',
      },
    ]);
    // alias__v and group_id__v are user fields with "queryable": false; username__sys is user__sys naming.
    for (const field of ['alias__v', 'group_id__v', 'username__sys'])
      expectFailure(await f.query(`SELECT id, ${field} FROM users`), 'INVALID_DATA');
  });

  it('Retrieve Object Record still lists every field of the record, audit fields included (O-get)', async () => {
    const t = f.h.fake.state.createToken({ vault: 'Alpha', user: U.admin, name: 'record' });
    const { body } = await f.h.call('Alpha', 'GET', `/api/${V}/vobjects/api_access_token__sys/${t.id}`, {
      auth: f.admin,
    });
    expect(Object.keys(body.data)).toEqual([
      ...TOKEN_FIELDS,
      'created_date__v',
      'created_by__v',
      'modified_date__v',
      'modified_by__v',
    ]);
  });
});

describe('rule 1 loosened: extraQueryFields re-enables named fields per target', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture({
      extraQueryFields: { user__sys: ['user_type__v', 'bogus__c'], api_access_token__sys: ['created_date__v'] },
    });
  });
  afterAll(() => f.h.fake.close());

  it('answers user_type__v (system users flagged) and created_date__v with their data', async () => {
    const users = await f.query(
      "SELECT id, username__sys, user_type__v FROM user__sys WHERE user_type__v = 'system__v' OR username__sys = 'pat@example.com' ORDER BY id",
    );
    expect(users.data).toEqual([
      { id: 1, username__sys: 'System', user_type__v: ['system__v'] },
      { id: U.pacific, username__sys: 'pat@example.com', user_type__v: ['normal__v'] },
    ]);
    f.h.fake.state.createToken({
      vault: 'Alpha',
      user: U.admin,
      name: 'dated',
      createdAt: new Date('2029-12-01T10:20:30Z'),
    });
    const tokens = await f.query("SELECT name__v, created_date__v FROM api_access_token__sys WHERE name__v = 'dated'");
    expect(tokens.data).toEqual([{ name__v: 'dated', created_date__v: '2029-12-01T10:20:30.000Z' }]);
  });

  it('only the named fields: others stay refused, and so does a name with no data behind it', async () => {
    expectFailure(await f.query('SELECT id, timezone__sys FROM user__sys'), 'INVALID_DATA');
    expectFailure(await f.query('SELECT id, bogus__c FROM user__sys'), 'INVALID_DATA');
    expectFailure(await f.query('SELECT id, modified_date__v FROM api_access_token__sys'), 'INVALID_DATA');
  });
});

describe('rule 1: a client that retries without user_type__v', () => {
  it('is refused with user_type__v by default and served without it; the error type is an option', async () => {
    const f = await fixture({ errorTypes: { unknownQueryField: 'ATTRIBUTE_NOT_SUPPORTED' } });
    try {
      const q = (extra: string): string =>
        `SELECT ${USER_SYS_FIELDS.join(', ')}${extra} FROM user__sys WHERE status__v = 'active__v' ORDER BY name__v ASC PAGESIZE 60`;
      expectFailure(await f.query(q(', user_type__v')), 'ATTRIBUTE_NOT_SUPPORTED');
      expect((await f.query(q(''))).responseStatus).toBe('SUCCESS');
    } finally {
      await f.h.fake.close();
    }
  });
});

// ---------------------------------------------------------------------------
describe('rule 2: case sensitivity, CASEINSENSITIVE() and LIKE (VQL Syntax Basics)', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture();
    seedTokens(f.h);
  });
  afterAll(() => f.h.fake.close());

  const where = (cond: string): Promise<Json> =>
    f.query(String.raw`SELECT name__v FROM api_access_token__sys WHERE ${cond}`);

  it('=, !=, CONTAINS and LIKE compare field values case-sensitively', async () => {
    expect(names(await where("name__v = 'mcdonald key'"))).toEqual([]);
    expect(names(await where("name__v = 'McDonald key'"))).toEqual(['McDonald key']);
    expect(names(await where("name__v != 'MCDONALD KEY' AND name__v LIKE 'Mc%'"))).toEqual(['McDonald key']);
    expect(names(await where("name__v CONTAINS ('MCDONALD KEY', 'mcdonald lower')"))).toEqual(['mcdonald lower']);
    expect(names(await where("name__v LIKE 'mc%'"))).toEqual(['mcdonald lower']);
    // Picklist values too: "This applies to all field type values and picklist values".
    expect(names(await where("status__v = 'ACTIVE__V'"))).toEqual([]);
  });

  it('CASEINSENSITIVE(field) makes =, CONTAINS and LIKE ignore case', async () => {
    expect(names(await where("CASEINSENSITIVE(name__v) = 'MCDONALD KEY'"))).toEqual(['McDonald key']);
    expect(names(await where("CASEINSENSITIVE(name__v) LIKE 'mcd%'"))).toEqual(['McDonald key', 'mcdonald lower']);
    expect(names(await where("caseinsensitive(name__v) CONTAINS ('MCDONALD LOWER')"))).toEqual(['mcdonald lower']);
  });

  it('CASEINSENSITIVE() takes a String field only, and only in WHERE', async () => {
    expectFailure(await where(`CASEINSENSITIVE(user__sys) = '${U.admin}'`), 'INVALID_FILTER');
    expectFailure(await where("CASEINSENSITIVE(id) = 'x'"), 'INVALID_FILTER');
    expectFailure(
      await f.query('SELECT CASEINSENSITIVE(name__v) FROM api_access_token__sys'),
      'INCORRECT_QUERY_SYNTAX_ERROR',
    );
  });

  it('LIKE: % is the wildcard, \\% a literal percent; _ is a literal character', async () => {
    expect(names(await where("name__v LIKE '50%'"))).toEqual(['50 percent', '50% off']);
    expect(names(await where(String.raw`name__v LIKE '50\%%'`))).toEqual(['50% off']);
    expect(names(await where("name__v LIKE 'a_b'"))).toEqual(['a_b']);
    expect(names(await where("name__v LIKE '%\\%%' OR name__v = '50% off'"))).toEqual(['50% off']);
  });

  it("strings: \\' and '' are quotes, \\\\ a backslash; any other backslash escape is a syntax error", async () => {
    expect(names(await where(String.raw`name__v = 'o\'brien'`))).toEqual(["o'brien"]);
    expect(names(await where("name__v = 'o''brien'"))).toEqual(["o'brien"]);
    expect(names(await where(String.raw`name__v = 'back\\slash'`))).toEqual(['back\\slash']);
    for (const bad of [
      String.raw`name__v LIKE 'a\_b'`,
      String.raw`name__v = 'back\slash'`,
      String.raw`name__v = 'x\q'`,
    ]) {
      expectFailure(await where(bad), 'INCORRECT_QUERY_SYNTAX_ERROR');
    }
  });

  it('keywords in any case; field and object names, true/false/null only in lower case', async () => {
    expect(
      (await f.query('select id from api_access_token__sys where expiry_date__sys != null order by id asc pagesize 2'))
        .responseStatus,
    ).toBe('SUCCESS');
    expectFailure(await f.query('SELECT ID FROM api_access_token__sys'), 'INVALID_DATA');
    expectFailure(await f.query('SELECT id FROM api_access_token__sys ORDER BY Name__v'), 'INVALID_DATA');
    expectFailure(await f.query('SELECT id FROM API_ACCESS_TOKEN__SYS'), 'INCORRECT_QUERY_SYNTAX_ERROR');
    expectFailure(await where('expiry_date__sys = NULL'), 'INCORRECT_QUERY_SYNTAX_ERROR');
  });

  it('refuses undocumented operators: <>, IN with literals, NOT', async () => {
    expectFailure(await where("name__v <> 'axb'"), 'INCORRECT_QUERY_SYNTAX_ERROR');
    expectFailure(await where("name__v IN ('axb')"), 'INCORRECT_QUERY_SYNTAX_ERROR');
    expectFailure(await where("name__v NOT LIKE 'a%'"), 'INCORRECT_QUERY_SYNTAX_ERROR');
  });
});

describe('rule 2 loosened through options', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture({
      vqlCaseInsensitiveNames: true,
      vqlUnknownEscapes: 'literal',
      vqlInValueLists: true,
      vqlAngleNotEquals: true,
      vqlNotOperator: true,
    });
    seedTokens(f.h);
  });
  afterAll(() => f.h.fake.close());

  const where = (cond: string): Promise<Json> =>
    f.query(String.raw`SELECT name__v FROM api_access_token__sys WHERE ${cond}`);

  it('fold names and literals, read unknown escapes literally, accept <>, IN lists and NOT', async () => {
    expect(
      (await f.query('SELECT ID, Name__v FROM API_ACCESS_TOKEN__SYS WHERE expiry_date__sys != NULL')).data[0],
    ).toHaveProperty('name__v');
    expect(names(await where(String.raw`name__v LIKE 'a\_b'`))).toEqual(['a_b']);
    expect(names(await where("name__v IN ('axb', 'a_b')"))).toEqual(['a_b', 'axb']);
    expect(names(await where("name__v NOT IN ('axb') AND name__v LIKE 'a%'"))).toEqual(['a_b']);
    expect(names(await where("name__v <> 'axb' AND name__v NOT LIKE '%o%' AND name__v LIKE 'a%'"))).toEqual(['a_b']);
    // Still case sensitive: folding applies to names, not to values.
    expect(names(await where("name__v = 'AXB'"))).toEqual([]);
  });

  it('vqlLikeUnderscoreWildcard makes _ match one character and \\_ a literal underscore', async () => {
    const g = await fixture({ vqlLikeUnderscoreWildcard: true });
    try {
      seedTokens(g.h);
      const w = (cond: string): Promise<Json> =>
        g.query(String.raw`SELECT name__v FROM api_access_token__sys WHERE ${cond}`);
      expect(names(await w("name__v LIKE 'a_b'"))).toEqual(['a_b', 'axb']);
      expect(names(await w(String.raw`name__v LIKE 'a\_b'`))).toEqual(['a_b']);
    } finally {
      await g.h.fake.close();
    }
  });
});

// ---------------------------------------------------------------------------
describe('rule 3: query and pagination are POST only; paging clauses by version', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture({ apiVersions: ['v14.0', 'v20.2', ...DEFAULT_API_VERSIONS] });
    for (let i = 0; i < 5; i++) f.h.fake.state.createToken({ vault: 'Alpha', user: U.admin, name: `p${i}` });
  });
  afterAll(() => f.h.fake.close());

  it('GET /query and GET next_page answer METHOD_NOT_SUPPORTED with HTTP 200; POST works', async () => {
    const q = encodeURIComponent('SELECT id FROM api_access_token__sys PAGESIZE 2');
    const viaGet = await f.h.call('Alpha', 'GET', `/api/${V}/query?q=${q}`, { auth: f.admin });
    expect(viaGet.res.status).toBe(200);
    expectFailure(viaGet.body, 'METHOD_NOT_SUPPORTED');
    const first = await f.h.call('Alpha', 'POST', `/api/${V}/query?q=${q}`, { auth: f.admin });
    const next: string = first.body.responseDetails.next_page;
    expectFailure((await f.h.call('Alpha', 'GET', next, { auth: f.admin })).body, 'METHOD_NOT_SUPPORTED');
    expect((await f.h.call('Alpha', 'POST', next, { auth: f.admin })).body.responseDetails).toMatchObject({
      pageoffset: 2,
      size: 2,
    });
  });

  it('PAGESIZE/PAGEOFFSET need v20.3+; LIMIT/OFFSET work everywhere; PAGEOFFSET beats OFFSET', async () => {
    expectFailure(
      await f.query('SELECT id FROM api_access_token__sys PAGESIZE 2', { version: 'v20.2' }),
      'INCORRECT_QUERY_SYNTAX_ERROR',
    );
    expectFailure(
      await f.query('SELECT id FROM api_access_token__sys PAGEOFFSET 2', { version: 'v20.2' }),
      'INCORRECT_QUERY_SYNTAX_ERROR',
    );
    expect(
      (await f.query('SELECT id FROM api_access_token__sys LIMIT 2 OFFSET 1', { version: 'v20.2' })).responseDetails,
    ).toMatchObject({
      pagesize: 2,
      pageoffset: 1,
    });
    expect(
      (await f.query('SELECT id FROM api_access_token__sys PAGESIZE 2 OFFSET 1 PAGEOFFSET 3')).responseDetails,
    ).toMatchObject({
      pagesize: 2,
      pageoffset: 3,
    });
  });

  it('CASEINSENSITIVE() needs v14.0+ (all listed versions qualify)', async () => {
    expect(
      (
        await f.query("SELECT id FROM api_access_token__sys WHERE CASEINSENSITIVE(name__v) = 'P1'", {
          version: 'v14.0',
        })
      ).data,
    ).toHaveLength(1);
  });

  it('queryGetMethod answers GET like POST', async () => {
    const g = await fixture({ queryGetMethod: true });
    try {
      const q = encodeURIComponent('SELECT id FROM user__sys PAGESIZE 2');
      const first = await g.h.call('Alpha', 'GET', `/api/${V}/query?q=${q}`, { auth: g.admin });
      expect(first.body.responseStatus).toBe('SUCCESS');
      expect(
        (await g.h.call('Alpha', 'GET', first.body.responseDetails.next_page, { auth: g.admin })).body.responseStatus,
      ).toBe('SUCCESS');
    } finally {
      await g.h.fake.close();
    }
  });
});

// ---------------------------------------------------------------------------
describe('rule 4: an API access token signs in only behind Bearer (§1.1, §3.1)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ errorTypes: { invalidToken: 'EXPIRED_TOKEN' } });
  });
  afterAll(() => h.fake.close());

  const me = (auth: string) => h.call('Alpha', 'GET', `/api/${V}/objects/users/me`, { auth });

  it('a bare token value is read as a session ID and refused; last_used_date__sys is untouched', async () => {
    const t = h.fake.state.createToken({ vault: 'Alpha', user: U.nora, name: 'raw' });
    expectFailure((await me(t.value)).body, 'INVALID_SESSION_ID');
    expect(h.fake.state.getToken(t.id)?.lastUsedAt).toBeNull();
    expect((await me(`Bearer ${t.value}`)).body.responseStatus).toBe('SUCCESS');
    // An unknown token behind Bearer gets the configured token error type.
    expectFailure((await me('Bearer veeva-vault-NOPE')).body, 'EXPIRED_TOKEN');
  });

  it('sessions still work raw and behind Bearer', async () => {
    const s = await h.login('nora@example.com', 'Alpha');
    expect((await me(s)).body.responseStatus).toBe('SUCCESS');
    expect((await me(`Bearer ${s}`)).body.responseStatus).toBe('SUCCESS');
  });

  it('acceptRawTokenAuthorization lets a bare token in', async () => {
    const g = await startHarness({ acceptRawTokenAuthorization: true });
    try {
      const t = g.fake.state.createToken({ vault: 'Alpha', user: U.nora, name: 'raw ok' });
      expect((await g.call('Alpha', 'GET', `/api/${V}/objects/users/me`, { auth: t.value })).body.responseStatus).toBe(
        'SUCCESS',
      );
    } finally {
      await g.fake.close();
    }
  });
});

// ---------------------------------------------------------------------------
describe('rule 5: sandbox tokens (§1.4, T-sbx)', () => {
  let f: Fixture;
  let sbx: string;
  beforeAll(async () => {
    f = await fixture();
    sbx = await f.h.login('admin@example.com', 'Alpha Sandbox');
  });
  afterAll(() => f.h.fake.close());

  const sandboxPath = (user: string) => `/api/${V}/objects/sandbox/Alpha%20Sandbox/users/${user}/api_access_token__sys`;

  it('exists only for me: any other user segment is not a route (MALFORMED_URL)', async () => {
    for (const user of [String(U.nora), String(U.admin), 'ME']) {
      const { res, body } = await f.h.call('Alpha', 'POST', sandboxPath(user), {
        auth: f.admin,
        form: { name__v: 'x', expiry_date__v: '2030-02-01' },
      });
      expect(res.status).toBe(200);
      expectFailure(body, 'MALFORMED_URL');
    }
  });

  it('the token belongs to the sandbox: listed and revoked there, never on the parent', async () => {
    const made = await f.h.call('Alpha', 'POST', sandboxPath('me'), {
      auth: f.admin,
      form: { name__v: 'sbx token', expiry_date__v: '2030-02-01' },
    });
    expect(made.body.responseStatus).toBe('SUCCESS');
    const id: string = made.body.data.id;
    const q = `SELECT id, name__v, status__v FROM api_access_token__sys WHERE id = '${id}'`;
    expect((await f.query(q, { vault: 'Alpha Sandbox', auth: sbx })).data).toEqual([
      { id, name__v: 'sbx token', status__v: ['active__v'] },
    ]);
    expect((await f.query(q)).data).toEqual([]);
    expectFailure(
      (await f.h.call('Alpha', 'GET', `/api/${V}/vobjects/api_access_token__sys/${id}`, { auth: f.admin })).body,
      'INVALID_DATA',
    );

    const onParent = await f.h.call('Alpha', 'DELETE', `/api/${V}/vobjects/api_access_token__sys`, {
      auth: f.admin,
      csv: `id\n${id}\n`,
    });
    expect(onParent.body.data[0]).toMatchObject({ responseStatus: 'FAILURE', errors: [{ type: 'INVALID_DATA' }] });
    expect(f.h.fake.state.getToken(id)?.status).toBe('active');

    const onSandbox = await f.h.call('Alpha Sandbox', 'DELETE', `/api/${V}/vobjects/api_access_token__sys`, {
      auth: sbx,
      csv: `id\n${id}\n`,
    });
    expect(onSandbox.body.data[0]).toEqual({ responseStatus: 'SUCCESS', data: { id } });
    expect(f.h.fake.state.getToken(id)?.status).toBe('deleted');
    expect((await f.query(q, { vault: 'Alpha Sandbox', auth: sbx })).data).toEqual([
      { id, name__v: 'sbx token', status__v: ['inactive__v'] },
    ]);
  });
});

// ---------------------------------------------------------------------------
describe('rule 6: request formats, versions, headers and client IDs', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture();
  });
  afterAll(() => f.h.fake.close());

  const mine = `/api/${V}/objects/users/me/api_access_token__sys`;
  const del = `/api/${V}/vobjects/api_access_token__sys`;

  it('generate accepts form-urlencoded and JSON only (T-gen headers), not multipart', async () => {
    const fd = new FormData();
    fd.set('name__v', 'multipart');
    fd.set('expiry_date__v', '2030-02-01');
    expectFailure((await f.h.call('Alpha', 'POST', mine, { auth: f.admin, body: fd })).body, 'INVALID_DATA');
    expect(
      (
        await f.h.call('Alpha', 'POST', mine, {
          auth: f.admin,
          form: { name__v: 'form', expiry_date__v: '2030-02-01' },
        })
      ).body.responseStatus,
    ).toBe('SUCCESS');
  });

  it('delete reads a CSV header named exactly id, and idParam only as id', async () => {
    const t = f.h.fake.state.createToken({ vault: 'Alpha', user: U.admin, name: 'csv' });
    expectFailure(
      (await f.h.call('Alpha', 'DELETE', del, { auth: f.admin, csv: `ID\n${t.id}\n` })).body,
      'INVALID_DATA',
    );
    expectFailure(
      (await f.h.call('Alpha', 'DELETE', `${del}?idParam=external_id__v`, { auth: f.admin, csv: `id\n${t.id}\n` }))
        .body,
      'INVALID_DATA',
    );
    expect(f.h.fake.state.getToken(t.id)?.status).toBe('active');
    const ok = await f.h.call('Alpha', 'DELETE', `${del}?idParam=id`, { auth: f.admin, json: [{ id: t.id }] });
    expect(ok.body.data).toEqual([{ responseStatus: 'SUCCESS', data: { id: t.id } }]);
  });

  it('honours _method=DELETE on POST only, and no other override', async () => {
    const t = f.h.fake.state.createToken({ vault: 'Alpha', user: U.admin, name: 'override' });
    expect(
      (await f.h.call('Alpha', 'POST', `${del}?_method=delete`, { auth: f.admin, csv: `id\n${t.id}\n` })).body.data[0]
        .responseStatus,
    ).toBe('SUCCESS');
    expectFailure(
      (await f.h.call('Alpha', 'POST', `/api/${V}/objects/users/me?_method=GET`, { auth: f.admin })).body,
      'METHOD_NOT_SUPPORTED',
    );
    expectFailure(
      (await f.h.call('Alpha', 'GET', `${del}?_method=DELETE`, { auth: f.admin })).body,
      'METHOD_NOT_SUPPORTED',
    );
  });

  it('refuses API versions that GET /api/ does not list', async () => {
    const { res, body } = await f.h.call('Alpha', 'GET', '/api/v99.1/objects/users/me', { auth: f.admin });
    expect(res.status).toBe(200);
    expectFailure(body, 'MALFORMED_URL');
  });

  it('sends X-VaultAPI-Status from v23.2 on (R-hdr)', async () => {
    const old = await f.h.call('Alpha', 'GET', '/api/v23.1/objects/users/me', { auth: f.admin });
    expect(old.body.responseStatus).toBe('SUCCESS');
    expect(old.res.headers.get('x-vaultapi-status')).toBeNull();
    const cur = await f.h.call('Alpha', 'GET', '/api/v23.2/objects/users/me', { auth: f.admin });
    expect(cur.res.headers.get('x-vaultapi-status')).toBe('SUCCESS');
  });
});

describe('rule 6 loosened or switched on through options', () => {
  it('methodOverride: false makes POST ?_method=DELETE a plain POST', async () => {
    const f = await fixture({ methodOverride: false });
    try {
      const t = f.h.fake.state.createToken({ vault: 'Alpha', user: U.admin, name: 'x' });
      expectFailure(
        (
          await f.h.call('Alpha', 'POST', `/api/${V}/vobjects/api_access_token__sys?_method=DELETE`, {
            auth: f.admin,
            csv: `id\n${t.id}\n`,
          })
        ).body,
        'METHOD_NOT_SUPPORTED',
      );
    } finally {
      await f.h.fake.close();
    }
  });

  it('csvHeaderCaseInsensitive, acceptUnknownApiVersions and errorTypes.unknownApiVersion', async () => {
    const f = await fixture({ csvHeaderCaseInsensitive: true, acceptUnknownApiVersions: true });
    const g = await startHarness({ errorTypes: { unknownApiVersion: 'METHOD_NOT_SUPPORTED' } });
    try {
      const t = f.h.fake.state.createToken({ vault: 'Alpha', user: U.admin, name: 'x' });
      expect(
        (
          await f.h.call('Alpha', 'DELETE', `/api/${V}/vobjects/api_access_token__sys`, {
            auth: f.admin,
            csv: `ID\n${t.id}\n`,
          })
        ).body.data[0].responseStatus,
      ).toBe('SUCCESS');
      expect(
        (await f.h.call('Alpha', 'GET', '/api/v99.1/objects/users/me', { auth: f.admin })).body.responseStatus,
      ).toBe('SUCCESS');
      expectFailure((await g.call('Alpha', 'GET', '/api/v99.1/objects/users/me')).body, 'METHOD_NOT_SUPPORTED');
    } finally {
      await f.h.fake.close();
      await g.fake.close();
    }
  });

  it('clientIdFiltering refuses client IDs that are not allowed (§5.5)', async () => {
    const h = await startHarness({ clientIdFiltering: ['veepharm-it-tokendesk'] });
    try {
      const auth = { form: { username: 'admin@example.com', password: 'S3cret-pass!' } };
      expectFailure((await h.call('Alpha', 'POST', `/api/${V}/auth`, auth)).body, 'INSUFFICIENT_ACCESS');
      expectFailure(
        (await h.call('Alpha', 'POST', `/api/${V}/auth`, { ...auth, headers: { 'X-VaultAPI-ClientID': 'other-app' } }))
          .body,
        'INSUFFICIENT_ACCESS',
      );
      const ok = await h.call('Alpha', 'POST', `/api/${V}/auth`, {
        ...auth,
        headers: { 'X-VaultAPI-ClientID': 'veepharm-it-tokendesk' },
      });
      expect(ok.body.responseStatus).toBe('SUCCESS');
      // The query parameter wins over the header (R-cid).
      expect(
        (
          await h.call('Alpha', 'POST', `/api/${V}/auth?client_id=veepharm-it-tokendesk`, {
            ...auth,
            headers: { 'X-VaultAPI-ClientID': 'other-app' },
          })
        ).body.responseStatus,
      ).toBe('SUCCESS');
    } finally {
      await h.fake.close();
    }
  });
});
