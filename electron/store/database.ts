/**
 * Opens the app's SQLite file: WAL, foreign keys, a busy timeout, then all
 * pending migrations in one transaction (better-sqlite3 docs/performance.md).
 *
 * A file that is not a database, is damaged, or was written by a newer app is
 * refused with a clear error and never overwritten, truncated or deleted: we
 * check before anything writes to it.
 */
import Database from 'better-sqlite3';
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import { MIGRATIONS, type Migration } from './migrations';
import { makePrivateFiles } from './private-files';

export type Db = Database.Database;

export interface OpenOptions {
  migrations?: readonly Migration[];
  readonly?: boolean;
}

const SQLITE_HEADER = 'SQLite format 3\u0000';

function assertLooksLikeSqlite(path: string): void {
  if (!existsSync(path) || statSync(path).size === 0) return;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const read = readSync(fd, buf, 0, 16, 0);
    if (read < 16 || buf.toString('latin1') !== SQLITE_HEADER) {
      throw unreadable(path, 'it is not an SQLite database');
    }
  } finally {
    closeSync(fd);
  }
}

function unreadable(path: string, why: string, cause?: unknown): AppError {
  return new AppError(
    'DATABASE_UNREADABLE',
    `The data file ${path} cannot be opened: ${why}. It has been left untouched. ` +
      'Move it aside (or restore a backup) and start the app again.',
    { cause },
  );
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const migrations = options.migrations ?? MIGRATIONS;
  assertLooksLikeSqlite(path);
  let db: Db;
  try {
    db = new Database(path, options.readonly ? { readonly: true, fileMustExist: true } : {});
  } catch (cause) {
    throw unreadable(path, (cause as Error).message, cause);
  }
  try {
    // Read before any write: a damaged or foreign file fails here, untouched.
    const version = db.pragma('user_version', { simple: true }) as number;
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    const latest = migrations[migrations.length - 1]?.version ?? 0;
    if (version > latest) {
      throw new AppError(
        'DATABASE_NEWER',
        `The data file ${path} was written by a newer version of Vault Token Desk (schema ${version}, this app knows ${latest}). ` +
          'Install the newer version again; this one will not change the file.',
      );
    }
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      makePrivateFiles([path, `${path}-wal`, `${path}-shm`]);
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // 16 MiB page cache (default 2 MiB): a 100,000-token inventory is ~140 MB on disk,
    // and the inventory screen's queries revisit the same index pages.
    db.pragma('cache_size = -16384');
    if (!options.readonly) migrate(db, version, migrations);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof AppError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (/SQLITE_(NOTADB|CORRUPT)/.test(code)) throw unreadable(path, 'it is damaged or not a database', error);
    throw error;
  }
}

/** Runs every migration above `from` in one transaction, then `PRAGMA optimize`. */
export function migrate(db: Db, from: number, migrations: readonly Migration[] = MIGRATIONS): void {
  const pending = migrations.filter((m) => m.version > from);
  if (pending.length === 0) return;
  // PRAGMA foreign_keys is a no-op inside a transaction, so it is switched around it.
  const rebuilds = pending.some((m) => m.rebuildsTables);
  const foreignKeysWereOn = db.pragma('foreign_keys', { simple: true }) === 1;
  if (rebuilds && foreignKeysWereOn) db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const migration of pending) {
        migration.up(db);
        db.pragma(`user_version = ${migration.version}`);
      }
      if (rebuilds) {
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) throw new Error(`a migration left ${broken.length} broken foreign key reference(s)`);
      }
    })();
  } finally {
    if (rebuilds && foreignKeysWereOn) db.pragma('foreign_keys = ON');
  }
  db.pragma('optimize');
}
