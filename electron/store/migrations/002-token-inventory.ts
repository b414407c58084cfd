import type { Migration } from './types';

/**
 * The token inventory: metadata only. Token values live in the OS keychain
 * (account token/<vault id>/<token id>); `secret_stored` says whether one is there.
 *
 * `lifecycle` is what we know from Vault (active / revoked); "expiring" and
 * "expired" are computed from `expires_at` at query time, so they are never
 * stale. All timestamps are ISO 8601 UTC with milliseconds
 * (YYYY-MM-DDTHH:MM:SS.sssZ) so that text comparison is time comparison.
 *
 * Imported rows (offline review of another machine's export) have no
 * connection: `connection_id` is NULL, `connection_name` keeps the exporter's
 * name, and `read_only` is 1.
 */
export const migration002: Migration = {
  version: 2,
  name: 'token inventory',
  up(db) {
    db.exec(`
      ALTER TABLE connections ADD COLUMN vault_id INTEGER;
      ALTER TABLE connections ADD COLUMN vault_name TEXT;
      ALTER TABLE connections ADD COLUMN login_user_id TEXT;
      ALTER TABLE connections ADD COLUMN last_synced_at TEXT;
      ALTER TABLE connections ADD COLUMN last_sync_error TEXT;
      ALTER TABLE connections ADD COLUMN last_checked_at TEXT;
      ALTER TABLE connections ADD COLUMN reachable INTEGER;
      -- Whether this login may see every user's tokens (admin) or only its own.
      ALTER TABLE connections ADD COLUMN sees_all_tokens INTEGER;

      CREATE TABLE tokens (
        id               INTEGER PRIMARY KEY,
        connection_id    TEXT REFERENCES connections(id) ON DELETE CASCADE,
        connection_name  TEXT NOT NULL,
        vault_id         INTEGER,
        vault_dns        TEXT NOT NULL,
        token_id         TEXT NOT NULL,
        name             TEXT NOT NULL,
        user_id          TEXT NOT NULL,
        user_name        TEXT,
        lifecycle        TEXT NOT NULL CHECK (lifecycle IN ('active', 'revoked')),
        expires_at       TEXT,
        last_used_at     TEXT,
        created_at       TEXT,
        secret_stored    INTEGER NOT NULL DEFAULT 0,
        source           TEXT NOT NULL CHECK (source IN ('generated', 'sync', 'import')),
        read_only        INTEGER NOT NULL DEFAULT 0,
        revoked_at       TEXT,
        last_synced_at   TEXT,
        first_seen_at    TEXT NOT NULL,
        updated_at       TEXT NOT NULL,
        -- Lower-cased name, token id, user, Vault and connection: what search matches.
        search_text      TEXT NOT NULL
      );
      CREATE UNIQUE INDEX tokens_by_connection ON tokens (connection_id, token_id) WHERE connection_id IS NOT NULL;
      CREATE INDEX tokens_by_expiry ON tokens (lifecycle, expires_at);
      CREATE INDEX tokens_by_user ON tokens (connection_id, user_id, lifecycle);
    `);
  },
};
