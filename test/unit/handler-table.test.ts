import { afterEach, describe, expect, it } from 'vitest';
import { createHandlerTable, originSenderCheck } from '../../electron/ipc/handler-table';
import { createLogger, forgetSecret, memorySink, registerSecret } from '../../electron/log';
import { AppError } from '../../shared/errors';
import { CHANNELS, contract } from '../../shared/contract';
import { testContext } from '../helpers/context';

const APP = 'app://vault-token-desk';
let ctx: ReturnType<typeof testContext>;
afterEach(() => ctx?.cleanup());

function table() {
  ctx = testContext();
  const logs = memorySink();
  return { table: createHandlerTable(ctx.service, originSenderCheck([APP]), createLogger(logs.sink, 'debug')), logs };
}

describe('IPC handler table', () => {
  it('answers every contract channel through a service method', () => {
    const { table: t } = table();
    expect(t.channels).toEqual(CHANNELS);
    for (const channel of CHANNELS)
      expect(typeof (ctx.service as unknown as Record<string, unknown>)[contract[channel].method]).toBe('function');
  });

  it('serves a trusted sender', async () => {
    const { table: t } = table();
    const result = await t.handle('connections:list', { url: `${APP}/index.html` }, undefined);
    expect(result).toEqual({ ok: true, value: [] });
  });

  it.each([
    ['a foreign origin', 'https://evil.example.com/'],
    ['a look-alike prefix', 'app://vault-token-desk.evil.com/'],
    ['a file URL', 'file:///etc/passwd'],
    ['no URL', undefined],
    ['garbage', 'not a url'],
  ])('refuses %s and logs it', async (_label, url) => {
    const { table: t, logs } = table();
    const result = await t.handle('connections:list', { url }, undefined);
    expect(result).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER', message: expect.stringMatching(/refused/) },
    });
    expect(logs.records.some((r) => r.message.includes('untrusted sender'))).toBe(true);
  });

  it('refuses a malformed payload with per-field messages and does nothing', async () => {
    const { table: t } = table();
    const result = await t.handle('connections:create', { url: APP }, { name: '', dns: 42 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.fields).toMatchObject({
      name: expect.any(String),
      dns: expect.any(String),
      username: expect.any(String),
    });
    expect(ctx.connections.list()).toEqual([]);
  });

  it('refuses an unknown channel', async () => {
    const { table: t } = table();
    expect(await t.handle('shell:exec', { url: APP }, {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
  });

  it('scrubs error messages and field messages: Vault’s own text may echo a value (issue 11, finding 6)', async () => {
    const value = 'veeva-vault-0123456789ABCDEFGHIJKLMNOP';
    const password = 'Hunter2-Passw0rd!';
    registerSecret(password);
    ctx = testContext();
    const service = {
      ...ctx.service,
      listConnections: async () => {
        throw new AppError('VAULT', `Vault refused it: token ${value} and password ${password}`, {
          fields: { secret: `Vault said ${password} is wrong` },
        });
      },
    };
    const t = createHandlerTable(
      service,
      originSenderCheck([APP]),
      createLogger(() => undefined),
    );
    const result = await t.handle('connections:list', { url: APP }, undefined);
    expect(result.ok).toBe(false);
    const text = JSON.stringify(result);
    expect(text).not.toContain(value);
    expect(text).not.toContain(password);
    expect(text).toContain('veeva-vault-[REDACTED]');
    if (!result.ok) expect(result.error.fields?.secret).toBe('Vault said [REDACTED] is wrong');
    forgetSecret(password);
  });

  it('turns an unexpected failure into a generic message without a stack trace', async () => {
    const { table: t, logs } = table();
    ctx.db.close(); // every query now throws a TypeError from better-sqlite3
    const result = await t.handle('connections:list', { url: APP }, undefined);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    if (!result.ok) expect(result.error.message).not.toMatch(/at |\.ts|TypeError/);
    expect(logs.records.some((r) => r.level === 'error')).toBe(true);
  });
});

describe('log redaction', () => {
  it('redacts secret-named fields but keeps ids that are safe to log', async () => {
    const { createLogger: make, memorySink: sinkOf, registerSecret } = await import('../../electron/log');
    const logs = sinkOf();
    const log = make(logs.sink, 'debug');
    registerSecret('free-text-secret-123');
    log.info('login', {
      sessionId: 'ABCDEF0123456789',
      password: 'pw',
      truncatedSessionId: 'ABCD',
      tokenId: '0PI000000000001',
      secretStored: true,
      note: 'has free-text-secret-123 in it',
      raw: 'veeva-vault-XYZ123',
    });
    const text = JSON.stringify(logs.records);
    expect(text).not.toContain('ABCDEF0123456789');
    expect(text).not.toContain('free-text-secret-123');
    expect(text).not.toContain('veeva-vault-XYZ123');
    expect(logs.records[0]!.fields).toMatchObject({
      sessionId: '[REDACTED]',
      password: '[REDACTED]',
      truncatedSessionId: 'ABCD',
      tokenId: '0PI000000000001',
      secretStored: true,
    });
  });
});

describe('log redaction limits', () => {
  it('drops what is nested deeper than it checks, and redacts a bare token field', async () => {
    const { redact } = await import('../../electron/log');
    expect(JSON.stringify(redact({ a: { b: { c: { d: { e: { password: 'hunter2' } } } } } }))).not.toContain('hunter2');
    expect(redact({ kind: 'token', token: 'opaque-credential' })).toEqual({ kind: 'token', token: '[REDACTED]' });
    expect(redact({ tokenId: '0PI000000000001' })).toEqual({ tokenId: '0PI000000000001' });
  });
});
