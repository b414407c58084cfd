/**
 * Reconcile one connection's local token rows with what Vault listed. Pure:
 * the plan is computed here and applied by TokensRepo.applySync in one
 * transaction.
 *
 * Rules (product spec):
 * - A token listed by Vault and unknown here appears (source 'sync', secret
 *   not stored). One listed as inactive and unknown here is NOT added: after
 *   the user clears revoked rows, the next sync must not bring them back.
 * - A token gone from Vault, or inactive there, becomes revoked here. Rows are
 *   never deleted: "a token never disappears from the local inventory without
 *   a trace; revoked rows stay until the user clears them".
 * - Name, expiry, last-used and created dates (and the owner) follow Vault.
 * - When the login sees only its own tokens (seesAllTokens false), the listing
 *   says nothing about other users' tokens: those missing from it are left
 *   untouched.
 * - A row revoked here stays revoked, even if Vault still lists it as active
 *   (its metadata may still update, e.g. a later last-used date: worth seeing).
 * - Imported (read-only) rows are never touched, nor rows known to belong to
 *   another Vault than the one listed (ctx.vaultId).
 */
import type { TokenSource } from '../../shared/tokens';
import { lifecycleFromVault, type TokenLifecycle } from '../../shared/token-status';
import { canonicalTimestamp } from './timestamps';
import type { VaultTokenRow } from '../vault/types';

/** What reconcile needs to know about a local row (TokensRepo.localStateForConnection). */
export interface LocalTokenState {
  rowId: number;
  /** The Vault the row belongs to, when known. */
  vaultId?: number | null;
  tokenId: string;
  name: string;
  userId: string;
  lifecycle: TokenLifecycle;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string | null;
  source: TokenSource;
  readOnly: boolean;
  /** Generated for a sandbox: it lives in another Vault, so this listing never covers it. */
  sandboxName?: string | null;
  /** When this row was first recorded here (ISO). */
  firstSeenAt?: string;
}

export interface SyncContext {
  /** The login may list every user's tokens (admin) rather than only its own. */
  seesAllTokens: boolean;
  /** Vault user id of the login, the owner of every listed token when seesAllTokens is false. */
  loginUserId: string;
  syncedAt: string;
  /**
   * The Vault that was listed. When given, rows known to belong to another
   * Vault (e.g. a sandbox token recorded under this connection) are left
   * untouched: the listing does not cover them.
   */
  vaultId?: number | null;
  /**
   * When the listing was requested (ISO). A row recorded after that (a token
   * generated while the sync was paging) cannot be in the listing: it is not missing.
   */
  listedAt?: string;
}

/** A token to add; timestamps already canonical. */
export interface SyncInsert {
  tokenId: string;
  name: string;
  userId: string;
  lifecycle: 'active';
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string | null;
}

export interface SyncFieldChanges {
  name?: string;
  userId?: string;
  expiresAt?: string | null;
  lastUsedAt?: string | null;
  createdAt?: string | null;
}

export interface SyncUpdate {
  rowId: number;
  tokenId: string;
  changes: SyncFieldChanges;
}

export interface SyncRevoke {
  rowId: number;
  tokenId: string;
  /** `missing`: not in the listing; `inactive`: listed with a status other than active__v. */
  reason: 'missing' | 'inactive';
}

export interface SyncPlan {
  inserts: SyncInsert[];
  /** Metadata changes. A row may be in both `updates` and `revokes`. */
  updates: SyncUpdate[];
  revokes: SyncRevoke[];
  /** Row ids that Vault listed and that need no change: only their last-synced time moves. */
  unchanged: number[];
  /**
   * Row ids the plan leaves entirely alone (not even last-synced): imported
   * rows, other users' tokens a non-admin login cannot see, rows already
   * revoked here that Vault no longer lists.
   */
  untouched: number[];
  /** Listed tokens with a field that could not be read; the plan keeps the local value. */
  warnings: string[];
}

interface RemoteToken {
  tokenId: string;
  name: string | null;
  userId: string | null;
  lifecycle: TokenLifecycle;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string | null;
  /** Fields Vault sent that are not dates, or did not send at all: keep the local value for these. */
  unreadable: Set<'expiresAt' | 'lastUsedAt' | 'createdAt'>;
}

const DATE_FIELDS = [
  ['expiresAt', 'expiryDate'],
  ['lastUsedAt', 'lastUsedDate'],
  ['createdAt', 'createdDate'],
] as const;

function readRemote(row: VaultTokenRow, warnings: string[]): RemoteToken {
  const remote: RemoteToken = {
    tokenId: row.id,
    name: row.name,
    userId: row.userId,
    lifecycle: lifecycleFromVault(row.status),
    expiresAt: null,
    lastUsedAt: null,
    createdAt: null,
    unreadable: new Set(),
  };
  for (const [field, vaultField] of DATE_FIELDS) {
    const raw = row[vaultField];
    if (raw === undefined) {
      // Not selected (the listing asks only for documented fields, docs/vault-api.md §2.1): keep ours.
      remote.unreadable.add(field);
      continue;
    }
    // Vault sends canonical timestamps; canonicalTimestamp reads those ten times faster (100,000 rows × 3 dates).
    const iso = canonicalTimestamp(raw);
    if (raw !== null && raw !== undefined && raw.trim() !== '' && iso === null) {
      remote.unreadable.add(field);
      warnings.push(
        `Token ${row.id}: ${field} from Vault is not a date (${JSON.stringify(raw.slice(0, 40))}); kept the previous value.`,
      );
    }
    remote[field] = iso;
  }
  return remote;
}

function changesFor(local: LocalTokenState, remote: RemoteToken): SyncFieldChanges {
  const changes: SyncFieldChanges = {};
  if (remote.name !== null && remote.name !== local.name) changes.name = remote.name;
  if (remote.userId !== null && remote.userId !== local.userId) changes.userId = remote.userId;
  for (const [field] of DATE_FIELDS) {
    if (remote.unreadable.has(field)) continue;
    if (remote[field] !== local[field]) changes[field] = remote[field];
  }
  return changes;
}

export function planSync(
  local: readonly LocalTokenState[],
  remote: readonly VaultTokenRow[],
  ctx: SyncContext,
): SyncPlan {
  const plan: SyncPlan = { inserts: [], updates: [], revokes: [], unchanged: [], untouched: [], warnings: [] };

  // Last listing wins when pages overlap and list a token twice.
  const listed = new Map<string, RemoteToken>();
  for (const row of remote) listed.set(row.id, readRemote(row, plan.warnings));

  const known = new Set<string>();
  for (const row of local) {
    if (row.source === 'import' || row.readOnly || row.sandboxName) {
      plan.untouched.push(row.rowId);
      continue;
    }
    known.add(row.tokenId);
    const otherVault = ctx.vaultId != null && row.vaultId != null && row.vaultId !== ctx.vaultId;
    if (otherVault) {
      // A listed token with the same id cannot be added beside it (one row per connection and token id).
      if (listed.has(row.tokenId))
        plan.warnings.push(
          `Token ${row.tokenId} is listed by this Vault but recorded here for Vault ${row.vaultId}; left as it is.`,
        );
      plan.untouched.push(row.rowId);
      continue;
    }
    const seen = listed.get(row.tokenId);
    if (!seen) {
      const listingCoversRow = ctx.seesAllTokens || row.userId === ctx.loginUserId;
      // Past its expiry a token may drop out of the listing: it expired, nobody revoked it.
      const expired = row.expiresAt !== null && row.expiresAt <= ctx.syncedAt;
      const newerThanListing = Boolean(ctx.listedAt && row.firstSeenAt && row.firstSeenAt >= ctx.listedAt);
      if (row.lifecycle === 'active' && listingCoversRow && !expired && !newerThanListing)
        plan.revokes.push({ rowId: row.rowId, tokenId: row.tokenId, reason: 'missing' });
      else plan.untouched.push(row.rowId);
      continue;
    }
    const changes = changesFor(row, seen);
    const changed = Object.keys(changes).length > 0;
    if (changed) plan.updates.push({ rowId: row.rowId, tokenId: row.tokenId, changes });
    // Vault marks a token inactive when it expires as well as when it is deleted (docs/vault-api.md §1.1,
    // §2.1 UNCONFIRMED). Past its expiry date we keep it as expired; before it, inactive means revoked.
    if (
      row.lifecycle === 'active' &&
      seen.lifecycle === 'revoked' &&
      !expiredBy(seen.expiresAt ?? row.expiresAt, ctx.syncedAt)
    ) {
      plan.revokes.push({ rowId: row.rowId, tokenId: row.tokenId, reason: 'inactive' });
    } else if (!changed) plan.unchanged.push(row.rowId);
  }

  for (const seen of listed.values()) {
    // New to us: active tokens, and tokens that expired within the last RECENTLY_EXPIRED_DAYS
    // (worth seeing and rotating); older inactive ones and deleted ones are history.
    if (known.has(seen.tokenId)) continue;
    if (seen.lifecycle !== 'active' && !recentlyExpired(seen.expiresAt, ctx.syncedAt)) continue;
    plan.inserts.push({
      tokenId: seen.tokenId,
      name: seen.name ?? '',
      // A non-admin listing holds only the login's own tokens.
      userId: seen.userId ?? (ctx.seesAllTokens ? '' : ctx.loginUserId),
      lifecycle: 'active',
      expiresAt: seen.expiresAt,
      lastUsedAt: seen.lastUsedAt,
      createdAt: seen.createdAt,
    });
  }
  return plan;
}

/** Inactive tokens that expired at most this many days ago are added by a sync, as expired. */
export const RECENTLY_EXPIRED_DAYS = 30;

function expiredBy(expiresAt: string | null | undefined, at: string): boolean {
  return Boolean(expiresAt) && expiresAt! <= at;
}

function recentlyExpired(expiresAt: string | null, at: string): boolean {
  if (!expiresAt || expiresAt > at) return false;
  return Date.parse(at) - Date.parse(expiresAt) <= RECENTLY_EXPIRED_DAYS * 86_400_000;
}
