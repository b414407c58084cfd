/**
 * Helpers for tests of the fake IdP and login host: a fixture domain with SSO
 * users, PKCE, and the authorization-code dance done over real HTTPS the way
 * a browser would (GET the form, POST it, read the 302 Location).
 */
import { createHash, randomBytes } from 'node:crypto';
import { FIXTURE_USERS, FIXTURE_VAULTS, startHarness, type Harness, type Json } from './test-support';
import type { FakeVaultOptions } from './types';

export const PROFILE = '_oidc-test-okta';
/** Device flow off, session endpoint on another host. */
export const OTHER_PROFILE = '_oidc-other';
export const VAULT_CLIENT = 'vault-token-desk';
export const IDP_CLIENT = 'vtd-desktop';
export const IDP_PASSWORD = 'Idp-Passw0rd!';
export const SSO_USER = 'sso@example.com';
export const OTHER_SSO_USER = 'other-sso@example.com';
export const SAML_USER = 'saml@example.com';
export const SSO_IDS = { sso: 600, other: 601, saml: 602 } as const;
export const REDIRECT = 'http://127.0.0.1:53682/callback';

export const SSO_FIXTURE: FakeVaultOptions = {
  vaults: FIXTURE_VAULTS,
  users: [
    ...FIXTURE_USERS,
    {
      id: SSO_IDS.sso,
      username: SSO_USER,
      password: null,
      vaults: [100, 200],
      lastLoginVault: 200,
      sso: { profile: PROFILE, idpPassword: IDP_PASSWORD },
    },
    {
      id: SSO_IDS.other,
      username: OTHER_SSO_USER,
      vaults: [100],
      sso: { profile: OTHER_PROFILE, idpPassword: IDP_PASSWORD },
    },
    { id: SSO_IDS.saml, username: SAML_USER, vaults: [100], samlOnly: true },
  ],
  ssoProfiles: [
    {
      id: PROFILE,
      label: 'Test Okta',
      description: 'Test profile',
      clientIdMappings: { [VAULT_CLIENT]: IDP_CLIENT },
      useMsal: true,
    },
    { id: OTHER_PROFILE, label: 'Other IdP', deviceFlow: false, sessionEndpointHost: 'sso.elsewhere.example' },
  ],
  idpClients: [{ clientId: IDP_CLIENT }, { clientId: 'code-only', grantTypes: ['authorization_code'] }],
};

export interface SsoHarness extends Harness {
  /** POST to the login host. */
  loginHost(path: string, init?: { headers?: Record<string, string>; body?: string; method?: string }): Promise<Json>;
  /** POST a form to an IdP endpoint; `status` and parsed JSON. */
  idpPost(
    path: string,
    form: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Json }>;
  /** Runs /authorize in full and returns the callback's query parameters. */
  authorize(opts?: Partial<AuthorizeOptions>): Promise<URLSearchParams>;
  /** authorize() + code exchange; returns the token response. */
  signIn(opts?: Partial<AuthorizeOptions>): Promise<Json>;
  /** OAuth session endpoint with a bearer token. */
  vaultSession(token: string, form?: Record<string, string>, profile?: string): Promise<Json>;
}

export interface AuthorizeOptions {
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  nonce: string;
  verifier: string;
  username: string;
  password: string;
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function challengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function authorizeUrl(issuer: string, params: Record<string, string>): string {
  return `${issuer}/authorize?${new URLSearchParams(params).toString()}`;
}

/** Hidden fields of the login form, HTML entities decoded. */
export function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  const decode = (s: string): string =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
    out[decode(m[1]!)] = decode(m[2]!);
  return out;
}

export async function startSsoHarness(overrides: FakeVaultOptions = {}): Promise<SsoHarness> {
  const h = await startHarness({ ...SSO_FIXTURE, ...overrides });
  const issuer = h.fake.idp.issuer;

  const loginHost: SsoHarness['loginHost'] = async (path, init = {}) => {
    const res = await h.fetch(`https://${h.fake.loginHost}${path}`, { method: init.method ?? 'POST', ...init });
    return res.json();
  };
  const idpPost: SsoHarness['idpPost'] = async (path, form, headers = {}) => {
    const res = await h.fetch(`${issuer}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const fill = (opts: Partial<AuthorizeOptions>): AuthorizeOptions => ({
    clientId: IDP_CLIENT,
    redirectUri: REDIRECT,
    scope: 'openid offline_access',
    state: randomBytes(8).toString('hex'),
    nonce: randomBytes(8).toString('hex'),
    verifier: pkce().verifier,
    username: SSO_USER,
    password: IDP_PASSWORD,
    ...opts,
  });
  const authorize: SsoHarness['authorize'] = async (partial = {}) => {
    const o = fill(partial);
    const url = authorizeUrl(issuer, {
      response_type: 'code',
      client_id: o.clientId,
      redirect_uri: o.redirectUri,
      scope: o.scope,
      state: o.state,
      nonce: o.nonce,
      code_challenge: challengeOf(o.verifier),
      code_challenge_method: 'S256',
    });
    const form = await h.fetch(url, { redirect: 'manual' });
    if (form.status !== 200) throw new Error(`authorize form: HTTP ${form.status} ${form.headers.get('location')}`);
    const fields = { ...hiddenFields(await form.text()), username: o.username, password: o.password };
    const res = await h.fetch(`${issuer}/authorize`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    const location = res.headers.get('location');
    if (res.status !== 302 || !location) throw new Error(`login: HTTP ${res.status}`);
    const back = new URL(location);
    if (`${back.origin}${back.pathname}` !== o.redirectUri) throw new Error(`redirected elsewhere: ${back.origin}`);
    return back.searchParams;
  };
  const signIn: SsoHarness['signIn'] = async (partial = {}) => {
    const o = fill(partial);
    const params = await authorize(o);
    const { status, body } = await idpPost('/token', {
      grant_type: 'authorization_code',
      code: params.get('code') ?? '',
      redirect_uri: o.redirectUri,
      code_verifier: o.verifier,
      client_id: o.clientId,
    });
    if (status !== 200) throw new Error(`token: ${JSON.stringify(body)}`);
    return body;
  };
  const vaultSession: SsoHarness['vaultSession'] = (token, form = {}, profile = PROFILE) =>
    loginHost(`/auth/oauth/session/${profile}`, {
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  return { ...h, loginHost, idpPost, authorize, signIn, vaultSession };
}
