/**
 * POST /auth/oauth/session/{oath_oidc_profile_id} on the login host
 * (docs/vault-api.md §3.4): exchanges an IdP access token for a Vault session.
 * Headers `Authorization: Bearer {IdP access token}` and
 * `Content-Type: application/x-www-form-urlencoded`; optional form fields
 * `vaultDNS` (omitted ⇒ most relevant Vault, the §3.3 defaulting) and
 * `client_id` (the IdP client id "used for IdP introspection"). The token is
 * checked with a real RFC 7662 call to the IdP, as Vault does.
 * The answer is identical to /auth (§3.2); OAuth logins are not counted
 * against the auth burst limit (§5.3).
 */
import { failureBody, type JsonObject } from '../errors';
import { parseFormFields } from '../http-io';
import { chooseLoginVault, normalizeDns, openSession } from './auth';
import type { Reply } from './context';
import type { LoginHostContext, LoginHostRequest } from './login-host';

/** RFC 7662 §2.2 response, as far as the fake Vault reads it. */
export interface IntrospectionResult {
  active: boolean;
  client_id?: string;
  username?: string;
  token_type?: string;
  exp?: number;
}

const BEARER = /^bearer\s+(\S+)\s*$/i;

export async function handleOAuthSession(lc: LoginHostContext, rq: LoginHostRequest): Promise<Reply> {
  const { store, options } = lc;
  // §3.2 failures carry the top-level errorType; §3.4 says the response is identical, so the fake adds it too.
  const fail = (type: string, message: string, extra: JsonObject = {}): Reply => ({
    body: failureBody(type, message, { errorType: options.authFailureErrorType, ...extra }),
  });
  const refuse = (why: string): Reply => fail(options.errorTypes.ssoTokenRefused, `Invalid OAuth token: ${why}`);

  const profileId = rq.params[0] ?? '';
  // §3.4: an unknown profile id; the error type is UNCONFIRMED (errorTypes.ssoUnknownProfile).
  if (!store.ssoProfiles.has(profileId))
    return fail(options.errorTypes.ssoUnknownProfile, `OAuth/OIDC profile [${profileId}] does not exist.`);
  // §3.4: the documented Content-Type is application/x-www-form-urlencoded.
  const fields =
    rq.contentType.mime === 'application/x-www-form-urlencoded' ? parseFormFields(rq.body, rq.contentType) : null;
  if (!fields)
    return fail(options.errorTypes.invalidRequest, 'Content-Type must be application/x-www-form-urlencoded.');
  const clientId = fields.get('client_id') || null;
  if (clientId !== null) rq.log.clientId = clientId;
  const bearer = BEARER.exec(String(rq.headers.authorization ?? ''));
  if (!bearer) return refuse('send Authorization: Bearer {access token}.');
  if (lc.faults.refuseAtVault) return refuse('refused by Vault (test fault).');

  let info: IntrospectionResult;
  try {
    info = await lc.introspect(bearer[1]!);
  } catch {
    return {
      body: {
        responseStatus: 'EXCEPTION',
        errors: [
          { type: options.errorTypes.ssoIntrospectionFailed, message: 'The identity provider could not be reached.' },
        ],
        errorType: options.authFailureErrorType,
      },
    };
  }
  if (!info.active || info.token_type !== 'Bearer') return refuse('the identity provider reports it inactive.');
  if (info.exp !== undefined && info.exp * 1000 <= store.now().getTime()) return refuse('the token expired.');
  // §3.4: client_id is the IdP client id; a token issued to another client is refused.
  if (clientId !== null && info.client_id !== clientId) return refuse('it was issued to another client.');
  const user = info.username ? store.findUser(info.username) : undefined;
  if (!user || user.ssoProfile !== profileId) return refuse('no Vault user is mapped to it on this profile.');
  if (user.lockedOut) return fail('USER_LOCKED_OUT', 'The user is locked out.');
  if (!user.active) return fail('INACTIVE_USER', 'User is inactive or not found.');

  const vault = chooseLoginVault(store, user, normalizeDns(fields.get('vaultDNS') ?? ''));
  // §3.3: fails only if no Vault works (errorTypes.noAvailableVault, UNCONFIRMED).
  if (!vault) return fail(options.errorTypes.noAvailableVault, 'User does not have access to any active Vault.');
  return openSession(store, user, vault);
}
