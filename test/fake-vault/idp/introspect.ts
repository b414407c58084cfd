/**
 * POST /introspect (RFC 7662): the fake Vault's OAuth session endpoint asks
 * whether an access token is active (docs/vault-api.md §3.4: "client_id (used
 * for IdP introspection)"). §2.1 requires the caller to be authorized: the
 * fake Vault presents a Basic credential generated at start-up.
 */
import { constantTimeEqual } from '../ids';
import type { IdpContext } from './context';
import { formOf, json, oauthError, type IdpReply, type IdpRequest } from './http';

export function handleIntrospect(ctx: IdpContext, rq: IdpRequest, expectedAuthorization: string): IdpReply {
  if (!constantTimeEqual(rq.headers.authorization ?? '', expectedAuthorization))
    return oauthError(rq, 401, 'invalid_client', 'Introspection needs the resource server credential.');
  const form = formOf(rq);
  const value = form?.get('token');
  if (!value) return oauthError(rq, 400, 'invalid_request', 'token is required.');
  const token = ctx.store.liveToken(value);
  // RFC 7662 §2.2: an unknown, expired or revoked token is just {"active": false}.
  if (!token) return json(200, { active: false });
  rq.log.clientId = token.clientId;
  return json(200, {
    active: true,
    client_id: token.clientId,
    username: token.username,
    sub: token.sub,
    scope: token.scope.join(' '),
    token_type: token.kind === 'access' ? 'Bearer' : 'refresh_token',
    iat: Math.floor(token.issuedAt.getTime() / 1000),
    ...(token.expiresAt ? { exp: Math.floor(token.expiresAt.getTime() / 1000) } : {}),
    iss: ctx.store.issuer,
  });
}
