import type BetterSqlite3 from 'better-sqlite3';

export interface Migration {
  /** Strictly increasing from 1; stored in PRAGMA user_version once applied. */
  version: number;
  name: string;
  /**
   * Rebuilds a table that others reference: the runner turns foreign keys off around the transaction
   * and checks them before it commits (https://www.sqlite.org/lang_altertable.html#otheralter).
   */
  rebuildsTables?: boolean;
  up(db: BetterSqlite3.Database): void;
}
