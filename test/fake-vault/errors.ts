/** Vault's response envelope (docs/vault-api.md §5.1). */

export type JsonObject = Record<string, unknown>;

/** Thrown by route handlers; the server turns it into a FAILURE envelope sent with HTTP 200. */
export class VaultError extends Error {
  constructor(
    readonly type: string,
    message: string,
    /** Extra top-level keys, e.g. `{ errorType: 'AUTHENTICATION_FAILED' }` (§3.2). */
    readonly extra: JsonObject = {},
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

export function failureBody(type: string, message: string, extra: JsonObject = {}): JsonObject {
  return { responseStatus: 'FAILURE', errors: [{ type, message }], ...extra };
}

export function successBody(rest: JsonObject = {}): JsonObject {
  return { responseStatus: 'SUCCESS', ...rest };
}
