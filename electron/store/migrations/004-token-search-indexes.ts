import type { Migration } from './types';

/**
 * Search and sort support for the token inventory (measured with
 * test/bench/inventory-query.ts: 100,000 tokens across 500 connections).
 *
 * - `tokens_fts`: FTS5 trigram index over `tokens.search_text` (external
 *   content, kept current by triggers), so a substring search of 3+
 *   characters reads posting lists instead of scanning every row. Shorter
 *   searches fall back to `instr(search_text, ?)`.
 * - `tokens_lookup`: a narrow copy (about 50 bytes a row against about 600)
 *   of what status counts, the other filters and the expiry/status sorts
 *   need, keyed by row id first. Queries restricted to a set of row ids (the
 *   search matches) read it with INDEXED BY instead of the wide rows.
 * - `tokens_by_status`: status counts as index range counts.
 * - `tokens_by_connection_user`: covers counts over some connections' rows and
 *   the per-user active-token count shown on every row (Vault's limit of 25).
 * - Sort indexes for the default sort (expiry, never-expiring last) and the
 *   text columns, so a first page walks 100 index entries instead of sorting
 *   everything. Expressions match TokensRepo's ORDER BY terms exactly.
 */
export const migration004: Migration = {
  version: 4,
  name: 'token search and sort indexes',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE tokens_fts USING fts5(
        search_text, content = 'tokens', content_rowid = 'id', tokenize = 'trigram', detail = 'full'
      );
      CREATE TRIGGER tokens_fts_insert AFTER INSERT ON tokens BEGIN
        INSERT INTO tokens_fts (rowid, search_text) VALUES (new.id, new.search_text);
      END;
      CREATE TRIGGER tokens_fts_delete AFTER DELETE ON tokens BEGIN
        INSERT INTO tokens_fts (tokens_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
      END;
      CREATE TRIGGER tokens_fts_update AFTER UPDATE OF search_text ON tokens
        WHEN old.search_text IS NOT new.search_text BEGIN
        INSERT INTO tokens_fts (tokens_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO tokens_fts (rowid, search_text) VALUES (new.id, new.search_text);
      END;
      INSERT INTO tokens_fts (tokens_fts) VALUES ('rebuild');

      CREATE INDEX tokens_lookup ON tokens (id, source, lifecycle, expires_at, secret_stored);
      CREATE INDEX tokens_by_status ON tokens (source, lifecycle, expires_at, secret_stored);
      CREATE INDEX tokens_by_connection_user ON tokens (connection_id, user_id, lifecycle, expires_at, source, secret_stored);

      CREATE INDEX tokens_sort_expiry ON tokens ((expires_at IS NULL), expires_at);
      CREATE INDEX tokens_sort_name ON tokens (name COLLATE NOCASE);
      CREATE INDEX tokens_sort_connection ON tokens (connection_name COLLATE NOCASE, name COLLATE NOCASE);
      CREATE INDEX tokens_sort_user ON tokens ((COALESCE(user_name, user_id)) COLLATE NOCASE, connection_name COLLATE NOCASE);
      CREATE INDEX tokens_sort_last_used ON tokens (last_used_at);
    `);
  },
};
