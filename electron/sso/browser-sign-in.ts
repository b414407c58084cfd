/**
 * Getting an identity-provider token the native-app way (RFC 8252): the system browser, never an
 * embedded window (§8.12), an authorization code request with PKCE S256 (RFC 7636), `state` and
 * `nonce`, the loopback redirect (§7.3), then the code and verifier at the token endpoint.
 */
import { AppError } from '../../shared/errors';
import type { Logger } from '../log';
import { exchangeAuthorizationCode, type IdpTokens } from './idp-tokens';
import { startLoopbackReceiver } from './loopback';
import { requireHttpsUrl, type OAuthHttpDeps } from './oauth-http';
import { newAuthorizationSecrets } from './pkce';

/** What the app asks the identity provider for: an OpenID sign-in, and a refresh token for silent renewal. */
export const SSO_SCOPE = 'openid profile offline_access';
export const SIGN_IN_TIMEOUT_MS = 5 * 60 * 1000;

export interface IdpClient {
  idpClientId: string;
  authorizationEndpoint: string | null;
  tokenEndpoint: string | null;
  deviceAuthorizationEndpoint: string | null;
}

export interface InteractiveDeps extends OAuthHttpDeps {
  logger: Logger;
  now: () => Date;
  /** Opens the system browser (Electron's shell.openExternal; the CLI's opener). */
  openUrl: (url: string) => Promise<void>;
}

export function buildAuthorizationUrl(
  endpoint: string,
  request: {
    clientId: string;
    redirectUri: string;
    scope: string;
    state: string;
    nonce: string;
    challenge: string;
    loginHint?: string;
  },
): URL {
  const url = requireHttpsUrl(endpoint, 'authorization endpoint');
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    scope: request.scope,
    state: request.state,
    nonce: request.nonce,
    code_challenge: request.challenge,
    code_challenge_method: 'S256',
  };
  if (request.loginHint) params.login_hint = request.loginHint; // OpenID Connect Core §3.1.2.1
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url;
}

export async function browserSignIn(
  deps: InteractiveDeps,
  client: IdpClient,
  options: {
    loginHint?: string;
    signal?: AbortSignal;
    timeoutMs?: number;
    /** Told the URL once the browser was asked to open it (the UI shows it in case it did not open). */
    onBrowserOpened?: (url: string) => void;
  } = {},
): Promise<IdpTokens> {
  if (!client.authorizationEndpoint || !client.tokenEndpoint) {
    throw new AppError(
      'GUARD',
      'This single sign-on profile offers no browser sign-in (its identity provider lists no authorization endpoint). Try a device code.',
    );
  }
  const secrets = newAuthorizationSecrets();
  const receiver = await startLoopbackReceiver({
    state: secrets.state,
    timeoutMs: options.timeoutMs ?? SIGN_IN_TIMEOUT_MS,
    logger: deps.logger,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const url = buildAuthorizationUrl(client.authorizationEndpoint, {
      clientId: client.idpClientId,
      redirectUri: receiver.redirectUri,
      scope: SSO_SCOPE,
      state: secrets.state,
      nonce: secrets.nonce,
      challenge: secrets.challenge,
      ...(options.loginHint ? { loginHint: options.loginHint } : {}),
    });
    deps.logger.info('opening the system browser for single sign-on', { host: url.host });
    try {
      await deps.openUrl(url.toString());
    } catch (error) {
      // The URL is still shown to the person, who can open it by hand.
      deps.logger.warn('could not open the system browser', { error: String(error).slice(0, 200) });
    }
    options.onBrowserOpened?.(url.toString());
    const code = await receiver.code;
    return await exchangeAuthorizationCode(deps, client.tokenEndpoint, {
      code,
      redirectUri: receiver.redirectUri,
      verifier: secrets.verifier,
      clientId: client.idpClientId,
    });
  } finally {
    receiver.close();
  }
}
