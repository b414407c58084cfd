/** Token inventory types shared by main, renderer and CLI. Plain data only. */
import type { ConnectionEnvironment } from './domain';

/** Computed from lifecycle + expiry at query time (see shared/token-status.ts). */
export const TOKEN_STATUSES = ['active', 'expiring', 'expired', 'revoked'] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

export const TOKEN_SOURCES = ['generated', 'sync', 'import'] as const;
export type TokenSource = (typeof TOKEN_SOURCES)[number];

/** Vault allows at most 25 active tokens per user (docs/vault-api.md §1.1). */
export const MAX_ACTIVE_TOKENS_PER_USER = 25;
/** "Expiring soon" means within this many days unless Settings say otherwise. */
export const DEFAULT_EXPIRING_SOON_DAYS = 14;

/** The token on the other end of a rotation made in this app (migration 008). */
export interface TokenLink {
  rowId: number;
  tokenId: string;
  name: string;
}

export interface TokenRow {
  /** Local row id; stable key for the UI and bulk actions. */
  rowId: number;
  connectionId: string | null;
  connectionName: string;
  vaultId: number | null;
  vaultDns: string;
  /** Vault's api_access_token__sys record id. */
  tokenId: string;
  name: string;
  userId: string;
  userName: string | null;
  status: TokenStatus;
  /** ISO 8601 UTC, or null when the token never expires. */
  expiresAt: string | null;
  /** Whole days until expiry (negative once expired), null when it never expires. */
  daysLeft: number | null;
  lastUsedAt: string | null;
  createdAt: string | null;
  secretStored: boolean;
  source: TokenSource;
  readOnly: boolean;
  revokedAt: string | null;
  lastSyncedAt: string | null;
  /** Set when the token was generated for this sandbox through the connection's Vault. */
  sandboxName: string | null;
  /** Active tokens this user holds on this connection's Vault (limit 25). */
  userActiveCount: number;
  /** The token that replaced this one, when a rotation in this app linked them. */
  replacedBy?: TokenLink | null;
  /** The token this one replaced. */
  replaces?: TokenLink | null;
}

export const INVENTORY_SORT_COLUMNS = [
  'connection',
  // Client groups (issue 15): by client, then environment, then Vault name.
  'client',
  'user',
  'name',
  'tokenId',
  'status',
  'expiresAt',
  'lastUsedAt',
  'secretStored',
  'lastSyncedAt',
] as const;
export type InventorySortColumn = (typeof INVENTORY_SORT_COLUMNS)[number];

export interface InventoryPage {
  rows: TokenRow[];
  /** Rows matching the filter, for the virtual scroller. */
  total: number;
  offset: number;
  /** Counts by status over the filtered set minus the status filter, for filter chips. */
  statusCounts: Record<TokenStatus, number>;
}

export type TokenTarget = { kind: 'me' } | { kind: 'user'; userId: string } | { kind: 'sandbox'; sandboxName: string };
export type TokenExpiry = { kind: 'never' } | { kind: 'date'; date: string } | { kind: 'datetime'; iso: string };

export interface GenerateResult {
  token: TokenRow;
  /** False when the keychain refused: the value is held in memory until the user copies it and confirms. */
  secretStored: boolean;
  keychainError: string | null;
}

export interface RevokeOutcome {
  rowId: number;
  tokenId: string;
  ok: boolean;
  message: string | null;
  vaultErrorType: string | null;
}

export interface SyncOutcome {
  connectionId: string;
  connectionName: string;
  ok: boolean;
  /** Why it failed, as a stable code: e.g. NEEDS_SECRET when no password is known for this run. */
  errorCode: string | null;
  added: number;
  updated: number;
  revoked: number;
  total: number;
  message: string | null;
  durationMs: number;
}

export type SyncPhase = 'queued' | 'running' | 'done' | 'failed';
export interface SyncProgress {
  connectionId: string;
  phase: SyncPhase;
  pages: number;
  tokens: number;
  message: string | null;
}

export interface ConnectionHealth {
  connectionId: string;
  /** The Vault user id this connection signs in as, once known. */
  loginUserId: string | null;
  vaultId: number | null;
  vaultName: string | null;
  lastSyncedAt: string | null;
  lastSyncError: string | null;
  lastCheckedAt: string | null;
  /** null: not checked yet this run. */
  reachable: boolean | null;
  seesAllTokens: boolean | null;
}

export interface VaultUserSummary {
  id: string;
  userName: string;
  displayName: string;
  email: string | null;
  timezone: string | null;
  active: boolean;
}

/**
 * One page request of the token inventory (TokensRepo.query). Filters combine
 * with AND; an empty or missing list means "no filter" on that field.
 */
export interface InventoryQuery {
  /** Case-insensitive substring of name, token id, user name/id, Vault DNS or connection name. */
  search?: string;
  connectionIds?: string[];
  /** Client groups (issue 15, item 3): only connections of these clients (any case; '' = no client) and environments. */
  clients?: string[];
  environments?: ConnectionEnvironment[];
  statuses?: TokenStatus[];
  /** Not yet expired, and expiring within this many days (24 h each) from now. */
  expiresWithinDays?: number;
  /** Only these rows (deep links, "export selection"). */
  rowIds?: number[];
  /** Only rows whose value is not in this machine's keychain. */
  secretNotStored?: boolean;
  /** Imported (read-only, offline review) rows are left out unless this is true. */
  includeImported?: boolean;
  /** Only live tokens not used for `staleAfterDays` (shared/nudges.ts `isStale`). */
  stale?: boolean;
  /** Days without use that make a token stale; default: the Settings value. */
  staleAfterDays?: number;
  /** Only live tokens that never expire. */
  neverExpires?: boolean;
  /** Default: expiresAt ascending (soonest first, never-expiring last). Ties break on row id. */
  sort?: { column: InventorySortColumn; direction: 'asc' | 'desc' };
  offset: number;
  /** At most 1000. */
  limit: number;
}

/**
 * One Vault's outcome of "Generate across Vaults" (`tokens:generate-many`), in the order asked.
 * With `checkOnly`, `ok` means every guard rail passed and nothing was sent to Vault.
 */
export interface GenerateManyOutcome {
  connectionId: string;
  connectionName: string;
  ok: boolean;
  /** Vault's id of the new token (null in checkOnly and on failure). */
  tokenId: string | null;
  /** The new token for the result view; its value stays in main (revealed with `tokens:reveal`). */
  generated: GenerateResult | null;
  /** Active tokens the login user holds on this Vault as of the last sync, when known (limit 25). */
  activeCount: number | null;
  error: GenerateManyError | null;
}

export interface GenerateManyError {
  /** AppError code: GUARD (a guard rail, nothing sent), VAULT (Vault refused), NOT_FOUND, … */
  code: string;
  message: string;
  vaultErrorType: string | null;
  /** Where it stopped: `check` = the checks before Vault's generate (nothing was created); `generate` = the call itself. */
  stage: 'check' | 'generate';
  /** The connection needs a password, token or session id (or a single sign-on) for this run. */
  needsSecret: boolean;
}
