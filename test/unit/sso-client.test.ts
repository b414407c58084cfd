/**
 * The single sign-on client's own rules (issue 12), without an identity provider: PKCE S256 against
 * RFC 7636's test vector, the loopback receiver's refusals (RFC 8252 §7.3, RFC 6749 §10.12), https
 * only, the session endpoint kept on the login host, profile choice in plain words, the device
 * grant's polling (RFC 8628 §3.5) and the CLI's browser command.
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createLogger, memorySink, silentLogger } from '../../electron/log';
import { s256, newAuthorizationSecrets } from '../../electron/sso/pkce';
import { startLoopbackReceiver } from '../../electron/sso/loopback';
import { buildAuthorizationUrl } from '../../electron/sso/browser-sign-in';
import { chooseProfile, sessionEndpointFor, type DiscoveryResult, type SsoProfile } from '../../electron/sso/discovery';
import { deviceSignIn } from '../../electron/sso/device-sign-in';
import { resolveLoginHost } from '../../electron/sso/login-host';
import { browserCommand, canOpenBrowser } from '../../electron/cli/browser';
import { AppError } from '../../shared/errors';
import type { FetchLike } from '../../electron/vault/types';

function get(url: string, host?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, headers: host ? { host } : {} },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a rejection');
}

describe('PKCE (RFC 7636)', () => {
  it('S256 matches the RFC 7636 Appendix B test vector', () => {
    expect(s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes a 43-character verifier and distinct state and nonce every time', () => {
    const a = newAuthorizationSecrets();
    const b = newAuthorizationSecrets();
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.challenge).toBe(s256(a.verifier));
    expect(new Set([a.verifier, a.state, a.nonce, b.verifier, b.state, b.nonce]).size).toBe(6);
  });

  it('the verifier, state and nonce are scrubbed from logs', () => {
    const memory = memorySink();
    const logger = createLogger(memory.sink, 'debug');
    const s = newAuthorizationSecrets();
    logger.info(`callback for ${s.verifier} ${s.state} ${s.nonce}`);
    const text = JSON.stringify(memory.records);
    for (const value of [s.verifier, s.state, s.nonce]) expect(text).not.toContain(value);
  });
});

describe('the loopback receiver (RFC 8252 §7.3)', () => {
  const start = (timeoutMs = 10_000, signal?: AbortSignal) =>
    startLoopbackReceiver({ state: 'the-state', timeoutMs, logger: silentLogger, ...(signal ? { signal } : {}) });

  it('listens on 127.0.0.1 at an ephemeral port and takes the code once', async () => {
    const r = await start();
    expect(r.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const first = await get(`${r.redirectUri}?code=abc&state=the-state`);
    expect(first.status).toBe(200);
    expect(first.body).toContain('return to Vault Token Desk');
    await expect(r.code).resolves.toBe('abc');
    // A second callback is refused: the listener answers 410 or is already closed.
    const second = await get(`${r.redirectUri}?code=evil&state=the-state`).catch(() => ({ status: 0, body: '' }));
    expect([0, 410]).toContain(second.status);
  });

  it('refuses a mismatched state and ends the sign-in', async () => {
    const r = await start();
    const res = await get(`${r.redirectUri}?code=abc&state=other`);
    expect(res.status).toBe(400);
    const error = await rejection(r.code);
    expect(error.message).toMatch(/state differs/);
  });

  it('refuses a callback addressed to any host but 127.0.0.1, and keeps waiting for the real one', async () => {
    const r = await start();
    const port = new URL(r.redirectUri).port;
    for (const host of [`localhost:${port}`, `attacker.example:${port}`, '127.0.0.1']) {
      expect((await get(`${r.redirectUri}?code=abc&state=the-state`, host)).status).toBe(400);
    }
    expect((await get(`http://127.0.0.1:${port}/other?code=abc&state=the-state`)).status).toBe(404);
    await get(`${r.redirectUri}?code=good&state=the-state`);
    await expect(r.code).resolves.toBe('good');
  });

  it('reports the identity provider’s error (RFC 6749 §4.1.2.1) in plain words', async () => {
    const r = await start();
    await get(`${r.redirectUri}?error=access_denied&error_description=User%20said%20no&state=the-state`);
    const error = await rejection(r.code);
    expect(error.code).toBe('IDP_REFUSED');
    expect(error.message).toBe('The identity provider refused the sign-in (access_denied: User said no).');
  });

  it('stops at the timeout and on cancel', async () => {
    const timedOut = await start(50);
    expect((await rejection(timedOut.code)).code).toBe('CANCELLED');
    const controller = new AbortController();
    const cancelled = await start(10_000, controller.signal);
    controller.abort();
    const error = await rejection(cancelled.code);
    expect(error.message).toBe('The sign-in was cancelled.');
  });
});

describe('authorization URL', () => {
  const request = {
    clientId: 'c',
    redirectUri: 'http://127.0.0.1:1/callback',
    scope: 'openid',
    state: 's',
    nonce: 'n',
    challenge: 'x',
  };

  it('carries PKCE S256, state and nonce', () => {
    const url = buildAuthorizationUrl('https://idp.example/authorize?tenant=1', request);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      tenant: '1',
      response_type: 'code',
      code_challenge_method: 'S256',
      code_challenge: 'x',
      state: 's',
      nonce: 'n',
      redirect_uri: 'http://127.0.0.1:1/callback',
    });
  });

  it('is refused unless it is https', () => {
    for (const endpoint of ['http://idp.example/authorize', 'http://127.0.0.1:8443/authorize', 'javascript:alert(1)']) {
      expect(() => buildAuthorizationUrl(endpoint, request)).toThrow(/not https|not a URL/);
    }
  });
});

describe('discovery answers', () => {
  const profile = (over: Partial<SsoProfile>): SsoProfile => ({
    id: 'p1',
    label: 'Acme Okta',
    description: null,
    sessionEndpoint: 'https://login.example/auth/oauth/session/p1',
    asClientId: 'idp-client',
    authorizationEndpoint: 'https://idp.example/authorize',
    tokenEndpoint: 'https://idp.example/token',
    deviceAuthorizationEndpoint: null,
    issuer: 'https://idp.example',
    ...over,
  });
  const found = (profiles: SsoProfile[], authType: 'sso' | 'password' = 'sso'): DiscoveryResult => ({
    loginHost: 'login.example',
    authType,
    profiles,
  });
  const want = { username: 'me@acme.com', clientId: 'vault-token-desk' };

  it('keeps the Vault session endpoint on the login host', () => {
    expect(sessionEndpointFor('login.example', 'p 1', 'https://login.example/auth/oauth/session/p%201')).toBe(
      'https://login.example/auth/oauth/session/p%201',
    );
    // Another host, plain http or another path: the documented path on the login host instead.
    for (const advertised of [
      'https://evil.example/auth/oauth/session/p%201',
      'http://login.example/auth/oauth/session/p%201',
      'https://login.example/steal',
    ]) {
      expect(sessionEndpointFor('login.example', 'p 1', advertised)).toBe(
        'https://login.example/auth/oauth/session/p%201',
      );
    }
  });

  it('picks the profile that maps our client id, or the override', () => {
    const unmapped = profile({ id: 'p0', asClientId: null });
    expect(chooseProfile(found([unmapped, profile({})]), want).profile.id).toBe('p1');
    expect(chooseProfile(found([unmapped]), { ...want, idpClientId: 'mine' })).toMatchObject({
      idpClientId: 'mine',
      profile: { id: 'p0' },
    });
  });

  it('explains a password user, SAML only, and a missing client id mapping', () => {
    expect(() => chooseProfile(found([], 'password'), want)).toThrow(/signs in with a password/);
    expect(() => chooseProfile(found([]), want)).toThrow(
      /SAML only, and SAML cannot be used by apps\. Use an API access token or a session id/,
    );
    expect(() => chooseProfile(found([profile({ asClientId: null })]), want)).toThrow(
      /Ask the Vault admin to add a Client ID mapping for “vault-token-desk”/,
    );
  });
});

describe('device authorization grant (RFC 8628)', () => {
  it('polls at the interval, slows down by 5 s on slow_down, and returns the tokens', async () => {
    const answers = [
      { status: 400, body: { error: 'authorization_pending' } },
      { status: 400, body: { error: 'slow_down' } },
      { status: 200, body: { access_token: 'idp-access', token_type: 'Bearer', expires_in: 600, refresh_token: 'r1' } },
    ];
    const forms: Record<string, string>[] = [];
    const fetch: FetchLike = async (url, init) => {
      const form = Object.fromEntries(new URLSearchParams(String(init.body)));
      forms.push(form);
      if (url.endsWith('/device_authorization')) {
        return Response.json({
          device_code: 'dev-code',
          user_code: 'WDJB-MJHT',
          verification_uri: 'https://idp.example/device',
          expires_in: 600,
          interval: 2,
        });
      }
      const next = answers.shift()!;
      return Response.json(next.body, { status: next.status });
    };
    const sleeps: number[] = [];
    let now = Date.parse('2026-12-02T00:00:00Z');
    const shown: string[] = [];
    const tokens = await deviceSignIn(
      {
        fetch,
        logger: silentLogger,
        now: () => new Date(now),
        openUrl: async () => undefined,
        sleep: async (ms) => {
          sleeps.push(ms);
          now += ms;
        },
      },
      {
        idpClientId: 'c',
        authorizationEndpoint: null,
        tokenEndpoint: 'https://idp.example/token',
        deviceAuthorizationEndpoint: 'https://idp.example/device_authorization',
      },
      { onUserCode: (p) => shown.push(`${p.userCode} at ${p.verificationUri}`) },
    );
    expect(shown).toEqual(['WDJB-MJHT at https://idp.example/device']);
    expect(sleeps).toEqual([2000, 2000, 7000]);
    expect(forms.slice(1).every((f) => f.grant_type === 'urn:ietf:params:oauth:grant-type:device_code')).toBe(true);
    expect(tokens).toMatchObject({ accessToken: 'idp-access', refreshToken: 'r1' });
  });

  it('says so when the person denies it', async () => {
    const fetch: FetchLike = async (url) =>
      url.endsWith('/device_authorization')
        ? Response.json({ device_code: 'd', user_code: 'U', verification_uri: 'https://idp.example/d', expires_in: 60 })
        : Response.json({ error: 'access_denied' }, { status: 400 });
    const error = await rejection(
      deviceSignIn(
        {
          fetch,
          logger: silentLogger,
          now: () => new Date(),
          openUrl: async () => undefined,
          sleep: async () => undefined,
        },
        {
          idpClientId: 'c',
          authorizationEndpoint: null,
          tokenEndpoint: 'https://idp.example/token',
          deviceAuthorizationEndpoint: 'https://idp.example/device_authorization',
        },
        { onUserCode: () => undefined },
      ),
    );
    expect(error.message).toBe('The sign-in was denied at the identity provider.');
  });
});

describe('login host', () => {
  it('is the connection’s setting, else the environment, else Veeva’s', () => {
    expect(resolveLoginHost('LOGIN.Example.com:8443', { VAULT_TOKEN_DESK_LOGIN_HOST: 'x.example' })).toBe(
      'login.example.com:8443',
    );
    expect(resolveLoginHost(null, { VAULT_TOKEN_DESK_LOGIN_HOST: '127.0.0.1:9443' })).toBe('127.0.0.1:9443');
    expect(resolveLoginHost(null, {})).toBe('login.veevavault.com');
    expect(() => resolveLoginHost(null, { VAULT_TOKEN_DESK_LOGIN_HOST: 'http://evil/x' })).toThrow(
      /VAULT_TOKEN_DESK_LOGIN_HOST/,
    );
  });
});

describe('the CLI’s browser', () => {
  const url = 'https://idp.example/authorize?a=1&b=2';
  it('honours $BROWSER on Linux, with %s or without, first of a list', () => {
    expect(browserCommand(url, { BROWSER: 'firefox' }, 'linux')).toEqual({ command: 'firefox', args: [url] });
    expect(browserCommand(url, { BROWSER: 'my-browser --new-tab %s:lynx' }, 'linux')).toEqual({
      command: 'my-browser',
      args: ['--new-tab', url],
    });
    expect(browserCommand(url, { DISPLAY: ':0' }, 'linux')).toEqual({ command: 'xdg-open', args: [url] });
    expect(canOpenBrowser({}, 'linux')).toBe(false);
  });

  it('never goes through a shell on Windows or macOS', () => {
    expect(browserCommand(url, {}, 'win32')).toEqual({
      command: 'rundll32',
      args: ['url.dll,FileProtocolHandler', url],
    });
    expect(browserCommand(url, {}, 'darwin')).toEqual({ command: 'open', args: [url] });
  });
});
