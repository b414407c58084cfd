/** HTTPS listeners on 127.0.0.1 shared by the Vaults, the login host and the IdP (same TLS material, certificate.ts). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface HttpsListener {
  server: Server;
  port: number;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Resolves once the server accepts connections on `port` (0 = ephemeral). */
export function bindServer(server: Server, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function listenHttps(
  tls: { certPem: string; keyPem: string },
  port: number,
  handler: RequestHandler,
): Promise<HttpsListener> {
  const server = createServer({ key: tls.keyPem, cert: tls.certPem }, handler);
  // Idle keep-alive sockets outlive the client's (https-fetch closes its own
  // after 15 s), so a reused socket is never closed under a new request.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  return { server, port: await bindServer(server, port) };
}

/** Stops accepting and drops every open socket (an in-flight request sees a reset). */
export function unbindServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
