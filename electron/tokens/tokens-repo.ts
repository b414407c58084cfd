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
import type { RotationLinks, TokenLifecycle } from '../../shared/token-status';
import type { SyncFieldChanges, SyncPlan } from './reconcile';
import { InventoryReader, ROW_COLUMNS, searchTextOf, type DbRow } from './inventory-reader';
import type { TouchedRows } from './inventory-index';
import { canonicalTimestamp } from './timestamps';

/** Rows per set-based statement (a JSON array of about 300 bytes a row). */
const BULK_ROWS = 2000;

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
  const iso = canonicalTimestamp(value);
  if (iso === null) throw new Error(`${what} is not a date-time: ${JSON.stringify(value.slice(0, 40))}`);
  return iso;
}

// ---------------------------------------------------------------------------

/** The token inventory table: the reads of InventoryReader plus every write. */
export class TokensRepo extends InventoryReader {
  // -- rotation links (migration 008) ---------------------------------------

  /**
   * Every row read carries its rotation links: the token that replaced it and the one it replaced,
   * when both rows are still here. One statement per page (at most 1000 rows), each link found
   * through the unique (connection_id, token_id) index, whoever reads: query, get, export.
   */
  protected override toTokenRows(rows: DbRow[], now: Date, soonDays: number): TokenRow[] {
    const tokenRows = super.toTokenRows(rows, now, soonDays);
    if (tokenRows.length === 0) return tokenRows;
    const found = this.stmt(
      `SELECT t.id AS row_id,
              b.id AS by_row_id, b.token_id AS by_token_id, b.name AS by_name,
              o.id AS of_row_id, o.token_id AS of_token_id, o.name AS of_name
         FROM tokens AS t
         LEFT JOIN tokens AS b ON b.connection_id = t.connection_id AND b.token_id = t.replaced_by_token_id
         LEFT JOIN tokens AS o ON o.connection_id = t.connection_id AND o.token_id = t.replaces_token_id
        WHERE t.id IN (SELECT value FROM json_each(?))
          AND (t.replaced_by_token_id IS NOT NULL OR t.replaces_token_id IS NOT NULL)`,
    ).all(JSON.stringify(tokenRows.map((r) => r.rowId))) as LinkRow[];
    const links = new Map(found.map((f) => [f.row_id, f]));
    return tokenRows.map((r): TokenRow & RotationLinks => {
      const f = links.get(r.rowId);
      return {
        ...r,
        replacedBy: f?.by_row_id != null ? { rowId: f.by_row_id, tokenId: f.by_token_id!, name: f.by_name! } : null,
        replaces: f?.of_row_id != null ? { rowId: f.of_row_id, tokenId: f.of_token_id!, name: f.of_name! } : null,
      };
    });
  }

  /**
   * Records that the row `newRowId` replaces the row `oldRowId` (rotation step 1: the replacement
   * exists), on both rows. False, and nothing written, unless both are writable rows of one
   * connection.
   */
  setReplacedBy(oldRowId: number, newRowId: number, at: string): boolean {
    if (oldRowId === newRowId) return false;
    return this.write((touched) => {
      const pair = this.stmt(
        `SELECT o.token_id AS old_token, n.token_id AS new_token FROM tokens AS o JOIN tokens AS n
          ON n.id = @newRowId AND n.connection_id = o.connection_id AND n.read_only = 0
         WHERE o.id = @oldRowId AND o.read_only = 0`,
      ).get({ oldRowId, newRowId }) as { old_token: string; new_token: string } | undefined;
      if (!pair) return false;
      this.stmt(`UPDATE tokens SET replaced_by_token_id = ?, updated_at = ? WHERE id = ?`).run(
        pair.new_token,
        at,
        oldRowId,
      );
      this.stmt(`UPDATE tokens SET replaces_token_id = ?, updated_at = ? WHERE id = ?`).run(
        pair.old_token,
        at,
        newRowId,
      );
      touched.addAll([oldRowId, newRowId]);
      return true;
    });
  }

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
    return this.write((touched) => {
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
      touched.add(result.id);
      return result.id;
    });
  }

  /**
   * Applies a reconcile plan (reconcile.ts) for one connection in one
   * transaction. Only rows of that connection that are not read-only are
   * written; the connection's current name, DNS and Vault id are stamped on
   * all of its rows. Callers may wrap this in a larger transaction (e.g. with
   * ConnectionsRepo.setSyncResult): better-sqlite3 nests it as a savepoint.
   *
   * Each kind of change is a few set-based statements over JSON arrays of
   * BULK_ROWS rows rather than one statement per row: at 100,000 rows the
   * per-statement cost (binding, a statement journal for the triggers) was
   * most of the time left once the search index had gone (issue 14).
   */
  applySync(connection: SyncTarget, plan: SyncPlan, syncedAt: string): SyncApplied {
    const applied: SyncApplied = { added: 0, updated: 0, revoked: 0, unchanged: 0 };
    this.write((touched) => {
      this.restampConnection(connection, syncedAt, touched);
      // Names first, on the rows already here: what is inserted or updated below takes them from
      // `userNames` as well, so a first sync has no row to look at here.
      if (connection.userNames) this.applyUserNames(connection.id, connection.userNames, syncedAt, touched);
      const stamp = { connection: connection.id, at: syncedAt };

      const inserts = plan.inserts.map((ins) => {
        const values = {
          connection_name: connection.name,
          vault_dns: connection.dns,
          token_id: ins.tokenId,
          name: ins.name,
          user_id: ins.userId,
          user_name: connection.userNames?.[ins.userId] ?? null,
        };
        return [
          ins.tokenId,
          ins.name,
          ins.userId,
          values.user_name,
          ins.lifecycle,
          canonicalTimestamp(ins.expiresAt),
          canonicalTimestamp(ins.lastUsedAt),
          canonicalTimestamp(ins.createdAt),
          searchTextOf(values),
        ];
      });
      applied.added = this.bulk(
        `INSERT INTO tokens (connection_id, connection_name, vault_id, vault_dns, token_id, name, user_id, user_name, lifecycle,
           expires_at, last_used_at, created_at, secret_stored, source, read_only, last_synced_at, first_seen_at, updated_at, search_text)
         SELECT @connection, @connection_name, @vault_id, @vault_dns, r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4,
           r.value ->> 5, r.value ->> 6, r.value ->> 7, 0, 'sync', 0, @at, @at, @at, r.value ->> 8
         FROM jsonb_each(@rows) AS r WHERE true
         ON CONFLICT (connection_id, token_id) WHERE connection_id IS NOT NULL DO UPDATE SET
           name = excluded.name, user_id = excluded.user_id, user_name = COALESCE(excluded.user_name, user_name),
           expires_at = excluded.expires_at, last_used_at = excluded.last_used_at, created_at = COALESCE(excluded.created_at, created_at),
           last_synced_at = excluded.last_synced_at, updated_at = excluded.updated_at, search_text = excluded.search_text
         WHERE read_only = 0`,
        inserts,
        { ...stamp, connection_name: connection.name, vault_id: connection.vaultId, vault_dns: connection.dns },
        touched,
      );

      if (plan.updates.length > 0) {
        const current = this.rowsOfConnection(
          plan.updates.map((u) => u.rowId),
          connection.id,
        );
        const updates: unknown[][] = [];
        for (const u of plan.updates) {
          const row = current.get(u.rowId);
          if (!row) continue;
          const next = mergeChanges(row, u.changes, connection.userNames);
          updates.push([
            row.id,
            next.name,
            next.user_id,
            next.user_name,
            next.expires_at,
            next.last_used_at,
            next.created_at,
            searchTextOf(next),
          ]);
        }
        for (const u of updates) touched.add(u[0] as number);
        applied.updated = this.bulk(
          `UPDATE tokens SET name = r.value ->> 1, user_id = r.value ->> 2, user_name = r.value ->> 3, expires_at = r.value ->> 4,
             last_used_at = r.value ->> 5, created_at = r.value ->> 6, last_synced_at = @at, updated_at = @at, search_text = r.value ->> 7
           FROM jsonb_each(@rows) AS r WHERE tokens.id = r.value ->> 0`,
          updates,
          { at: syncedAt },
        );
      }

      touched.addAll(plan.revokes.map((r) => r.rowId));
      touched.addAll(plan.unchanged);
      applied.revoked = this.bulk(
        `UPDATE tokens SET lifecycle = 'revoked', revoked_at = COALESCE(revoked_at, @at), last_synced_at = @at, updated_at = @at
         WHERE id IN (SELECT value FROM json_each(@rows)) AND connection_id = @connection AND read_only = 0 AND lifecycle = 'active'`,
        plan.revokes.map((r) => r.rowId),
        stamp,
      );
      applied.unchanged = this.bulk(
        `UPDATE tokens SET last_synced_at = @at
         WHERE id IN (SELECT value FROM json_each(@rows)) AND connection_id = @connection AND read_only = 0`,
        plan.unchanged,
        stamp,
      );
    });
    return applied;
  }

  /**
   * Runs `sql` once per BULK_ROWS items of `items`, bound as `@rows` (a JSON
   * array, read with jsonb_each: each row's fields are then read from JSONB,
   * not parsed again per field) with `params`; returns the rows changed. With
   * `returned`, the ids of the rows written go there (RETURNING), unless there
   * are too many to be of use. `onChunk` hears how many items are done after
   * each statement.
   */
  private bulk(
    sql: string,
    items: readonly unknown[],
    params: Record<string, unknown> = {},
    returned?: TouchedRows,
    onChunk?: (done: number) => void,
  ): number {
    if (items.length === 0) return 0;
    const returning = returned !== undefined && !returned.tooMany(items.length);
    if (returned && !returning) returned.giveUp();
    const statement = this.stmt(returning ? `${sql} RETURNING id` : sql);
    let changes = 0;
    for (let from = 0; from < items.length; from += BULK_ROWS) {
      const chunk = from === 0 && items.length <= BULK_ROWS ? items : items.slice(from, from + BULK_ROWS);
      const bound = { ...params, rows: JSON.stringify(chunk) };
      if (returning) {
        const ids = statement.pluck().all(bound) as number[];
        returned.addAll(ids);
        changes += ids.length;
      } else changes += statement.run(bound).changes;
      onChunk?.(Math.min(items.length, from + BULK_ROWS));
    }
    return changes;
  }

  /** The given rows of a connection that are not read-only, by id. */
  private rowsOfConnection(rowIds: readonly number[], connectionId: string): Map<number, DbRow> {
    const rows = this.stmt(
      `SELECT ${ROW_COLUMNS} FROM tokens WHERE id IN (SELECT value FROM json_each(?)) AND connection_id = ? AND read_only = 0`,
    ).all(JSON.stringify(rowIds), connectionId) as DbRow[];
    return new Map(rows.map((r) => [r.id, r]));
  }

  /**
   * Keeps the copies of the connection's name and DNS current on the rows of
   * its Vault. A row's Vault id is never changed once known (keychain items
   * are named after it); a synced row that lacks one gets the connection's.
   * Rows of another Vault under the same connection (a sandbox token, or
   * tokens from before the connection was pointed elsewhere) keep theirs.
   */
  private restampConnection(connection: SyncTarget, at: string, touched: TouchedRows): void {
    if (connection.vaultId !== null) {
      const ids = this.stmt(
        `UPDATE tokens SET vault_id = ?, updated_at = ? WHERE connection_id = ? AND vault_id IS NULL AND source = 'sync' RETURNING id`,
      )
        .pluck()
        .all(connection.vaultId, at, connection.id) as number[];
      touched.addAll(ids);
    }
    const stale = this.stmt(
      `SELECT ${ROW_COLUMNS} FROM tokens WHERE connection_id = ? AND vault_id IS ? AND (connection_name IS NOT ? OR vault_dns IS NOT ?)`,
    ).all(connection.id, connection.vaultId, connection.name, connection.dns) as DbRow[];
    this.bulk(
      `UPDATE tokens SET connection_name = @connection_name, vault_dns = @vault_dns, updated_at = @at, search_text = r.value ->> 1
       FROM jsonb_each(@rows) AS r WHERE tokens.id = r.value ->> 0`,
      stale.map((row) => [
        row.id,
        searchTextOf({ ...row, connection_name: connection.name, vault_dns: connection.dns }),
      ]),
      { connection_name: connection.name, vault_dns: connection.dns, at },
    );
    for (const row of stale) touched.add(row.id);
  }

  /** Sets user display names on a connection's rows (e.g. after fetching Vault users). Returns rows changed. */
  setUserNames(connectionId: string, names: Readonly<Record<string, string>>, at: string): number {
    return this.write((touched) => this.applyUserNames(connectionId, names, at, touched));
  }

  private applyUserNames(
    connectionId: string,
    names: Readonly<Record<string, string>>,
    at: string,
    touched: TouchedRows,
  ): number {
    // One statement for every user: a sync passes every user of the Vault, and most already have their name.
    // CROSS JOIN keeps the names outside: one index search per user, not a scan of the names per row.
    const stale = this.stmt(
      `SELECT ${ROW_COLUMNS.replace(/(^|, )/g, '$1t.')}, n.value AS new_name
         FROM json_each(@names) AS n CROSS JOIN tokens AS t ON t.connection_id = @connection AND t.user_id = n.key
        WHERE t.user_name IS NOT n.value`,
    ).all({ names: JSON.stringify(names), connection: connectionId }) as (DbRow & { new_name: string })[];
    const changes: unknown[][] = [];
    for (const row of stale) {
      changes.push([row.id, row.new_name, searchTextOf({ ...row, user_name: row.new_name })]);
      touched.add(row.id);
    }
    return this.bulk(
      `UPDATE tokens SET user_name = r.value ->> 1, updated_at = @at, search_text = r.value ->> 2
       FROM jsonb_each(@rows) AS r WHERE tokens.id = r.value ->> 0`,
      changes,
      { at },
    );
  }

  /**
   * Marks rows revoked (after Vault confirmed the delete). Read-only rows and
   * rows already revoked are left as they are. Returns how many changed.
   */
  markRevoked(rowIds: readonly number[], at: string): number {
    const update = this.stmt(
      `UPDATE tokens SET lifecycle = 'revoked', revoked_at = ?, updated_at = ? WHERE id = ? AND read_only = 0 AND lifecycle = 'active'`,
    );
    return this.write((touched) => {
      touched.addAll(rowIds);
      return rowIds.reduce((n, id) => n + update.run(at, at, id).changes, 0);
    });
  }

  /** Records whether the row's value is in the keychain. False for a read-only or unknown row. */
  setSecretStored(rowId: number, stored: boolean, at: string): boolean {
    return this.write((touched) => {
      touched.add(rowId);
      return (
        this.stmt('UPDATE tokens SET secret_stored = ?, updated_at = ? WHERE id = ? AND read_only = 0').run(
          stored ? 1 : 0,
          at,
          rowId,
        ).changes > 0
      );
    });
  }

  /**
   * Deletes revoked rows: the given ones, or all of them. Only revoked,
   * non-imported rows ever go (imported rows leave with clearImported).
   * Returns how many were deleted.
   */
  clearRevoked(rowIds?: readonly number[]): number {
    if (rowIds?.length === 0) return 0;
    return this.write((touched) => {
      const deleted = (
        rowIds === undefined
          ? this.stmt(`DELETE FROM tokens WHERE lifecycle = 'revoked' AND read_only = 0 RETURNING id`).pluck().all()
          : this.stmt(
              `DELETE FROM tokens WHERE lifecycle = 'revoked' AND read_only = 0 AND id IN (SELECT value FROM json_each(?)) RETURNING id`,
            )
              .pluck()
              .all(JSON.stringify(rowIds))
      ) as number[];
      touched.addAll(deleted);
      return deleted.length;
    });
  }

  /**
   * Adds imported rows (read-only, source 'import', no connection). A row for
   * the same Vault DNS and token id as an earlier import is updated in place
   * (never deleted and re-inserted: reminder rows hang off the row id), so
   * importing the same file twice does not duplicate; within one call, a key
   * listed twice is inserted once and then updated, the later row winning.
   * All or nothing: every row is checked before anything is written.
   * `onProgress` hears how many rows are written after each statement.
   */
  importRows(
    rows: readonly ImportTokenRow[],
    at: string,
    onProgress?: (done: number, total: number) => void,
  ): { imported: number; replaced: number } {
    const key = (dns: string, tokenId: string) => `${dns.toLowerCase()}\n${tokenId}`;
    // Checked first: a bad date anywhere leaves the inventory as it was.
    const byKey = new Map<string, ReturnType<typeof importValues>>();
    for (const r of rows) {
      const values = importValues(r);
      const k = key(r.vaultDns, r.tokenId);
      const first = byKey.get(k);
      // The row keeps the DNS it was first written with, as an update in place would.
      byKey.set(k, first ? { ...values, vault_dns: first.vault_dns } : values);
    }
    return this.write((touched) => {
      const existing = new Map<string, number>();
      const previous = this.stmt(
        `SELECT id, vault_dns, token_id FROM tokens WHERE source = 'import' ORDER BY id DESC`,
      ).all() as Pick<DbRow, 'id' | 'vault_dns' | 'token_id'>[];
      for (const p of previous) existing.set(key(p.vault_dns, p.token_id), p.id);

      const updates: unknown[][] = [];
      const inserts: unknown[][] = [];
      for (const [k, v] of byKey) {
        const id = existing.get(k);
        const fields: unknown[] = [
          v.connection_name,
          v.vault_id,
          v.name,
          v.user_id,
          v.user_name,
          v.lifecycle,
          v.expires_at,
          v.last_used_at,
          v.created_at,
          v.revoked_at,
          v.last_synced_at,
          searchTextOf(v),
        ];
        if (id === undefined) {
          fields.push(v.vault_dns, v.token_id);
          inserts.push(fields);
        } else {
          fields.push(id);
          updates.push(fields);
          touched.add(id);
        }
      }
      const total = updates.length + inserts.length;
      const progress = (base: number) => (onProgress ? (done: number) => onProgress(base + done, total) : undefined);
      onProgress?.(0, total);
      const assignments = `connection_name = r.value ->> 0, vault_id = r.value ->> 1, name = r.value ->> 2, user_id = r.value ->> 3,
         user_name = r.value ->> 4, lifecycle = r.value ->> 5, expires_at = r.value ->> 6, last_used_at = r.value ->> 7,
         created_at = r.value ->> 8, revoked_at = r.value ->> 9, last_synced_at = r.value ->> 10, updated_at = @at,
         search_text = r.value ->> 11`;
      this.bulk(
        `UPDATE tokens SET ${assignments} FROM jsonb_each(@rows) AS r WHERE tokens.id = r.value ->> 12`,
        updates,
        { at },
        undefined,
        progress(0),
      );
      const imported = this.bulk(
        `INSERT INTO tokens (connection_id, connection_name, vault_id, vault_dns, token_id, name, user_id, user_name, lifecycle,
           expires_at, last_used_at, created_at, secret_stored, source, read_only, revoked_at, last_synced_at, first_seen_at, updated_at, search_text)
         SELECT NULL, r.value ->> 0, r.value ->> 1, r.value ->> 12, r.value ->> 13, r.value ->> 2, r.value ->> 3, r.value ->> 4, r.value ->> 5,
           r.value ->> 6, r.value ->> 7, r.value ->> 8, 0, 'import', 1, r.value ->> 9, r.value ->> 10, @at, @at, r.value ->> 11
         FROM jsonb_each(@rows) AS r`,
        inserts,
        { at },
        touched,
        progress(updates.length),
      );
      return { imported, replaced: rows.length - imported };
    });
  }

  /** Removes every imported row. Returns how many. */
  clearImported(): number {
    return this.write((touched) => {
      const deleted = this.stmt(`DELETE FROM tokens WHERE source = 'import' RETURNING id`).pluck().all() as number[];
      touched.addAll(deleted);
      return deleted.length;
    });
  }

  /** Files a sandbox row under the sandbox's own connection; false if that connection already lists the token. */
  adoptSandboxRow(rowId: number, target: { id: string; name: string; dns: string }, at: string): boolean {
    return this.write((touched) => {
      touched.add(rowId);
      const info = this.stmt(
        `UPDATE tokens SET connection_id = @id, connection_name = @name, vault_dns = @dns, sandbox_name = NULL, updated_at = @at
        WHERE id = @rowId AND NOT EXISTS (SELECT 1 FROM tokens t WHERE t.connection_id = @id AND t.token_id = tokens.token_id)`,
      ).run({ id: target.id, name: target.name, dns: target.dns, at, rowId });
      return info.changes === 1;
    });
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
    expires_at: changes.expiresAt === undefined ? current.expires_at : canonicalTimestamp(changes.expiresAt),
    last_used_at: changes.lastUsedAt === undefined ? current.last_used_at : canonicalTimestamp(changes.lastUsedAt),
    created_at: changes.createdAt === undefined ? current.created_at : canonicalTimestamp(changes.createdAt),
  };
}

/** One row's rotation links as toTokenRows reads them; the other row's fields are null when it is gone. */
interface LinkRow {
  row_id: number;
  by_row_id: number | null;
  by_token_id: string | null;
  by_name: string | null;
  of_row_id: number | null;
  of_token_id: string | null;
  of_name: string | null;
}

/** An imported row's column values, its dates checked (throws on one that is not a date). */
function importValues(r: ImportTokenRow) {
  return {
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
  };
}
