/**
 * Export of rows the renderer already holds (an explicit selection under "select all" with
 * exceptions): the same metadata-only files main writes, from the same code
 * (shared/inventory-export.ts: one CSV escaper, formula guard and token redaction for both sides).
 * There is no field for a token value.
 */
import { toCsv, toJson } from '../../../shared/inventory-export';
import type { TokenRow } from '../../../shared/tokens';

export function exportRowsLocally(
  rows: TokenRow[],
  format: 'csv' | 'json',
  now = new Date(),
): { filename: string; content: string; mimeType: string } {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return format === 'json'
    ? {
        filename: `vault-tokens-${stamp}.json`,
        content: toJson(rows, { exportedAt: now }),
        mimeType: 'application/json',
      }
    : { filename: `vault-tokens-${stamp}.csv`, content: toCsv(rows), mimeType: 'text/csv' };
}
