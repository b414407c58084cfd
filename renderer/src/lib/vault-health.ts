/**
 * Where each Vault stands for the inventory's summary line (issue 13, item 3): synced, failed,
 * syncing, never synced, or unreachable at the last check. A failure comes from this run's
 * progress or, after a reload, from ConnectionHealth.lastSyncError (kept in SQLite by the sync
 * service and cleared by the next successful sync), so it is never lost with the page.
 */
import type { Connection } from '../../../shared/domain';
import type { ConnectionHealth, SyncProgress } from '../../../shared/tokens';

export type VaultSyncState = 'failed' | 'unreachable' | 'syncing' | 'never' | 'synced';

export interface VaultStatus {
  connection: Connection;
  state: VaultSyncState;
  /** Why the last sync failed, in Vault's or the app's words (never a secret); null otherwise. */
  error: string | null;
  /** Unreachable at the last check: generate, rotate and revoke there need the Vault. */
  offline: boolean;
  lastSyncedAt: string | null;
}

export function vaultStatus(connection: Connection, health?: ConnectionHealth, progress?: SyncProgress): VaultStatus {
  const offline = health?.reachable === false;
  const lastSyncedAt = health?.lastSyncedAt ?? null;
  const base = { connection, offline, lastSyncedAt };
  if (progress?.phase === 'queued' || progress?.phase === 'running') return { ...base, state: 'syncing', error: null };
  if (progress?.phase === 'failed')
    return { ...base, state: 'failed', error: progress.message ?? health?.lastSyncError ?? 'Sync failed.' };
  // A sync that just finished wins over health read before it (health reloads a moment later).
  if (progress?.phase !== 'done' && health?.lastSyncError)
    return { ...base, state: 'failed', error: health.lastSyncError };
  if (offline && progress?.phase !== 'done') return { ...base, state: 'unreachable', error: null };
  if (!lastSyncedAt && progress?.phase !== 'done') return { ...base, state: 'never', error: null };
  return { ...base, state: 'synced', error: null };
}

export interface VaultSummary {
  counts: Record<VaultSyncState, number>;
  /** Every Vault, the ones needing attention first (failed, unreachable, syncing, never), then by name. */
  ordered: VaultStatus[];
  failed: VaultStatus[];
}

const ORDER: Record<VaultSyncState, number> = { failed: 0, unreachable: 1, syncing: 2, never: 3, synced: 4 };

export function summarizeVaults(
  connections: Connection[],
  health: Map<string, ConnectionHealth>,
  progress: Map<string, SyncProgress>,
): VaultSummary {
  const statuses = connections.map((c) => vaultStatus(c, health.get(c.id), progress.get(c.id)));
  const counts: Record<VaultSyncState, number> = { failed: 0, unreachable: 0, syncing: 0, never: 0, synced: 0 };
  for (const s of statuses) counts[s.state] += 1;
  const ordered = [...statuses].sort(
    (a, b) => ORDER[a.state] - ORDER[b.state] || a.connection.name.localeCompare(b.connection.name),
  );
  return { counts, ordered, failed: ordered.filter((s) => s.state === 'failed') };
}

/** True when `selected` is exactly the set `ids` (any order): the "failed" filter is on. */
export function sameIds(selected: readonly string[], ids: readonly string[]): boolean {
  if (selected.length !== ids.length || ids.length === 0) return false;
  const set = new Set(selected);
  return ids.every((id) => set.has(id));
}
