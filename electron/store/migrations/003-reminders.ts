import type { Migration } from './types';

/**
 * Expiry reminders and app settings.
 *
 * - `settings`: app-wide key/value store, values are JSON (see
 *   electron/reminders/settings-repo.ts for the keys and their defaults).
 * - `reminder_connection_thresholds`: a connection's own reminder thresholds
 *   (JSON array of whole days), overriding the global list. Goes with the
 *   connection.
 * - `reminder_fired`: one row per token, expiry and threshold that has been
 *   notified (`silent` = 0) or passed over during a catch-up (`silent` = 1).
 *   Keyed on the expiry too, so a token whose expiry changes starts afresh.
 *   This is what keeps a reminder from repeating after a restart.
 * - `reminder_state`: per-token snooze and dismissal. A dismissal remembers the
 *   expiry it was made for: it stops applying when the expiry changes.
 *
 * Token rows must be updated in place (UPSERT), never deleted and re-inserted,
 * or their reminder history goes with them (ON DELETE CASCADE).
 */
export const migration003: Migration = {
  version: 3,
  name: 'reminders and settings',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key         TEXT PRIMARY KEY,
        value       TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );

      CREATE TABLE reminder_connection_thresholds (
        connection_id  TEXT PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
        thresholds     TEXT NOT NULL,
        updated_at     TEXT NOT NULL
      );

      CREATE TABLE reminder_fired (
        token_row_id    INTEGER NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
        expires_at      TEXT NOT NULL,
        threshold_days  INTEGER NOT NULL,
        fired_at        TEXT NOT NULL,
        silent          INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (token_row_id, expires_at, threshold_days)
      ) WITHOUT ROWID;

      CREATE TABLE reminder_state (
        token_row_id          INTEGER PRIMARY KEY REFERENCES tokens(id) ON DELETE CASCADE,
        snoozed_until         TEXT,
        -- 1: remind once when the snooze ends, even if no new threshold has passed.
        snooze_pending        INTEGER NOT NULL DEFAULT 0,
        dismissed_expires_at  TEXT,
        dismissed_at          TEXT,
        updated_at            TEXT NOT NULL
      );
    `);
  },
};
