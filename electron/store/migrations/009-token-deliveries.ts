import type { Migration } from './types';

/**
 * Deliveries (issue 16 item 3): where a token's value goes after generate and rotate. One row per
 * target of a token: its kind, its configuration as JSON (a dotenv file's path and variable name,
 * or a command's argument list, shell choice and timeout), a label for people and the audit log,
 * and the outcome of its last run. There is no column for a value: values stay in the OS keychain
 * (README "Security model"); the last message is a scrubbed, cut excerpt.
 *
 * A delivery belongs to one inventory row and goes with it (ON DELETE CASCADE): row ids can be
 * reused after a delete (INTEGER PRIMARY KEY without AUTOINCREMENT), and a reused id must never
 * inherit another token's targets. A rotation moves the targets to the replacement explicitly
 * (deliveries-service.ts inheritDeliveries).
 */
export const migration009: Migration = {
  version: 9,
  name: 'token deliveries',
  up(db) {
    db.exec(`
      CREATE TABLE token_deliveries (
        id              INTEGER PRIMARY KEY,
        token_row_id    INTEGER NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
        kind            TEXT NOT NULL CHECK (kind IN ('dotenv', 'command')),
        config          TEXT NOT NULL CHECK (json_valid(config)),
        label           TEXT NOT NULL,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        last_run_at     TEXT,
        last_status     TEXT CHECK (last_status IN ('ok', 'failed', 'timed-out')),
        last_exit_code  INTEGER,
        last_message    TEXT
      );
      CREATE INDEX token_deliveries_by_token ON token_deliveries (token_row_id);
    `);
  },
};
