/**
 * The device authorization grant (RFC 8628), for a machine with no browser or when asked for:
 * request a user code (§3.1), show it with the verification URL (§3.3), poll the token endpoint at
 * the given interval (§3.4), slowing down by 5 s on `slow_down` (§3.5).
 */
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { registerSecret } from '../log';
import type { IdpClient, InteractiveDeps } from './browser-sign-in';
import { SIGN_IN_TIMEOUT_MS, SSO_SCOPE } from './browser-sign-in';
import { readTokenResponse, type IdpTokens } from './idp-tokens';
import { OAuthError, postOAuthForm, requireHttpsUrl } from './oauth-http';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface DeviceCodePrompt {
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string | null;
  expiresAt: string;
}

const deviceResponse = z.looseObject({
  device_code: z.string().min(1),
  user_code: z.string().min(1).max(64),
  verification_uri: z.string().min(1),
  verification_uri_complete: z.string().optional(),
  expires_in: z.coerce.number().positive(),
  interval: z.coerce.number().nonnegative().optional(),
});

export async function deviceSignIn(
  deps: InteractiveDeps & { sleep?: (ms: number, signal?: AbortSignal) => Promise<void> },
  client: IdpClient,
  options: { signal?: AbortSignal; timeoutMs?: number; onUserCode: (prompt: DeviceCodePrompt) => void },
): Promise<IdpTokens> {
  if (!client.deviceAuthorizationEndpoint || !client.tokenEndpoint) {
    throw new AppError(
      'GUARD',
      'This single sign-on profile’s identity provider offers no device code sign-in. Sign in with the browser instead.',
    );
  }
  const start = await postOAuthForm(deps, client.deviceAuthorizationEndpoint, 'device code', {
    client_id: client.idpClientId,
    scope: SSO_SCOPE,
  });
  const parsed = deviceResponse.safeParse(start);
  if (!parsed.success) throw new AppError('IDP_REFUSED', 'The identity provider’s device code answer was incomplete.');
  const d = parsed.data;
  registerSecret(d.device_code);
  requireHttpsUrl(d.verification_uri, 'verification address');
  const now = deps.now().getTime();
  const deadline = now + Math.min(d.expires_in * 1000, options.timeoutMs ?? SIGN_IN_TIMEOUT_MS * 2);
  options.onUserCode({
    userCode: d.user_code,
    verificationUri: d.verification_uri,
    verificationUriComplete:
      d.verification_uri_complete && d.verification_uri_complete.startsWith('https://')
        ? d.verification_uri_complete
        : null,
    expiresAt: new Date(now + d.expires_in * 1000).toISOString(),
  });
  const sleep = deps.sleep ?? abortableSleep;
  let intervalMs = (d.interval ?? 5) * 1000; // §3.2: 5 s when absent
  for (;;) {
    if (options.signal?.aborted) throw new AppError('CANCELLED', 'The sign-in was cancelled.');
    if (deps.now().getTime() >= deadline) {
      throw new AppError('CANCELLED', 'The device code expired before the sign-in was approved. Start again.');
    }
    await sleep(intervalMs, options.signal);
    if (options.signal?.aborted) throw new AppError('CANCELLED', 'The sign-in was cancelled.');
    try {
      const body = await postOAuthForm(deps, client.tokenEndpoint, 'device code', {
        grant_type: DEVICE_CODE_GRANT,
        device_code: d.device_code,
        client_id: client.idpClientId,
      });
      return readTokenResponse(body, deps.now(), new URL(client.tokenEndpoint).host);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      if (error.error === 'authorization_pending') continue;
      if (error.error === 'slow_down') {
        intervalMs += 5000;
        continue;
      }
      if (error.error === 'access_denied') {
        throw new OAuthError(error.error, error.description, 'The sign-in was denied at the identity provider.');
      }
      if (error.error === 'expired_token') {
        throw new AppError('CANCELLED', 'The device code expired before the sign-in was approved. Start again.');
      }
      throw error;
    }
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
