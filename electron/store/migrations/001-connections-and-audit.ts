import type { Migration } from './types';

export const migration001: Migration = {
  version: 1,
  name: 'connections and audit log',
  up(db) {
    db.exec(`
      CREATE TABLE connections (
        id              TEXT PRIMARY KEY,
        name            TEXT NOT NULL COLLATE NOCASE UNIQUE,
        dns             TEXT NOT NULL,
        api_version     TEXT NOT NULL DEFAULT 'v26.2',
        username        TEXT NOT NULL,
        auth_method     TEXT NOT NULL CHECK (auth_method IN ('password', 'token', 'session')),
        client_id       TEXT NOT NULL DEFAULT 'vault-token-desk',
        secret_stored   INTEGER NOT NULL DEFAULT 0,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      );
      -- The audit log outlives what it names: no foreign keys, and the
      -- connection's name is copied so that a removed connection still reads.
      CREATE TABLE audit_log (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        at              TEXT NOT NULL,
        actor           TEXT NOT NULL,
        action          TEXT NOT NULL,
        connection_id   TEXT,
        connection_name TEXT,
        token_id        TEXT,
        detail          TEXT
      );
      CREATE INDEX audit_log_at ON audit_log (at DESC);
    `);
  },
};
