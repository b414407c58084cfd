/**
 * Which login host serves discovery and the Vault OAuth session endpoint (docs/vault-api.md §3.4,
 * §3.5): the connection's own setting, else `VAULT_TOKEN_DESK_LOGIN_HOST` (`host[:port]`, always
 * https), else Veeva's `login.veevavault.com`. The override exists so tests and `npm run fake-vault`
 * can stand in for Veeva, and for Vaults whose admins document another login host.
 */
import { DEFAULT_LOGIN_HOST } from '../../shared/domain';
import { normaliseVaultDns } from '../../shared/dns';
import { AppError } from '../../shared/errors';

export const LOGIN_HOST_ENV = 'VAULT_TOKEN_DESK_LOGIN_HOST';

export function resolveLoginHost(
  setting: string | null | undefined,
  env: Record<string, string | undefined> = process.env,
): string {
  const raw = setting?.trim() || env[LOGIN_HOST_ENV]?.trim() || DEFAULT_LOGIN_HOST;
  const check = normaliseVaultDns(raw);
  if (!check.ok) {
    const from = setting?.trim() ? 'The connection’s login host' : `${LOGIN_HOST_ENV}`;
    throw new AppError('VALIDATION', `${from} (“${raw.slice(0, 200)}”) is not a host name: ${check.message}`, {
      fields: { loginHost: check.message },
    });
  }
  return check.dns;
}
