/**
 * The fake identity provider (RFC 6749, 7636, 8252, 8628, 7662, OIDC
 * Discovery) and the fake login host (docs/vault-api.md §3.4, §3.5) over
 * real HTTPS. A test plays the browser: it GETs the login form, POSTs it and
 * reads the loopback redirect from the Location header.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTrustingFetch } from './https-fetch';
import {
  DEMO_IDP_CLIENT_ID,
  DEMO_SAML_USER,
  DEMO_SSO_PASSWORD,
  DEMO_SSO_PROFILE_ID,
  DEMO_SSO_USER,
  DEMO_VAULT_CLIENT_ID,
  ManualClock,
  startFakeVault,
} from './index';
import {
  IDP_CLIENT,
  IDP_PASSWORD,
  OTHER_PROFILE,
  OTHER_SSO_USER,
  PROFILE,
  REDIRECT,
  SAML_USER,
  SSO_IDS,
  SSO_USER,
  VAULT_CLIENT,
  authorizeUrl,
  hiddenFields,
  pkce,
  startSsoHarness,
  type SsoHarness,
} from './sso-test-support';
import { expectFailure } from './expect-envelope';
import { PASSWORD, type Json } from './test-support';

const V = 'v26.2';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

// ---------------------------------------------------------------------------
describe('discovery on the login host (§3.5)', () => {
  let h: SsoHarness;
  beforeAll(async () => {
    h = await startSsoHarness();
  });
  afterAll(() => h.fake.close());
  const discover = (query: string, headers: Record<string, string> = {}): Promise<Json> =>
    h.loginHost(`/auth/discovery?${query}`, { headers });

  it('answers password for a password user, with the documented envelope', async () => {
    const body = await discover('username=admin@example.com');
    expect(body).toEqual({ responseStatus: 'SUCCESS', errors: [], data: { auth_type: 'password' } });
  });

  it('lists the OIDC profile with as_client_id only when the client_id is mapped', async () => {
    const mapped = await discover(`username=${SSO_USER}&client_id=${VAULT_CLIENT}`);
    expect(mapped.data.auth_type).toBe('sso');
    expect(mapped.data.auth_profiles).toHaveLength(1);
    const p = mapped.data.auth_profiles[0];
    expect(p).toMatchObject({
      id: PROFILE,
      label: 'Test Okta',
      description: 'Test profile',
      vault_session_endpoint: `https://${h.fake.loginHost}/auth/oauth/session/${PROFILE}`,
      use_adal: false,
      as_client_id: IDP_CLIENT,
      oauthProviderType: 'okta',
    });
    expect(p.as_metadata).toMatchObject({
      issuer: h.fake.idp.issuer,
      authorization_endpoint: `${h.fake.idp.issuer}/authorize`,
      token_endpoint: `${h.fake.idp.issuer}/token`,
      device_authorization_endpoint: `${h.fake.idp.issuer}/device_authorization`,
      introspection_endpoint: `${h.fake.idp.issuer}/introspect`,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
    });
    expect(p.as_metadata.grant_types_supported).toEqual(['authorization_code', 'refresh_token', DEVICE_GRANT]);
    const unmapped = await discover(`username=${SSO_USER}&client_id=someone-else`);
    expect(unmapped.data.auth_profiles[0]).not.toHaveProperty('as_client_id');
    const none = await discover(`username=${SSO_USER}`);
    expect(none.data.auth_profiles[0]).not.toHaveProperty('as_client_id');
  });

  it('sends use_msal only with X-VaultAPI-AuthIncludeMsal: true', async () => {
    const withMsal = await discover(`username=${SSO_USER}`, { 'X-VaultAPI-AuthIncludeMsal': 'true' });
    expect(withMsal.data.auth_profiles[0].use_msal).toBe(true);
    const off = await discover(`username=${SSO_USER}`, { 'X-VaultAPI-AuthIncludeMsal': 'false' });
    expect(off.data.auth_profiles[0]).not.toHaveProperty('use_msal');
    const omitted = await discover(`username=${SSO_USER}`);
    expect(omitted.data.auth_profiles[0]).not.toHaveProperty('use_msal');
  });

  it('gives a SAML-only user sso with an empty profile list', async () => {
    expect((await discover(`username=${SAML_USER}`)).data).toEqual({ auth_type: 'sso', auth_profiles: [] });
  });

  it('omits the device endpoint of a profile without device flow and honours sessionEndpointHost', async () => {
    const p = (await discover(`username=${OTHER_SSO_USER}`)).data.auth_profiles[0];
    expect(p.as_metadata).not.toHaveProperty('device_authorization_endpoint');
    expect(p.as_metadata.grant_types_supported).not.toContain(DEVICE_GRANT);
    expect(p.vault_session_endpoint).toBe(`https://sso.elsewhere.example/auth/oauth/session/${OTHER_PROFILE}`);
  });

  it('answers password for an unknown user name (UNCONFIRMED, reveals nothing)', async () => {
    expect((await discover('username=nobody@example.com')).data).toEqual({ auth_type: 'password' });
    expect(h.fake.loginHostRequests.at(-1)).toMatchObject({ path: '/auth/discovery', username: 'nobody@example.com' });
  });

  it('refuses a missing username, a wrong method and an unknown path like a Vault', async () => {
    expectFailure(await discover(''), 'PARAMETER_REQUIRED');
    expectFailure(await h.loginHost(`/auth/discovery?username=${SSO_USER}`, { method: 'GET' }), 'METHOD_NOT_SUPPORTED');
    expectFailure(await h.loginHost(`/auth/oauth/session/${PROFILE}`, { method: 'GET' }), 'METHOD_NOT_SUPPORTED');
    expectFailure(await h.loginHost('/api/v26.2/auth'), 'MALFORMED_URL');
  });

  it('serves the same metadata at /.well-known/openid-configuration, trusted through the fake CA', async () => {
    const res = await h.fetch(`${h.fake.idp.issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const meta = (await res.json()) as Json;
    const p = (await discover(`username=${SSO_USER}`)).data.auth_profiles[0];
    expect(meta).toEqual(p.as_metadata);
    expect(h.fake.idp.issuer).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(h.fake.loginHost).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});

// ---------------------------------------------------------------------------
describe('authorization code + PKCE (RFC 6749 §4.1, RFC 7636, RFC 8252)', () => {
  let h: SsoHarness;
  beforeAll(async () => {
    h = await startSsoHarness();
  });
  afterAll(() => h.fake.close());
  afterEach(() => {
    h.fake.idp.setWrongState(false);
    h.fake.idp.setAuthorizeError(null);
  });

  const baseParams = (over: Record<string, string> = {}): Record<string, string> => ({
    response_type: 'code',
    client_id: IDP_CLIENT,
    redirect_uri: REDIRECT,
    scope: 'openid offline_access',
    state: 'st-1',
    nonce: 'n-1',
    code_challenge: pkce().challenge,
    code_challenge_method: 'S256',
    ...over,
  });
  const getAuthorize = (params: Record<string, string>): Promise<Response> =>
    h.fetch(authorizeUrl(h.fake.idp.issuer, params), { redirect: 'manual' });

  it('shows a plain HTML login form with no script', async () => {
    const res = await getAuthorize(baseParams());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toMatch(/<label for="username">/);
    expect(html).toMatch(/<input id="username" name="username"/);
    expect(html).toMatch(/<input id="password" name="password" type="password"/);
    expect(html).toMatch(/<button type="submit">Sign in<\/button>/);
    expect(html).not.toMatch(/<script/i);
    expect(hiddenFields(html)).toMatchObject({ client_id: IDP_CLIENT, redirect_uri: REDIRECT, state: 'st-1' });
  });

  it('signs in, redirects to the loopback with code, state and iss, and exchanges the code', async () => {
    const { verifier } = pkce();
    const back = await h.authorize({ verifier, state: 'abc', nonce: 'nonce-42' });
    expect(back.get('state')).toBe('abc');
    expect(back.get('iss')).toBe(h.fake.idp.issuer);
    const code = back.get('code')!;
    expect(code.length).toBeGreaterThan(20);
    const { status, body } = await h.idpPost('/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_id: IDP_CLIENT,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid offline_access' });
    expect(typeof body.access_token).toBe('string');
    expect(typeof body.refresh_token).toBe('string');
    const claims = JSON.parse(Buffer.from(body.id_token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({
      iss: h.fake.idp.issuer,
      aud: IDP_CLIENT,
      nonce: 'nonce-42',
      sub: `00u${SSO_IDS.sso}`,
    });
  });

  it('accepts any loopback port and [::1]', async () => {
    for (const uri of ['http://127.0.0.1:1/callback', 'http://[::1]:49152/callback']) {
      const back = await h.authorize({ redirectUri: uri });
      expect(back.get('code')).toBeTruthy();
    }
  });

  it('re-shows the form with an error on a wrong password', async () => {
    const form = await getAuthorize(baseParams());
    const fields = { ...hiddenFields(await form.text()), username: SSO_USER, password: 'wrong' };
    const res = await h.fetch(`${h.fake.idp.issuer}/authorize`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    const html = await res.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain(`value="${SSO_USER}"`);
    expect(html).not.toContain('wrong');
  });

  it('never redirects to an unvalidated redirect_uri or for an unknown client', async () => {
    for (const uri of [
      'https://evil.example/callback',
      'http://localhost:5000/callback',
      'http://127.0.0.1/callback',
      'http://127.0.0.1:5000/other',
      'http://127.0.0.1:5000/callback?x=1',
      'http://10.0.0.1:5000/callback',
    ]) {
      const res = await getAuthorize(baseParams({ redirect_uri: uri }));
      expect(res.status, uri).toBe(400);
      expect(res.headers.get('location'), uri).toBeNull();
      expect(await res.text()).toContain('redirect URI is not allowed');
    }
    const res = await getAuthorize(baseParams({ client_id: 'unknown-app' }));
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('redirects other request errors back with error and state (RFC 6749 §4.1.2.1)', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge: '' }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ scope: 'openid admin' }, 'invalid_scope'],
    ];
    for (const [over, error] of cases) {
      const params = baseParams(over);
      if (over.code_challenge === '') delete params.code_challenge;
      const res = await getAuthorize(params);
      expect(res.status).toBe(302);
      const back = new URL(res.headers.get('location')!);
      expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
      expect(back.searchParams.get('error')).toBe(error);
      expect(back.searchParams.get('state')).toBe('st-1');
      expect(back.searchParams.has('code')).toBe(false);
    }
  });

  it('refuses a PKCE verifier that does not match (invalid_grant)', async () => {
    const back = await h.authorize();
    const { status, body } = await h.idpPost('/token', {
      grant_type: 'authorization_code',
      code: back.get('code')!,
      redirect_uri: REDIRECT,
      code_verifier: pkce().verifier,
      client_id: IDP_CLIENT,
    });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
    expect(typeof body.error_description).toBe('string');
  });

  it('refuses a redirect_uri other than the one authorized, and a missing verifier', async () => {
    const { verifier } = pkce();
    const back = await h.authorize({ verifier });
    const missing = await h.idpPost('/token', {
      grant_type: 'authorization_code',
      code: back.get('code')!,
      redirect_uri: REDIRECT,
      client_id: IDP_CLIENT,
    });
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const back2 = await h.authorize({ verifier });
    const other = await h.idpPost('/token', {
      grant_type: 'authorization_code',
      code: back2.get('code')!,
      redirect_uri: 'http://127.0.0.1:9/callback',
      code_verifier: verifier,
      client_id: IDP_CLIENT,
    });
    expect(other).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('treats a code as single use and revokes the tokens issued from it (RFC 6749 §4.1.2)', async () => {
    const { verifier } = pkce();
    const code = (await h.authorize({ verifier })).get('code')!;
    const form = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_id: IDP_CLIENT,
    };
    const first = await h.idpPost('/token', form);
    expect(first.status).toBe(200);
    expect((await h.vaultSession(first.body.access_token)).responseStatus).toBe('SUCCESS');
    const second = await h.idpPost('/token', form);
    expect(second).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expectFailure(await h.vaultSession(first.body.access_token), 'INVALID_TOKEN');
    const refreshed = await h.idpPost('/token', {
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token,
      client_id: IDP_CLIENT,
    });
    expect(refreshed.body.error).toBe('invalid_grant');
  });

  it('expires codes on the injected clock and with expireCodes()', async () => {
    const { verifier } = pkce();
    const exchange = (code: string) =>
      h.idpPost('/token', {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: IDP_CLIENT,
      });
    const code = (await h.authorize({ verifier })).get('code')!;
    h.clock.advance(61_000);
    expect((await exchange(code)).body.error).toBe('invalid_grant');
    const code2 = (await h.authorize({ verifier })).get('code')!;
    h.clock.advance(59_000);
    expect((await exchange(code2)).status).toBe(200);
    const code3 = (await h.authorize({ verifier })).get('code')!;
    h.fake.idp.expireCodes();
    expect((await exchange(code3)).body.error).toBe('invalid_grant');
  });

  it('fault: a wrong state on the way back', async () => {
    h.fake.idp.setWrongState(true);
    const back = await h.authorize({ state: 'expected-state' });
    expect(back.get('state')).not.toBe('expected-state');
    expect(back.get('code')).toBeTruthy();
  });

  it('fault: the IdP refuses the request (error redirect)', async () => {
    h.fake.idp.setAuthorizeError('access_denied');
    const res = await getAuthorize(baseParams());
    const back = new URL(res.headers.get('location')!);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('st-1');
  });

  it('answers token errors as RFC 6749 §5.2 JSON', async () => {
    expect(await h.idpPost('/token', { grant_type: 'password', client_id: IDP_CLIENT })).toMatchObject({
      status: 400,
      body: { error: 'unsupported_grant_type' },
    });
    expect(await h.idpPost('/token', { grant_type: 'authorization_code', client_id: 'nope', code: 'x' })).toMatchObject(
      {
        status: 401,
        body: { error: 'invalid_client' },
      },
    );
    expect(
      await h.idpPost('/token', { grant_type: 'refresh_token', client_id: 'code-only', refresh_token: 'x' }),
    ).toMatchObject({
      status: 400,
      body: { error: 'unauthorized_client' },
    });
    const json = await h.fetch(`${h.fake.idp.issuer}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'authorization_code' }),
    });
    expect(json.status).toBe(400);
    expect(json.headers.get('cache-control')).toBe('no-store');
    expect(((await json.json()) as Json).error).toBe('invalid_request');
  });
});

// ---------------------------------------------------------------------------
describe('OAuth session endpoint (§3.4)', () => {
  let h: SsoHarness;
  beforeAll(async () => {
    h = await startSsoHarness({ authBurstLimit: 2 });
  });
  afterAll(() => h.fake.close());
  afterEach(() => h.fake.idp.refuseAtVault(false));
  const token = (over: { username?: string; clientId?: string } = {}): string =>
    h.fake.idp.issueTokens({ username: over.username ?? SSO_USER, clientId: over.clientId ?? IDP_CLIENT }).accessToken;

  it('exchanges a token from the browser flow for a session that works on the Vault', async () => {
    const tokens = await h.signIn();
    const body = await h.vaultSession(tokens.access_token, { vaultDNS: h.vault('Alpha').dns, client_id: IDP_CLIENT });
    expect(body.responseStatus).toBe('SUCCESS');
    expect(body.userId).toBe(SSO_IDS.sso);
    expect(body.vaultId).toBe(100);
    expect(body.vaultIds.map((v: Json) => v.url).sort()).toEqual(
      [`${h.vault('Alpha').origin}/api`, `${h.vault('Beta').origin}/api`].sort(),
    );
    const me = await h.call('Alpha', 'GET', `/api/${V}/objects/users/me`, { auth: body.sessionId });
    expect(me.body.responseStatus).toBe('SUCCESS');
    expect(me.body.users[0].user.user_name__v).toBe(SSO_USER);
    expect(me.res.headers.get('x-vaultapi-truncatedsessionid')).toBe(body.sessionId.slice(0, 10));
    expect(h.fake.state.listSessions().some((s) => s.userId === SSO_IDS.sso && s.vaultId === 100)).toBe(true);
  });

  it('without vaultDNS logs in to the most relevant Vault (§3.3)', async () => {
    h.fake.state.setLastLoginVault(SSO_USER, 200);
    const body = await h.vaultSession(token());
    expect(body.vaultId).toBe(200);
  });

  it('refuses tokens Vault should not accept, with INVALID_TOKEN', async () => {
    expectFailure(await h.vaultSession('idp-at-made-up'), 'INVALID_TOKEN');
    expectFailure(await h.vaultSession(token(), { client_id: 'another-idp-client' }), 'INVALID_TOKEN');
    expect((await h.vaultSession(token(), { client_id: IDP_CLIENT })).responseStatus).toBe('SUCCESS');
    // A user of another profile, and a refresh token presented as bearer.
    expectFailure(await h.vaultSession(token({ username: OTHER_SSO_USER })), 'INVALID_TOKEN');
    const refresh = h.fake.idp.issueTokens({ username: SSO_USER, clientId: IDP_CLIENT }).refreshToken!;
    expectFailure(await h.vaultSession(refresh), 'INVALID_TOKEN');
    const missing = await h.loginHost(`/auth/oauth/session/${PROFILE}`, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expectFailure(missing, 'INVALID_TOKEN');
    expect(missing.errorType).toBe('AUTHENTICATION_FAILED');
  });

  it('refuses an expired or revoked token', async () => {
    const t = token();
    h.clock.advance(3_600_000);
    expectFailure(await h.vaultSession(t), 'INVALID_TOKEN');
    const t2 = token();
    expect(h.fake.idp.revokeAccessTokens(SSO_USER)).toBeGreaterThanOrEqual(1);
    expectFailure(await h.vaultSession(t2), 'INVALID_TOKEN');
  });

  it('refuses an unknown profile and a body that is not form-encoded', async () => {
    expectFailure(await h.vaultSession(token(), {}, '_oidc-nope'), 'INVALID_DATA');
    const json = await h.loginHost(`/auth/oauth/session/${PROFILE}`, {
      headers: { Authorization: `Bearer ${token()}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expectFailure(json, 'INVALID_DATA');
  });

  it('fault: refuseAtVault refuses valid tokens', async () => {
    h.fake.idp.refuseAtVault(true);
    expectFailure(await h.vaultSession(token()), 'INVALID_TOKEN');
    h.fake.idp.refuseAtVault(false);
    expect((await h.vaultSession(token())).responseStatus).toBe('SUCCESS');
  });

  it('does not count OAuth logins against the auth burst limit (§5.3)', async () => {
    for (let i = 0; i < 5; i++) {
      const body = await h.vaultSession(token(), { vaultDNS: h.vault('Alpha').dns });
      expect(body.responseStatus, `login ${i}`).toBe('SUCCESS');
    }
    // The limit itself is on: the third password login in the minute is refused.
    const form = { username: 'admin@example.com', password: PASSWORD };
    await h.call('Alpha', 'POST', `/api/${V}/auth`, { form });
    await h.call('Alpha', 'POST', `/api/${V}/auth`, { form });
    expectFailure((await h.call('Alpha', 'POST', `/api/${V}/auth`, { form })).body, 'API_LIMIT_EXCEEDED');
  });

  it('fault: the IdP is down — connection refused, and the session endpoint answers EXCEPTION', async () => {
    const t = token();
    await h.fake.idp.setDown(true);
    try {
      const err = await h.fetch(`${h.fake.idp.issuer}/.well-known/openid-configuration`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TypeError);
      expect(((err as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
      const body = await h.vaultSession(t);
      expect(body.responseStatus).toBe('EXCEPTION');
      expect(body.errors[0].type).toBe('UNEXPECTED_ERROR');
    } finally {
      await h.fake.idp.setDown(false);
    }
    expect((await h.vaultSession(t)).responseStatus).toBe('SUCCESS');
  });
});

describe('session endpoint error types are configurable (errorTypes)', () => {
  it('uses errorTypes.ssoTokenRefused and ssoUnknownProfile', async () => {
    const h = await startSsoHarness({
      errorTypes: { ssoTokenRefused: 'EXPIRED_TOKEN', ssoUnknownProfile: 'MALFORMED_URL' },
    });
    try {
      expectFailure(await h.vaultSession('nope'), 'EXPIRED_TOKEN');
      expectFailure(await h.vaultSession('nope', {}, '_oidc-x'), 'MALFORMED_URL');
    } finally {
      await h.fake.close();
    }
  });
});

// ---------------------------------------------------------------------------
describe('refresh tokens (RFC 6749 §6)', () => {
  let h: SsoHarness;
  beforeAll(async () => {
    h = await startSsoHarness();
  });
  afterAll(() => h.fake.close());
  const refresh = (refresh_token: string) =>
    h.idpPost('/token', { grant_type: 'refresh_token', refresh_token, client_id: IDP_CLIENT });

  it('rotates: a new access and refresh token, and the old refresh token stops working', async () => {
    const first = await h.signIn();
    const next = await refresh(first.refresh_token);
    expect(next.status).toBe(200);
    expect(next.body.refresh_token).toBeTruthy();
    expect(next.body.refresh_token).not.toBe(first.refresh_token);
    expect(next.body.access_token).not.toBe(first.access_token);
    expect((await h.vaultSession(next.body.access_token)).responseStatus).toBe('SUCCESS');
    expect(await refresh(first.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await refresh(next.body.refresh_token)).status).toBe(200);
  });

  it('refuses a revoked refresh token (revokeRefreshTokens)', async () => {
    const t = await h.signIn();
    expect(h.fake.idp.revokeRefreshTokens(SSO_USER)).toBeGreaterThanOrEqual(1);
    expect(await refresh(t.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('issues a refresh token only for offline_access by default', async () => {
    const t = await h.signIn({ scope: 'openid' });
    expect(t).not.toHaveProperty('refresh_token');
    expect(t.scope).toBe('openid');
  });

  it('refuses a broader scope on refresh (invalid_scope) and another client (invalid_grant)', async () => {
    const t = await h.signIn({ scope: 'offline_access' });
    const broader = await h.idpPost('/token', {
      grant_type: 'refresh_token',
      refresh_token: t.refresh_token,
      scope: 'offline_access email',
      client_id: IDP_CLIENT,
    });
    expect(broader.body.error).toBe('invalid_scope');
    const other = await h.idpPost('/token', {
      grant_type: 'refresh_token',
      refresh_token: t.refresh_token,
      client_id: 'code-only',
    });
    expect(other.body.error).toBe('unauthorized_client');
  });

  it('options: issueRefreshTokens always / never, rotation off', async () => {
    const always = await startSsoHarness({ sso: { issueRefreshTokens: 'always', refreshTokenRotation: false } });
    try {
      const t = await always.signIn({ scope: 'openid' });
      expect(t.refresh_token).toBeTruthy();
      const r1 = await always.idpPost('/token', {
        grant_type: 'refresh_token',
        refresh_token: t.refresh_token,
        client_id: IDP_CLIENT,
      });
      expect(r1.status).toBe(200);
      expect(r1.body).not.toHaveProperty('refresh_token');
      const r2 = await always.idpPost('/token', {
        grant_type: 'refresh_token',
        refresh_token: t.refresh_token,
        client_id: IDP_CLIENT,
      });
      expect(r2.status).toBe(200);
    } finally {
      await always.fake.close();
    }
    const never = await startSsoHarness({ sso: { issueRefreshTokens: 'never', idTokens: false } });
    try {
      const t = await never.signIn();
      expect(t).not.toHaveProperty('refresh_token');
      expect(t).not.toHaveProperty('id_token');
    } finally {
      await never.fake.close();
    }
  });
});

// ---------------------------------------------------------------------------
describe('device authorization grant (RFC 8628)', () => {
  let h: SsoHarness;
  beforeAll(async () => {
    h = await startSsoHarness();
  });
  afterAll(() => h.fake.close());
  const start = async (clientId = IDP_CLIENT): Promise<Json> =>
    (await h.idpPost('/device_authorization', { client_id: clientId, scope: 'openid offline_access' })).body;
  const poll = (device_code: string) =>
    h.idpPost('/token', { grant_type: DEVICE_GRANT, device_code, client_id: IDP_CLIENT });
  const devicePost = (form: Record<string, string>) =>
    h.fetch(`${h.fake.idp.issuer}/device`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });

  it('returns the §3.2 fields', async () => {
    const d = await start();
    expect(d.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(d.verification_uri).toBe(`${h.fake.idp.issuer}/device`);
    expect(d.verification_uri_complete).toBe(`${h.fake.idp.issuer}/device?user_code=${d.user_code}`);
    expect(d).toMatchObject({ expires_in: 600, interval: 5 });
    expect(typeof d.device_code).toBe('string');
  });

  it('pending, slow_down, approve through the page, then tokens once', async () => {
    const d = await start();
    expect((await poll(d.device_code)).body.error).toBe('authorization_pending');
    expect((await poll(d.device_code)).body.error).toBe('slow_down');
    const page = await h.fetch(d.verification_uri_complete);
    const html = await page.text();
    expect(html).toContain(`name="user_code" type="text" autocomplete="off" value="${d.user_code}"`);
    expect(html).toMatch(/<input id="username" name="username"/);
    expect(html).toMatch(/<button type="submit" name="action" value="approve">/);
    expect(html).toMatch(/<button type="submit" name="action" value="deny">/);
    expect(html).not.toMatch(/<script/i);
    const wrong = await devicePost({ user_code: d.user_code, username: SSO_USER, password: 'nope', action: 'approve' });
    expect(await wrong.text()).toContain('Incorrect user name or password');
    const ok = await devicePost({
      user_code: d.user_code.toLowerCase(),
      username: SSO_USER,
      password: IDP_PASSWORD,
      action: 'approve',
    });
    expect(await ok.text()).toContain('Device connected');
    h.clock.advance(10_001); // the interval grew to 10 s after slow_down
    const tokens = await poll(d.device_code);
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ token_type: 'Bearer' });
    expect(tokens.body.refresh_token).toBeTruthy();
    expect((await h.vaultSession(tokens.body.access_token)).userId).toBe(SSO_IDS.sso);
    h.clock.advance(20_000);
    expect((await poll(d.device_code)).body.error).toBe('invalid_grant');
  });

  it('deny → access_denied; expiry → expired_token', async () => {
    const d = await start();
    await devicePost({ user_code: d.user_code, action: 'deny' });
    expect((await poll(d.device_code)).body.error).toBe('access_denied');
    const e = await start();
    h.clock.advance(601_000);
    expect((await poll(e.device_code)).body.error).toBe('expired_token');
  });

  it('approveDevice / denyDevice do what the page does', async () => {
    const d = await start();
    h.fake.idp.approveDevice(d.user_code, SSO_USER);
    expect((await poll(d.device_code)).status).toBe(200);
    const e = await start();
    h.fake.idp.denyDevice(e.user_code);
    expect((await poll(e.device_code)).body.error).toBe('access_denied');
  });

  it('refuses clients without the grant, and an IdP with device flow off', async () => {
    const body = (await h.idpPost('/device_authorization', { client_id: 'code-only' })).body;
    expect(body.error).toBe('unauthorized_client');
    const off = await startSsoHarness({ sso: { deviceFlow: false, deviceIntervalSeconds: 0 } });
    try {
      const meta = (await (await off.fetch(`${off.fake.idp.issuer}/.well-known/openid-configuration`)).json()) as Json;
      expect(meta).not.toHaveProperty('device_authorization_endpoint');
      expect((await off.idpPost('/device_authorization', { client_id: IDP_CLIENT })).body.error).toBe(
        'unauthorized_client',
      );
    } finally {
      await off.fake.close();
    }
  });
});

// ---------------------------------------------------------------------------
describe('introspection (RFC 7662) and the request log', () => {
  let h: SsoHarness;
  beforeAll(async () => {
    h = await startSsoHarness();
  });
  afterAll(() => h.fake.close());

  it('needs the resource-server credential and answers the RFC 7662 fields', async () => {
    const t = h.fake.idp.issueTokens({ username: SSO_USER, clientId: IDP_CLIENT, scope: 'openid' });
    expect((await h.idpPost('/introspect', { token: t.accessToken })).status).toBe(401);
    const auth = { Authorization: h.fake.idp.introspectionAuthorization };
    const { status, body } = await h.idpPost('/introspect', { token: t.accessToken }, auth);
    expect(status).toBe(200);
    const now = Math.floor(h.clock.now().getTime() / 1000);
    expect(body).toMatchObject({
      active: true,
      client_id: IDP_CLIENT,
      username: SSO_USER,
      sub: `00u${SSO_IDS.sso}`,
      scope: 'openid',
      exp: now + 3600,
    });
    expect((await h.idpPost('/introspect', { token: 'idp-at-unknown' }, auth)).body).toEqual({ active: false });
    h.clock.advance(3_600_000);
    expect((await h.idpPost('/introspect', { token: t.accessToken }, auth)).body).toEqual({ active: false });
  });

  it('logs IdP and login-host calls without any secret', async () => {
    const before = h.fake.idp.requests.length;
    const { verifier } = pkce();
    const tokens = await h.signIn({ verifier });
    const session = await h.vaultSession(tokens.access_token);
    const refreshed = await h.idpPost('/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: IDP_CLIENT,
    });
    const calls = h.fake.idp.requests.slice(before);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /authorize',
      'POST /authorize',
      'POST /token',
      'POST /introspect',
      'POST /token',
    ]);
    expect(calls.filter((c) => c.path === '/token').map((c) => c.grantType)).toEqual([
      'authorization_code',
      'refresh_token',
    ]);
    expect(calls.every((c) => c.status !== undefined)).toBe(true);
    const logged = JSON.stringify([h.fake.idp.requests, h.fake.loginHostRequests, h.fake.state.snapshot()]);
    for (const secret of [
      verifier,
      tokens.access_token,
      tokens.refresh_token,
      refreshed.body.access_token,
      session.sessionId,
      IDP_PASSWORD,
    ])
      expect(logged).not.toContain(secret);
  });
});

// ---------------------------------------------------------------------------
describe('demo seed SSO', () => {
  it('has the Acme Okta profile, an SSO user who can generate their own token, and a SAML-only user', async () => {
    const clock = new ManualClock('2030-01-10T12:00:00Z');
    const fake = await startFakeVault({ now: clock.now });
    try {
      const f = createTrustingFetch(fake.caPem);
      const discover = async (u: string): Promise<Json> =>
        (
          await f(`https://${fake.loginHost}/auth/discovery?username=${u}&client_id=${DEMO_VAULT_CLIENT_ID}`, {
            method: 'POST',
          })
        ).json();
      const sso = await discover(DEMO_SSO_USER);
      expect(sso.data.auth_profiles[0]).toMatchObject({
        id: DEMO_SSO_PROFILE_ID,
        label: 'Acme Okta',
        as_client_id: DEMO_IDP_CLIENT_ID,
      });
      expect(sso.data.auth_profiles[0].as_metadata.device_authorization_endpoint).toBe(
        `${fake.idp.issuer}/device_authorization`,
      );
      expect((await discover(DEMO_SAML_USER)).data).toEqual({ auth_type: 'sso', auth_profiles: [] });

      // Device flow end to end with the demo credentials, then a token for themself.
      const form = (o: Record<string, string>) => ({
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(o).toString(),
      });
      const d = (await (
        await f(
          `${fake.idp.issuer}/device_authorization`,
          form({ client_id: DEMO_IDP_CLIENT_ID, scope: 'openid offline_access' }),
        )
      ).json()) as Json;
      await f(
        `${fake.idp.issuer}/device`,
        form({ user_code: d.user_code, username: DEMO_SSO_USER, password: DEMO_SSO_PASSWORD, action: 'approve' }),
      );
      const tokens = (await (
        await f(
          `${fake.idp.issuer}/token`,
          form({ grant_type: DEVICE_GRANT, device_code: d.device_code, client_id: DEMO_IDP_CLIENT_ID }),
        )
      ).json()) as Json;
      const promo = fake.vaults[0]!;
      const session = (await (
        await f(`https://${fake.loginHost}/auth/oauth/session/${DEMO_SSO_PROFILE_ID}`, {
          ...form({ vaultDNS: promo.dns, client_id: DEMO_IDP_CLIENT_ID }),
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Authorization: `Bearer ${tokens.access_token}`,
          },
        })
      ).json()) as Json;
      expect(session.vaultIds).toHaveLength(3);
      expect(session.vaultId).toBe(promo.id);
      const gen = (await (
        await f(`${promo.origin}/api/${V}/objects/users/me/api_access_token__sys`, {
          ...form({ name__v: 'SSO token', expiry_date__v: '2030-02-01T00:00:00Z' }),
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: session.sessionId },
        })
      ).json()) as Json;
      expect(gen.responseStatus).toBe('SUCCESS');
      expect(fake.state.listTokens({ user: DEMO_SSO_USER })).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });
});
