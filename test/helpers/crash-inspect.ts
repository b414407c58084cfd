/**
 * What the crash-safety suite checks on disk after a process was killed: the database opens and
 * passes SQLite's own checks, holds no duplicate rows, and no file in the data directory holds
 * a secret. Reads only: the database is opened read-only, after the CLI has started on it again.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { databasePath } from '../../electron/paths';

export interface InventoryRow {
  connectionId: string | null;
  tokenId: string;
  name: string;
  lifecycle: string;
  secretStored: boolean;
  source: string;
  vaultDns: string;
}

export interface DatabaseReport {
  /** `PRAGMA integrity_check`: ['ok'] when sound. */
  integrity: string[];
  /** `PRAGMA foreign_key_check` rows: none when sound. */
  foreignKeyViolations: unknown[];
  /** Token rows listed more than once (same connection and token id, or same Vault DNS and token id for imports). */
  duplicates: { key: string; n: number }[];
  tokens: InventoryRow[];
  connections: { id: string; name: string }[];
}

export function inspectDatabase(dataDir: string): DatabaseReport {
  const db = new Database(databasePath(dataDir), { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    const foreignKeyViolations = db.pragma('foreign_key_check') as unknown[];
    const duplicates = db
      .prepare(
        `SELECT key, n FROM (
           SELECT 'connection ' || connection_id || ' token ' || token_id AS key, count(*) AS n
             FROM tokens WHERE connection_id IS NOT NULL GROUP BY connection_id, token_id
           UNION ALL
           SELECT 'import ' || lower(vault_dns) || ' token ' || token_id AS key, count(*) AS n
             FROM tokens WHERE source = 'import' GROUP BY lower(vault_dns), token_id)
         WHERE n > 1`,
      )
      .all() as { key: string; n: number }[];
    const tokens = (
      db
        .prepare(
          `SELECT connection_id, token_id, name, lifecycle, secret_stored, source, vault_dns FROM tokens ORDER BY id`,
        )
        .all() as {
        connection_id: string | null;
        token_id: string;
        name: string;
        lifecycle: string;
        secret_stored: number;
        source: string;
        vault_dns: string;
      }[]
    ).map((r) => ({
      connectionId: r.connection_id,
      tokenId: r.token_id,
      name: r.name,
      lifecycle: r.lifecycle,
      secretStored: r.secret_stored === 1,
      source: r.source,
      vaultDns: r.vault_dns,
    }));
    const connections = db.prepare('SELECT id, name FROM connections ORDER BY name').all() as {
      id: string;
      name: string;
    }[];
    return { integrity, foreignKeyViolations, duplicates, tokens, connections };
  } finally {
    db.close();
  }
}

/** Token id → lifecycle for one connection's rows. */
export function lifecycles(report: DatabaseReport, connectionId: string): Map<string, string> {
  return new Map(report.tokens.filter((t) => t.connectionId === connectionId).map((t) => [t.tokenId, t.lifecycle]));
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Every regular file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/**
 * Which of `secrets` appear in any file under `dir` (UTF-8 or UTF-16, as SQLite may store text).
 * Returns "file: secret #i" for each hit; empty when the directory holds none of them.
 */
export function secretsOnDisk(dir: string, secrets: readonly string[]): string[] {
  const hits: string[] = [];
  for (const file of filesUnder(dir)) {
    if (statSync(file).size === 0) continue;
    const bytes = readFileSync(file);
    secrets.forEach((secret, i) => {
      if (bytes.includes(Buffer.from(secret, 'utf8')) || bytes.includes(Buffer.from(secret, 'utf16le')))
        hits.push(`${file}: secret #${i}`);
    });
  }
  return hits;
}
