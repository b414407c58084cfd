/**
 * Inventory export (CSV, JSON) and import (JSON): metadata only.
 *
 * Every exported field is copied by name from an explicit list
 * (INVENTORY_EXPORT_FIELDS), never by spreading the row, so an extra property
 * on a caller's object (a token value, say) cannot reach a file. As a second
 * guard, any text that looks like a token value (`veeva-vault-…`) is replaced
 * by `[redacted]` on the way out and on the way in.
 */
import { AppError } from '../../shared/errors';
import type { TokenRow } from '../../shared/tokens';
import { normaliseTimestamp } from '../../shared/token-status';
import {
  INVENTORY_EXPORT_FIELDS,
  INVENTORY_EXPORT_FORMAT,
  INVENTORY_EXPORT_VERSION,
  InventoryExportDocumentSchema,
  type InventoryExportField,
  type InventoryExportRow,
} from '../../shared/token-schemas';
import type { ImportTokenRow } from './tokens-repo';
import { CONTROL_CHARACTERS } from '../../shared/control-chars';

type ExportValue = string | number | boolean | null;
export type ExportRecord = Record<InventoryExportField, ExportValue>;

/** Largest file parseImport reads (characters). */
export const IMPORT_MAX_CHARS = 64 * 1024 * 1024;

const TOKEN_VALUE = /veeva-vault-[^\s"',;]*/gi;
const REDACTED = '[redacted]';

/** Replaces anything shaped like a Vault API token value. */
export function redactTokenValues(text: string): string {
  return text.replace(TOKEN_VALUE, REDACTED);
}

function clean(value: string | null | undefined): string | null {
  return typeof value === 'string' ? redactTokenValues(value) : null;
}

/** One row as exported: exactly the listed fields, read one by one. */
export function toExportRecord(row: TokenRow): ExportRecord {
  const record: ExportRecord = {
    connection: clean(row.connectionName) ?? '',
    vaultDns: clean(row.vaultDns) ?? '',
    vaultId: typeof row.vaultId === 'number' && Number.isFinite(row.vaultId) ? row.vaultId : null,
    tokenId: clean(row.tokenId) ?? '',
    name: clean(row.name) ?? '',
    userId: clean(row.userId) ?? '',
    userName: clean(row.userName),
    status: clean(row.status),
    expiresAt: clean(row.expiresAt),
    lastUsedAt: clean(row.lastUsedAt),
    createdAt: clean(row.createdAt),
    secretStored: row.secretStored === true,
    source: clean(row.source),
    revokedAt: clean(row.revokedAt),
    lastSyncedAt: clean(row.lastSyncedAt),
  };
  return record;
}

// ---------------------------------------------------------------------------
// CSV (RFC 4180)

/** Cells a spreadsheet would run as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^(?:[=+\-@\t\r]|\s+[=+\-@])/;

function csvCell(value: ExportValue): string {
  if (value === null) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * CSV with a header line, CRLF line ends, fields quoted when they hold a
 * comma, quote, line break or edge whitespace, and text cells that a
 * spreadsheet would run as a formula (= + - @, tab, CR) prefixed with `'`.
 * `bom` adds a UTF-8 byte-order mark, which Excel needs to read accents.
 */
export function toCsv(rows: readonly TokenRow[], options: { bom?: boolean } = {}): string {
  const lines = [INVENTORY_EXPORT_FIELDS.join(',')];
  for (const row of rows) {
    const record = toExportRecord(row);
    lines.push(INVENTORY_EXPORT_FIELDS.map((field) => csvCell(record[field])).join(','));
  }
  return `${options.bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------------------
// JSON

export interface ExportMeta {
  exportedAt: string | Date;
}

/** `{ format: 'vault-token-desk-inventory', version: 1, exportedAt, rows }`, pretty-printed. */
export function toJson(rows: readonly TokenRow[], meta: ExportMeta): string {
  const exportedAt =
    meta.exportedAt instanceof Date
      ? meta.exportedAt.toISOString()
      : (normaliseTimestamp(meta.exportedAt) ?? meta.exportedAt);
  const document = {
    format: INVENTORY_EXPORT_FORMAT,
    version: INVENTORY_EXPORT_VERSION,
    exportedAt,
    rows: rows.map(toExportRecord),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

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
    text = String(value);
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
 * snippet of the file.
 */
export function parseImport(text: string): ImportTokenRow[] {
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

  const parsed = InventoryExportDocumentSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const shown = issues
      .slice(0, 3)
      .map((issue) => `${describePath(issue.path)}: ${issue.message} (${snippet(at(data, issue.path))})`);
    const more = issues.length > 3 ? ` …and ${issues.length - 3} more problem(s).` : '';
    fail(`The file cannot be imported. ${shown.join('; ')}.${more}`);
  }

  const byKey = new Map<string, ImportTokenRow>();
  for (const row of parsed.data.rows) {
    const imported = toImportRow(row);
    const key = `${imported.vaultDns.toLowerCase()}\n${imported.tokenId}`;
    byKey.delete(key);
    byKey.set(key, imported);
  }
  return [...byKey.values()];
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
