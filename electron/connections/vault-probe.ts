/**
 * The short check when a connection is saved (issue 13, item 4): does a Vault answer at this DNS?
 * `GET https://{dns}/api/` (docs/vault-api.md §3.8) without credentials, so nothing can count
 * against the account: any Vault API envelope, even a refusal for the missing session, means a
 * Vault is there. DNS failures, TLS errors, timeouts and non-Vault answers mean it is not.
 */
import { AppError } from '../../shared/errors';
import type { Logger } from '../log';
import { VaultError } from '../vault/errors';
import { VaultHttp, buildEndpoint } from '../vault/http';
import type { FetchLike } from '../vault/types';
import { toAppError } from './vault-errors';

export const PROBE_TIMEOUT_MS = 8000;

export interface ProbeResult {
  dns: string;
  /** API versions Vault listed, when it answered the unauthenticated call with them. */
  apiVersions: number | null;
}

export async function probeVault(
  deps: { fetch: FetchLike; logger: Logger; now: () => Date; timeoutMs?: number },
  dns: string,
): Promise<ProbeResult> {
  const http = new VaultHttp(buildEndpoint({ dns, apiVersion: 'v26.2' }), {
    fetch: deps.fetch,
    logger: deps.logger,
    now: deps.now,
    timeoutMs: deps.timeoutMs ?? PROBE_TIMEOUT_MS,
  });
  try {
    const res = await http.request({ method: 'GET', rootPath: '/api/', authorization: null });
    const values = (res.body as { values?: unknown }).values;
    return {
      dns: http.endpoint.dns,
      apiVersions: values && typeof values === 'object' ? Object.keys(values).length : null,
    };
  } catch (error) {
    // Vault answered (a FAILURE such as INVALID_SESSION_ID for the missing session): it is there.
    if (error instanceof VaultError && error.kind === 'vault') return { dns: http.endpoint.dns, apiVersions: null };
    const app = toAppError(error, `No Vault answered at ${http.endpoint.dns}`);
    throw app instanceof AppError
      ? app
      : new AppError('VAULT_UNREACHABLE', `No Vault answered at ${http.endpoint.dns}.`);
  }
}
