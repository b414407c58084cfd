/**
 * The login host's endpoints (docs/vault-api.md §3.4, §3.5; second-read
 * findings "SSO": on the login host, not under /api/{version}), and
 * POST /auth/discovery itself. Unknown path ⇒ MALFORMED_URL, known path with
 * another method ⇒ METHOD_NOT_SUPPORTED, HTTP 200 — as on a Vault (router.ts, §5.2).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { failureBody, successBody, type JsonObject } from '../errors';
import type { ContentType } from '../http-io';
import type { IdpFaults } from '../idp/context';
import { idpMetadata } from '../idp/metadata';
import type { LoginHostLogEntry } from '../idp/types';
import type { ResolvedOptions } from '../options';
import type { SsoProfileRecord, Store } from '../store';
import { handleOAuthSession, type IntrospectionResult } from './oauth-session';
import type { Reply } from './context';

export interface LoginHostContext {
  store: Store;
  options: ResolvedOptions;
  /** `127.0.0.1:<port>` of this listener. */
  loginHost: string;
  issuer: string;
  faults: IdpFaults;
  /** RFC 7662 call to the IdP over HTTPS; rejects when the IdP cannot be reached. */
  introspect(token: string): Promise<IntrospectionResult>;
}

export interface LoginHostRequest {
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  contentType: ContentType;
  params: string[];
  log: LoginHostLogEntry;
}

type LoginHostHandler = (lc: LoginHostContext, rq: LoginHostRequest) => Reply | Promise<Reply>;

const LOGIN_HOST_ROUTES: { pattern: RegExp; methods: Partial<Record<string, LoginHostHandler>> }[] = [
  { pattern: /^\/auth\/discovery$/, methods: { POST: handleDiscovery } },
  // §3.4: the docs spell the placeholder `oath_oidc_profile_id`.
  { pattern: /^\/auth\/oauth\/session\/([^/]+)$/, methods: { POST: handleOAuthSession } },
];

export function dispatchLoginHost(
  lc: LoginHostContext,
  method: string,
  path: string,
  rq: Omit<LoginHostRequest, 'params'>,
): Reply | Promise<Reply> {
  for (const route of LOGIN_HOST_ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    const handler = route.methods[method];
    if (!handler)
      return { body: failureBody('METHOD_NOT_SUPPORTED', `Method [${method}] is not supported for [${path}].`) };
    let params: string[];
    try {
      params = m.slice(1).map((p) => decodeURIComponent(p));
    } catch {
      break;
    }
    return handler(lc, { ...rq, params });
  }
  return { body: failureBody('MALFORMED_URL', `The resource [${path}] does not exist.`) };
}

/** One `auth_profiles[]` entry (§3.5). */
function profileJson(lc: LoginHostContext, p: SsoProfileRecord, clientId: string | null, msal: boolean): JsonObject {
  const asClientId = clientId === null ? undefined : p.clientIdMappings[clientId];
  return {
    id: p.id,
    label: p.label,
    description: p.description,
    vault_session_endpoint: `https://${p.sessionEndpointHost ?? lc.loginHost}/auth/oauth/session/${encodeURIComponent(p.id)}`,
    use_adal: p.useAdal,
    // §3.5 / A-disc: "If omitted, the response does not include MSAL information."
    ...(msal ? { use_msal: p.useMsal } : {}),
    // §3.5: present only when a client ID mapping matches the `client_id` query parameter.
    ...(asClientId === undefined ? {} : { as_client_id: asClientId }),
    as_metadata: idpMetadata(lc.issuer, {
      deviceFlow: lc.options.sso.deviceFlow && p.deviceFlow,
      issParameter: lc.options.sso.authorizationResponseIss,
    }),
    oauthProviderType: p.oauthProviderType,
  };
}

/** POST /auth/discovery?username={u}[&client_id={c}] (§3.5); parameters in the query string only. */
function handleDiscovery(lc: LoginHostContext, rq: LoginHostRequest): Reply {
  const { store, options } = lc;
  const username = (rq.query.get('username') ?? '').trim();
  const clientId = rq.query.get('client_id');
  rq.log.username = username;
  if (clientId !== null) rq.log.clientId = clientId;
  if (!username)
    return { body: failureBody(options.errorTypes.missingParameter, 'Missing required parameter [username].') };
  const msal = String(rq.headers['x-vaultapi-authincludemsal'] ?? '').toLowerCase() === 'true';
  const user = store.findUser(username);
  const answer = (data: JsonObject): Reply => ({ body: successBody({ errors: [], data }) });
  if (!user) {
    // §3.5 is silent on unknown user names: UNCONFIRMED, options.sso.discoveryUnknownUser.
    if (options.sso.discoveryUnknownUser === 'failure')
      return { body: failureBody(options.errorTypes.discoveryUnknownUser, `User [${username}] not found.`) };
    return answer({ auth_type: 'password' });
  }
  // §3.5: a SAML-only profile gives auth_type sso with an empty list.
  if (user.samlOnly) return answer({ auth_type: 'sso', auth_profiles: [] });
  const profile = user.ssoProfile === null ? undefined : store.ssoProfiles.get(user.ssoProfile);
  if (!profile) return answer({ auth_type: 'password' });
  return answer({ auth_type: 'sso', auth_profiles: [profileJson(lc, profile, clientId, msal)] });
}
