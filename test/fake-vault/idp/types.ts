/**
 * Public types of the fake identity provider (an OAuth 2.0 / OpenID Connect
 * authorization server) and of the fake login host. Re-exported by ../index.ts.
 */

/** Options of the IdP and the login host; every default is in ../options.ts (resolveSsoOptions). */
export interface FakeSsoOptions {
  /** Port of the IdP listener on 127.0.0.1. Default 0 (ephemeral). */
  idpPort?: number;
  /** Port of the login-host listener on 127.0.0.1. Default 0 (ephemeral). */
  loginHostPort?: number;
  /** Authorization code lifetime (RFC 6749 §4.1.2: "a maximum lifetime of 10 minutes is RECOMMENDED"). Default 60 s. */
  codeLifetimeMs?: number;
  /** Access token lifetime (`expires_in`). Default 3600 s. */
  accessTokenLifetimeMs?: number;
  /** Refresh token lifetime; null = until revoked. Default null. */
  refreshTokenLifetimeMs?: number | null;
  /** Refresh token rotation: each refresh returns a new one and the old one stops working. Default true. */
  refreshTokenRotation?: boolean;
  /** When a refresh token is issued. Default 'offline_access' (only when the scope has `offline_access`). */
  issueRefreshTokens?: 'always' | 'offline_access' | 'never';
  /** Include an (unsigned, `alg: none`) `id_token` when the scope has `openid`. Default true. */
  idTokens?: boolean;
  /** RFC 8628 §3.2 `expires_in` of a device code. Default 600 s. */
  deviceCodeLifetimeMs?: number;
  /** RFC 8628 §3.2 `interval` in seconds (0 = never `slow_down`). Default 5. */
  deviceIntervalSeconds?: number;
  /** The IdP offers the device authorization grant at all. Default true. */
  deviceFlow?: boolean;
  /** RFC 9207: add `iss` to the authorization response. Default true. */
  authorizationResponseIss?: boolean;
  /**
   * Discovery for a user name Vault does not know (docs silent, UNCONFIRMED):
   * 'password' (reveals nothing) or 'failure' (`errorTypes.discoveryUnknownUser`). Default 'password'.
   */
  discoveryUnknownUser?: 'password' | 'failure';
}

/** One call to the IdP: no codes, tokens, verifiers, passwords or query strings. */
export interface IdpRequestLogEntry {
  method: string;
  /** Path without the query string. */
  path: string;
  at: Date;
  /** `grant_type` of a /token call. */
  grantType?: string;
  /** `client_id` the request named, if any. */
  clientId?: string;
  /** HTTP status of the answer. */
  status?: number;
  /** OAuth `error` code answered (RFC 6749 §4.1.2.1 / §5.2, RFC 8628 §3.5), if any. */
  error?: string;
}

/** One call to the login host (no bearer token, no body values). */
export interface LoginHostLogEntry {
  method: string;
  path: string;
  at: Date;
  /** `username` of a discovery call. */
  username?: string;
  /** `client_id` of the call (discovery query or session form field). */
  clientId?: string;
  responseStatus?: string;
  errorType?: string;
}

export interface IssueTokensInput {
  username: string;
  clientId: string;
  /** Default `openid offline_access`. */
  scope?: string;
  /** Overrides sso.accessTokenLifetimeMs for this token. */
  accessTokenLifetimeMs?: number;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresIn: number;
}

/** `fake.idp`: the IdP's address and its test-only switches (all off by default). */
export interface FakeIdp {
  /** `https://127.0.0.1:<port>` (OIDC Discovery §4.3: equals the metadata's `issuer`). */
  issuer: string;
  port: number;
  /**
   * `Authorization` header value the fake Vault uses at the introspection
   * endpoint (RFC 7662 §2.1 requires the caller to be authorized); lets a test call it too.
   */
  introspectionAuthorization: string;
  /** Every IdP request, in order. */
  requests: IdpRequestLogEntry[];
  /** Down: the listener stops accepting and drops open sockets (connection refused). Up: listens again on the same port. */
  setDown(down: boolean): Promise<void>;
  /** /authorize redirects back with a `state` that differs from the one sent. */
  setWrongState(on: boolean): void;
  /** /authorize redirects back with `error={error}` (e.g. `access_denied`) instead of a code; null = off. */
  setAuthorizeError(error: string | null): void;
  /** Every authorization code issued so far is expired (as does advancing a ManualClock past sso.codeLifetimeMs). */
  expireCodes(): void;
  /** Revokes refresh tokens (of one user, or all). Returns how many were live. */
  revokeRefreshTokens(username?: string): number;
  /** Revokes access tokens (of one user, or all): introspection then answers `active: false`. Returns how many. */
  revokeAccessTokens(username?: string): number;
  /** The Vault OAuth session endpoint refuses every IdP token (FAILURE `errorTypes.ssoTokenRefused`). */
  refuseAtVault(on: boolean): void;
  /** Issues tokens directly, without the browser dance (for tests of the session endpoint). */
  issueTokens(input: IssueTokensInput): IssuedTokens;
  /** Approves a pending device authorization as `username` (what the /device page does). */
  approveDevice(userCode: string, username: string): void;
  /** Denies a pending device authorization. */
  denyDevice(userCode: string): void;
}
