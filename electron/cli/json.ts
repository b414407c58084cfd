/**
 * The JSON the CLI prints. Scripts depend on these names: they are frozen
 * here, in one place, and test/integration/cli-units.test.ts pins them.
 * Add fields only at the end and never rename one.
 */
import type { Connection } from '../../shared/domain';
import type { ConnectionHealth, TokenRow, TokenStatus } from '../../shared/tokens';
import { normaliseTimestamp } from '../../shared/token-status';

/** Every token row in `--json` output has exactly these fields, in this order. */
export const TOKEN_JSON_FIELDS = Object.freeze([
  'connection',
  'vaultDns',
  'tokenId',
  'name',
  'userId',
  'status',
  'expiresAt',
  'lastUsedAt',
  'secretStored',
] as const);

export interface TokenJson {
  connection: string;
  vaultDns: string;
  tokenId: string;
  name: string;
  userId: string;
  status: TokenStatus;
  /** ISO 8601 UTC, or null when the token never expires. */
  expiresAt: string | null;
  /** ISO 8601 UTC, or null when Vault never reported a use. */
  lastUsedAt: string | null;
  /** Whether this machine's OS keychain holds the value. */
  secretStored: boolean;
}

/** `token generate --json` (and `token reveal --json`): the row plus the value. */
export type TokenWithValueJson = TokenJson & { value: string };

const isoOrNull = (value: string | null): string | null => normaliseTimestamp(value);

export function tokenToJson(row: TokenRow): TokenJson {
  return {
    connection: row.connectionName,
    vaultDns: row.vaultDns,
    tokenId: row.tokenId,
    name: row.name,
    userId: row.userId,
    status: row.status,
    expiresAt: isoOrNull(row.expiresAt),
    lastUsedAt: isoOrNull(row.lastUsedAt),
    secretStored: row.secretStored,
  };
}

export function tokenWithValueToJson(row: TokenRow, value: string): TokenWithValueJson {
  return { ...tokenToJson(row), value };
}

export const CONNECTION_JSON_FIELDS = Object.freeze([
  'name',
  'id',
  'dns',
  'apiVersion',
  'username',
  'authMethod',
  'clientId',
  'secretStored',
  'loginHost',
  'ssoProfile',
  'vaultId',
  'vaultName',
  'lastSyncedAt',
  'lastSyncError',
  'client',
  'environment',
] as const);

export interface ConnectionJson {
  name: string;
  id: string;
  dns: string;
  apiVersion: string;
  username: string;
  authMethod: Connection['authMethod'];
  clientId: string;
  secretStored: boolean;
  /** Single sign-on: the login host setting (null: the environment's or Veeva's). */
  loginHost: string | null;
  /** Single sign-on: the label of the OAuth profile that signed in last. */
  ssoProfile: string | null;
  vaultId: number | null;
  vaultName: string | null;
  lastSyncedAt: string | null;
  lastSyncError: string | null;
  /** Client groups: the client (customer) and the environment (DEV, QA, UAT, PROD, sandbox, other), or null. */
  client: string | null;
  environment: Connection['environment'];
}

export function connectionToJson(c: Connection, health?: ConnectionHealth | null): ConnectionJson {
  return {
    name: c.name,
    id: c.id,
    dns: c.dns,
    apiVersion: c.apiVersion,
    username: c.username,
    authMethod: c.authMethod,
    clientId: c.clientId,
    secretStored: c.secretStored,
    loginHost: c.loginHost,
    ssoProfile: c.ssoProfile?.label ?? null,
    vaultId: health?.vaultId ?? null,
    vaultName: health?.vaultName ?? null,
    lastSyncedAt: isoOrNull(health?.lastSyncedAt ?? null),
    lastSyncError: health?.lastSyncError ?? null,
    client: c.client,
    environment: c.environment,
  };
}

/** Prints one JSON document (pretty, newline-terminated). */
export function jsonDocument(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** `token generate --json` with several `--connection`s: one object per Vault with these fields, in this order. */
export const GENERATE_MANY_JSON_FIELDS = Object.freeze(['connection', 'ok', 'tokenId', 'value', 'error'] as const);

export interface GenerateManyJson {
  connection: string;
  ok: boolean;
  /** Vault's id of the new token; null when none was made. */
  tokenId: string | null;
  /** Only when ok. */
  value?: string;
  /** null when ok; else one line naming the cause (with Vault's error type when Vault refused). */
  error: string | null;
}

export function generateManyToJson(r: {
  connection: string;
  tokenId: string | null;
  value: string | null;
  error: string | null;
}): GenerateManyJson {
  const ok = r.value !== null && r.error === null;
  return {
    connection: r.connection,
    ok,
    tokenId: r.tokenId,
    ...(ok ? { value: r.value! } : {}),
    error: ok ? null : (r.error ?? 'not generated'),
  };
}
