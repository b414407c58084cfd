/**
 * Inventory export (CSV, JSON): metadata only, one implementation for both sides. Main writes files
 * with it (electron/tokens/inventory-export.ts); the renderer uses it for an explicit selection it
 * already holds. Pure: no Node, no DOM.
 *
 * Every exported field is copied by name from an explicit list (INVENTORY_EXPORT_FIELDS), never by
 * spreading the row, so an extra property on a caller's object (a token value, say) cannot reach a
 * file. As a second guard, any text that looks like a token value (`veeva-vault-…`) is replaced by
 * `[redacted]`.
 */
import type { TokenRow } from './tokens';
import { normaliseTimestamp } from './token-status';
import { toCsvText } from './csv';
import {
  INVENTORY_EXPORT_FIELDS,
  INVENTORY_EXPORT_FORMAT,
  INVENTORY_EXPORT_VERSION,
  type InventoryExportField,
} from './token-schemas';

type ExportValue = string | number | boolean | null;
export type ExportRecord = Record<InventoryExportField, ExportValue>;

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

/**
 * CSV with a header line, CRLF line ends, fields quoted when they hold a
 * comma, quote, line break or edge whitespace, and text cells that a
 * spreadsheet would run as a formula (= + - @, tab, CR) prefixed with `'`.
 * `bom` adds a UTF-8 byte-order mark, which Excel needs to read accents.
 */
export function toCsv(rows: readonly TokenRow[], options: { bom?: boolean } = {}): string {
  const records = rows.map((row) => {
    const record = toExportRecord(row);
    return INVENTORY_EXPORT_FIELDS.map((field) => record[field]);
  });
  return toCsvText(INVENTORY_EXPORT_FIELDS, records, options);
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
