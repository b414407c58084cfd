/** Domain types shared by main, renderer and CLI. Plain data only. */

export const AUTH_METHODS = ['password', 'token', 'sso', 'session'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** What a connection signs in with, as a label ("Password") and in a sentence ("the password"). */
export const AUTH_SECRET_LABEL: Record<AuthMethod, string> = {
  password: 'Password',
  token: 'API access token',
  sso: 'Single sign-on',
  session: 'Session id',
};
export const AUTH_SECRET_WORD: Record<AuthMethod, string> = {
  password: 'password',
  token: 'API access token',
  sso: 'single sign-on',
  session: 'session id',
};

/**
 * Where a connection's Vault sits in its client's landscape (issue 15, item 3). Stored exactly as
 * written here; shared/connection-groups.ts parses what people type ("prod", "Production").
 */
export const CONNECTION_ENVIRONMENTS = ['DEV', 'QA', 'UAT', 'PROD', 'sandbox', 'other'] as const;
export type ConnectionEnvironment = (typeof CONNECTION_ENVIRONMENTS)[number];

export const DEFAULT_API_VERSION = 'v26.2';
export const DEFAULT_CLIENT_ID = 'vault-token-desk';
/** Veeva's login host, for discovery and single sign-on (docs/vault-api.md §3.4, §3.5). */
export const DEFAULT_LOGIN_HOST = 'login.veevavault.com';

export interface Connection {
  id: string;
  name: string;
  /** `host` or `host:port`; always reached over https. */
  dns: string;
  apiVersion: string;
  username: string;
  authMethod: AuthMethod;
  clientId: string;
  /** The client (customer) this Vault belongs to, e.g. "Acme"; free text, null when not set. */
  client: string | null;
  /** DEV, QA, UAT, PROD, sandbox or other; null when not set. */
  environment: ConnectionEnvironment | null;
  /** Whether a password, login token or single sign-on refresh token for this connection is in the OS keychain. */
  secretStored: boolean;
  /**
   * Single sign-on only. The login host for discovery and the Vault session endpoint (`host[:port]`);
   * null uses `VAULT_TOKEN_DESK_LOGIN_HOST` or login.veevavault.com.
   */
  loginHost: string | null;
  /** Single sign-on only: an identity-provider client id that overrides discovery's `as_client_id`. */
  idpClientId: string | null;
  /** Single sign-on only: the OAuth 2.0 / OpenID Connect profile that signed in last, once known. */
  ssoProfile: { id: string; label: string } | null;
  /**
   * Vault refused the saved password or login token (when, and Vault's error type). It is never sent
   * again until it is replaced; null when nothing was refused.
   */
  secretRefused: { at: string; vaultErrorType: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  /** OS user who acted. */
  actor: string;
  action: string;
  connectionId: string | null;
  connectionName: string | null;
  tokenId: string | null;
  detail: string | null;
}

export interface KeychainStatus {
  available: boolean;
  /** Plain words on why not and how to fix it, when unavailable. */
  message: string | null;
}

export interface AppInfo {
  version: string;
  dataDir: string;
  platform: string;
  keychain: KeychainStatus;
}
