/**
 * The live check of a rotation (issue 16 item 2, step 4): one harmless call signed with the new
 * token, `GET /api/{v}/objects/users/me` (Validate Session User, docs/vault-api.md §3.8) with
 * `Authorization: Bearer <token>` (§3.1, T-exp: an access token is sent behind the Bearer
 * keyword). It reads who the token belongs to and changes nothing.
 *
 * It runs on a handle of its own, never the connection's: a refused token must not be taken for
 * the connection's own sign-in being refused (vault-gateway.ts marks a refused saved secret as
 * never to be sent again), and the connection's session must not be replaced by the token.
 */
import type { Connection } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import type { VaultClient } from '../vault/client';
import { toAppError } from '../connections/vault-errors';

let checks = 0;

/** Resolves with the user the token signs in as; throws an AppError naming what Vault said. */
export async function verifyTokenValue(
  client: VaultClient,
  connection: Connection,
  value: string,
  expectedUserId: string | null,
): Promise<{ userId: string }> {
  checks += 1;
  const handleId = `rotation-check/${connection.id}/${checks}`;
  const handle = client.connection(
    { connectionId: handleId, dns: connection.dns, apiVersion: connection.apiVersion, clientId: connection.clientId },
    async () => ({ kind: 'token', token: value }),
  );
  try {
    const user = await handle.whoami();
    if (expectedUserId && expectedUserId !== 'me' && String(user.id) !== expectedUserId) {
      throw new AppError(
        'VAULT',
        `Vault accepted the replacement, but as user ${user.id}, not ${expectedUserId} whose token it replaces.`,
      );
    }
    return { userId: String(user.id) };
  } catch (error) {
    throw toAppError(error, `Checking the replacement on “${connection.name}”`);
  } finally {
    // Token handles have no session to end; this only drops the value from the client's cache.
    await client.forget(handleId).catch(() => undefined);
  }
}
