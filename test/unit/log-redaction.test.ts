import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, forgetSecret, memorySink, redact, redactString, registerSecret } from '../../electron/log';

// Each test registers its own secrets and forgets them afterwards, so the
// module-wide registry does not leak between tests.
const registered: string[] = [];
function secret(s: string): string {
  registered.push(s);
  registerSecret(s);
  return s;
}
afterEach(() => {
  for (const s of registered.splice(0)) forgetSecret(s);
});

describe('log redaction: secret-looking key names', () => {
  const secretKeys = [
    'accessToken',
    'access_token',
    'AccessToken',
    'apiKey',
    'api_key',
    'API_KEY',
    'x-api-key',
    'pwd',
    'credential',
    'credentials',
    'auth',
    'authorization',
    'Authorization',
    'secretValue',
    'refreshToken',
    'refresh_token',
    'refresh-token',
    'clientSecret',
    'client_secret',
    'cookie',
    'Cookie',
    'set-cookie',
    'Set-Cookie',
    'bearer',
    'password',
    'newPassword',
    'passwordHash',
    'sessionId',
    'session_id',
    'sessionID',
    'token',
    'token__sys',
    'tokenValue',
    'value',
    'X-Auth-Token',
    'authHeader',
    'accesstoken',
    'clientsecret',
  ];
  it.each(secretKeys)('redacts %s', (key) => {
    expect(redact({ [key]: 'opaque-looking-thing' })).toEqual({ [key]: '[REDACTED]' });
  });

  it('redacts a secret-named key whatever it holds (objects, arrays, numbers)', () => {
    expect(redact({ credentials: { user: 'u', pass: 'p' }, apiKey: 12345, cookies: ['a=b'] })).toEqual({
      credentials: '[REDACTED]',
      apiKey: '[REDACTED]',
      cookies: '[REDACTED]',
    });
  });

  // The ids and flags the code logs on purpose (vault/http.ts, vault/auth.ts,
  // vault/tokens.ts, tokens-service.ts, session-manager.ts, scheduler.ts).
  const safe: Record<string, unknown> = {
    tokenId: '0PI000000000001',
    tokenIds: ['0PI000000000001', '0PI000000000002'],
    connectionId: 'c-1',
    executionId: 'exec-1',
    vaultId: 1000,
    actualVaultId: 1001,
    userId: 61000,
    truncatedSessionId: 'ABCD',
    'X-VaultAPI-TruncatedSessionId': 'ABCD',
    truncated_session_id: 'ABCD',
    authMethod: 'password',
    authKind: 'session',
    secretStored: true,
    secretsStored: 2,
    keychainItems: 3,
    tokenName: 'CI pipeline',
    kind: 'token',
    errorType: 'INVALID_SESSION_ID',
    responseStatus: 'SUCCESS',
    burstLimitRemaining: 1999,
    path: '/api/v26.2/objects/users/me',
  };
  it('keeps the ids and flags we log on purpose', () => {
    expect(redact(safe)).toEqual(safe);
  });

  it('keeps them through the logger too, next to redacted neighbours', () => {
    const logs = memorySink();
    createLogger(logs.sink, 'debug').info('mixed', { ...safe, accessToken: 'a', apiKey: 'b', clientSecret: 'c' });
    expect(logs.records[0]!.fields).toEqual({
      ...safe,
      accessToken: '[REDACTED]',
      apiKey: '[REDACTED]',
      clientSecret: '[REDACTED]',
    });
  });
});

describe('log redaction: encoded forms of known secrets', () => {
  const pw = secret.bind(null);

  it('redacts the URL-encoded form (encodeURIComponent)', () => {
    const s = pw('Pa ss/w0rd&=?é');
    const text = `body username=a&password=${encodeURIComponent(s)}&x=1`;
    const out = redactString(text);
    expect(out).toBe('body username=a&password=[REDACTED]&x=1');
  });

  it('redacts the form-encoded form, + for spaces (URLSearchParams and hand-rolled)', () => {
    const s = pw("it's a long pass (1)!*~");
    const viaParams = new URLSearchParams({ password: s }).toString();
    const handRolled = `password=${encodeURIComponent(s).replace(/%20/g, '+')}`;
    expect(redactString(viaParams)).toBe('password=[REDACTED]');
    expect(redactString(handRolled)).toBe('password=[REDACTED]');
  });

  it('redacts percent-escapes written in lower case', () => {
    const s = pw('slash/and/colon:pw');
    const lower = encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    expect(lower).not.toBe(encodeURIComponent(s));
    expect(redactString(`p=${lower}`)).toBe('p=[REDACTED]');
  });

  it('redacts the JSON-escaped form (inside a JSON string, and JSON-in-JSON)', () => {
    const s = pw('quote"back\\slash\tTab');
    const once = JSON.stringify({ password: s });
    const twice = JSON.stringify(once);
    expect(redactString(once)).toBe('{"password":"[REDACTED]"}');
    expect(redactString(twice)).not.toContain(JSON.stringify(s).slice(1, -1));
    expect(redactString(twice)).toContain('[REDACTED]');
    // Non-ASCII written as \uXXXX by other serialisers.
    const t = pw('müller-geheim-99');
    expect(redactString('{"p":"m\\u00fcller-geheim-99"}')).toBe('{"p":"[REDACTED]"}');
    expect(t).toBe('müller-geheim-99');
  });

  it('redacts the base64 and base64url forms, also inside a longer base64 blob (Basic auth)', () => {
    const s = pw('S3cret>>??Value');
    const b64 = Buffer.from(s).toString('base64');
    const b64url = Buffer.from(s).toString('base64url');
    expect(b64).not.toBe(b64url);
    expect(redactString(`blob ${b64} end`)).toBe('blob [REDACTED] end');
    expect(redactString(`blob ${b64url} end`)).toBe('blob [REDACTED] end');
    for (const user of ['a', 'ab', 'abc', 'admin@veepharm.com']) {
      const basic = Buffer.from(`${user}:${s}`).toString('base64');
      const out = redactString(`Authorization: Basic ${basic}`);
      expect(out, user).toContain('[REDACTED]');
      // What is left can no longer be decoded back into the secret.
      expect(Buffer.from(out.replace(/.*Basic /, '').replace('[REDACTED]', ''), 'base64').toString()).not.toContain(s);
    }
  });

  it('redacts a URL-encoded token value even when it was never registered', () => {
    const token = 'veeva-vault-ab+cd/ef==';
    expect(redactString(`t=${encodeURIComponent(token)}&next`)).toBe('t=veeva-vault-[REDACTED]&next');
  });

  it('covers a secret that contains another one registered long before it', () => {
    const inner = secret('inner-secret-0001');
    for (let i = 0; i < 40; i++) secret(`filler-secret-${i}-padding`);
    const outer = secret(`OUTER-${inner}-OUTER`);
    expect(redactString(`a ${outer} b`)).toBe('a [REDACTED] b');
    expect(redactString(`a ${inner} b`)).toBe('a [REDACTED] b');
  });

  it('stops redacting a secret once it is forgotten', () => {
    const s = 'forget-me-please-1';
    registerSecret(s);
    expect(redactString(encodeURIComponent(s))).toBe('[REDACTED]');
    forgetSecret(s);
    expect(redactString(s)).toBe(s);
  });
});

describe('log redaction: short secrets', () => {
  it('registers a 5-character password and redacts it where it stands as a token', () => {
    secret('abc12');
    expect(redactString('password=abc12&x')).toBe('password=[REDACTED]&x');
    expect(redactString('{"password":"abc12"}')).toBe('{"password":"[REDACTED]"}');
    expect(redactString('abc12')).toBe('[REDACTED]');
    expect(redactString(`p=${Buffer.from('abc12').toString('base64')}`)).toBe('p=[REDACTED]');
    const logs = memorySink();
    createLogger(logs.sink).info('typed abc12 by mistake', { note: 'abc12', nested: { body: 'password=abc12' } });
    expect(JSON.stringify(logs.records)).not.toMatch(/abc12/);
  });

  it('redacts a short secret that is an ordinary word only where the word stands alone', () => {
    // Decision: a short secret is matched only as a whole token (not inside a
    // longer run of letters/digits). "stable", "tables" and "tablet" survive;
    // the word "table" itself is redacted, a price worth paying.
    secret('table');
    expect(redactString('stable tables on a tablet')).toBe('stable tables on a tablet');
    expect(redactString('the table is set')).toBe('the [REDACTED] is set');
    expect(redactString('password=table&x')).toBe('password=[REDACTED]&x');
  });

  it('handles short secrets with punctuation and URL-encoding', () => {
    secret('p@ss!');
    expect(redactString(`password=${encodeURIComponent('p@ss!')}&x`)).toBe('password=[REDACTED]&x');
    expect(redactString('use p@ss! now')).toBe('use [REDACTED] now');
  });

  it('checks the boundary only at an edge of the secret that is a letter or digit', () => {
    secret('#pw1');
    expect(redactString('x#pw1 y')).toBe('x[REDACTED] y');
    expect(redactString('x#pw1b')).toBe('x#pw1b');
  });

  it('ignores empty and whitespace-only secrets', () => {
    registerSecret('');
    registerSecret('   ');
    expect(redactString('a   b')).toBe('a   b');
    forgetSecret('   ');
  });
});

describe('log redaction: binary values', () => {
  it('logs Buffers and typed arrays by size, never their bytes', () => {
    const logs = memorySink();
    const body = Buffer.from('password=hunter2-long-secret');
    createLogger(logs.sink).info('bytes', {
      body,
      u8: new Uint8Array([1, 2, 3]),
      view: new DataView(new ArrayBuffer(4)),
      raw: new ArrayBuffer(16),
      list: [Buffer.alloc(2)],
    });
    expect(logs.records[0]!.fields).toEqual({
      body: `[${body.length} bytes]`,
      u8: '[3 bytes]',
      view: '[4 bytes]',
      raw: '[16 bytes]',
      list: ['[2 bytes]'],
    });
    expect(JSON.stringify(logs.records)).not.toContain('hunter2');
  });
});

describe('log redaction: keys that are secrets', () => {
  it('scrubs a registered secret used as an object key', () => {
    const s = secret('SESSION0123456789ABCDEF');
    const out = JSON.stringify(redact({ sessions: { [s]: { age: 1 } }, byId: { [s]: 1 } }));
    expect(out).not.toContain(s);
  });
});

describe('log redaction: cost', () => {
  it('stays fast with many registered secrets', () => {
    const many = Array.from({ length: 300 }, (_, i) => `session-${i}-${'x'.repeat(20)}${i}`);
    for (const s of many) secret(s);
    secret('short');
    const line = 'GET /api/v26.2/objects/users/me 200 in 35 ms, nothing secret here at all; '.repeat(4);
    const started = performance.now();
    for (let i = 0; i < 2000; i++) redactString(line);
    const ms = performance.now() - started;
    expect(redactString(`x ${many[150]} y`)).toBe('x [REDACTED] y');
    expect(ms).toBeLessThan(2000);
  });
});
