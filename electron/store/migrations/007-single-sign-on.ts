import type { Migration } from './types';

/**
 * Single sign-on connections (issue 12). `auth_method` gains 'sso', whose CHECK constraint SQLite
 * cannot alter in place, so the table is rebuilt the way SQLite documents for other schema changes
 * (https://www.sqlite.org/lang_altertable.html#otheralter): with foreign keys off (the runner does
 * that for `rebuildsTables`), create the new table, copy, drop, rename, and check foreign keys.
 * Dropping `connections` with foreign keys on would cascade into tokens and reminders.
 *
 * New columns: the login host and identity-provider client id overrides, and the OAuth profile that
 * signed in last (id and label, not secret). The refresh token itself lives only in the keychain.
 */
export const migration007: Migration = {
  version: 7,
  name: 'single sign-on connections',
  rebuildsTables: true,
  up(db) {
    db.exec(`
      CREATE TABLE connections_new (
        id              TEXT PRIMARY KEY,
        name            TEXT NOT NULL COLLATE NOCASE UNIQUE,
        dns             TEXT NOT NULL,
        api_version     TEXT NOT NULL DEFAULT 'v26.2',
        username        TEXT NOT NULL,
        auth_method     TEXT NOT NULL CHECK (auth_method IN ('password', 'token', 'sso', 'session')),
        client_id       TEXT NOT NULL DEFAULT 'vault-token-desk',
        secret_stored   INTEGER NOT NULL DEFAULT 0,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        vault_id        INTEGER,
        vault_name      TEXT,
        login_user_id   TEXT,
        last_synced_at  TEXT,
        last_sync_error TEXT,
        last_checked_at TEXT,
        reachable       INTEGER,
        sees_all_tokens INTEGER,
        login_host      TEXT,
        idp_client_id   TEXT,
        sso_profile_id  TEXT,
        sso_profile_label TEXT
      );
      INSERT INTO connections_new (id, name, dns, api_version, username, auth_method, client_id, secret_stored,
          created_at, updated_at, vault_id, vault_name, login_user_id, last_synced_at, last_sync_error,
          last_checked_at, reachable, sees_all_tokens)
        SELECT id, name, dns, api_version, username, auth_method, client_id, secret_stored,
          created_at, updated_at, vault_id, vault_name, login_user_id, last_synced_at, last_sync_error,
          last_checked_at, reachable, sees_all_tokens
        FROM connections;
      DROP TABLE connections;
      ALTER TABLE connections_new RENAME TO connections;
    `);
  },
};
