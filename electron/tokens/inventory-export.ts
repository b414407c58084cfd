/**
 * Inventory import (JSON), and the export (CSV, JSON) from shared/inventory-export.ts: metadata only.
 * Any text that looks like a token value (`veeva-vault-…`) is replaced by `[redacted]` on the way in
 * as on the way out.
 */
import { AppError } from '../../shared/errors';
import {
  INVENTORY_EXPORT_FORMAT,
  INVENTORY_EXPORT_VERSION,
  InventoryExportDocumentSchema,
  type InventoryExportRow,
} from '../../shared/token-schemas';
import type { ImportTokenRow } from './tokens-repo';
import { CONTROL_CHARACTERS } from '../../shared/control-chars';

/** Largest file parseImport reads (characters). */
export const IMPORT_MAX_CHARS = 64 * 1024 * 1024;

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
