/**
 * Inventory import (JSON), and the export (CSV, JSON) from shared/inventory-export.ts: metadata only.
 * Any text that looks like a token value (`veeva-vault-…`) is replaced by `[redacted]` on the way in
 * as on the way out.
 */
import { AppError } from '../../shared/errors';
import {
  INVENTORY_EXPORT_FORMAT,
  INVENTORY_EXPORT_VERSION,
  INVENTORY_IMPORT_MAX_ROWS,
  InventoryExportDocumentSchema,
  type InventoryExportRow,
} from '../../shared/token-schemas';
import { TOKEN_SOURCES, TOKEN_STATUSES } from '../../shared/tokens';
import { IMPORT_MAX_CHARS } from '../../shared/contract/tokens';
import type { ImportTokenRow } from './tokens-repo';
import { CONTROL_CHARACTERS } from '../../shared/control-chars';
import { canonicalTimestamp } from './timestamps';

/** Largest file parseImport reads (characters): the same limit as the tokens:import request. */
export { IMPORT_MAX_CHARS };

/** How far parseImport has got: rows checked of the file's rows. */
export type ImportCheckProgress = (checked: number, total: number) => void;

export {
  redactTokenValues,
  toCsv,
  toExportRecord,
  toJson,
  type ExportMeta,
  type ExportRecord,
} from '../../shared/inventory-export';
import { redactTokenValues } from '../../shared/inventory-export';

// ---------------------------------------------------------------------------
// Import

function fail(message: string): never {
  throw new AppError('VALIDATION', message);
}

/** A short, redacted look at a bad value, for the error message. */
function snippet(value: unknown): string {
  if (value === undefined) return 'missing';
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    // Too deep to stringify (found by the IPC fuzz test): name the type, never recurse again.
    text = Object.prototype.toString.call(value);
  }
  text = redactTokenValues(text).replace(CONTROL_CHARACTERS, ' ');
  return JSON.stringify(text.length > 24 ? `${text.slice(0, 24)}…` : text);
}

function at(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function describePath(path: readonly PropertyKey[]): string {
  if (path[0] === 'rows' && typeof path[1] === 'number') {
    const rest = path.slice(2).map(String).join('.');
    return `row ${path[1] + 1}${rest ? `, ${rest}` : ''}`;
  }
  return path.length > 0 ? path.map(String).join('.') : 'the file';
}

/**
 * Reads a JSON export back for review. Returns rows for TokensRepo.importRows
 * (which stores them read-only, source 'import', without a connection); a row
 * listed twice (same Vault DNS and token id) counts once, the later one winning.
 * Throws AppError('VALIDATION') naming what is wrong, quoting at most a short
 * snippet of the file. `onProgress` hears how many rows have been checked.
 */
export function parseImport(text: string, onProgress?: ImportCheckProgress): ImportTokenRow[] {
  if (typeof text !== 'string' || text.trim() === '') fail('The file is empty.');
  if (text.length > IMPORT_MAX_CHARS)
    fail(`The file is too large to import (over ${IMPORT_MAX_CHARS / 1024 / 1024} MB).`);
  const body = text.replace(/^\uFEFF/, '');
  if (/^\s*connection,vaultDns,/.test(body))
    fail('This is a CSV export. Only the JSON export can be imported; export the inventory again as JSON.');

  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    // JSON.parse's own message quotes the text: never shown.
    fail('The file is not valid JSON. Choose a file made with “Export → JSON” in Vault Token Desk.');
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    fail('The file is not a Vault Token Desk inventory export (it is not a JSON object).');
  const header = data as Record<string, unknown>;
  if (header.format !== INVENTORY_EXPORT_FORMAT) {
    fail(
      `The file is not a Vault Token Desk inventory export (its "format" is ${snippet(header.format)}, expected "${INVENTORY_EXPORT_FORMAT}").`,
    );
  }
  if (typeof header.version === 'number' && header.version > INVENTORY_EXPORT_VERSION) {
    fail(
      `The file was written by a newer version of Vault Token Desk (format version ${header.version}; this app reads version ${INVENTORY_EXPORT_VERSION}). Update the app to import it.`,
    );
  }

  // A file as the app exports it is checked here, quickly; anything else (and every error
  // message) is the schema's. At 100,000 rows the schema alone took about 3 s.
  const checked = checkExportRows(header, onProgress);
  if (checked) return dedupe(checked);
  const parsed = InventoryExportDocumentSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const shown = issues
      .slice(0, 3)
      .map((issue) => `${describePath(issue.path)}: ${issue.message} (${snippet(at(data, issue.path))})`);
    const more = issues.length > 3 ? ` …and ${issues.length - 3} more problem(s).` : '';
    fail(`The file cannot be imported. ${shown.join('; ')}.${more}`);
  }

  onProgress?.(parsed.data.rows.length, parsed.data.rows.length);
  return dedupe(parsed.data.rows);
}

/** Rows for importRows, a token listed twice counting once (the later one, in its place). */
function dedupe(rows: readonly InventoryExportRow[]): ImportTokenRow[] {
  const byKey = new Map<string, ImportTokenRow>();
  for (const row of rows) {
    const imported = toImportRow(row);
    const key = `${imported.vaultDns.toLowerCase()}\n${imported.tokenId}`;
    byKey.delete(key);
    byKey.set(key, imported);
  }
  return [...byKey.values()];
}

// ---------------------------------------------------------------------------
// The fast check. It accepts only what InventoryExportDocumentSchema accepts,
// and gives exactly the schema's output (test/unit/inventory-export.test.ts
// compares the two on random rows); when in doubt it declines, and the schema
// decides. Conservative on purpose: a token id with spaces around it, say, goes
// the slow way.

/** A value the check declines. */
const DECLINE = Symbol('decline');

const PROGRESS_EVERY = 10_000;

function fastText(value: unknown, max: number): string | typeof DECLINE {
  return typeof value === 'string' && value.length <= max ? value : DECLINE;
}

function fastTimestamp(value: unknown): string | null | typeof DECLINE {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value !== 'string') return DECLINE;
  return canonicalTimestamp(value) ?? DECLINE;
}

function fastRow(value: unknown): InventoryExportRow | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const r = value as Record<string, unknown>;
  const tokenId = fastText(r.tokenId, 100);
  if (tokenId === DECLINE || tokenId.length === 0 || tokenId !== tokenId.trim()) return null;
  const vaultId = r.vaultId === undefined || r.vaultId === null ? null : r.vaultId;
  if (vaultId !== null && !Number.isSafeInteger(vaultId)) return null;
  const userName = r.userName === undefined || r.userName === null ? null : fastText(r.userName, 300);
  const status = r.status as InventoryExportRow['status'];
  const source = r.source as InventoryExportRow['source'];
  if (!TOKEN_STATUSES.includes(status) || !TOKEN_SOURCES.includes(source) || typeof r.secretStored !== 'boolean')
    return null;
  const row = {
    connection: fastText(r.connection, 200),
    vaultDns: fastText(r.vaultDns, 260),
    vaultId: vaultId as number | null,
    tokenId,
    name: fastText(r.name, 500),
    userId: fastText(r.userId, 100),
    userName,
    status,
    expiresAt: fastTimestamp(r.expiresAt),
    lastUsedAt: fastTimestamp(r.lastUsedAt),
    createdAt: fastTimestamp(r.createdAt),
    secretStored: r.secretStored,
    source,
    revokedAt: fastTimestamp(r.revokedAt),
    lastSyncedAt: fastTimestamp(r.lastSyncedAt),
  };
  for (const field of Object.values(row)) if (field === DECLINE) return null;
  return row as InventoryExportRow;
}

/** The document's rows as the schema would give them, or null to leave it to the schema. */
function checkExportRows(
  header: Record<string, unknown>,
  onProgress?: ImportCheckProgress,
): InventoryExportRow[] | null {
  if (header.format !== INVENTORY_EXPORT_FORMAT || header.version !== INVENTORY_EXPORT_VERSION) return null;
  if (fastTimestamp(header.exportedAt) === DECLINE) return null;
  const rows = header.rows;
  if (!Array.isArray(rows) || rows.length > INVENTORY_IMPORT_MAX_ROWS) return null;
  const out = new Array<InventoryExportRow>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = fastRow(rows[i]);
    if (row === null) return null;
    out[i] = row;
    if ((i + 1) % PROGRESS_EVERY === 0) onProgress?.(i + 1, rows.length);
  }
  onProgress?.(rows.length, rows.length);
  return out;
}

function toImportRow(row: InventoryExportRow): ImportTokenRow {
  const lifecycle = row.status === 'revoked' ? 'revoked' : 'active';
  return {
    connectionName: redactTokenValues(row.connection),
    vaultId: row.vaultId,
    vaultDns: redactTokenValues(row.vaultDns),
    tokenId: redactTokenValues(row.tokenId),
    name: redactTokenValues(row.name),
    userId: redactTokenValues(row.userId),
    userName: row.userName === null ? null : redactTokenValues(row.userName),
    lifecycle,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    createdAt: row.createdAt,
    // An exporter that never recorded when it saw the revocation still exported a revoked row.
    revokedAt: lifecycle === 'revoked' ? (row.revokedAt ?? row.lastSyncedAt ?? null) : null,
    lastSyncedAt: row.lastSyncedAt,
  };
}
