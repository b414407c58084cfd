import type BetterSqlite3 from 'better-sqlite3';

export interface Migration {
  /** Strictly increasing from 1; stored in PRAGMA user_version once applied. */
  version: number;
  name: string;
  up(db: BetterSqlite3.Database): void;
}
