/**
 * Nudges (issue 16, item 4): tokens worth a second look although nothing is
 * wrong with them yet. Pure: main's SQL (electron/tokens/inventory-reader.ts
 * `STALE_PREDICATE`, `NEVER_EXPIRES_PREDICATE`), the in-memory inventory index
 * (inventory-index.ts `mark`) and these functions give the same answer from the
 * same data; test/unit/nudges.test.ts and tokens-repo.test.ts hold them to it.
 *
 * - **Stale**: not used for `staleAfterDays` (default 90, Settings): its last
 *   use is at least that long ago. A token Vault has never seen used counts as
 *   stale once it has existed that long: since its creation date, or, when Vault
 *   did not say (its token listing has no creation date), since this app first
 *   saw it. A brand-new token is not stale for not having been used yet.
 * - **Never expires**: no expiry date.
 *
 * Only live tokens are nudged: revoked and expired ones have nothing left to
 * act on (the inventory shows them in their own status).
 *
 * Timestamps are canonical ISO 8601 UTC (shared/token-status.ts), so comparing
 * the strings compares the instants, as the SQL does.
 */
import type { TokenLifecycle } from './token-status';

export const DEFAULT_STALE_AFTER_DAYS = 90;
export const MAX_STALE_AFTER_DAYS = 3650;

const DAY_MS = 86_400_000;

export interface NudgeFacts {
  lifecycle: TokenLifecycle;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string | null;
  /** When this app first recorded the token: the fallback age of a token never used. */
  firstSeenAt: string;
}

/** The instant `days` × 24 h before `now`: a token last used (or made, if never used) at or before it is stale. */
export function staleCutoff(now: Date, days: number): string {
  return new Date(now.getTime() - days * DAY_MS).toISOString();
}

/** Not revoked, and not past its expiry at `now`. */
export function isLive(t: Pick<NudgeFacts, 'lifecycle' | 'expiresAt'>, now: Date): boolean {
  return t.lifecycle === 'active' && (t.expiresAt === null || t.expiresAt > now.toISOString());
}

export function isStale(t: NudgeFacts, now: Date, staleAfterDays: number = DEFAULT_STALE_AFTER_DAYS): boolean {
  if (!isLive(t, now)) return false;
  const since = t.lastUsedAt ?? t.createdAt ?? t.firstSeenAt;
  return since <= staleCutoff(now, staleAfterDays);
}

export function neverExpires(t: Pick<NudgeFacts, 'lifecycle' | 'expiresAt'>, now: Date): boolean {
  return t.expiresAt === null && isLive(t, now);
}
