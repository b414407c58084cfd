/**
 * Proof Key for Code Exchange (RFC 7636) with S256, plus the `state` (RFC 6749 §10.12) and OpenID
 * `nonce` values of one authorization request. RFC 8252 §8.1 requires PKCE for native apps.
 */
import { createHash, randomBytes } from 'node:crypto';
import { registerSecret } from '../log';

export interface AuthorizationSecrets {
  /** 43 characters of base64url (RFC 7636 §4.1: 32 random octets). Never logged. */
  verifier: string;
  /** BASE64URL(SHA256(verifier)) (RFC 7636 §4.2). */
  challenge: string;
  state: string;
  nonce: string;
}

export function randomUrlSafe(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function newAuthorizationSecrets(): AuthorizationSecrets {
  const verifier = randomUrlSafe(32);
  const state = randomUrlSafe(16);
  const nonce = randomUrlSafe(16);
  // The log redactor scrubs these wherever they might turn up (a URL in an error, say).
  for (const value of [verifier, state, nonce]) registerSecret(value);
  return { verifier, challenge: s256(verifier), state, nonce };
}
