/** Identifier and secret generators. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 15-char record ID: `0PI` + 12 base-36 digits (docs/vault-api.md §1.2 examples `0PI00000000C002`). */
export function tokenRecordId(counter: number): string {
  return `0PI${counter.toString(36).toUpperCase().padStart(12, '0')}`;
}

/** `veeva-vault-` + random (§1.1). */
export function newTokenValue(): string {
  return `veeva-vault-${randomBytes(32).toString('hex').toUpperCase()}`;
}

/** Session IDs look like long upper-case hex strings. */
export function newSessionId(): string {
  return randomBytes(64).toString('hex').toUpperCase();
}

/** §5.4: a short prefix, safe to log and unusable as a credential. */
export function truncateSessionId(sessionId: string): string {
  return sessionId.slice(0, 10);
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Compares secrets without leaking where they differ through timing. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
