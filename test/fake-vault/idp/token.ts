/**
 * POST /token (RFC 6749 §3.2) for public clients (RFC 8252 §8.4: no secret,
 * `client_id` in the body): the authorization_code grant with PKCE (RFC 7636
 * §4.6), refresh_token (RFC 6749 §6, rotated), and the device_code grant
 * (RFC 8628 §3.4/§3.5). Errors are HTTP 400 JSON `{error, error_description}`
 * (RFC 6749 §5.2; invalid_client 401).
 */
import { createHash } from 'node:crypto';
import { constantTimeEqual } from '../ids';
import type { IdpContext } from './context';
import { formOf, json, oauthError, type IdpReply, type IdpRequest } from './http';
import { DEVICE_CODE_GRANT, parseScope, type IdpClient } from './idp-store';
import type { IdpGrantType } from '../types';

/** RFC 7636 §4.1: 43–128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~". */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

type Grant = (ctx: IdpContext, rq: IdpRequest, form: URLSearchParams, client: IdpClient) => IdpReply;

function authorizationCode(ctx: IdpContext, rq: IdpRequest, form: URLSearchParams, client: IdpClient): IdpReply {
  const code = form.get('code');
  const verifier = form.get('code_verifier');
  if (!code) return oauthError(rq, 400, 'invalid_request', 'code is required.');
  if (!verifier) return oauthError(rq, 400, 'invalid_request', 'code_verifier is required (PKCE, RFC 7636).');
  const record = ctx.store.findCode(code);
  if (!record || record.clientId !== client.clientId)
    return oauthError(rq, 400, 'invalid_grant', 'The authorization code is unknown or was issued to another client.');
  if (record.used) {
    // RFC 6749 §4.1.2: a code used twice: refuse, and revoke what was issued from it.
    ctx.store.revokeGrant(record.grantId);
    return oauthError(rq, 400, 'invalid_grant', 'The authorization code was already used.');
  }
  // Any redemption attempt by the right client spends the code (a failed PKCE check cannot be retried).
  record.used = true;
  if (ctx.store.codeExpired(record)) return oauthError(rq, 400, 'invalid_grant', 'The authorization code expired.');
  // RFC 6749 §4.1.3: redirect_uri must be identical to the one of the authorization request.
  if (form.get('redirect_uri') !== record.redirectUri)
    return oauthError(rq, 400, 'invalid_grant', 'redirect_uri does not match the authorization request.');
  // RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) must equal code_challenge, else invalid_grant.
  if (!VERIFIER.test(verifier) || !constantTimeEqual(s256(verifier), record.codeChallenge))
    return oauthError(rq, 400, 'invalid_grant', 'The PKCE code_verifier does not match the code_challenge.');
  return json(200, ctx.store.issueTokens(record, { nonce: record.nonce }));
}

function refreshToken(ctx: IdpContext, rq: IdpRequest, form: URLSearchParams, client: IdpClient): IdpReply {
  const value = form.get('refresh_token');
  if (!value) return oauthError(rq, 400, 'invalid_request', 'refresh_token is required.');
  const token = ctx.store.liveToken(value, 'refresh');
  if (!token || token.clientId !== client.clientId)
    return oauthError(rq, 400, 'invalid_grant', 'The refresh token is invalid, expired or revoked.');
  // RFC 6749 §6: a requested scope must not exceed the original grant.
  const asked = form.has('scope') ? parseScope(form.get('scope')) : token.scope;
  if (asked.some((s) => !token.scope.includes(s)))
    return oauthError(rq, 400, 'invalid_scope', 'The scope exceeds the one originally granted.');
  const rotate = ctx.store.options.refreshTokenRotation;
  // Rotation (OAuth 2.0 Security BCP §4.14.2): the old refresh token stops working.
  if (rotate) token.revoked = true;
  return json(200, ctx.store.issueTokens({ ...token, scope: asked }, { withRefresh: rotate }));
}

function deviceCode(ctx: IdpContext, rq: IdpRequest, form: URLSearchParams, client: IdpClient): IdpReply {
  const value = form.get('device_code');
  if (!value) return oauthError(rq, 400, 'invalid_request', 'device_code is required.');
  const d = ctx.store.deviceByCode(value);
  if (!d || d.clientId !== client.clientId || d.status === 'consumed')
    return oauthError(rq, 400, 'invalid_grant', 'The device code is unknown or already used.');
  if (ctx.store.deviceExpired(d)) return oauthError(rq, 400, 'expired_token', 'The device code expired.');
  const now = ctx.store.now();
  // RFC 8628 §3.5: polling faster than `interval` → slow_down, and the interval grows by 5 s.
  const early = d.lastPollAt !== null && now.getTime() - d.lastPollAt.getTime() < d.intervalSeconds * 1000;
  d.lastPollAt = now;
  if (early && d.intervalSeconds > 0) {
    d.intervalSeconds += 5;
    return oauthError(rq, 400, 'slow_down', `Poll at most every ${d.intervalSeconds} s.`);
  }
  if (d.status === 'denied') return oauthError(rq, 400, 'access_denied', 'The user denied the request.');
  if (d.status === 'pending' || !d.account)
    return oauthError(rq, 400, 'authorization_pending', 'The user has not approved the request yet.');
  d.status = 'consumed';
  const { username, sub } = d.account;
  return json(
    200,
    ctx.store.issueTokens({ grantId: d.grantId, clientId: d.clientId, username, sub, scope: d.scope }, {}),
  );
}

const GRANTS: Record<IdpGrantType, Grant> = {
  authorization_code: authorizationCode,
  refresh_token: refreshToken,
  [DEVICE_CODE_GRANT]: deviceCode,
};

/** A public client named by `client_id` (RFC 6749 §3.2.1), or the error reply. */
export function publicClient(ctx: IdpContext, rq: IdpRequest, form: URLSearchParams): IdpClient | IdpReply {
  const clientId = form.get('client_id');
  if (clientId) rq.log.clientId = clientId;
  // RFC 8252 §8.4 public clients: a secret or Basic credentials are not expected; they are refused.
  if (rq.headers.authorization || form.has('client_secret'))
    return oauthError(rq, 401, 'invalid_client', 'Public clients do not authenticate.');
  const client = clientId ? ctx.store.clients.get(clientId) : undefined;
  if (!client) return oauthError(rq, 401, 'invalid_client', 'Unknown client_id.');
  return client;
}

export function handleToken(ctx: IdpContext, rq: IdpRequest): IdpReply {
  const form = formOf(rq);
  if (!form)
    return oauthError(
      rq,
      400,
      'invalid_request',
      'Send the parameters once each, as application/x-www-form-urlencoded.',
    );
  const grantType = form.get('grant_type');
  if (grantType) rq.log.grantType = grantType;
  const client = publicClient(ctx, rq, form);
  if ('status' in client) return client;
  if (!grantType) return oauthError(rq, 400, 'invalid_request', 'grant_type is required.');
  const grant = (GRANTS as Partial<Record<string, Grant>>)[grantType];
  if (!grant) return oauthError(rq, 400, 'unsupported_grant_type', `grant_type ${grantType} is not supported.`);
  if (
    !client.grantTypes.has(grantType as IdpGrantType) ||
    (grantType === DEVICE_CODE_GRANT && !ctx.store.options.deviceFlow)
  )
    return oauthError(rq, 400, 'unauthorized_client', `This client may not use ${grantType}.`);
  return grant(ctx, rq, form, client);
}
