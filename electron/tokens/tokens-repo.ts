/**
 * The token inventory table (migration 002): metadata only. There is no
 * column for a token value and this repo never receives one; values live in
 * the OS keychain and `secret_stored` says whether one is there.
 *
 * Reads and the read planner are in inventory-reader.ts; this file holds the
 * writes. Every write that touches a searchable field rewrites
 * `search_text` (lower-cased name, token id, user name/id, Vault DNS,
 * connection name).
 */
import type { TokenRow } from '../../shared/tokens';
import { normaliseTimestamp, type TokenLifecycle } from '../../shared/token-status';
import type { SyncFieldChanges, SyncPlan } from './reconcile';
import { InventoryReader, ROW_COLUMNS, searchTextOf, type DbRow } from './inventory-reader';

// ---------------------------------------------------------------------------
// Types

/** A token this app just generated on a connection: the TokenRow fields it knows, plus insert details. */
export type NewGeneratedToken = Pick<
  TokenRow,
  'connectionName' | 'vaultId' | 'vaultDns' | 'tokenId' | 'name' | 'userId' | 'userName'
> & {
  connectionId: string;
  /** Any date-time `normaliseTimestamp` reads; null = never expires. */
  expiresAt: string | null;
  /** Defaults to the insert time. */
  createdAt?: string | null;
  /** Whether the keychain accepted the value. Default false. */
  secretStored?: boolean;
  /** When it was generated (ISO). */
  at: string;
  /** Set for a token generated for a sandbox through this connection's Vault. */
  sandboxName?: string | null;
};

/** The connection a sync ran on: its current name/DNS/Vault are stamped on every row. */
export interface SyncTarget {
  id: string;
  name: string;
  dns: string;
  vaultId: number | null;
  /** Vault user id → display name, for rows whose user name is unknown or changed. */
  userNames?: Readonly<Record<string, string>>;
}

export interface SyncApplied {
  added: number;
  updated: number;
  revoked: number;
  unchanged: number;
}

/** One row of an imported export (read-only, no connection). */
export interface ImportTokenRow {
  connectionName: string;
  vaultId: number | null;
  vaultDns: string;
  tokenId: string;
  name: string;
  userId: string;
  userName: string | null;
  lifecycle: TokenLifecycle;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string | null;
  revokedAt: string | null;
  lastSyncedAt: string | null;
}

function requireTimestamp(value: string | null | undefined, what: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  const iso = normaliseTimestamp(value);
  if (iso === null) throw new Error(`${what} is not a date-time: ${JSON.stringify(value.slice(0, 40))}`);
  return iso;
}

// ---------------------------------------------------------------------------

/** The token inventory table: the reads of InventoryReader plus every write. */
export class TokensRepo extends InventoryReader {
  // -- writes ---------------------------------------------------------------

  /**
   * Records a token this app generated (source 'generated'). If a sync already
   * brought the same token in, that row becomes the generated one. Returns the row id.
   */
  insertGenerated(row: NewGeneratedToken): number {
    const at = row.at;
    const values = {
      connection_id: row.connectionId,
      connection_name: row.connectionName,
      vault_id: row.vaultId,
      vault_dns: row.vaultDns,
      token_id: row.tokenId,
      name: row.name,
      user_id: row.userId,
      user_name: row.userName,
      expires_at: requireTimestamp(row.expiresAt, 'expiresAt'),
      created_at: requireTimestamp(row.createdAt, 'createdAt') ?? at,
      secret_stored: row.secretStored ? 1 : 0,
      sandbox_name: row.sandboxName ?? null,
      at,
    };
    const result = this.stmt(
      `INSERT INTO tokens (connection_id, connection_name, vault_id, vault_dns, token_id, name, user_id, user_name, lifecycle,
         expires_at, created_at, secret_stored, source, read_only, first_seen_at, updated_at, search_text, sandbox_name)
       VALUES (@connection_id, @connection_name, @vault_id, @vault_dns, @token_id, @name, @user_id, @user_name, 'active',
         @expires_at, @created_at, @secret_stored, 'generated', 0, @at, @at, @search_text, @sandbox_name)
       ON CONFLICT (connection_id, token_id) WHERE connection_id IS NOT NULL DO UPDATE SET
         connection_name = excluded.connection_name, vault_id = excluded.vault_id, vault_dns = excluded.vault_dns,
         name = excluded.name, user_id = excluded.user_id, user_name = COALESCE(excluded.user_name, user_name),
         expires_at = excluded.expires_at, secret_stored = excluded.secret_stored, source = 'generated',
         updated_at = excluded.updated_at, search_text = excluded.search_text
       RETURNING id`,
    ).get({ ...values, search_text: searchTextOf(values) }) as { id: number };
    return result.id;
  }

  /**
   * Applies a reconcile plan (reconcile.ts) for one connection in one
   * transaction. Only rows of that connection that are not read-only are
   * written; the connection's current name, DNS and Vault id are stamped on
   * all of its rows. Callers may wrap this in a larger transaction (e.g. with
   * ConnectionsRepo.setSyncResult): better-sqlite3 nests it as a savepoint.
   */
  applySync(connection: SyncTarget, plan: SyncPlan, syncedAt: string): SyncApplied {
    const applied: SyncApplied = { added: 0, updated: 0, revoked: 0, unchanged: 0 };
    this.db.transaction(() => {
      this.restampConnection(connection, syncedAt);

      const insert = this.stmt(
        `INSERT INTO tokens (connection_id, connection_name, vault_id, vault_dns, token_id, name, user_id, user_name, lifecycle,
           expires_at, last_used_at, created_at, secret_stored, source, read_only, last_synced_at, first_seen_at, updated_at, search_text)
         VALUES (@connection_id, @connection_name, @vault_id, @vault_dns, @token_id, @name, @user_id, @user_name, @lifecycle,
           @expires_at, @last_used_at, @created_at, 0, 'sync', 0, @at, @at, @at, @search_text)
         ON CONFLICT (connection_id, token_id) WHERE connection_id IS NOT NULL DO UPDATE SET
           name = excluded.name, user_id = excluded.user_id, user_name = COALESCE(excluded.user_name, user_name),
           expires_at = excluded.expires_at, last_used_at = excluded.last_used_at, created_at = COALESCE(excluded.created_at, created_at),
           last_synced_at = excluded.last_synced_at, updated_at = excluded.updated_at, search_text = excluded.search_text
         WHERE read_only = 0`,
      );
      for (const ins of plan.inserts) {
        const values = {
          connection_id: connection.id,
          connection_name: connection.name,
          vault_id: connection.vaultId,
          vault_dns: connection.dns,
          token_id: ins.tokenId,
          name: ins.name,
          user_id: ins.userId,
          user_name: connection.userNames?.[ins.userId] ?? null,
          lifecycle: ins.lifecycle,
          expires_at: normaliseTimestamp(ins.expiresAt),
          last_used_at: normaliseTimestamp(ins.lastUsedAt),
          created_at: normaliseTimestamp(ins.createdAt),
          at: syncedAt,
        };
        applied.added += insert.run({ ...values, search_text: searchTextOf(values) }).changes;
      }

      const select = this.stmt(
        `SELECT ${ROW_COLUMNS} FROM tokens WHERE id = ? AND connection_id = ? AND read_only = 0`,
      );
      const update = this.stmt(
        `UPDATE tokens SET name = @name, user_id = @user_id, user_name = @user_name, expires_at = @expires_at, last_used_at = @last_used_at,
           created_at = @created_at, last_synced_at = @at, updated_at = @at, search_text = @search_text
         WHERE id = @id`,
      );
      for (const u of plan.updates) {
        const current = select.get(u.rowId, connection.id) as DbRow | undefined;
        if (!current) continue;
        const next = mergeChanges(current, u.changes, connection.userNames);
        applied.updated += update.run({
          ...next,
          id: current.id,
          at: syncedAt,
          search_text: searchTextOf(next),
        }).changes;
      }

      const revoke = this.stmt(
        `UPDATE tokens SET lifecycle = 'revoked', revoked_at = COALESCE(revoked_at, @at), last_synced_at = @at, updated_at = @at
         WHERE id = @id AND connection_id = @connection AND read_only = 0 AND lifecycle = 'active'`,
      );
      for (const r of plan.revokes)
        applied.revoked += revoke.run({ id: r.rowId, connection: connection.id, at: syncedAt }).changes;

      const touch = this.stmt(
        'UPDATE tokens SET last_synced_at = ? WHERE id = ? AND connection_id = ? AND read_only = 0',
      );
      for (const rowId of plan.unchanged) applied.unchanged += touch.run(syncedAt, rowId, connection.id).changes;

      if (connection.userNames) this.applyUserNames(connection.id, connection.userNames, syncedAt);
    })();
    return applied;
  }

  /**
   * Keeps the copies of the connection's name and DNS current on the rows of
   * its Vault. A row's Vault id is never changed once known (keychain items
   * are named after it); a synced row that lacks one gets the connection's.
   * Rows of another Vault under the same connection (a sandbox token, or
   * tokens from before the connection was pointed elsewhere) keep theirs.
   */
  private restampConnection(connection: SyncTarget, at: string): void {
    if (connection.vaultId !== null) {
      this.stmt(
        `UPDATE tokens SET vault_id = ?, updated_at = ? WHERE connection_id = ? AND vault_id IS NULL AND source = 'sync'`,
      ).run(connection.vaultId, at, connection.id);
    }
    const stale = this.stmt(
      `SELECT ${ROW_COLUMNS} FROM tokens WHERE connection_id = ? AND vault_id IS ? AND (connection_name IS NOT ? OR vault_dns IS NOT ?)`,
    ).all(connection.id, connection.vaultId, connection.name, connection.dns) as DbRow[];
    const update = this.stmt(
      'UPDATE tokens SET connection_name = @connection_name, vault_dns = @vault_dns, updated_at = @at, search_text = @search_text WHERE id = @id',
    );
    for (const row of stale) {
      const next = { ...row, connection_name: connection.name, vault_dns: connection.dns };
      update.run({
        id: row.id,
        connection_name: next.connection_name,
        vault_dns: next.vault_dns,
        at,
        search_text: searchTextOf(next),
      });
    }
  }

  /** Sets user display names on a connection's rows (e.g. after fetching Vault users). Returns rows changed. */
  setUserNames(connectionId: string, names: Readonly<Record<string, string>>, at: string): number {
    return this.db.transaction(() => this.applyUserNames(connectionId, names, at))();
  }

  private applyUserNames(connectionId: string, names: Readonly<Record<string, string>>, at: string): number {
    const select = this.stmt(
      `SELECT ${ROW_COLUMNS} FROM tokens WHERE connection_id = ? AND user_id = ? AND user_name IS NOT ?`,
    );
    const update = this.stmt('UPDATE tokens SET user_name = ?, updated_at = ?, search_text = ? WHERE id = ?');
    let changed = 0;
    for (const [userId, userName] of Object.entries(names)) {
      for (const row of select.all(connectionId, userId, userName) as DbRow[]) {
        changed += update.run(userName, at, searchTextOf({ ...row, user_name: userName }), row.id).changes;
      }
    }
    return changed;
  }

  /**
   * Marks rows revoked (after Vault confirmed the delete). Read-only rows and
   * rows already revoked are left as they are. Returns how many changed.
   */
  markRevoked(rowIds: readonly number[], at: string): number {
    const update = this.stmt(
      `UPDATE tokens SET lifecycle = 'revoked', revoked_at = ?, updated_at = ? WHERE id = ? AND read_only = 0 AND lifecycle = 'active'`,
    );
    return this.db.transaction(() => rowIds.reduce((n, id) => n + update.run(at, at, id).changes, 0))();
  }

  /** Records whether the row's value is in the keychain. False for a read-only or unknown row. */
  setSecretStored(rowId: number, stored: boolean, at: string): boolean {
    return (
      this.stmt('UPDATE tokens SET secret_stored = ?, updated_at = ? WHERE id = ? AND read_only = 0').run(
        stored ? 1 : 0,
        at,
        rowId,
      ).changes > 0
    );
  }

  /**
   * Deletes revoked rows: the given ones, or all of them. Only revoked,
   * non-imported rows ever go (imported rows leave with clearImported).
   * Returns how many were deleted.
   */
  clearRevoked(rowIds?: readonly number[]): number {
    if (rowIds === undefined)
      return this.stmt(`DELETE FROM tokens WHERE lifecycle = 'revoked' AND read_only = 0`).run().changes;
    if (rowIds.length === 0) return 0;
    return this.stmt(
      `DELETE FROM tokens WHERE lifecycle = 'revoked' AND read_only = 0 AND id IN (SELECT value FROM json_each(?))`,
    ).run(JSON.stringify(rowIds)).changes;
  }

  /**
   * Adds imported rows (read-only, source 'import', no connection). A row for
   * the same Vault DNS and token id as an earlier import is updated in place
   * (never deleted and re-inserted: reminder rows hang off the row id), so
   * importing the same file twice does not duplicate. All or nothing.
   */
  importRows(rows: readonly ImportTokenRow[], at: string): { imported: number; replaced: number } {
    const update = this.stmt(
      `UPDATE tokens SET connection_name = @connection_name, vault_id = @vault_id, name = @name, user_id = @user_id, user_name = @user_name,
         lifecycle = @lifecycle, expires_at = @expires_at, last_used_at = @last_used_at, created_at = @created_at, revoked_at = @revoked_at,
         last_synced_at = @last_synced_at, updated_at = @at, search_text = @search_text
       WHERE id = @id`,
    );
    const insert = this.stmt(
      `INSERT INTO tokens (connection_id, connection_name, vault_id, vault_dns, token_id, name, user_id, user_name, lifecycle,
         expires_at, last_used_at, created_at, secret_stored, source, read_only, revoked_at, last_synced_at, first_seen_at, updated_at, search_text)
       VALUES (NULL, @connection_name, @vault_id, @vault_dns, @token_id, @name, @user_id, @user_name, @lifecycle,
         @expires_at, @last_used_at, @created_at, 0, 'import', 1, @revoked_at, @last_synced_at, @at, @at, @search_text)`,
    );
    const key = (dns: string, tokenId: string) => `${dns.toLowerCase()}\n${tokenId}`;
    return this.db.transaction(() => {
      // Updated in place, never deleted and re-inserted: other tables (reminders) hang off the row id.
      const existing = new Map<string, number>();
      const previous = this.stmt(
        `SELECT id, vault_dns, token_id FROM tokens INDEXED BY tokens_by_status WHERE source = 'import' ORDER BY id DESC`,
      ).all() as Pick<DbRow, 'id' | 'vault_dns' | 'token_id'>[];
      for (const p of previous) existing.set(key(p.vault_dns, p.token_id), p.id);
      const counts = { imported: 0, replaced: 0 };
      for (const r of rows) {
        const values = {
          connection_name: r.connectionName,
          vault_id: r.vaultId,
          vault_dns: r.vaultDns,
          token_id: r.tokenId,
          name: r.name,
          user_id: r.userId,
          user_name: r.userName,
          lifecycle: r.lifecycle,
          expires_at: requireTimestamp(r.expiresAt, 'expiresAt'),
          last_used_at: requireTimestamp(r.lastUsedAt, 'lastUsedAt'),
          created_at: requireTimestamp(r.createdAt, 'createdAt'),
          revoked_at: r.lifecycle === 'revoked' ? requireTimestamp(r.revokedAt, 'revokedAt') : null,
          last_synced_at: requireTimestamp(r.lastSyncedAt, 'lastSyncedAt'),
          at,
        };
        const search_text = searchTextOf(values);
        const id = existing.get(key(r.vaultDns, r.tokenId));
        if (id !== undefined) counts.replaced += update.run({ ...values, search_text, id }).changes;
        else {
          const inserted = insert.run({ ...values, search_text });
          counts.imported += inserted.changes;
          existing.set(key(r.vaultDns, r.tokenId), Number(inserted.lastInsertRowid));
        }
      }
      return counts;
    })();
  }

  /** Removes every imported row. Returns how many. */
  clearImported(): number {
    return this.stmt(`DELETE FROM tokens WHERE source = 'import'`).run().changes;
  }

  /** Files a sandbox row under the sandbox's own connection; false if that connection already lists the token. */
  adoptSandboxRow(rowId: number, target: { id: string; name: string; dns: string }, at: string): boolean {
    const info = this.stmt(
      `UPDATE tokens SET connection_id = @id, connection_name = @name, vault_dns = @dns, sandbox_name = NULL, updated_at = @at
        WHERE id = @rowId AND NOT EXISTS (SELECT 1 FROM tokens t WHERE t.connection_id = @id AND t.token_id = tokens.token_id)`,
    ).run({ id: target.id, name: target.name, dns: target.dns, at, rowId });
    return info.changes === 1;
  }
}

// ---------------------------------------------------------------------------

function mergeChanges(
  current: DbRow,
  changes: SyncFieldChanges,
  userNames: Readonly<Record<string, string>> | undefined,
) {
  const userId = changes.userId ?? current.user_id;
  return {
    connection_name: current.connection_name,
    vault_dns: current.vault_dns,
    token_id: current.token_id,
    name: changes.name ?? current.name,
    user_id: userId,
    user_name: userId === current.user_id ? current.user_name : (userNames?.[userId] ?? null),
    expires_at: changes.expiresAt === undefined ? current.expires_at : normaliseTimestamp(changes.expiresAt),
    last_used_at: changes.lastUsedAt === undefined ? current.last_used_at : normaliseTimestamp(changes.lastUsedAt),
    created_at: changes.createdAt === undefined ? current.created_at : normaliseTimestamp(changes.createdAt),
  };
}
