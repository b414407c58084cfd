/**
 * The fake login host (`login.veevavault.com` in production): its own HTTPS
 * listener on 127.0.0.1, serving discovery and the OAuth session endpoint
 * (routes/login-host.ts). Its answers use Vault's envelope and HTTP 200 (§5.1).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseContentType, readBodyOrDrop, sendVaultException } from './http-io';
import { createTrustingFetch } from './https-fetch';
import type { LoginHostLogEntry } from './idp/types';
import { listenHttps, unbindServer } from './listen';
import { dispatchLoginHost, type LoginHostContext } from './routes/login-host';
import type { IntrospectionResult } from './routes/oauth-session';

export interface LoginHostListener {
  port: number;
  close(): Promise<void>;
}

/** RFC 7662 §2.1: POST token=… with the resource server's credential, over HTTPS trusting the fake's CA. */
export function introspector(
  caPem: string,
  endpoint: string,
  authorization: string,
): (token: string) => Promise<IntrospectionResult> {
  const f = createTrustingFetch(caPem, { keepAlive: false });
  return async (token) => {
    const res = await f(endpoint, {
      method: 'POST',
      headers: { Authorization: authorization, Accept: 'application/json' },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
    });
    if (res.status !== 200) throw new Error(`introspection answered HTTP ${res.status}`);
    return (await res.json()) as IntrospectionResult;
  };
}

export async function listenForLoginHost(
  lc: Omit<LoginHostContext, 'loginHost'>,
  log: LoginHostLogEntry[],
  tls: { certPem: string; keyPem: string },
  port: number,
): Promise<LoginHostListener & { ctx: LoginHostContext }> {
  const ctx: LoginHostContext = { ...lc, loginHost: '' };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', `https://${ctx.loginHost}`);
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: LoginHostLogEntry = { method, path: url.pathname, at: ctx.store.now() };
    log.push(entry);
    const body = await readBodyOrDrop(req);
    if (!body) {
      entry.responseStatus = 'DROPPED';
      return;
    }
    const ct = req.headers['content-type'];
    const reply = await dispatchLoginHost(ctx, method, url.pathname, {
      query: url.searchParams,
      headers: req.headers,
      body,
      contentType: parseContentType(Array.isArray(ct) ? ct[0] : ct),
      log: entry,
    });
    const status = String(reply.body.responseStatus ?? 'SUCCESS');
    entry.responseStatus = status;
    const errors = reply.body.errors;
    if (Array.isArray(errors) && errors[0] && typeof errors[0] === 'object')
      entry.errorType = String((errors[0] as { type?: unknown }).type);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json;charset=UTF-8',
      'X-VaultAPI-ExecutionId': randomUUID(),
      // R-hdr: X-VaultAPI-Status also on unversioned paths (UNCONFIRMED, as for GET /api/).
      'X-VaultAPI-Status': status,
    };
    const p = reply.headerPrincipal;
    if (p) headers['X-VaultAPI-UserId'] = String(p.user.id);
    if (res.destroyed) return;
    res.writeHead(200, headers);
    res.end(JSON.stringify(reply.body));
  };

  const listener = await listenHttps(tls, port, (req, res) => {
    handle(req, res).catch((e: unknown) => sendVaultException(res, e));
  });
  ctx.loginHost = `127.0.0.1:${listener.port}`;
  return { port: listener.port, ctx, close: () => unbindServer(listener.server) };
}
