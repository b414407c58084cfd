/** Domain types shared by main, renderer and CLI. Plain data only. */

export const AUTH_METHODS = ['password', 'token', 'session'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export const DEFAULT_API_VERSION = 'v26.2';
export const DEFAULT_CLIENT_ID = 'vault-token-desk';

export interface Connection {
  id: string;
  name: string;
  /** `host` or `host:port`; always reached over https. */
  dns: string;
  apiVersion: string;
  username: string;
  authMethod: AuthMethod;
  clientId: string;
  /** Whether a password or login token for this connection is in the OS keychain. */
  secretStored: boolean;
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
