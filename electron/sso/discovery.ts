/**
 * Authentication type discovery (docs/vault-api.md §3.5):
 * `POST https://{login host}/auth/discovery?username={u}&client_id={our Vault client id}`.
 * It says whether a user signs in with a password or with SSO and, for OAuth 2.0 / OpenID Connect
 * SSO, lists the profiles with the identity provider's metadata. A SAML-only user gets an empty
 * list: SAML needs a web form post, which an app cannot use.
 *
 * `X-VaultAPI-AuthIncludeMsal` only adds `use_msal` ("information about MSAL, an authentication
 * library available for some SSO profiles"). This app does not use MSAL, so it does not send it.
 */
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { parseBody, urlMatches, type VaultHttp } from '../vault/http';

export interface SsoProfile {
  id: string;
  label: string;
  description: string | null;
  /** Always on the login host (see sessionEndpointFor). */
  sessionEndpoint: string;
  /** The identity-provider client id the Vault admin mapped to our client id, when there is a mapping. */
  asClientId: string | null;
  authorizationEndpoint: string | null;
  tokenEndpoint: string | null;
  deviceAuthorizationEndpoint: string | null;
  issuer: string | null;
}

export interface DiscoveryResult {
  loginHost: string;
  authType: 'password' | 'sso';
  profiles: SsoProfile[];
}

const optText = z
  .string()
  .nullish()
  .transform((v) => v ?? null);

const profileSchema = z.looseObject({
  id: z.string().min(1),
  label: optText,
  description: optText,
  vault_session_endpoint: optText,
  as_client_id: optText,
  as_metadata: z
    .looseObject({
      issuer: optText,
      authorization_endpoint: optText,
      token_endpoint: optText,
      device_authorization_endpoint: optText,
    })
    .nullish(),
});

const discoverySchema = z.looseObject({
  data: z.looseObject({
    auth_type: z.string(),
    auth_profiles: z
      .array(z.unknown())
      .nullish()
      .transform((v) => v ?? []),
  }),
});

/**
 * The Vault session endpoint is where the identity-provider access token is sent, so it must be on
 * the login host this app was told to trust; an answer never chooses where a token goes (issue 12).
 * When discovery names another host, the documented path on the login host is used instead.
 */
export function sessionEndpointFor(loginHost: string, profileId: string, advertised: string | null): string {
  const documented = `https://${loginHost}/auth/oauth/session/${encodeURIComponent(profileId)}`;
  if (advertised && urlMatches(advertised, loginHost, new URL(documented).pathname)) return advertised;
  return documented;
}

export async function discoverAuthType(login: VaultHttp, username: string, clientId: string): Promise<DiscoveryResult> {
  const res = await login.request({
    method: 'POST',
    rootPath: '/auth/discovery',
    query: { username, client_id: clientId },
    authorization: null,
  });
  const body = parseBody(discoverySchema, res, {
    method: 'POST',
    path: '/auth/discovery',
    message: 'Vault’s login host answered discovery without an auth_type.',
  });
  const loginHost = login.endpoint.dns;
  const authType = body.data.auth_type === 'sso' ? 'sso' : 'password';
  const profiles: SsoProfile[] = [];
  for (const raw of body.data.auth_profiles) {
    const parsed = profileSchema.safeParse(raw);
    if (!parsed.success) continue; // a profile this app cannot read is one it cannot use
    const p = parsed.data;
    profiles.push({
      id: p.id,
      label: p.label ?? p.id,
      description: p.description,
      sessionEndpoint: sessionEndpointFor(loginHost, p.id, p.vault_session_endpoint),
      asClientId: p.as_client_id,
      authorizationEndpoint: p.as_metadata?.authorization_endpoint ?? null,
      tokenEndpoint: p.as_metadata?.token_endpoint ?? null,
      deviceAuthorizationEndpoint: p.as_metadata?.device_authorization_endpoint ?? null,
      issuer: p.as_metadata?.issuer ?? null,
    });
  }
  return { loginHost, authType, profiles };
}

export interface ChosenProfile {
  profile: SsoProfile;
  idpClientId: string;
}

/**
 * Picks the profile to sign in with, or explains in plain words why none can be used: a password
 * user, a SAML-only Vault, or no profile that maps our client id (what to ask the admin for).
 */
export function chooseProfile(
  found: DiscoveryResult,
  want: { username: string; clientId: string; profileId?: string | null; idpClientId?: string | null },
): ChosenProfile {
  if (found.authType === 'password') {
    throw new AppError(
      'GUARD',
      `${want.username} signs in with a password, not single sign-on (Vault’s discovery at ${found.loginHost} says so). Choose “Password” or “API access token”.`,
      { fields: { authMethod: 'This user signs in with a password.' } },
    );
  }
  if (found.profiles.length === 0) {
    throw new AppError(
      'GUARD',
      `This Vault’s single sign-on for ${want.username} is SAML only, and SAML cannot be used by apps. Use an API access token or a session id instead, or ask the Vault admin for an OAuth 2.0 / OpenID Connect profile.`,
      { fields: { authMethod: 'SAML-only single sign-on cannot be used by apps.' } },
    );
  }
  const usable = found.profiles.filter((p) => p.authorizationEndpoint || p.deviceAuthorizationEndpoint);
  const ordered = want.profileId ? [...usable].sort((a) => (a.id === want.profileId ? -1 : 1)) : usable;
  for (const profile of ordered) {
    const idpClientId = want.idpClientId || profile.asClientId;
    if (idpClientId && profile.tokenEndpoint) return { profile, idpClientId };
  }
  const labels = found.profiles.map((p) => `“${p.label}”`).join(', ');
  throw new AppError(
    'GUARD',
    `No single sign-on profile of this Vault (${labels}) maps the client id “${want.clientId}”. Ask the Vault admin to add a Client ID mapping for “${want.clientId}” to the OAuth 2.0 / OpenID Connect profile, pointing at the identity provider’s client id for Vault Token Desk. Or, if your identity-provider admin gave you a client id, enter it under “Identity-provider client id”.`,
    { fields: { idpClientId: 'No profile maps this app’s client id.' } },
  );
}
