/**
 * The command line's `fetch`: the part of the Fetch API that electron/vault/http.ts uses, over
 * node:https with one keep-alive agent and one TLS context for the whole run (issue 14).
 *
 * Why not Node's global fetch: profiled on a cold `token sync` of 200 Vaults, undici compiled its
 * WebAssembly HTTP parser on the first request (about 130 ms of every run), built a new TLS context
 * for every connection (about 1.5 ms each) and spent about 1 ms a request in its stream machinery.
 * node:https parses HTTP natively and takes a shared context. Trust is the same: the OS-independent
 * Node root store plus NODE_EXTRA_CA_CERTS, with hostname checks on. The desktop app does not use
 * this: it calls Vault through Chromium's network stack (electron/shell/main.ts).
 *
 * Failures reject with Node's own errors (ECONNREFUSED, ENOTFOUND, certificate codes, AbortError),
 * which electron/vault/errors.ts classifies as it does undici's causes.
 */
import { Agent, request } from 'node:https';
import { createSecureContext } from 'node:tls';

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

function urlOf(input: Parameters<typeof fetch>[0]): URL {
  return new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
}

/** `ca` replaces the trusted roots (tests); by default Node's roots plus NODE_EXTRA_CA_CERTS. */
export function createHttpsFetch(options: { ca?: string } = {}): typeof fetch {
  const secureContext = createSecureContext(options.ca ? { ca: options.ca } : {});
  const agent = new Agent({ keepAlive: true, secureContext });
  const httpsFetch = (input: Parameters<typeof fetch>[0], init: RequestInit = {}): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const url = urlOf(input);
      if (url.protocol !== 'https:') {
        reject(new TypeError(`Only https is supported, not ${url.protocol}`));
        return;
      }
      if (init.body != null && typeof init.body !== 'string') {
        reject(new TypeError('Only string request bodies are supported'));
        return;
      }
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, name) => (headers[name] = value));
      // Always a length: Node sends a DELETE body (Delete Object Records' CSV) without one otherwise.
      if (init.body != null) headers['content-length'] = String(Buffer.byteLength(init.body));
      const req = request(
        url,
        { method: init.method ?? 'GET', headers, agent, ...(init.signal ? { signal: init.signal } : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              if (value === undefined) continue;
              for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, one);
            }
            const status = res.statusCode ?? 0;
            resolve(
              new Response(NULL_BODY_STATUS.has(status) ? null : Buffer.concat(chunks), {
                status,
                statusText: res.statusMessage ?? '',
                headers: responseHeaders,
              }),
            );
          });
        },
      );
      req.on('error', reject);
      req.end(init.body ?? undefined);
    });
  return httpsFetch as typeof fetch;
}
