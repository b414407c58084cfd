/**
 * Bulk rotation with a live check (issue 16 item 2). For each token: generate the replacement
 * (same name, user and lifetime rule), store it, deliver it (it inherits the old token's
 * targets), verify it with one harmless call signed with the new value (`GET /objects/users/me`,
 * docs/vault-api.md §3.1, §3.8), and only then revoke the old one. A failure stops that token's
 * rotation before the revoke; both tokens stay listed and the outcome says which step failed.
 */
import { z } from 'zod';
import { Id, RowId } from '../schemas';
import { channel } from './define';
import { TokenExpirySchema } from './tokens';

/** The steps of one token's rotation, in order. */
export const ROTATION_STEPS = ['generate', 'store', 'deliver', 'verify', 'revoke'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

/** Where one token's rotation is: waiting for its Vault, at a step, or finished. */
export type RotationState = 'queued' | 'running' | 'done' | 'failed' | 'skipped';

/** The most tokens one run rotates (each costs several Vault calls). */
export const MAX_ROTATION_TOKENS = 1000;

/**
 * Which tokens: picked rows, or every active token expiring within N days (optionally on some
 * connections only). Selection filters are fields of the second form, so another one (e.g. a
 * client group's connections) adds a field and nothing else.
 */
export const RotationSelection = z.union([
  z.strictObject({
    rowIds: z
      .array(RowId)
      .min(1, 'Select at least one token.')
      .max(MAX_ROTATION_TOKENS, `Rotate at most ${MAX_ROTATION_TOKENS} tokens at once.`),
  }),
  z.strictObject({
    expiringWithinDays: z
      .number()
      .int('Use whole days.')
      .min(0, 'Use 0 days or more.')
      .max(3650, 'Use at most 3650 days.'),
    connectionIds: z.array(Id).min(1).max(5000).optional(),
  }),
]);
export type RotationSelectionInput = z.input<typeof RotationSelection>;

export const RotateManyRequest = z.strictObject({
  selection: RotationSelection,
  /** Run the replacement's delivery targets (inherited from the old token) before the check. */
  deliver: z.boolean().default(true),
  /** One expiry for every replacement; default: each old token's own lifetime, from today. */
  expiry: TokenExpirySchema.optional(),
});

/** One token's rotation: where it got to, and (on failure) what went wrong and what to do. */
export interface RotationOutcome {
  rowId: number;
  tokenId: string;
  name: string;
  connectionId: string | null;
  connectionName: string;
  state: RotationState;
  /** The step running, the step that failed, or the last step done. */
  step: RotationStep | null;
  /** Steps finished, in order. */
  stepsDone: RotationStep[];
  replacementRowId: number | null;
  replacementTokenId: string | null;
  /** Whether the old token was revoked (only after every earlier step passed). */
  oldRevoked: boolean;
  /** Deliveries run with the replacement's value (0 when it has none, or deliver was off). */
  delivered: number;
  /** What went wrong, for people; never a value. */
  message: string | null;
  /** What to do next, for people. */
  advice: string | null;
  vaultErrorType: string | null;
}

export interface RotationRun {
  runId: string;
  /** In selection order (connection, then expiry, for `expiringWithinDays`). */
  outcomes: RotationOutcome[];
  rotated: number;
  failed: number;
  skipped: number;
}

/** Pushed as each token moves on (`tokens:rotate-progress`): the run and that token's outcome so far. */
export interface RotationProgress {
  runId: string;
  /** Position of this token in the run's outcomes. */
  index: number;
  total: number;
  outcome: RotationOutcome;
}

export const rotationContract = {
  'tokens:rotate-many': channel<RotationRun>()('rotateMany', RotateManyRequest),
  /** The tokens a selection would rotate, without rotating anything (the dialog's preview). */
  'tokens:rotate-preview': channel<RotationOutcome[]>()(
    'previewRotation',
    z.strictObject({ selection: RotationSelection }),
  ),
} as const;

export interface RotationEvents {
  'tokens:rotate-progress': RotationProgress;
}
