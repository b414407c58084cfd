/**
 * GET/POST /authorize: the authorization code grant (RFC 6749 §4.1) with PKCE
 * (RFC 7636) for native apps on a loopback redirect (RFC 8252 §7.3).
 *
 * GET validates the request and shows the login form; POST validates it again
 * (the hidden fields come back from the browser and are not trusted), checks
 * the password and redirects to the client with a code.
 * Errors about client_id / redirect_uri are shown as a page, never redirected
 * (RFC 6749 §4.1.2.1: "MUST NOT automatically redirect the user-agent to the
 * invalid redirection URI"); every other error goes back to the client as
 * `?error=…&state=…`.
 */
import { randomBytes } from 'node:crypto';
import type { IdpContext } from './context';
import { formOf, html, redirect, type IdpReply, type IdpRequest } from './http';
import type { IdpClient } from './idp-store';
import { parseScope } from './idp-store';
import { SUPPORTED_SCOPES } from './metadata';
import { loginPage, messagePage } from './pages';
import { isAllowedLoopbackRedirect } from './redirect-uri';

/** The request parameters carried through the login form. */
const REQUEST_PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
] as const;

type AuthorizeRequest = Record<(typeof REQUEST_PARAMS)[number], string | null>;

/** RFC 7636 §4.2: BASE64URL(SHA-256) is 43 characters of the unreserved set. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

function readRequest(params: URLSearchParams): AuthorizeRequest | 'duplicate' {
  const out = {} as AuthorizeRequest;
  for (const name of REQUEST_PARAMS) {
    const all = params.getAll(name);
    // RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once."
    if (all.length > 1) return 'duplicate';
    out[name] = all[0] ?? null;
  }
  return out;
}

function errorPage(rq: IdpRequest, error: string, text: string): IdpReply {
  rq.log.error = error;
  return html(400, messagePage('Sign-in error', text));
}

/** Client and redirect URI: problems here are shown, not redirected. */
function checkClient(
  ctx: IdpContext,
  rq: IdpRequest,
  req: AuthorizeRequest,
): { client: IdpClient; redirectUri: string } | IdpReply {
  const client = req.client_id ? ctx.store.clients.get(req.client_id) : undefined;
  if (req.client_id) rq.log.clientId = req.client_id;
  if (!client) return errorPage(rq, 'invalid_client', 'The application (client_id) is not registered.');
  if (!req.redirect_uri || !isAllowedLoopbackRedirect(req.redirect_uri, client.redirectPath))
    return errorPage(
      rq,
      'invalid_request',
      `The redirect URI is not allowed. Use http://127.0.0.1:{port}${client.redirectPath}.`,
    );
  return { client, redirectUri: req.redirect_uri };
}

/** RFC 6749 §4.1.2.1 error codes for everything after the client check; null = valid. */
function checkRest(client: IdpClient, req: AuthorizeRequest): [string, string] | null {
  if (req.response_type !== 'code') return ['unsupported_response_type', 'Only response_type=code is supported.'];
  if (!client.grantTypes.has('authorization_code'))
    return ['unauthorized_client', 'This client may not use the authorization code grant.'];
  // RFC 7636 §4.4.1: a server that requires PKCE answers invalid_request without a challenge.
  if (!req.code_challenge) return ['invalid_request', 'code_challenge is required (PKCE, RFC 7636).'];
  if (req.code_challenge_method !== 'S256')
    return ['invalid_request', 'code_challenge_method must be S256; plain is not supported.'];
  if (!S256_CHALLENGE.test(req.code_challenge)) return ['invalid_request', 'code_challenge is malformed.'];
  const unknown = parseScope(req.scope).filter((s) => !SUPPORTED_SCOPES.includes(s));
  if (unknown.length) return ['invalid_scope', `Unknown scope: ${unknown.join(' ')}.`];
  return null;
}

function backToClient(
  ctx: IdpContext,
  redirectUri: string,
  state: string | null,
  params: Record<string, string>,
): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  // Fault: a state that differs from the one the client sent (its CSRF check must catch it).
  const sentState = ctx.faults.wrongState ? `${state ?? ''}x${randomBytes(4).toString('hex')}` : state;
  if (sentState !== null) url.searchParams.set('state', sentState);
  if (ctx.store.options.authorizationResponseIss) url.searchParams.set('iss', ctx.store.issuer);
  return url.href;
}

function redirectError(
  ctx: IdpContext,
  rq: IdpRequest,
  redirectUri: string,
  req: AuthorizeRequest,
  e: [string, string],
): IdpReply {
  rq.log.error = e[0];
  return redirect(backToClient(ctx, redirectUri, req.state, { error: e[0], error_description: e[1] }));
}

type Validated = { req: AuthorizeRequest; client: IdpClient; redirectUri: string } | IdpReply;

function validate(ctx: IdpContext, rq: IdpRequest, params: URLSearchParams): Validated {
  const req = readRequest(params);
  if (req === 'duplicate') return errorPage(rq, 'invalid_request', 'A parameter was sent more than once.');
  const checked = checkClient(ctx, rq, req);
  if ('status' in checked) return checked;
  const problem =
    checkRest(checked.client, req) ??
    (ctx.faults.authorizeError ? [ctx.faults.authorizeError, 'Refused by the identity provider (test fault).'] : null);
  if (problem) return redirectError(ctx, rq, checked.redirectUri, req, problem as [string, string]);
  return { req, ...checked };
}

function formFields(req: AuthorizeRequest): [string, string][] {
  return REQUEST_PARAMS.flatMap((k) => (req[k] === null ? [] : [[k, req[k]] as [string, string]]));
}

export function handleAuthorizeGet(ctx: IdpContext, rq: IdpRequest): IdpReply {
  const v = validate(ctx, rq, rq.url.searchParams);
  if ('status' in v) return v;
  return html(200, loginPage(formFields(v.req), v.client.clientId, '', null));
}

export function handleAuthorizePost(ctx: IdpContext, rq: IdpRequest): IdpReply {
  const form = formOf(rq);
  if (!form) return errorPage(rq, 'invalid_request', 'The form could not be read.');
  const v = validate(ctx, rq, form);
  if ('status' in v) return v;
  const username = form.get('username') ?? '';
  const account = ctx.store.signIn(username, form.get('password') ?? '');
  if (!account) {
    rq.log.error = 'login_failed';
    return html(200, loginPage(formFields(v.req), v.client.clientId, username, 'Incorrect user name or password.'));
  }
  const code = ctx.store.issueCode({
    clientId: v.client.clientId,
    username: account.username,
    sub: account.sub,
    scope: parseScope(v.req.scope),
    redirectUri: v.redirectUri,
    codeChallenge: v.req.code_challenge!,
    nonce: v.req.nonce,
  });
  return redirect(backToClient(ctx, v.redirectUri, v.req.state, { code }));
}
