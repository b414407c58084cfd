/**
 * Turns the client's VaultError into the AppError the UI and CLI show:
 * Vault refusals keep Vault's error type (docs/vault-api.md §5.2); network, DNS,
 * TLS, timeout and non-JSON answers become VAULT_UNREACHABLE; a login that
 * landed in another Vault becomes WRONG_VAULT (§3.3).
 */
import { AppError } from '../../shared/errors';
import { VaultError } from '../vault/client';

const UNREACHABLE = new Set(['http', 'not-json', 'timeout', 'network', 'dns', 'tls', 'connection-reset', 'aborted']);

export function isUnreachable(error: unknown): boolean {
  return error instanceof VaultError && UNREACHABLE.has(error.kind);
}

export function toAppError(error: unknown, context?: string): unknown {
  if (!(error instanceof VaultError)) return error;
  const prefix = context ? `${context}: ` : '';
  if (error.kind === 'vault') {
    const type = error.type ?? 'UNKNOWN';
    return new AppError('VAULT', `${prefix}${error.message}`, { vaultErrorType: type, cause: error });
  }
  if (error.kind === 'wrong-vault') return new AppError('WRONG_VAULT', `${prefix}${error.message}`, { cause: error });
  if (UNREACHABLE.has(error.kind))
    return new AppError('VAULT_UNREACHABLE', `${prefix}${error.message}`, { cause: error });
  return new AppError('VAULT', `${prefix}${error.message}`, { cause: error });
}
