import { z } from 'zod';
import type {
  GenerateManyOutcome,
  GenerateResult,
  InventoryPage,
  RevokeOutcome,
  SyncOutcome,
  SyncProgress,
  VaultUserSummary,
} from '../tokens';
import { InventoryQuerySchema } from '../token-schemas';
import { Id, NoInput, RowId } from '../schemas';
import { channel } from './define';
import { SANDBOX_NAME_HINT, SANDBOX_NAME_RE, VAULT_USER_ID_HINT, VAULT_USER_ID_RE } from '../vault-names';

const RowIds = z.array(RowId).min(1, 'Select at least one token.').max(10_000);

export const TokenName = z
  .string()
  .trim()
  .min(1, 'Give the token a name, e.g. the integration that will use it.')
  .max(128, 'Keep the name under 128 characters.');

/** docs/vault-api.md §1.2: `expiry_date__v` is `YYYY-MM-DDTHH:MM:SSZ` (UTC); a date alone means 23:59:59 in the user's time zone; omitted = never. */
export const TokenExpirySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('never') }),
  z.strictObject({
    kind: z.literal('date'),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date such as 2027-03-31.'),
  }),
  z.strictObject({
    kind: z.literal('datetime'),
    iso: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'Use a UTC time such as 2027-03-31T17:00:00Z.'),
  }),
]);

export const TokenTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('me') }),
  z.strictObject({
    kind: z.literal('user'),
    userId: z.string().trim().min(1, 'Pick a user.').regex(VAULT_USER_ID_RE, VAULT_USER_ID_HINT),
  }),
  z.strictObject({
    kind: z.literal('sandbox'),
    sandboxName: z
      .string()
      .trim()
      .min(1, 'Enter the sandbox name as shown on My Vaults.')
      .regex(SANDBOX_NAME_RE, SANDBOX_NAME_HINT),
  }),
]);

export const GenerateRequest = z.strictObject({
  connectionId: Id,
  target: TokenTargetSchema,
  name: TokenName,
  expiry: TokenExpirySchema,
  /** Display name of the picked user, shown until the next sync reads it from Vault. A label only. */
  userName: z.string().trim().max(200).optional(),
});

/** Most Vaults one "Generate across Vaults" may name (a consultant's whole estate is about 40–200). */
export const GENERATE_MANY_MAX = 500;

/**
 * Generate across Vaults: one name and expiry, a token for the signed-in user of each connection
 * ("me": user ids differ per Vault). `checkOnly` runs every guard rail (expiry, offline, the
 * 25-token limit) per Vault and sends nothing to Vault's generate endpoint.
 */
export const GenerateManyRequest = z.strictObject({
  connectionIds: z
    .array(Id)
    .min(1, 'Choose at least one Vault.')
    .max(GENERATE_MANY_MAX, `Choose at most ${GENERATE_MANY_MAX} Vaults at once.`)
    .refine((ids) => new Set(ids).size === ids.length, 'Each Vault may be chosen once.'),
  name: TokenName,
  expiry: TokenExpirySchema,
  checkOnly: z.boolean().optional(),
});

/**
 * Largest import file (characters), checked here and again by the parser. 100,000 tokens
 * exported as JSON are about 60 MB.
 */
export const IMPORT_MAX_CHARS = 64 * 1024 * 1024;

/** How far an import has got (`import:progress`): reading the file, checking its rows, writing them. */
export interface ImportProgress {
  phase: 'reading' | 'checking' | 'writing' | 'done';
  /** Rows checked or written so far (0 while reading). */
  done: number;
  /** Rows in the file (0 while reading). */
  total: number;
  fileName: string | null;
}

export const ExportRequest = z.strictObject({
  format: z.enum(['csv', 'json']),
  query: InventoryQuerySchema.partial({ offset: true, limit: true }).optional(),
});

export const tokensContract = {
  'tokens:query': channel<InventoryPage>()('queryTokens', InventoryQuerySchema),
  'tokens:generate': channel<GenerateResult>()('generateToken', GenerateRequest),
  /** One outcome per connection, in the order asked; one Vault's failure never undoes the others. */
  'tokens:generate-many': channel<GenerateManyOutcome[]>()('generateMany', GenerateManyRequest),
  /** The value, from the keychain or (after a keychain failure) from memory; the renderer masks it again after `maskAfterMs`. */
  'tokens:reveal': channel<{ value: string; maskAfterMs: number }>()('revealToken', z.strictObject({ rowId: RowId })),
  /** Main writes the clipboard and clears it after `clearsAfterMs` unless it changed meanwhile. */
  'tokens:copy': channel<{ clearsAfterMs: number }>()('copyToken', z.strictObject({ rowId: RowId })),
  /** After a keychain failure: the user has saved the value elsewhere, so main may forget it. */
  'tokens:confirmSaved': channel<{ forgotten: true }>()('confirmTokenSaved', z.strictObject({ rowId: RowId })),
  'tokens:revoke': channel<RevokeOutcome[]>()('revokeTokens', z.strictObject({ rowIds: RowIds })),
  'tokens:rotate': channel<GenerateResult>()(
    'rotateToken',
    z.strictObject({ rowId: RowId, expiry: TokenExpirySchema }),
  ),
  'tokens:completeRotation': channel<RevokeOutcome>()(
    'completeRotation',
    z.strictObject({ oldRowId: RowId, newRowId: RowId }),
  ),
  'tokens:sync': channel<SyncOutcome[]>()('syncTokens', z.strictObject({ connectionIds: z.array(Id).optional() })),
  'tokens:clearRevoked': channel<{ cleared: number }>()(
    'clearRevoked',
    z.strictObject({ rowIds: z.array(RowId).optional() }),
  ),
  'tokens:export': channel<{ filename: string; content: string; mimeType: string }>()('exportTokens', ExportRequest),
  'tokens:import': channel<{ imported: number; replaced: number }>()(
    'importTokens',
    z.strictObject({ content: z.string().min(1).max(IMPORT_MAX_CHARS), fileName: z.string().max(260).optional() }),
  ),
  'tokens:clearImported': channel<{ cleared: number }>()('clearImported', NoInput),
  'users:search': channel<VaultUserSummary[]>()(
    'searchUsers',
    z.strictObject({ connectionId: Id, search: z.string().trim().max(100).default('') }),
  ),
} as const;

export interface TokensEvents {
  'sync:progress': SyncProgress;
  'import:progress': ImportProgress;
  'tokens:changed': { reason: string };
}
