/**
 * Reminder SQL: which tokens may remind, what has been recorded for them, and
 * their snooze / dismissal state (tables from migration 003).
 *
 * Tokens that may remind: lifecycle active, an expiry, a connection, and not
 * imported (imported rows are another machine's, for review only). Revoked
 * tokens, tokens that never expire and imported rows never remind.
 */
import type { ReminderTokenState } from '../../shared/reminders';
import { AppError } from '../../shared/errors';
import type { Db } from '../store/database';
import type { DueCandidate, RecordEntry } from './compute-due';
import { parseThresholdsJson } from './settings-repo';

/** The SQL condition for a token that may remind (alias `t`). */
export const ELIGIBLE = `t.lifecycle = 'active' AND t.expires_at IS NOT NULL AND t.connection_id IS NOT NULL AND t.read_only = 0 AND t.source <> 'import'`;

interface CandidateRow {
  rowId: number;
  tokenId: string;
  name: string;
  connectionId: string;
  connectionName: string;
  vaultDns: string;
  userName: string | null;
  expiresAt: string;
  override: string | null;
  snoozedUntil: string | null;
  snoozePending: number | null;
  dismissed: number;
}

interface TokenCheckRow {
  id: number;
  lifecycle: string;
  expires_at: string | null;
  connection_id: string | null;
  read_only: number;
  source: string;
}

export class RemindersRepo {
  constructor(readonly db: Db) {}

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Every token that may remind, with thresholds (its connection's, else `defaults`) and state. */
  /**
   * `expiringBefore` (ISO) limits the scan to tokens that can have a threshold
   * passed by then; the scheduler passes now + the largest threshold so a tick
   * reads a handful of rows, not the whole inventory.
   */
  /** The largest threshold in days, over the defaults and every per-connection override. */
  maxThresholdDays(defaults: readonly number[]): number {
    const overrides = (
      this.db.prepare('SELECT thresholds FROM reminder_connection_thresholds').all() as { thresholds: string }[]
    ).flatMap((r) => parseThresholdsJson(r.thresholds) ?? []);
    return Math.max(0, ...defaults, ...overrides);
  }

  candidates(defaults: readonly number[], rowIds?: readonly number[], expiringBefore?: string): DueCandidate[] {
    const params: string[] = [];
    let filter = '';
    if (rowIds) {
      filter += ' AND t.id IN (SELECT value FROM json_each(?))';
      params.push(JSON.stringify(rowIds));
    }
    if (expiringBefore) {
      filter += ' AND t.expires_at <= ?';
      params.push(expiringBefore);
    }
    const rows = this.db
      .prepare(
        `SELECT t.id AS rowId, t.token_id AS tokenId, t.name, t.connection_id AS connectionId, t.connection_name AS connectionName,
                t.vault_dns AS vaultDns, t.user_name AS userName, t.expires_at AS expiresAt,
                o.thresholds AS override, s.snoozed_until AS snoozedUntil, s.snooze_pending AS snoozePending,
                (s.dismissed_expires_at IS NOT NULL AND s.dismissed_expires_at = t.expires_at) AS dismissed
           FROM tokens t
           LEFT JOIN reminder_connection_thresholds o ON o.connection_id = t.connection_id
           LEFT JOIN reminder_state s ON s.token_row_id = t.id
          WHERE ${ELIGIBLE} ${filter}
          ORDER BY t.expires_at, t.id`,
      )
      .all(...params) as CandidateRow[];
    const recorded = this.recorded();
    return rows.map((r) => {
      const own = parseThresholdsJson(r.override);
      return {
        rowId: r.rowId,
        tokenId: r.tokenId,
        name: r.name,
        connectionId: r.connectionId,
        connectionName: r.connectionName,
        vaultDns: r.vaultDns,
        userName: r.userName,
        expiresAt: r.expiresAt,
        thresholds: own ?? [...defaults],
        thresholdsSource: own ? 'connection' : 'default',
        recorded: recorded.get(r.rowId) ?? new Map<number, boolean>(),
        snoozedUntil: r.snoozedUntil,
        snoozePending: r.snoozePending === 1,
        dismissed: r.dismissed === 1,
      } satisfies DueCandidate;
    });
  }

  /** Recorded thresholds for each token's CURRENT expiry: rowId → (days → silent). */
  private recorded(): Map<number, Map<number, boolean>> {
    const rows = this.db
      .prepare(
        `SELECT f.token_row_id AS rowId, f.threshold_days AS days, f.silent
           FROM reminder_fired f JOIN tokens t ON t.id = f.token_row_id AND t.expires_at = f.expires_at`,
      )
      .all() as { rowId: number; days: number; silent: number }[];
    const out = new Map<number, Map<number, boolean>>();
    for (const r of rows) {
      let m = out.get(r.rowId);
      if (!m) out.set(r.rowId, (m = new Map()));
      m.set(r.days, r.silent === 1);
    }
    return out;
  }

  record(entries: readonly RecordEntry[], at: string): void {
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO reminder_fired (token_row_id, expires_at, threshold_days, fired_at, silent) VALUES (?, ?, ?, ?, ?)`,
    );
    for (const e of entries) insert.run(e.rowId, e.expiresAt, e.thresholdDays, at, e.silent ? 1 : 0);
  }

  /** Records for an expiry a token no longer has (its expiry changed): they can never match again. */
  pruneStale(): number {
    return this.db
      .prepare(
        `DELETE FROM reminder_fired WHERE NOT EXISTS (
           SELECT 1 FROM tokens t WHERE t.id = reminder_fired.token_row_id AND t.expires_at = reminder_fired.expires_at)`,
      )
      .run().changes;
  }

  /** What has been recorded for a token's current expiry, most distant threshold first (tests, diagnostics). */
  firedLog(rowId: number): { thresholdDays: number; silent: boolean; firedAt: string }[] {
    return (
      this.db
        .prepare(
          `SELECT f.threshold_days AS thresholdDays, f.silent, f.fired_at AS firedAt
             FROM reminder_fired f JOIN tokens t ON t.id = f.token_row_id AND t.expires_at = f.expires_at
            WHERE f.token_row_id = ? ORDER BY f.threshold_days DESC`,
        )
        .all(rowId) as { thresholdDays: number; silent: number; firedAt: string }[]
    ).map((r) => ({ ...r, silent: r.silent === 1 }));
  }

  /**
   * The token for a snooze or dismissal, refused when it cannot remind at all.
   * Returns its current expiry.
   */
  requireRemindable(rowId: number): { expiresAt: string } {
    const row = this.db
      .prepare('SELECT id, lifecycle, expires_at, connection_id, read_only, source FROM tokens WHERE id = ?')
      .get(rowId) as TokenCheckRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', 'That token is no longer in the inventory. Refresh and try again.');
    if (row.read_only === 1 || row.source === 'import' || row.connection_id === null) {
      throw new AppError(
        'READ_ONLY',
        'Imported tokens are for review only: they never remind, so there is nothing to snooze or dismiss.',
      );
    }
    if (row.lifecycle !== 'active') throw new AppError('GUARD', 'This token is revoked: it never reminds.');
    if (row.expires_at === null)
      throw new AppError('GUARD', 'This token never expires: there is nothing to remind about.');
    return { expiresAt: row.expires_at };
  }

  /**
   * The bulk form of requireRemindable: which of `rowIds` can remind (with their current expiry)
   * and, for the others, why not, in the same words. One query, so a bulk action over thousands
   * of rows reads the tokens once.
   */
  remindable(rowIds: readonly number[]): {
    ok: { rowId: number; expiresAt: string }[];
    skipped: { rowId: number; reason: string }[];
  } {
    const rows = this.db
      .prepare(
        'SELECT id, lifecycle, expires_at, connection_id, read_only, source FROM tokens WHERE id IN (SELECT value FROM json_each(?))',
      )
      .all(JSON.stringify(rowIds)) as TokenCheckRow[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const ok: { rowId: number; expiresAt: string }[] = [];
    const skipped: { rowId: number; reason: string }[] = [];
    for (const rowId of rowIds) {
      const row = byId.get(rowId);
      const reason = !row
        ? 'no longer in the inventory'
        : row.read_only === 1 || row.source === 'import' || row.connection_id === null
          ? 'imported: never reminds'
          : row.lifecycle !== 'active'
            ? 'revoked: never reminds'
            : row.expires_at === null
              ? 'never expires'
              : null;
      if (reason || !row?.expires_at) skipped.push({ rowId, reason: reason ?? 'never expires' });
      else ok.push({ rowId, expiresAt: row.expires_at });
    }
    return { ok, skipped };
  }

  /** Bulk snooze: each token until its own instant (`until` by row id). Statements prepared once. */
  snoozeMany(untilByRow: ReadonlyMap<number, string>, at: string): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO reminder_state (token_row_id, updated_at) VALUES (?, ?)');
    const update = this.db.prepare(
      'UPDATE reminder_state SET snoozed_until = ?, snooze_pending = 1, updated_at = ? WHERE token_row_id = ?',
    );
    for (const [rowId, until] of untilByRow) {
      insert.run(rowId, at);
      update.run(until, at, rowId);
    }
  }

  /** Bulk dismissal for each token's current expiry; like dismiss(), it also ends any snooze. */
  dismissMany(rows: readonly { rowId: number; expiresAt: string }[], at: string): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO reminder_state (token_row_id, updated_at) VALUES (?, ?)');
    const update = this.db.prepare(
      `UPDATE reminder_state SET dismissed_expires_at = ?, dismissed_at = ?, snoozed_until = NULL, snooze_pending = 0,
              updated_at = ? WHERE token_row_id = ?`,
    );
    for (const { rowId, expiresAt } of rows) {
      insert.run(rowId, at);
      update.run(expiresAt, at, at, rowId);
    }
  }

  undismissMany(rowIds: readonly number[], at: string): void {
    const update = this.db.prepare(
      'UPDATE reminder_state SET dismissed_expires_at = NULL, dismissed_at = NULL, updated_at = ? WHERE token_row_id = ?',
    );
    for (const rowId of rowIds) update.run(at, rowId);
  }

  private upsertState(rowId: number, at: string, set: string, params: Record<string, unknown>): void {
    this.db.prepare('INSERT OR IGNORE INTO reminder_state (token_row_id, updated_at) VALUES (?, ?)').run(rowId, at);
    this.db
      .prepare(`UPDATE reminder_state SET ${set}, updated_at = @at WHERE token_row_id = @rowId`)
      .run({ ...params, rowId, at });
  }

  snooze(rowId: number, until: string, at: string): void {
    this.upsertState(rowId, at, 'snoozed_until = @until, snooze_pending = 1', { until });
  }

  clearSnooze(rowIds: readonly number[], at: string): void {
    const update = this.db.prepare(
      'UPDATE reminder_state SET snoozed_until = NULL, snooze_pending = 0, updated_at = ? WHERE token_row_id = ?',
    );
    for (const rowId of rowIds) update.run(at, rowId);
  }

  dismiss(rowId: number, expiresAt: string, at: string): void {
    // A dismissal also ends any snooze: the token is done with.
    this.upsertState(
      rowId,
      at,
      'dismissed_expires_at = @expiresAt, dismissed_at = @at, snoozed_until = NULL, snooze_pending = 0',
      { expiresAt },
    );
  }

  undismiss(rowId: number, at: string): void {
    this.db
      .prepare(
        'UPDATE reminder_state SET dismissed_expires_at = NULL, dismissed_at = NULL, updated_at = ? WHERE token_row_id = ?',
      )
      .run(at, rowId);
  }

  state(rowId: number, now: Date): ReminderTokenState {
    const row = this.db
      .prepare(
        `SELECT s.snoozed_until AS snoozedUntil, (s.dismissed_expires_at IS NOT NULL AND s.dismissed_expires_at = t.expires_at) AS dismissed
           FROM tokens t LEFT JOIN reminder_state s ON s.token_row_id = t.id WHERE t.id = ?`,
      )
      .get(rowId) as { snoozedUntil: string | null; dismissed: number | null } | undefined;
    const snoozedUntil = row?.snoozedUntil && Date.parse(row.snoozedUntil) > now.getTime() ? row.snoozedUntil : null;
    return { rowId, snoozedUntil, dismissed: row?.dismissed === 1 };
  }
}
