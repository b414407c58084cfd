/**
 * Exit statuses and the one-line error messages of the CLI.
 *
 *   0  success
 *   1  failure (one line on stderr naming the cause, with Vault's error type if any)
 *   2  usage error (unknown command or flag, missing or conflicting arguments, bad values)
 *   3  `expiring --fail-if-any` found tokens
 */
import { AppError } from '../../shared/errors';
import { redactString } from '../log';

export const EXIT = { ok: 0, failure: 1, usage: 2, found: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the CLI itself detected; `message` is shown after `error: `. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad command line: exit 2 with the message and the usage line of `command` (a key of the command table). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command: string | null = null,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Collapses whitespace so an error is always exactly one line, and scrubs anything secret-looking. */
export function oneLine(text: string): string {
  return redactString(text).replace(/\s+/g, ' ').trim();
}

/**
 * The text after `error: ` for a service error. Vault refusals name Vault's
 * own error type, e.g. `Vault refused: Generating a token on “QA”: … (OPERATION_NOT_ALLOWED)`.
 */
export function describeAppError(error: AppError): string {
  if (error.code === 'VAULT' && error.vaultErrorType)
    return oneLine(`Vault refused: ${error.message} (${error.vaultErrorType})`);
  if (error.code === 'VAULT_UNREACHABLE') return oneLine(`Vault unreachable: ${error.message}`);
  return oneLine(error.message);
}

/** What a failed service call means at the command line; unknown errors are reported without internals. */
export function describeFailure(error: unknown): string {
  if (error instanceof CliError) return oneLine(error.message);
  if (error instanceof AppError) return describeAppError(error);
  if (error instanceof Error) return oneLine(`unexpected failure: ${error.message}`);
  return 'unexpected failure';
}
