import { describe, expect, it } from 'vitest';
import {
  VaultError,
  classifyFetchFailure,
  formatSeconds,
  vaultErrorFromEnvelope,
  vaultErrorFromFetchFailure,
} from '../../electron/vault/errors';

/** What Node's fetch rejects with: `TypeError('fetch failed', { cause })`. */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function sysError(code: string, message = `${code} happened`): Error {
  return Object.assign(new Error(message), { code });
}

const ctx = { host: 'vault.example.com', method: 'GET', path: '/api/v26.2/objects/users/me', timeoutMs: 30_000 };

describe('classifyFetchFailure (Node/undici causes)', () => {
  it.each([
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['ECONNRESET', 'connection-reset'],
    ['UND_ERR_SOCKET', 'connection-reset'],
    ['ECONNREFUSED', 'network'],
    ['EHOSTUNREACH', 'network'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
  ])('%s → %s', (code, kind) => {
    const info = classifyFetchFailure(fetchFailed(sysError(code)));
    expect(info.kind).toBe(kind);
    expect(info.code).toBe(code);
  });

  it('finds the code inside an AggregateError (happy-eyeballs connect to several addresses)', () => {
    const agg = Object.assign(new AggregateError([sysError('ECONNREFUSED'), sysError('ECONNREFUSED')], ''), {
      code: 'ECONNREFUSED',
    });
    expect(classifyFetchFailure(fetchFailed(agg)).kind).toBe('network');
    const inner = new AggregateError([sysError('ENOTFOUND')], 'all failed');
    expect(classifyFetchFailure(fetchFailed(inner)).kind).toBe('dns');
  });

  it('AbortError → aborted, TimeoutError → timeout', () => {
    expect(classifyFetchFailure(new DOMException('This operation was aborted', 'AbortError')).kind).toBe('aborted');
    expect(classifyFetchFailure(new DOMException('The operation timed out.', 'TimeoutError')).kind).toBe('timeout');
  });

  it('the request core flags win over the error itself', () => {
    const abort = new DOMException('aborted', 'AbortError');
    expect(classifyFetchFailure(abort, { timedOut: true }).kind).toBe('timeout');
    expect(classifyFetchFailure(sysError('ECONNRESET'), { callerAborted: true }).kind).toBe('aborted');
  });

  it.each([
    ['net::ERR_NAME_NOT_RESOLVED', 'dns'],
    ['net::ERR_CERT_AUTHORITY_INVALID', 'tls'],
    ['net::ERR_CONNECTION_REFUSED', 'network'],
    ['net::ERR_CONNECTION_RESET', 'connection-reset'],
    ['net::ERR_TIMED_OUT', 'timeout'],
    ['net::ERR_INTERNET_DISCONNECTED', 'network'],
  ])('Electron net.fetch "%s" → %s', (message, kind) => {
    expect(classifyFetchFailure(new Error(message)).kind).toBe(kind);
  });

  it('an unknown failure is a network error, not a crash', () => {
    expect(classifyFetchFailure('weird').kind).toBe('network');
    expect(classifyFetchFailure(fetchFailed(new Error('something odd'))).kind).toBe('network');
  });
});

describe('vaultErrorFromFetchFailure messages', () => {
  it('DNS names the host and says what to check', () => {
    const e = vaultErrorFromFetchFailure(fetchFailed(sysError('ENOTFOUND')), ctx);
    expect(e).toBeInstanceOf(VaultError);
    expect(e.kind).toBe('dns');
    expect(e.message).toBe('Could not find the host vault.example.com. Check the Vault DNS.');
    expect(e.method).toBe('GET');
    expect(e.path).toBe(ctx.path);
  });

  it('TLS carries the underlying reason', () => {
    const e = vaultErrorFromFetchFailure(fetchFailed(sysError('CERT_HAS_EXPIRED', 'certificate has expired')), ctx);
    expect(e.kind).toBe('tls');
    expect(e.message).toMatch(/^The Vault's TLS certificate is not trusted: certificate has expired\./);
  });

  it('timeout states the limit in seconds', () => {
    const e = vaultErrorFromFetchFailure(new Error('x'), ctx, { timedOut: true });
    expect(e.kind).toBe('timeout');
    expect(e.message).toMatch(/^Vault did not answer within 30 s\./);
    const short = vaultErrorFromFetchFailure(new Error('x'), { ...ctx, timeoutMs: 250 }, { timedOut: true });
    expect(short.message).toMatch(/within 0\.25 s/);
  });

  it('connection refused and reset', () => {
    const refused = vaultErrorFromFetchFailure(fetchFailed(sysError('ECONNREFUSED')), ctx);
    expect(refused.kind).toBe('network');
    expect(refused.message).toMatch(/connection was refused/);
    const reset = vaultErrorFromFetchFailure(fetchFailed(sysError('UND_ERR_SOCKET', 'other side closed')), ctx);
    expect(reset.kind).toBe('connection-reset');
    expect(reset.message).toMatch(/closed before Vault answered/);
  });

  it('keeps the original error as cause', () => {
    const original = fetchFailed(sysError('EAI_AGAIN'));
    expect(vaultErrorFromFetchFailure(original, ctx).cause).toBe(original);
  });
});

describe('vaultErrorFromEnvelope (§5.1: decided on responseStatus and errors[].type)', () => {
  it('takes type and message from errors[0] and keeps all errors', () => {
    const e = vaultErrorFromEnvelope(
      {
        responseStatus: 'FAILURE',
        errors: [
          { type: 'INVALID_SESSION_ID', message: 'Invalid or expired session ID.' },
          { type: 'OTHER', message: 'second' },
        ],
      },
      { method: 'GET', path: '/x', httpStatus: 200, executionId: 'exec-1' },
    );
    expect(e.kind).toBe('vault');
    expect(e.type).toBe('INVALID_SESSION_ID');
    expect(e.vaultMessage).toBe('Invalid or expired session ID.');
    expect(e.errors).toHaveLength(2);
    expect(e.httpStatus).toBe(200);
    expect(e.executionId).toBe('exec-1');
    expect(e.message).toMatch(/no longer valid.*Sign in again.*INVALID_SESSION_ID/);
  });

  it('falls back to the top-level errorType of auth failures (§3.2)', () => {
    const e = vaultErrorFromEnvelope({ responseStatus: 'FAILURE', errorType: 'AUTHENTICATION_FAILED' }, {});
    expect(e.type).toBe('AUTHENTICATION_FAILED');
  });

  it('EXCEPTION without errors is UNEXPECTED_ERROR', () => {
    const e = vaultErrorFromEnvelope({ responseStatus: 'EXCEPTION' }, {});
    expect(e.type).toBe('UNEXPECTED_ERROR');
    expect(e.message).toMatch(/unexpected error/i);
  });

  it('toLogFields carries no message text (which may echo user input)', () => {
    const e = vaultErrorFromEnvelope(
      { responseStatus: 'FAILURE', errors: [{ type: 'USERNAME_OR_PASSWORD_INCORRECT', message: 'bad for a@b.c' }] },
      { executionId: 'e' },
    );
    const fields = e.toLogFields();
    expect(fields).toEqual({
      kind: 'vault',
      errorType: 'USERNAME_OR_PASSWORD_INCORRECT',
      httpStatus: undefined,
      executionId: 'e',
      method: undefined,
      path: undefined,
    });
  });
});

describe('formatSeconds', () => {
  it('formats whole and fractional seconds', () => {
    expect(formatSeconds(30_000)).toBe('30 s');
    expect(formatSeconds(1_500)).toBe('1.5 s');
    expect(formatSeconds(42_123)).toBe('42.12 s');
  });
});
