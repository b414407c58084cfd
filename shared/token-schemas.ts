/**
 * zod schemas for the token inventory: the page request that crosses IPC, and
 * the metadata-only export document (what `parseImport` accepts back).
 */
import { z } from 'zod';
import { INVENTORY_SORT_COLUMNS, TOKEN_SOURCES, TOKEN_STATUSES, type InventoryQuery } from './tokens';
import { normaliseTimestamp } from './token-status';
import { MAX_STALE_AFTER_DAYS } from './nudges';
import { CONNECTION_ENVIRONMENTS } from './domain';

export const INVENTORY_MAX_LIMIT = 1000;

export const InventorySortSchema = z.strictObject({
  column: z.enum(INVENTORY_SORT_COLUMNS),
  direction: z.enum(['asc', 'desc']).default('asc'),
});

export const InventoryQuerySchema = z.strictObject({
  search: z
    .string()
    .max(200, 'Keep the search under 200 characters.')
    .optional()
    .transform((v) => {
      const trimmed = v?.trim();
      return trimmed ? trimmed : undefined;
    }),
  connectionIds: z.array(z.string().trim().min(1).max(100)).max(5000).optional(),
  clients: z.array(z.string().max(160)).max(1000).optional(),
  environments: z
    .array(z.enum(CONNECTION_ENVIRONMENTS))
    .max(CONNECTION_ENVIRONMENTS.length * 2)
    .optional(),
  statuses: z
    .array(z.enum(TOKEN_STATUSES))
    .max(TOKEN_STATUSES.length * 2)
    .optional(),
  rowIds: z.array(z.number().int().positive()).max(100_000).optional(),
  expiresWithinDays: z.number().int().min(0).max(36_500).optional(),
  secretNotStored: z.boolean().optional(),
  includeImported: z.boolean().optional(),
  stale: z.boolean().optional(),
  staleAfterDays: z.number().int().min(1).max(MAX_STALE_AFTER_DAYS).optional(),
  neverExpires: z.boolean().optional(),
  sort: InventorySortSchema.optional(),
  offset: z.number().int().min(0).max(10_000_000).default(0),
  limit: z.number().int().min(1).max(INVENTORY_MAX_LIMIT, `At most ${INVENTORY_MAX_LIMIT} rows per page.`).default(100),
});
export type InventoryQueryInput = z.input<typeof InventoryQuerySchema>;

// Compile-time check: what the schema produces is an InventoryQuery.
type Assert<T extends true> = T;
export type _InventoryQuerySchemaMatches = Assert<
  z.output<typeof InventoryQuerySchema> extends InventoryQuery ? true : false
>;

// ---------------------------------------------------------------------------
// Export / import document (metadata only: there is no field for a token value)

export const INVENTORY_EXPORT_FORMAT = 'vault-token-desk-inventory';
export const INVENTORY_EXPORT_VERSION = 1;

/** Column order of the CSV and key order of each JSON row. */
export const INVENTORY_EXPORT_FIELDS = [
  'connection',
  'vaultDns',
  'vaultId',
  'tokenId',
  'name',
  'userId',
  'userName',
  'status',
  'expiresAt',
  'lastUsedAt',
  'createdAt',
  'secretStored',
  'source',
  'revokedAt',
  'lastSyncedAt',
] as const;
export type InventoryExportField = (typeof INVENTORY_EXPORT_FIELDS)[number];

const timestamp = () =>
  z
    .string()
    .nullable()
    .optional()
    .transform((v, ctx) => {
      if (v === null || v === undefined || v === '') return null;
      const iso = normaliseTimestamp(v);
      if (iso === null) {
        ctx.addIssue({ code: 'custom', message: 'not a date' });
        return z.NEVER;
      }
      return iso;
    });

const text = (max: number) => z.string().max(max, `longer than ${max} characters`);

/** Rows of an export file: extra columns from other versions are ignored (a file is not a request). */
export const InventoryExportRowSchema = z.object({
  connection: text(200),
  vaultDns: text(260),
  vaultId: z
    .number()
    .int()
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  tokenId: text(100).trim().min(1, 'empty'),
  name: text(500),
  userId: text(100),
  userName: text(300)
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  status: z.enum(TOKEN_STATUSES),
  expiresAt: timestamp(),
  lastUsedAt: timestamp(),
  createdAt: timestamp(),
  secretStored: z.boolean(),
  source: z.enum(TOKEN_SOURCES),
  revokedAt: timestamp(),
  lastSyncedAt: timestamp(),
});
export type InventoryExportRow = z.output<typeof InventoryExportRowSchema>;

export const INVENTORY_IMPORT_MAX_ROWS = 500_000;

export const InventoryExportDocumentSchema = z.object({
  format: z.literal(INVENTORY_EXPORT_FORMAT),
  version: z.literal(INVENTORY_EXPORT_VERSION),
  exportedAt: timestamp(),
  rows: z.array(InventoryExportRowSchema).max(INVENTORY_IMPORT_MAX_ROWS, `more than ${INVENTORY_IMPORT_MAX_ROWS} rows`),
});
export type InventoryExportDocument = z.output<typeof InventoryExportDocumentSchema>;
