/**
 * The fake IdP's HTTPS listener on 127.0.0.1: route table, request log (no
 * secrets: path, method, grant_type, client_id, status, error), and the "down"
 * fault (the listener stops accepting, so clients see connection refused).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyOrDrop } from '../http-io';
import { bindServer, listenHttps, unbindServer, type HttpsListener } from '../listen';
import { handleAuthorizeGet, handleAuthorizePost } from './authorize';
import type { IdpContext } from './context';
import { handleDeviceAuthorization, handleDeviceGet, handleDevicePost } from './device';
import { json, type IdpReply, type IdpRequest } from './http';
import { handleIntrospect } from './introspect';
import { idpMetadata } from './metadata';
import { handleToken } from './token';
import type { IdpRequestLogEntry } from './types';

type IdpHandler = (ctx: IdpContext, rq: IdpRequest) => IdpReply;

/** Form bodies of an authorization server are small; anything bigger is refused. */
const MAX_IDP_BODY = 64 * 1024;

function routes(introspectionAuthorization: string): Record<string, Partial<Record<string, IdpHandler>>> {
  return {
    // OpenID Connect Discovery 1.0 §4.
    '/.well-known/openid-configuration': {
      GET: (ctx) =>
        json(
          200,
          idpMetadata(ctx.store.issuer, {
            deviceFlow: ctx.store.options.deviceFlow,
            issParameter: ctx.store.options.authorizationResponseIss,
          }),
        ),
    },
    // RFC 6749 §3.1: GET must be supported, POST may be.
    '/authorize': { GET: handleAuthorizeGet, POST: handleAuthorizePost },
    '/token': { POST: handleToken },
    '/device_authorization': { POST: handleDeviceAuthorization },
    '/device': { GET: handleDeviceGet, POST: handleDevicePost },
    '/introspect': { POST: (ctx, rq) => handleIntrospect(ctx, rq, introspectionAuthorization) },
  };
}

export interface IdpListener {
  port: number;
  setDown(down: boolean): Promise<void>;
  close(): Promise<void>;
}

export async function listenForIdp(
  ctx: IdpContext,
  log: IdpRequestLogEntry[],
  tls: { certPem: string; keyPem: string },
  port: number,
  introspectionAuthorization: string,
): Promise<IdpListener> {
  const table = routes(introspectionAuthorization);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', ctx.store.issuer);
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: IdpRequestLogEntry = { method, path: url.pathname, at: ctx.store.now() };
    log.push(entry);
    const body = await readBodyOrDrop(req, MAX_IDP_BODY);
    if (!body) {
      entry.status = 413;
      return;
    }
    const route = table[url.pathname];
    const handler = route?.[method];
    let reply: IdpReply;
    if (!route) reply = json(404, { error: 'not_found', error_description: `No endpoint ${url.pathname}.` });
    else if (!handler) {
      reply = json(405, { error: 'invalid_request', error_description: `Method ${method} is not allowed here.` });
      reply.headers.Allow = Object.keys(route).join(', ');
    } else reply = handler(ctx, { method, url, headers: req.headers, body, log: entry });
    entry.status = reply.status;
    if (res.destroyed) return;
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  };

  const listener: HttpsListener = await listenHttps(tls, port, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: 'server_error' }));
      }
    });
  });
  ctx.store.issuer = `https://127.0.0.1:${listener.port}`;

  return {
    port: listener.port,
    async setDown(down: boolean): Promise<void> {
      ctx.faults.down = down;
      if (down) await unbindServer(listener.server);
      else if (!listener.server.listening) await bindServer(listener.server, listener.port);
    },
    close: () => unbindServer(listener.server),
  };
}
