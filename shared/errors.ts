/**
 * Stable error codes that cross the IPC boundary and appear in CLI output.
 * The renderer switches on `code`; `message` is for people and says what to do.
 * Never put a secret, a stack trace or a file's contents in a message.
 */
export const ERROR_CODES = [
  'VALIDATION', // a payload failed its schema; `fields` says which
  'NOT_FOUND',
  'CONFLICT', // e.g. a duplicate connection name
  'FORBIDDEN_SENDER', // IPC from a frame that is not the app
  'UNKNOWN_CHANNEL',
  'KEYCHAIN_UNAVAILABLE',
  'KEYCHAIN_FAILED',
  'DATABASE_NEWER', // written by a newer version of the app
  'DATABASE_UNREADABLE', // not a database, or damaged
  'VAULT', // Vault answered FAILURE; `vaultErrorType` says which
  'VAULT_UNREACHABLE', // network, DNS, TLS, timeout, non-JSON answer
  'WRONG_VAULT', // authentication defaulting landed in another Vault
  'OFFLINE',
  'GUARD', // a guard rail refused the action before calling Vault
  'SIGN_IN_REQUIRED', // single sign-on: the person must sign in with the browser again
  'CANCELLED', // the person cancelled a sign-in
  'IDP_REFUSED', // the identity provider answered with an OAuth error (RFC 6749 §5.2)
  'IDP_UNREACHABLE', // the identity provider could not be reached
  'READ_ONLY', // imported rows cannot be changed
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** Per-field messages for inline form errors. */
  fields?: Record<string, string>;
  /** Vault's own error type (docs/vault-api.md §5.2) when Vault refused. */
  vaultErrorType?: string;
}

/** An error that is safe to show to a person as it is. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;
  readonly vaultErrorType?: string;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { fields?: Record<string, string>; vaultErrorType?: string; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'AppError';
    this.code = code;
    if (extra.fields) this.fields = extra.fields;
    if (extra.vaultErrorType) this.vaultErrorType = extra.vaultErrorType;
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message };
    if (this.fields) info.fields = this.fields;
    if (this.vaultErrorType) info.vaultErrorType = this.vaultErrorType;
    return info;
  }
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
