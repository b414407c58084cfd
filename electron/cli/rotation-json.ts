/**
 * `token rotate --json`: one row per token, in the order rotated. Scripts depend on these names:
 * add fields only at the end and never rename one (test/integration/cli-units.test.ts pins them).
 */
import type { RotationOutcome, RotationStep } from '../../shared/contract/rotation';
import type { TokenRow } from '../../shared/tokens';
import { tokenToJson, type TokenJson } from './json';

export const ROTATION_JSON_FIELDS = Object.freeze([
  'connection',
  'tokenId',
  'name',
  'ok',
  'state',
  'failedStep',
  'stepsDone',
  'replacementTokenId',
  'oldRevoked',
  'delivered',
  'message',
  'advice',
  'vaultErrorType',
  'old',
  'replacement',
] as const);

export interface RotationJson {
  connection: string;
  tokenId: string;
  name: string;
  /** Rotated all the way: replacement stored, delivered, checked, old token revoked. */
  ok: boolean;
  /** `done`, `failed` or `skipped`. */
  state: RotationOutcome['state'];
  /** The step that failed (`generate`, `store`, `deliver`, `verify`, `revoke`), else null. */
  failedStep: RotationStep | null;
  stepsDone: RotationStep[];
  replacementTokenId: string | null;
  oldRevoked: boolean;
  /** Deliveries run with the replacement's value. */
  delivered: number;
  message: string | null;
  advice: string | null;
  vaultErrorType: string | null;
  /** The old token's row as `token list --json` prints it (null if it left the inventory). */
  old: TokenJson | null;
  replacement: TokenJson | null;
}

export function rotationToJson(o: RotationOutcome, old: TokenRow | null, replacement: TokenRow | null): RotationJson {
  return {
    connection: o.connectionName,
    tokenId: o.tokenId,
    name: o.name,
    ok: o.state === 'done',
    state: o.state,
    failedStep: o.state === 'failed' ? o.step : null,
    stepsDone: [...o.stepsDone],
    replacementTokenId: o.replacementTokenId,
    oldRevoked: o.oldRevoked,
    delivered: o.delivered,
    message: o.message,
    advice: o.advice,
    vaultErrorType: o.vaultErrorType,
    old: old ? tokenToJson(old) : null,
    replacement: replacement ? tokenToJson(replacement) : null,
  };
}
