/**
 * Export of an explicit selection while main's query has no `rowIds` filter
 * (see the report): builds the same metadata-only document main writes, from
 * rows the renderer already holds. There is no field for a token value.
 */
import {
  INVENTORY_EXPORT_FIELDS,
  INVENTORY_EXPORT_FORMAT,
  INVENTORY_EXPORT_VERSION,
  type InventoryExportField,
} from '../../../shared/token-schemas';
import type { TokenRow } from '../../../shared/tokens';

function exportRow(r: TokenRow): Record<InventoryExportField, string | number | boolean | null> {
  return {
    connection: r.connectionName,
    vaultDns: r.vaultDns,
    vaultId: r.vaultId,
    tokenId: r.tokenId,
    name: r.name,
    userId: r.userId,
    userName: r.userName,
    status: r.status,
    expiresAt: r.expiresAt,
    lastUsedAt: r.lastUsedAt,
    createdAt: r.createdAt,
    secretStored: r.secretStored,
    source: r.source,
    revokedAt: r.revokedAt,
    lastSyncedAt: r.lastSyncedAt,
  };
}

/** RFC 4180 quoting, and a leading ' on text a spreadsheet would run as a formula. */
function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function exportRowsLocally(
  rows: TokenRow[],
  format: 'csv' | 'json',
  now = new Date(),
): { filename: string; content: string; mimeType: string } {
  const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, '-');
  const data = rows.map(exportRow);
  if (format === 'json') {
    const doc = {
      format: INVENTORY_EXPORT_FORMAT,
      version: INVENTORY_EXPORT_VERSION,
      exportedAt: now.toISOString(),
      rows: data,
    };
    return {
      filename: `vault-tokens-${stamp}.json`,
      content: `${JSON.stringify(doc, null, 2)}\n`,
      mimeType: 'application/json',
    };
  }
  const lines = [
    INVENTORY_EXPORT_FIELDS.join(','),
    ...data.map((d) => INVENTORY_EXPORT_FIELDS.map((f) => csvCell(d[f])).join(',')),
  ];
  return { filename: `vault-tokens-${stamp}.csv`, content: `${lines.join('\r\n')}\r\n`, mimeType: 'text/csv' };
}
