/**
 * The identity provider's token endpoint (RFC 6749 §4.1.3, §6; RFC 8628 §3.4): exchanging an
 * authorization code, renewing with a refresh token, and reading the answer (§5.1).
 */
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { registerSecret } from '../log';
import { postOAuthForm, type OAuthHttpDeps } from './oauth-http';

export interface IdpTokens {
  accessToken: string;
  /** Absent when the identity provider issues none (RFC 6749 §5.1: OPTIONAL). */
  refreshToken: string | null;
  /** When the access token stops working; from `expires_in`, else one hour (RFC 6749 §4.2.2 leaves it to the server). */
  expiresAt: Date;
}

const tokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.coerce.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
});

const DEFAULT_LIFETIME_S = 3600;

export function readTokenResponse(body: Record<string, unknown>, now: Date, host: string): IdpTokens {
  const parsed = tokenResponse.safeParse(body);
  if (!parsed.success) {
    throw new AppError('IDP_REFUSED', `The identity provider at ${host} answered without an access token.`);
  }
  // RFC 6749 §7.1: the client must understand the token type; Vault takes a bearer token (§3.4).
  if (parsed.data.token_type.toLowerCase() !== 'bearer') {
    throw new AppError(
      'IDP_REFUSED',
      `The identity provider at ${host} issued a “${parsed.data.token_type.slice(0, 40)}” token; Vault needs a Bearer token.`,
    );
  }
  registerSecret(parsed.data.access_token);
  if (parsed.data.refresh_token) registerSecret(parsed.data.refresh_token);
  return {
    accessToken: parsed.data.access_token,
    refreshToken: parsed.data.refresh_token ?? null,
    expiresAt: new Date(now.getTime() + (parsed.data.expires_in ?? DEFAULT_LIFETIME_S) * 1000),
  };
}

export async function exchangeAuthorizationCode(
  deps: OAuthHttpDeps & { now: () => Date },
  tokenEndpoint: string,
  request: { code: string; redirectUri: string; verifier: string; clientId: string },
): Promise<IdpTokens> {
  const body = await postOAuthForm(deps, tokenEndpoint, 'authorization code exchange', {
    grant_type: 'authorization_code',
    code: request.code,
    redirect_uri: request.redirectUri,
    code_verifier: request.verifier,
    client_id: request.clientId,
  });
  return readTokenResponse(body, deps.now(), new URL(tokenEndpoint).host);
}

/** RFC 6749 §6. A provider that rotates refresh tokens returns a new one; otherwise the old one stays valid. */
export async function refreshIdpTokens(
  deps: OAuthHttpDeps & { now: () => Date },
  tokenEndpoint: string,
  request: { refreshToken: string; clientId: string; scope: string },
): Promise<IdpTokens> {
  const body = await postOAuthForm(deps, tokenEndpoint, 'token renewal', {
    grant_type: 'refresh_token',
    refresh_token: request.refreshToken,
    client_id: request.clientId,
    scope: request.scope,
  });
  const tokens = readTokenResponse(body, deps.now(), new URL(tokenEndpoint).host);
  return { ...tokens, refreshToken: tokens.refreshToken ?? request.refreshToken };
}
