import { z } from 'zod';
import type { ConnectionHealth, GenerateResult, InventoryPage, RevokeOutcome, SyncOutcome, SyncProgress, VaultUserSummary } from '../tokens';
import { InventoryQuerySchema } from '../token-schemas';
import { Id, NoInput, Secret } from '../schemas';
import { channel } from './define';
import type { CapabilityCheck } from '../capabilities';
import { SANDBOX_NAME_HINT, SANDBOX_NAME_RE, VAULT_USER_ID_HINT, VAULT_USER_ID_RE } from '../vault-names';

const RowId = z.number().int().positive();
const RowIds = z.array(RowId).min(1, 'Select at least one token.').max(10_000);

export const TokenName = z.string().trim().min(1, 'Give the token a name, e.g. the integration that will use it.').max(128, 'Keep the name under 128 characters.');

/** docs/vault-api.md §1.2: `expiry_date__v` is `YYYY-MM-DDTHH:MM:SSZ` (UTC); a date alone means 23:59:59 in the user's time zone; omitted = never. */
export const TokenExpirySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('never') }),
  z.object({ kind: z.literal('date'), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date such as 2027-03-31.') }),
  z.object({ kind: z.literal('datetime'), iso: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'Use a UTC time such as 2027-03-31T17:00:00Z.') }),
]);

export const TokenTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('me') }),
  z.object({ kind: z.literal('user'), userId: z.string().trim().min(1, 'Pick a user.').regex(VAULT_USER_ID_RE, VAULT_USER_ID_HINT) }),
  z.object({ kind: z.literal('sandbox'), sandboxName: z.string().trim().min(1, 'Enter the sandbox name as shown on My Vaults.').regex(SANDBOX_NAME_RE, SANDBOX_NAME_HINT) }),
]);

export const GenerateRequest = z.object({
  connectionId: Id,
  target: TokenTargetSchema,
  name: TokenName,
  expiry: TokenExpirySchema,
  /** Display name of the picked user, shown until the next sync reads it from Vault. A label only. */
  userName: z.string().trim().max(200).optional(),
});

export const ExportRequest = z.object({
  format: z.enum(['csv', 'json']),
  query: InventoryQuerySchema.partial({ offset: true, limit: true }).optional(),
});

export const tokensContract = {
  'tokens:query': channel<InventoryPage>()('queryTokens', InventoryQuerySchema),
  'tokens:generate': channel<GenerateResult>()('generateToken', GenerateRequest),
  /** The value, from the keychain or (after a keychain failure) from memory; the renderer masks it again after `maskAfterMs`. */
  'tokens:reveal': channel<{ value: string; maskAfterMs: number }>()('revealToken', z.object({ rowId: RowId })),
  /** Main writes the clipboard and clears it after `clearsAfterMs` unless it changed meanwhile. */
  'tokens:copy': channel<{ clearsAfterMs: number }>()('copyToken', z.object({ rowId: RowId })),
  /** After a keychain failure: the user has saved the value elsewhere, so main may forget it. */
  'tokens:confirmSaved': channel<{ forgotten: true }>()('confirmTokenSaved', z.object({ rowId: RowId })),
  'tokens:revoke': channel<RevokeOutcome[]>()('revokeTokens', z.object({ rowIds: RowIds })),
  'tokens:rotate': channel<GenerateResult>()('rotateToken', z.object({ rowId: RowId, expiry: TokenExpirySchema })),
  'tokens:completeRotation': channel<RevokeOutcome>()('completeRotation', z.object({ oldRowId: RowId, newRowId: RowId })),
  'tokens:sync': channel<SyncOutcome[]>()('syncTokens', z.object({ connectionIds: z.array(Id).optional() })),
  'tokens:clearRevoked': channel<{ cleared: number }>()('clearRevoked', z.object({ rowIds: z.array(RowId).optional() })),
  'tokens:export': channel<{ filename: string; content: string; mimeType: string }>()('exportTokens', ExportRequest),
  'tokens:import': channel<{ imported: number; replaced: number }>()('importTokens', z.object({ content: z.string().min(1).max(50_000_000), fileName: z.string().max(260).optional() })),
  'tokens:clearImported': channel<{ cleared: number }>()('clearImported', NoInput),
  'users:search': channel<VaultUserSummary[]>()('searchUsers', z.object({ connectionId: Id, search: z.string().trim().max(100).default('') })),
  'connections:test': channel<ConnectionTestResult>()('testConnection', z.object({ id: Id, secret: Secret.optional() })),
  /** Supplies a password, token or session id for this run only (kept in memory, never stored). */
  'connections:unlock': channel<{ unlocked: true }>()('unlockConnection', z.object({ id: Id, secret: Secret })),
  'connections:health': channel<ConnectionHealth[]>()('connectionHealth', NoInput),
} as const;

export interface ConnectionTestResult {
  connectionId: string;
  user: { id: string; userName: string | null; displayName: string; timezone: string | null };
  vault: { id: number; name: string | null; dns: string };
  apiVersion: string;
  burstLimitRemaining: number | null;
  seesAllTokens: boolean;
  /** Every API version the Vault offers, oldest first. */
  apiVersions: string[];
  /** The read-only capability check, in a stable order (shared/capabilities.ts). */
  checks: CapabilityCheck[];
}

export interface TokensEvents {
  'sync:progress': SyncProgress;
  'tokens:changed': { reason: string };
}
