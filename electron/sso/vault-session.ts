/**
 * Exchanging an identity-provider access token for a Vault session (docs/vault-api.md §3.4):
 * `POST {vault_session_endpoint}` on the login host with `Authorization: Bearer {IdP access token}`
 * and the form fields `vaultDNS` (this connection's Vault) and `client_id` (the identity-provider
 * client id, which Vault uses to introspect the token; which client id Vault expects there is
 * UNCONFIRMED). The answer is the usual auth response, so the §3.3 defaulting guard applies.
 */
import { sessionFromAuthResponse, type LoginDeps, type SessionAuth } from '../vault/auth';
import type { VaultHttp } from '../vault/http';

export async function vaultSessionFromIdpToken(
  login: VaultHttp,
  vault: VaultHttp,
  request: { sessionEndpoint: string; accessToken: string; idpClientId: string },
  deps: LoginDeps,
): Promise<SessionAuth> {
  const res = await login.request({
    method: 'POST',
    rootPath: request.sessionEndpoint,
    form: { vaultDNS: vault.endpoint.dns, client_id: request.idpClientId },
    authorization: `Bearer ${request.accessToken}`,
  });
  return sessionFromAuthResponse(vault, res, deps, {
    path: '/auth/oauth/session',
    how: 'signed in with single sign-on',
  });
}
