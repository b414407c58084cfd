import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { migrate, openDatabase } from '../../electron/store/database';
import { LATEST_VERSION, MIGRATIONS } from '../../electron/store/migrations';
import { AppError } from '../../shared/errors';
import { tempDir } from '../helpers/temp-dir';

let dir: ReturnType<typeof tempDir>;
afterEach(() => dir?.cleanup());

function tables(db: Database.Database): string[] {
  return (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[]
  ).map((r) => r.name);
}

describe('migrations', () => {
  it('versions are strictly increasing from 1', () => {
    MIGRATIONS.forEach((m, i) => expect(m.version).toBe(i + 1));
  });

  it('creates a fresh database at the latest version with WAL and foreign keys', () => {
    dir = tempDir();
    const db = openDatabase(join(dir.path, 'a.sqlite'));
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(tables(db)).toEqual(expect.arrayContaining(['audit_log', 'connections']));
    db.close();
  });

  // Upgrade from every earlier version: build a database at version v with
  // the migrations up to v, put a row in it, then open it with the app.
  for (let from = 0; from < LATEST_VERSION; from++) {
    it(`upgrades from version ${from} keeping existing data`, () => {
      dir = tempDir();
      const path = join(dir.path, 'old.sqlite');
      const old = new Database(path);
      migrate(old, 0, MIGRATIONS.slice(0, from));
      if (from >= 1) {
        old
          .prepare(
            "INSERT INTO connections (id, name, dns, username, auth_method, created_at, updated_at) VALUES ('c1', 'Keep me', 'x.veevavault.com', 'u', 'password', 't', 't')",
          )
          .run();
      }
      old.close();
      const db = openDatabase(path);
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      if (from >= 1) expect(db.prepare('SELECT name FROM connections').get()).toEqual({ name: 'Keep me' });
      db.close();
    });
  }

  it('runs all pending migrations in one transaction: a failing one leaves the file at its old version', () => {
    dir = tempDir();
    const path = join(dir.path, 'tx.sqlite');
    const broken = [
      ...MIGRATIONS,
      {
        version: LATEST_VERSION + 1,
        name: 'broken',
        up: () => {
          throw new Error('boom');
        },
      },
    ];
    expect(() => openDatabase(path, { migrations: broken })).toThrow('boom');
    const db = new Database(path);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(tables(db)).toEqual([]);
    db.close();
  });

  it('refuses a database written by a newer app and leaves it unchanged', () => {
    dir = tempDir();
    const path = join(dir.path, 'future.sqlite');
    const future = new Database(path);
    future.pragma(`user_version = ${LATEST_VERSION + 5}`);
    future.close();
    const before = readFileSync(path);
    let caught: unknown;
    try {
      openDatabase(path);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('DATABASE_NEWER');
    expect((caught as AppError).message).toMatch(/newer version/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a file that is not a database and never overwrites it', () => {
    dir = tempDir();
    const path = join(dir.path, 'notes.sqlite');
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(100));
    const before = readFileSync(path);
    expect(() => openDatabase(path)).toThrow(expect.objectContaining({ code: 'DATABASE_UNREADABLE' }));
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('refuses a damaged database and leaves it byte for byte as it was', () => {
    dir = tempDir();
    const path = join(dir.path, 'damaged.sqlite');
    const db = openDatabase(path);
    db.pragma('journal_mode = DELETE');
    db.close();
    const bytes = readFileSync(path);
    // Keep the header, wreck the schema page.
    for (let i = 100; i < Math.min(bytes.length, 4096); i++) bytes[i] = 0xff;
    writeFileSync(path, bytes);
    expect(() => openDatabase(path)).toThrow(expect.objectContaining({ code: 'DATABASE_UNREADABLE' }));
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });
});
