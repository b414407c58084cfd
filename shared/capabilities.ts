/**
 * "What can this login do here?": the read-only capability check behind
 * Test connection (UI) and `vault-token-desk connection test` (CLI). The ids
 * and statuses are stable: the CLI's `--json` prints them as they are.
 */
/** The checks, in the order they are reported. */
export const CAPABILITY_IDS = [
  'signed-in',
  'api-versions',
  'token-endpoints',
  'own-tokens',
  'all-tokens',
  'read-users',
  'burst-limit',
] as const;
export type CapabilityId = (typeof CAPABILITY_IDS)[number];

/** `unknown`: Vault's answer cannot tell (e.g. no other user's token is visible). */
export type CapabilityStatus = 'yes' | 'no' | 'unknown';

export interface CapabilityCheck {
  id: CapabilityId;
  label: string;
  status: CapabilityStatus;
  /** Plain words: what was found, or why not. */
  detail: string;
}

/** The first API version whose reference documents the token endpoints (docs/vault-api.md §3.9; earlier ones UNCONFIRMED). */
export const TOKEN_ENDPOINTS_MIN_VERSION = 'v26.2';

/** Orders `vYY.n` API versions numerically. */
export function compareApiVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.replace(/^v/, '').split('.').map(Number);
  const [bm = 0, bn = 0] = b.replace(/^v/, '').split('.').map(Number);
  return am - bm || an - bn;
}
