/**
 * One HTTPS listener per Vault on 127.0.0.1, and the request pipeline:
 * log → latency → faults → burst accounting → route → authenticate →
 * handler → headers (§5.4) → delay (§5.3) → answer with HTTP 200 (§5.1).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, isRawToken, presentedCredential, type Principal } from './credentials';
import { VaultError, failureBody, type JsonObject } from './errors';
import type { Fault } from './faults';
import { parseContentType, readBodyOrDrop, sendVaultException } from './http-io';
import { truncateSessionId } from './ids';
import { compareVersions, type ResolvedOptions } from './options';
import { listenHttps, unbindServer, type HttpsListener } from './listen';
import { matchRoute } from './router';
import type { Reply, RequestContext, ServerContext } from './routes/context';
import type { RequestLogEntry } from './types';

const HTML_500 =
  '<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>' +
  '<body><h1>Internal Server Error</h1><p>The server encountered an unexpected condition.</p></body></html>';

/** Real-time waits that close() can cut short. */
export class Sleeper {
  private pending = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.pending.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.pending.add(entry);
    });
  }

  cancelAll(): void {
    for (const e of this.pending) {
      clearTimeout(e.timer);
      e.resolve();
    }
    this.pending.clear();
  }
}

/** §5.5: alphanumeric plus . _ -, at most 100 chars. */
function loggedClientId(query: URLSearchParams, header: string | null): string {
  const raw = query.get('client_id') ?? header;
  if (raw === null || raw === '') return 'unknown';
  return /^[A-Za-z0-9._-]{1,100}$/.test(raw) ? raw : 'invalid_client_id';
}

/** `/api/{version}/…` → version, or '' (GET /api/ and malformed paths). */
function versionOf(path: string): string {
  return /^\/api\/(v\d+\.\d+)(\/|$)/.exec(path)?.[1] ?? '';
}

/**
 * The method the router sees.
 *  - §1.5: POST …?_method=DELETE for clients that cannot send a DELETE body
 *    (options.methodOverride, UNCONFIRMED); no other override is honoured.
 *  - §2.2/§2.3: the query endpoints are POST only; options.queryGetMethod
 *    lets a test have GET answered as POST.
 */
function routedMethod(method: string, url: URL, options: ResolvedOptions): string {
  if (method === 'POST' && options.methodOverride && url.searchParams.get('_method')?.toUpperCase() === 'DELETE')
    return 'DELETE';
  if (method === 'GET' && options.queryGetMethod && /^\/api\/[^/]+\/query(\/[^/]+)?\/?$/.test(url.pathname))
    return 'POST';
  return method;
}

/** R-hdr: X-VaultAPI-Status is sent from v23.2 (and, UNCONFIRMED, on unversioned paths such as GET /api/). */
const STATUS_HEADER_SINCE = 'v23.2';

function sendsStatusHeader(version: string): boolean {
  return version === '' || compareVersions(version, STATUS_HEADER_SINCE) >= 0;
}

function headerValue(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? (v[0] ?? null) : v;
}

interface Outcome {
  body: JsonObject;
  delayMs: number;
  principal: Principal | null;
  /** Raw text instead of JSON.stringify(body) (malformedJson fault). */
  rawText?: string;
}

function faultOutcome(fault: Fault, isAuth: boolean, ctx: ServerContext): Outcome {
  switch (fault.kind) {
    case 'malformedJson':
      return {
        body: { responseStatus: 'SUCCESS' },
        delayMs: 0,
        principal: null,
        rawText: '{"responseStatus":"SUCCESS","data":[{"id":"0PI0000',
      };
    case 'invalidSession':
      return { body: failureBody('INVALID_SESSION_ID', 'Invalid or expired session ID.'), delayMs: 0, principal: null };
    case 'apiLimit':
      return {
        body: failureBody(
          'API_LIMIT_EXCEEDED',
          'API limit exceeded.',
          isAuth ? { errorType: ctx.options.authFailureErrorType } : {},
        ),
        delayMs: 0,
        principal: null,
      };
    case 'vaultError':
      return { body: failureBody(fault.type, fault.message), delayMs: 0, principal: null };
    default:
      // latency / drop / html500 / otherVault are handled by the pipeline itself.
      return { body: failureBody('UNEXPECTED_ERROR', `Unhandled fault ${fault.kind}`), delayMs: 0, principal: null };
  }
}

async function dispatch(
  ctx: ServerContext,
  base: Omit<RequestContext, 'params' | 'version' | 'principal'> & { clientId: string },
): Promise<Outcome> {
  const { store, options } = ctx;
  const match = matchRoute(base.path, base.method);
  if (match.kind === 'malformed') {
    return {
      body: failureBody('MALFORMED_URL', `The resource [${base.path}] does not exist.`),
      delayMs: 0,
      principal: null,
    };
  }
  if (match.kind === 'method') {
    return {
      body: failureBody('METHOD_NOT_SUPPORTED', `Method [${base.method}] is not supported for [${base.path}].`),
      delayMs: 0,
      principal: null,
    };
  }
  const { route } = match;
  // §3.9: a version GET /api/ does not list is refused (error type UNCONFIRMED).
  if (match.version && !options.acceptUnknownApiVersions && !options.apiVersions.includes(match.version)) {
    return {
      body: failureBody(options.errorTypes.unknownApiVersion, `API version [${match.version}] is not supported.`),
      delayMs: 0,
      principal: null,
    };
  }
  // §5.5: with Client ID Filtering, IDs that match no active Connection are refused.
  if (options.clientIdFiltering && !options.clientIdFiltering.has(base.clientId)) {
    return {
      body: failureBody(
        options.errorTypes.clientIdRefused,
        `Client ID [${base.clientId}] is not allowed by this Vault.`,
      ),
      delayMs: 0,
      principal: null,
    };
  }
  let principal: Principal | null = null;
  const needsAuth = route.auth === 'required' || (route.auth === 'versions' && options.versionsRequireAuth);
  if (route.auth !== 'none' && base.credential.kind !== 'none')
    principal = authenticate(store, base.credential, base.vault.id);
  if (needsAuth && !principal) {
    // §5.2: the error for an expired/deleted/unknown API access token is
    // UNCONFIRMED (probably INVALID_SESSION_ID); options.errorTypes.invalidToken.
    // A token without `Bearer` is read as a session ID: INVALID_SESSION_ID (§1.1).
    const token = base.credential.kind === 'token' && !isRawToken(store, base.credential);
    const type = token ? options.errorTypes.invalidToken : 'INVALID_SESSION_ID';
    return { body: failureBody(type, 'Invalid or expired session ID.'), delayMs: 0, principal: null };
  }
  if (principal && needsAuth && !store.profileOf(principal.user).apiAccess) {
    // §3.2: no API permission does not stop auth; later calls fail.
    return {
      body: failureBody(
        'INSUFFICIENT_ACCESS',
        `User [${principal.user.id}] not licensed for permission [VaultActions_API_Access].`,
      ),
      delayMs: 0,
      principal,
    };
  }
  const rc: RequestContext = { ...base, version: match.version, params: match.params, principal };
  const handler = route.methods[base.method]!;
  try {
    const reply: Reply = await handler(rc);
    return { body: reply.body, delayMs: reply.delayMs ?? 0, principal: reply.headerPrincipal ?? principal };
  } catch (e) {
    if (e instanceof VaultError) return { body: failureBody(e.type, e.message, e.extra), delayMs: 0, principal };
    return {
      body: {
        responseStatus: 'EXCEPTION',
        errors: [{ type: 'UNEXPECTED_ERROR', message: e instanceof Error ? e.message : String(e) }],
      },
      delayMs: 0,
      principal,
    };
  }
}

async function handle(
  ctx: ServerContext,
  sleeper: Sleeper,
  vaultId: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { store, options } = ctx;
  const vault = store.vaults.get(vaultId)!;
  const url = new URL(req.url ?? '/', 'https://fake-vault.invalid');
  const method = (req.method ?? 'GET').toUpperCase();
  const effectiveMethod = routedMethod(method, url, options);
  const credential = presentedCredential(headerValue(req.headers.authorization) ?? undefined);
  const clientIdHeader = headerValue(req.headers['x-vaultapi-clientid']);
  const executionId = randomUUID();
  const entry: RequestLogEntry = {
    vaultId,
    method,
    path: url.pathname,
    auth: credential.kind,
    at: store.now(),
    query: url.search,
    clientId: loggedClientId(url.searchParams, clientIdHeader),
    clientIdHeader,
    referenceId: headerValue(req.headers['x-vaultapi-referenceid']),
    executionId,
  };
  ctx.requestLog.push(entry);

  const body = await readBodyOrDrop(req);
  if (!body) {
    entry.responseStatus = 'DROPPED';
    return;
  }
  await sleeper.sleep(options.latencyMs);

  const isAuth = /^\/api\/[^/]+\/auth\/?$/.test(url.pathname) && effectiveMethod === 'POST';
  const taken = ctx.faults.take({
    vaultId,
    method,
    effectiveMethod,
    path: url.pathname,
    isAuth,
    auth: credential.kind,
  });
  await sleeper.sleep(taken.latencyMs);
  const fault = taken.terminal;
  if (fault?.kind === 'drop') {
    entry.responseStatus = 'DROPPED';
    req.socket.destroy();
    return;
  }
  if (fault?.kind === 'html500') {
    entry.responseStatus = 'HTTP_500';
    res.writeHead(500, { 'Content-Type': 'text/html; charset=UTF-8' });
    res.end(HTML_500);
    return;
  }

  // §5.3: every call the Vault processes counts against its burst window.
  const burst = ctx.limits.hitVault(vaultId);
  const outcome: Outcome =
    fault && fault.kind !== 'otherVault'
      ? faultOutcome(fault, isAuth, ctx)
      : await dispatch(ctx, {
          server: ctx,
          vault,
          method: effectiveMethod,
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
          contentType: parseContentType(headerValue(req.headers['content-type']) ?? undefined),
          credential,
          forcedLoginVaultId: fault?.kind === 'otherVault' ? fault.vaultId : null,
          clientId: entry.clientId,
        });

  const status = String(outcome.body.responseStatus ?? 'SUCCESS');
  const headers: Record<string, string> = {
    'Content-Type': 'application/json;charset=UTF-8',
    'X-VaultAPI-ExecutionId': executionId,
    'X-VaultAPI-BurstLimit': String(burst.limit),
    'X-VaultAPI-BurstLimitRemaining': String(burst.remaining),
    'X-VaultAPI-VaultId': String(vault.id),
  };
  if (sendsStatusHeader(versionOf(url.pathname))) headers['X-VaultAPI-Status'] = status;
  const p = outcome.principal;
  if (p) {
    headers['X-VaultAPI-UserId'] = String(p.user.id);
    if (p.kind === 'session') headers['X-VaultAPI-TruncatedSessionId'] = truncateSessionId(p.session.id);
    // §5.4: TruncatedSessionId on token calls UNCONFIRMED; options.truncatedSessionIdForTokens.
    else if (options.truncatedSessionIdForTokens)
      headers['X-VaultAPI-TruncatedSessionId'] = p.token.valueSha256.slice(0, 10).toUpperCase();
  }
  // §5.3: over the burst limit each response is delayed; the delay is reported.
  const delayMs = burst.delayMs + outcome.delayMs;
  if (delayMs > 0) headers['X-VaultAPI-ResponseDelay'] = String(delayMs);
  await sleeper.sleep(delayMs);

  entry.responseStatus = status;
  const errors = outcome.body.errors;
  if (Array.isArray(errors) && errors[0] && typeof errors[0] === 'object')
    entry.errorType = String((errors[0] as { type?: unknown }).type);

  // §3.7: the idle clock restarts when the request finishes.
  res.on('finish', () => {
    if (p?.kind === 'session' && store.sessionValidity(p.session) === 'valid') p.session.lastActivityAt = store.now();
  });
  if (res.destroyed) return;
  res.writeHead(200, headers);
  res.end(outcome.rawText ?? JSON.stringify(outcome.body));
}

export interface VaultListener extends HttpsListener {
  vaultId: number;
}

export async function listenForVault(
  ctx: ServerContext,
  sleeper: Sleeper,
  vaultId: number,
  port: number,
  tls: { certPem: string; keyPem: string },
): Promise<VaultListener> {
  const listener = await listenHttps(tls, port, (req, res) => {
    handle(ctx, sleeper, vaultId, req, res).catch((e: unknown) => sendVaultException(res, e));
  });
  return { vaultId, ...listener };
}

export async function closeListener(l: HttpsListener): Promise<void> {
  await unbindServer(l.server);
}
