/** Pure pieces of the fake Vault, plus a smoke test of the CLI. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadOrCreateTls } from './certificate';
import { FaultInjector } from './faults';
import { parseCsv } from './http-io';
import { createTrustingFetch } from './https-fetch';
import { localDateString, parseExpiryInput, zonedWallTimeToUtc } from './time';
import { VqlSyntaxError, parseVql } from './vql';
import { likeRegExp } from './vql-eval';

describe('VQL parser', () => {
  it('parses the token query with every clause; keywords in any case, names as written', () => {
    const q = parseVql(
      "select id, name__v from api_access_token__sys where (user__sys = '12345' or user__sys = 7) and status__v contains ('active__v') " +
        "and CaseInsensitive(name__v) like 'x%' order by expiry_date__sys desc, id pagesize 50 pageoffset 100",
    );
    expect(q.fields).toEqual(['id', 'name__v']);
    expect(q.target).toBe('api_access_token__sys');
    expect(q.orderBy).toEqual([
      { field: 'expiry_date__sys', direction: 'desc' },
      { field: 'id', direction: 'asc' },
    ]);
    expect(q.pageSize).toBe(50);
    expect(q.pageOffset).toBe(100);
    expect(q.where).toMatchObject({
      kind: 'and',
      left: { kind: 'and', left: { kind: 'or' }, right: { kind: 'in', field: 'status__v', negated: false } },
      right: {
        kind: 'like',
        field: 'name__v',
        caseInsensitive: true,
        pattern: { value: 'x%', wildcards: [1] },
        negated: false,
      },
    });
  });

  it('reads escaped quotes and LIMIT/OFFSET', () => {
    const q = parseVql(
      "SELECT id FROM users WHERE user_name__v != 'o\\'brien' AND user_last_name__v = 'd''arc' LIMIT 5 OFFSET 10",
    );
    expect(q.where).toMatchObject({
      left: { op: '!=', value: { kind: 'string', value: "o'brien" } },
      right: { value: { value: "d'arc" } },
    });
    expect([q.pageSize, q.pageOffset]).toEqual([5, 10]);
  });

  it.each([
    '',
    'SELECT',
    'SELECT id',
    'SELECT id, FROM x',
    'SELECT id FROM x WHERE',
    'SELECT id FROM x WHERE a = ',
    'SELECT id FROM x WHERE a IN ()',
    'SELECT id FROM x PAGESIZE -1',
    'SELECT id FROM x trailing',
    'SELECT id FROM x WHERE a NOT = 1',
    'SELECT id FROM x WHERE a ~ 1',
    // Undocumented syntax (README table): <>, IN with literals, NOT, other escapes, upper-case literals.
    "SELECT id FROM x WHERE a <> 'b'",
    "SELECT id FROM x WHERE a IN ('b')",
    "SELECT id FROM x WHERE a NOT LIKE 'b%'",
    "SELECT id FROM x WHERE a = 'b\\_c'",
    "SELECT id FROM x WHERE a = 'b\\'",
    'SELECT id FROM x WHERE a = NULL',
    'SELECT id FROM x WHERE a = TRUE',
    'SELECT id FROM x WHERE a IN (SELECT id FROM y)',
    'SELECT id FROM x WHERE CASEINSENSITIVE a = 1',
    'SELECT id FROM x PAGESIZE 1 PAGESIZE 2',
  ])('rejects %j', (src) => {
    expect(() => parseVql(src)).toThrow(VqlSyntaxError);
  });

  it('keeps names as written (case sensitive) unless the dialect folds them', () => {
    expect(parseVql('SELECT ID FROM Api_Access_Token__sys').fields).toEqual(['ID']);
    const folded = parseVql('SELECT ID FROM Api_Access_Token__sys WHERE a = NULL', { caseInsensitiveNames: true });
    expect([folded.fields, folded.target, folded.where]).toEqual([
      ['id'],
      'api_access_token__sys',
      expect.objectContaining({ value: { kind: 'null' } }),
    ]);
  });

  it('decodes the documented escapes and marks only unescaped % as wildcards', () => {
    const q = parseVql(String.raw`SELECT id FROM x WHERE a LIKE '50\%%\'\\\"\*\n\t\r'''`);
    expect(q.where).toMatchObject({ kind: 'like', pattern: { value: `50%%'\\"*\n\t\r'`, wildcards: [3] } });
  });

  it('opens undocumented syntax one switch at a time', () => {
    expect(parseVql("SELECT id FROM x WHERE a <> 'b'", { angleNotEquals: true }).where).toMatchObject({ op: '!=' });
    expect(parseVql("SELECT id FROM x WHERE a IN ('b', 'c')", { inValueLists: true }).where).toMatchObject({
      kind: 'in',
      values: [{ value: 'b' }, { value: 'c' }],
    });
    expect(parseVql("SELECT id FROM x WHERE a NOT CONTAINS ('b')", { notOperator: true }).where).toMatchObject({
      kind: 'in',
      negated: true,
    });
    expect(parseVql(String.raw`SELECT id FROM x WHERE a = 'b\qc'`, { unknownEscapes: 'literal' }).where).toMatchObject({
      value: { value: 'bqc' },
    });
    expect(
      parseVql(String.raw`SELECT id FROM x WHERE a LIKE 'b\__'`, { underscoreWildcard: true }).where,
    ).toMatchObject({
      pattern: { value: 'b__', wildcards: [2] },
    });
  });

  it('gates PAGESIZE / PAGEOFFSET (v20.3+) and CASEINSENSITIVE (v14.0+) by version', () => {
    expect(() => parseVql('SELECT id FROM x PAGESIZE 5', { version: 'v20.2' })).toThrow(/v20\.3/);
    expect(() => parseVql('SELECT id FROM x PAGEOFFSET 5', { version: 'v20.2' })).toThrow(VqlSyntaxError);
    expect(parseVql('SELECT id FROM x LIMIT 5 OFFSET 1', { version: 'v20.2' })).toMatchObject({
      pageSize: 5,
      pageOffset: 1,
    });
    expect(parseVql('SELECT id FROM x LIMIT 9 PAGESIZE 5 OFFSET 1 PAGEOFFSET 2', { version: 'v20.3' })).toMatchObject({
      pageSize: 5,
      pageOffset: 2,
    });
    expect(() => parseVql("SELECT id FROM x WHERE CASEINSENSITIVE(a) = 'b'", { version: 'v13.0' })).toThrow(/v14\.0/);
  });
});

describe('LIKE patterns', () => {
  const lit = (value: string, wildcards: number[]) => ({ kind: 'string' as const, value, wildcards });
  it('matches % anywhere, case-sensitively unless asked, with regex characters literal', () => {
    expect(likeRegExp(lit('a%', [1]), false).test('abc')).toBe(true);
    expect(likeRegExp(lit('a%', [1]), false).test('Abc')).toBe(false);
    expect(likeRegExp(lit('a%', [1]), true).test('Abc')).toBe(true);
    expect(likeRegExp(lit('50%', []), false).test('50%')).toBe(true);
    expect(likeRegExp(lit('50%', []), false).test('500')).toBe(false);
    expect(likeRegExp(lit('a.b(c)%', [6]), false).test('a.b(c)\nx')).toBe(true);
    expect(likeRegExp(lit('a.b', []), false).test('axb')).toBe(false);
    expect(likeRegExp(lit('a_b', [1]), false).test('axb')).toBe(false);
    expect(likeRegExp(lit('a_b', [1]), false, { underscoreWildcard: true }).test('axb')).toBe(true);
  });
});

describe('time zones and expiry input', () => {
  it('converts wall-clock end of day to UTC across zones and DST', () => {
    const eod = (date: string, tz: string): string => {
      const [y, m, d] = date.split('-').map(Number) as [number, number, number];
      return zonedWallTimeToUtc({ year: y, month: m, day: d, hour: 23, minute: 59, second: 59 }, tz).toISOString();
    };
    expect(eod('2030-01-15', 'UTC')).toBe('2030-01-15T23:59:59.000Z');
    expect(eod('2030-01-15', 'America/New_York')).toBe('2030-01-16T04:59:59.000Z');
    expect(eod('2030-07-15', 'America/New_York')).toBe('2030-07-16T03:59:59.000Z');
    expect(eod('2030-03-15', 'Asia/Kolkata')).toBe('2030-03-15T18:29:59.000Z');
    expect(eod('2030-01-15', 'Pacific/Auckland')).toBe('2030-01-15T10:59:59.000Z');
    expect(eod('2030-07-15', 'Pacific/Auckland')).toBe('2030-07-15T11:59:59.000Z');
    expect(eod('2030-03-10', 'America/Los_Angeles')).toBe('2030-03-11T06:59:59.000Z'); // DST starts that morning
    expect(eod('2030-11-03', 'America/Los_Angeles')).toBe('2030-11-04T07:59:59.000Z'); // DST ends that morning
  });

  it('gives the local calendar date of an instant', () => {
    expect(localDateString(Date.parse('2030-01-15T23:30:00Z'), 'Asia/Tokyo')).toBe('2030-01-16');
    expect(localDateString(Date.parse('2030-01-15T03:30:00Z'), 'America/Chicago')).toBe('2030-01-14');
  });

  it('parses only the documented expiry formats', () => {
    expect(parseExpiryInput('2030-01-15T10:00:00Z', false)).toEqual({
      kind: 'instant',
      date: new Date('2030-01-15T10:00:00Z'),
    });
    expect(parseExpiryInput('2030-01-15', false)).toMatchObject({ kind: 'date', year: 2030, month: 1, day: 15 });
    expect(parseExpiryInput('2030-01-15T10:00:00.000Z', false).kind).toBe('invalid');
    expect(parseExpiryInput('2030-01-15T10:00:00.000Z', true).kind).toBe('instant');
    expect(parseExpiryInput('2030-01-15T24:00:00Z', false).kind).toBe('invalid');
    expect(parseExpiryInput('2029-02-29', false).kind).toBe('invalid');
    expect(parseExpiryInput('2028-02-29', false).kind).toBe('date');
  });
});

describe('CSV and fault matching', () => {
  it('parses quoted CSV with CRLF and doubled quotes', () => {
    expect(parseCsv('id,name\r\n"0PI1","a, ""b"""\r\n0PI2,c\n\n')).toEqual([
      ['id', 'name'],
      ['0PI1', 'a, "b"'],
      ['0PI2', 'c'],
    ]);
  });

  it('matches by Vault, method and path; latencies stack; first terminal fault wins', () => {
    const f = new FaultInjector();
    f.inject({ path: '/auth' }, { kind: 'latency', ms: 10 });
    f.inject({ vaultId: 1, method: 'post' }, { kind: 'latency', ms: 5 }, { times: 1 });
    const drop = f.inject({ path: /\/query/ }, { kind: 'drop' }, { times: 2 });
    f.inject({}, { kind: 'html500' });
    const req = { vaultId: 1, method: 'POST', effectiveMethod: 'POST', path: '/api/v26.2/auth', isAuth: true };
    expect(f.take(req)).toEqual({ latencyMs: 15, terminal: { kind: 'html500' } });
    expect(f.take(req)).toEqual({ latencyMs: 10, terminal: { kind: 'html500' } });
    const q = { ...req, path: '/api/v26.2/query/abc', isAuth: false };
    expect(f.take(q).terminal).toEqual({ kind: 'drop' });
    expect(f.take(q).terminal).toEqual({ kind: 'drop' });
    expect(drop.hits).toBe(2);
    expect(f.take(q).terminal).toEqual({ kind: 'html500' });
  });

  it('matches by what the Authorization header carries (e.g. only calls signed with an API access token)', () => {
    const f = new FaultInjector();
    const rule = f.inject({ path: '/objects/users/me', auth: 'token' }, { kind: 'invalidSession' });
    const me = {
      vaultId: 1,
      method: 'GET',
      effectiveMethod: 'GET',
      path: '/api/v26.2/objects/users/me',
      isAuth: false,
    };
    expect(f.take({ ...me, auth: 'session' }).terminal).toBeNull();
    expect(f.take(me).terminal).toBeNull();
    expect(f.take({ ...me, auth: 'token' }).terminal).toEqual({ kind: 'invalidSession' });
    expect(rule.hits).toBe(1);
  });

  it('applies otherVault to logins only', () => {
    const f = new FaultInjector();
    const rule = f.inject({}, { kind: 'otherVault', vaultId: 9 }, { times: 1 });
    expect(
      f.take({ vaultId: 1, method: 'GET', effectiveMethod: 'GET', path: '/api/', isAuth: false }).terminal,
    ).toBeNull();
    expect(rule.remaining).toBe(1);
    expect(
      f.take({ vaultId: 1, method: 'POST', effectiveMethod: 'POST', path: '/api/v26.2/auth', isAuth: true }).terminal,
    ).toEqual({
      kind: 'otherVault',
      vaultId: 9,
    });
    expect(f.active).toHaveLength(0);
  });
});

describe('createTrustingFetch against a plain HTTPS server', () => {
  it('follows redirects like fetch, handles 204, and aborts while streaming the body', async () => {
    const tls = await loadOrCreateTls();
    const seen: string[] = [];
    const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${body}`);
        if (req.url === '/302') return void res.writeHead(302, { Location: '/echo' }).end();
        if (req.url === '/307') return void res.writeHead(307, { Location: '/echo' }).end();
        if (req.url === '/204') return void res.writeHead(204).end();
        if (req.url === '/slow') {
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.write('partial');
          return; // never ends
        }
        res.writeHead(201, 'Made', { 'Content-Type': 'text/plain', 'X-Multi': ['a', 'b'] });
        res.end(`${req.method}:${body}`);
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const f = createTrustingFetch(tls.caPem);
    try {
      const r302 = await f(`${base}/302`, { method: 'POST', body: 'x=1' });
      expect([r302.status, r302.statusText, r302.redirected, r302.url, await r302.text()]).toEqual([
        201,
        'Made',
        true,
        `${base}/echo`,
        'GET:',
      ]);
      expect(r302.headers.get('x-multi')).toBe('a, b');
      const r307 = await f(`${base}/307`, { method: 'POST', body: 'x=1' });
      expect(await r307.text()).toBe('POST:x=1');
      const manual = await f(`${base}/302`, { redirect: 'manual' });
      expect([manual.status, manual.headers.get('location')]).toEqual([302, '/echo']);
      await expect(f(`${base}/302`, { redirect: 'error' })).rejects.toThrow(TypeError);
      const none = await f(`${base}/204`);
      expect([none.status, none.body]).toEqual([204, null]);
      expect(seen).toContain('POST /echo x=1');
      const ac = new AbortController();
      const slow = await f(`${base}/slow`, { signal: ac.signal });
      expect(slow.status).toBe(200);
      const text = slow.text();
      ac.abort();
      await expect(text).rejects.toThrow();
      await expect(f('https://127.0.0.1:1/')).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    }
  });
});

describe('CLI', () => {
  it('prints Vault DNS, CA path and credentials, serves requests, and stops on SIGINT', async () => {
    const root = resolve(__dirname, '../..');
    const certDir = mkdtempSync(join(tmpdir(), 'fv-cli-'));
    const portBase = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(
      process.execPath,
      [
        join(root, 'node_modules/tsx/dist/cli.mjs'),
        'test/fake-vault/cli.ts',
        '--port-base',
        String(portBase),
        '--cert-dir',
        certDir,
      ],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    try {
      await new Promise<void>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`CLI did not start: ${out}${err}`)), 30_000);
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('Ctrl-C to stop.')) {
            clearTimeout(timer);
            ok();
          }
        });
        child.once('exit', (code) => fail(new Error(`CLI exited early (${code}): ${err}`)));
      });
      expect(out).toContain(`DNS 127.0.0.1:${portBase}`);
      expect(out).toContain(`DNS 127.0.0.1:${portBase + 2}`);
      expect(out).toContain(`export NODE_EXTRA_CA_CERTS=${join(certDir, 'ca.pem')}`);
      expect(out).toContain('admin@veepharm.com');
      expect(out).toContain('Demo-Passw0rd!');
      const token = /^\s+(veeva-vault-[0-9A-F]+)$/m.exec(out)?.[1];
      expect(token).toBeDefined();
      const f = createTrustingFetch(readFileSync(join(certDir, 'ca.pem'), 'utf8'));
      const res = await f(`https://127.0.0.1:${portBase}/api/v26.2/objects/users/me`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const body = (await res.json()) as { users: { user: { user_name__v: string } }[] };
      expect(body.users[0]?.user.user_name__v).toBe('admin@veepharm.com');
    } finally {
      const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
  });
});
