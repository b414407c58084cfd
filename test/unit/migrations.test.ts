import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { migrate, openDatabase } from '../../electron/store/database';
import { LATEST_VERSION, MIGRATIONS } from '../../electron/store/migrations';
import { AppError } from '../../shared/errors';
import { normaliseSearch, searchTextOf } from '../../electron/tokens/inventory-reader';
import { TokensRepo } from '../../electron/tokens/tokens-repo';
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

describe('migration 006: the in-memory inventory index replaces FTS5 and the sort indexes', () => {
  const NOW = new Date('2026-06-01T12:00:00.000Z');
  const WORDS = ['ETL', 'Salesforce', 'Jörg', 'naïve', 'Integration – SAP', '100% "quoted"', 'a_b', 'x'];

  /** A version-5 database with a few hundred tokens, written as version 5 wrote them (its triggers fill tokens_fts). */
  function version5(path: string): void {
    const old = new Database(path);
    migrate(old, 0, MIGRATIONS.slice(0, 5));
    old
      .prepare(
        "INSERT INTO connections (id, name, dns, username, auth_method, created_at, updated_at) VALUES ('c1', 'Acme QMS', 'acme-qms.veevavault.com', 'u', 'password', 't', 't')",
      )
      .run();
    const insert = old.prepare(
      `INSERT INTO tokens (connection_id, connection_name, vault_id, vault_dns, token_id, name, user_id, user_name, lifecycle,
         expires_at, secret_stored, source, read_only, first_seen_at, updated_at, search_text)
       VALUES (@connection_id, @connection_name, 1, @vault_dns, @token_id, @name, @user_id, @user_name, @lifecycle,
         @expires_at, 0, @source, @read_only, 't', 't', @search_text)`,
    );
    for (let i = 0; i < 300; i++) {
      const imported = i % 10 === 0;
      const row = {
        connection_id: imported ? null : 'c1',
        connection_name: imported ? 'Colleague PROD' : 'Acme QMS',
        vault_dns: imported ? 'colleague.veevavault.com' : 'acme-qms.veevavault.com',
        token_id: `0PI${String(i).padStart(12, '0')}`,
        name: `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} ${i % 13}`,
        user_id: String(1000 + (i % 5)),
        user_name: i % 3 === 0 ? null : `User ${WORDS[i % 4]}`,
        lifecycle: i % 11 === 0 ? 'revoked' : 'active',
        expires_at: i % 9 === 0 ? null : new Date(NOW.getTime() + (i - 150) * 86_400_000).toISOString(),
        source: imported ? 'import' : 'sync',
        read_only: imported ? 1 : 0,
      };
      insert.run({ ...row, search_text: searchTextOf(row) });
    }
    old.close();
  }

  /** Version 5's search: the trigram index for 3+ characters, instr() below. Row ids, in id order. */
  function version5Search(db: Database.Database, search: string): number[] {
    const text = normaliseSearch(search);
    return (
      [...text].length >= 3
        ? db
            .prepare('SELECT rowid FROM tokens_fts WHERE tokens_fts MATCH ? ORDER BY rowid')
            .pluck()
            .all(`"${text.replace(/"/g, '""')}"`)
        : db.prepare('SELECT id FROM tokens WHERE instr(search_text, ?) > 0 ORDER BY id').pluck().all(text)
    ) as number[];
  }

  it('upgrades a version-5 inventory with the same search results, short and long searches alike', () => {
    dir = tempDir();
    const path = join(dir.path, 'v5.sqlite');
    version5(path);
    const searches = [
      'e',
      'ö',
      '%',
      '"',
      'sa',
      'a_',
      'etl',
      'jörg',
      'JÖRG',
      '100% "q',
      'integration – sap',
      'user x',
      'colleague',
      'veevavault.com',
      '0pi000000000042',
      'nothing like it',
    ];
    const old = new Database(path);
    const before = new Map(searches.map((s) => [s, version5Search(old, s)]));
    old.close();
    expect([...before.values()].some((ids) => ids.length > 100)).toBe(true);

    const db = openDatabase(path);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(tables(db)).not.toContain('tokens_fts');
      const indexes = db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tokens' AND sql IS NOT NULL ORDER BY name",
        )
        .pluck()
        .all();
      expect(indexes).toEqual(['tokens_by_connection', 'tokens_by_connection_user', 'tokens_sandbox']);
      const repo = new TokensRepo(db, { timeZone: 'UTC' });
      for (const [search, ids] of before) {
        const page = repo.query(
          { search, includeImported: true, sort: { column: 'tokenId', direction: 'asc' }, offset: 0, limit: 1000 },
          NOW,
        );
        expect(
          page.rows.map((r) => r.rowId),
          search,
        ).toEqual(ids);
        expect(page.total, search).toBe(ids.length);
      }
    } finally {
      db.close();
    }
  });

  it('keeps tokens_version moving with every change to tokens, whoever makes it', () => {
    dir = tempDir();
    const path = join(dir.path, 'v6.sqlite');
    const db = openDatabase(path);
    try {
      const version = () => db.prepare('SELECT n FROM tokens_version').pluck().get() as number;
      const seen = new Set([version()]);
      db.prepare(
        "INSERT INTO connections (id, name, dns, username, auth_method, created_at, updated_at) VALUES ('c1', 'A', 'a.veevavault.com', 'u', 'password', 't', 't')",
      ).run();
      expect(seen.has(version())).toBe(true);
      const writes = [
        `INSERT INTO tokens (connection_id, connection_name, vault_dns, token_id, name, user_id, lifecycle, source, first_seen_at, updated_at, search_text)
           VALUES ('c1', 'A', 'a.veevavault.com', 'T1', 'n', 'u', 'active', 'sync', 't', 't', 'n')`,
        `UPDATE tokens SET name = 'm'`,
        `UPDATE tokens SET secret_stored = 1`,
        `DELETE FROM connections`, // cascades to the token
      ];
      for (const sql of writes) {
        db.prepare(sql).run();
        expect(seen.has(version()), sql).toBe(false);
        seen.add(version());
      }
      expect(db.prepare('SELECT count(*) FROM tokens').pluck().get()).toBe(0);
      expect(Number.isSafeInteger(version())).toBe(true);
    } finally {
      db.close();
    }
  });
});

describe('migration 007: single sign-on connections', () => {
  it('rebuilds connections without cascading into tokens or reminders, and accepts sso', () => {
    dir = tempDir();
    const path = join(dir.path, 'v6.sqlite');
    const old = new Database(path);
    old.pragma('foreign_keys = ON');
    migrate(old, 0, MIGRATIONS.slice(0, 6));
    old
      .prepare(
        `INSERT INTO connections (id, name, dns, username, auth_method, secret_stored, created_at, updated_at,
           vault_id, vault_name, last_synced_at) VALUES ('c1', 'Acme QMS', 'acme.veevavault.com', 'u', 'token', 1,
           't', 't', 1776, 'QMS', '2026-11-30T00:00:00.000Z')`,
      )
      .run();
    old
      .prepare(
        `INSERT INTO tokens (connection_id, connection_name, vault_id, vault_dns, token_id, name, user_id, lifecycle, secret_stored,
           source, read_only, first_seen_at, updated_at, search_text)
         VALUES ('c1', 'Acme QMS', 1776, 'acme.veevavault.com', '0PI1', 'ETL', '1001', 'active', 0, 'sync', 0, 't', 't', 'etl')`,
      )
      .run();
    old.prepare("INSERT INTO reminder_connection_thresholds VALUES ('c1', '[30,7]', 't')").run();
    old.close();

    const db = openDatabase(path);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare('SELECT count(*) AS n FROM tokens').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) AS n FROM reminder_connection_thresholds').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT auth_method, secret_stored, vault_name, login_host FROM connections').get()).toEqual({
      auth_method: 'token',
      secret_stored: 1,
      vault_name: 'QMS',
      login_host: null,
    });
    db.prepare(
      "INSERT INTO connections (id, name, dns, username, auth_method, created_at, updated_at) VALUES ('c2', 'SSO', 'x.veevavault.com', 'u', 'sso', 't', 't')",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO connections (id, name, dns, username, auth_method, created_at, updated_at) VALUES ('c3', 'Bad', 'y', 'u', 'saml', 't', 't')",
        )
        .run(),
    ).toThrow(/CHECK constraint/);
    // Still wired: deleting the connection cascades as before.
    db.prepare("DELETE FROM connections WHERE id = 'c1'").run();
    expect(db.prepare('SELECT count(*) AS n FROM tokens').get()).toEqual({ n: 0 });
    db.close();
  });
});
