import type { Migration } from './types';

/**
 * The inventory's search, filters, counts and sorts move to an in-memory index
 * in the main process (electron/tokens/inventory-index.ts), so the on-disk
 * indexes that served them go. Measured on 100,000 tokens (test/bench/writes.ts,
 * test/bench/inventory-query.ts): the FTS5 trigram index alone was about 80% of
 * the cost of every insert, and the eight sort/lookup indexes most of the rest,
 * while a scan of one string per row in memory answers any search (even one
 * character, even one that matches every row) in a few milliseconds.
 *
 * - Dropped: `tokens_fts` and its triggers, the sort indexes, `tokens_lookup`,
 *   `tokens_by_status`, and 002's `tokens_by_user` (a prefix of
 *   `tokens_by_connection_user`) and `tokens_by_expiry`. The expiry index was
 *   the dearest left (a quarter of an insert's time, and ~180 scattered pages
 *   written by every sync of a connection), and the reminder queries it was for
 *   read 40–85% of all rows, where it saved nothing (measured on 100,000 rows:
 *   candidates() 300 ms and 600 ms with it or without).
 * - Kept: `tokens_by_connection` (the unique key a sync upserts on) and
 *   `tokens_by_connection_user` (per-user active-token counts on every row).
 * - `tokens_version`: one value, set anew by triggers on every insert, update
 *   and delete of a token row, by any code on any connection (cascades from a
 *   removed connection included). The in-memory index compares it with the
 *   value it was built at to know when it is stale. Random (53 bits, so that
 *   JavaScript reads it exactly) rather than a count: a count can come back to
 *   a value the index saw, after a rollback, with other rows changed.
 * - `tokens_sandbox`: a partial index for the few sandbox rows, which each sync
 *   looks up (TokensRepo.sandboxRowsOfVault) and which otherwise cost a scan.
 *
 * `search_text` stays: it is what the in-memory index reads. The pages freed by
 * the dropped indexes are reused by later writes (the file does not shrink).
 */
export const migration006: Migration = {
  version: 6,
  name: 'in-memory inventory index',
  up(db) {
    db.exec(`
      DROP TRIGGER IF EXISTS tokens_fts_insert;
      DROP TRIGGER IF EXISTS tokens_fts_delete;
      DROP TRIGGER IF EXISTS tokens_fts_update;
      DROP TABLE IF EXISTS tokens_fts;

      DROP INDEX IF EXISTS tokens_lookup;
      DROP INDEX IF EXISTS tokens_by_status;
      DROP INDEX IF EXISTS tokens_by_user;
      DROP INDEX IF EXISTS tokens_by_expiry;
      DROP INDEX IF EXISTS tokens_sort_expiry;
      DROP INDEX IF EXISTS tokens_sort_name;
      DROP INDEX IF EXISTS tokens_sort_connection;
      DROP INDEX IF EXISTS tokens_sort_user;
      DROP INDEX IF EXISTS tokens_sort_last_used;

      CREATE INDEX tokens_sandbox ON tokens (vault_id) WHERE sandbox_name IS NOT NULL;

      CREATE TABLE tokens_version (
        id  INTEGER PRIMARY KEY CHECK (id = 1),
        n   INTEGER NOT NULL
      );
      INSERT INTO tokens_version (id, n) VALUES (1, random() >> 11);
      CREATE TRIGGER tokens_version_insert AFTER INSERT ON tokens BEGIN
        UPDATE tokens_version SET n = random() >> 11 WHERE id = 1;
      END;
      CREATE TRIGGER tokens_version_update AFTER UPDATE ON tokens BEGIN
        UPDATE tokens_version SET n = random() >> 11 WHERE id = 1;
      END;
      CREATE TRIGGER tokens_version_delete AFTER DELETE ON tokens BEGIN
        UPDATE tokens_version SET n = random() >> 11 WHERE id = 1;
      END;
    `);
  },
};
