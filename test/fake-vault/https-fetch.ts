/**
 * `fetch` that trusts an extra CA, built on node:https (NODE_EXTRA_CA_CERTS
 * is only read at process start, and undici is not a dependency).
 *
 * Faithful to WHATWG fetch where tests can tell:
 *  - input/init are normalised through the global `Request` (method, headers,
 *    string / URLSearchParams / FormData / bytes bodies and their default
 *    Content-Type, GET-with-body TypeError);
 *  - resolves once headers arrive, with a streaming body; `status`,
 *    `statusText`, `headers`, `url`, `redirected`, `.text()`, `.json()`;
 *  - network / TLS failures reject with `TypeError('fetch failed', { cause })`;
 *  - an AbortSignal rejects with `signal.reason` (before or during the
 *    request, or while the body is read);
 *  - redirects follow fetch's rules (`follow` up to 20, `manual`, `error`).
 * Not implemented: compression (no Accept-Encoding is sent), cookies, CORS.
 */
import type { IncomingMessage } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

export interface TrustingFetchOptions {
  /** Reuse connections like fetch does. Default true. */
  keepAlive?: boolean;
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;

interface Attempt {
  url: URL;
  method: string;
  headers: Headers;
  body: Buffer | null;
}

export function createTrustingFetch(caPem: string | string[], options: TrustingFetchOptions = {}): typeof fetch {
  // `timeout` closes idle pooled sockets after 15 s (before typical server
  // keep-alive limits), avoiding ECONNRESET on reuse; it does not abort requests.
  const agent = new Agent({ ca: caPem, keepAlive: options.keepAlive ?? true, timeout: 15_000 });

  const once = (a: Attempt, signal: AbortSignal): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      if (a.url.protocol !== 'https:') {
        reject(
          new TypeError('fetch failed', {
            cause: new Error(`createTrustingFetch only speaks https, got ${a.url.protocol}`),
          }),
        );
        return;
      }
      const headers: Record<string, string> = {};
      a.headers.forEach((v, k) => {
        headers[k] = v;
      });
      headers.accept ??= '*/*';
      headers['user-agent'] ??= 'node';
      if (a.body) headers['content-length'] = String(a.body.length);
      const req = httpsRequest(a.url, { method: a.method, headers, agent });
      const onAbort = (): void => {
        req.destroy();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('response', (res) => {
        signal.removeEventListener('abort', onAbort);
        resolve(res);
      });
      req.on('error', (err) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? signal.reason : new TypeError('fetch failed', { cause: err }));
      });
      req.end(a.body ?? undefined);
    });

  const trustingFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const signal = request.signal;
    let attempt: Attempt = {
      url: new URL(request.url),
      method: request.method,
      headers: new Headers(request.headers),
      body: request.body ? Buffer.from(await request.arrayBuffer()) : null,
    };
    let redirected = false;
    for (let hop = 0; ; hop++) {
      const res = await once(attempt, signal);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECT_STATUS.has(status) && location && request.redirect !== 'manual') {
        res.resume();
        if (request.redirect === 'error' || hop >= MAX_REDIRECTS) {
          throw new TypeError('fetch failed', {
            cause: new Error(request.redirect === 'error' ? 'unexpected redirect' : 'too many redirects'),
          });
        }
        const toGet =
          status === 303 ? attempt.method !== 'HEAD' : (status === 301 || status === 302) && attempt.method === 'POST';
        const headers = new Headers(attempt.headers);
        if (toGet)
          ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'].forEach((h) =>
            headers.delete(h),
          );
        attempt = {
          url: new URL(location, attempt.url),
          method: toGet ? 'GET' : attempt.method,
          headers,
          body: toGet ? null : attempt.body,
        };
        redirected = true;
        continue;
      }
      return toResponse(res, attempt, redirected, signal);
    }
  };
  return trustingFetch as typeof fetch;
}

function toResponse(res: IncomingMessage, attempt: Attempt, redirected: boolean, signal: AbortSignal): Response {
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  const status = res.statusCode ?? 0;
  const noBody = NULL_BODY_STATUS.has(status) || attempt.method === 'HEAD';
  let body: ReadableStream<Uint8Array> | null = null;
  if (noBody) {
    res.resume();
  } else {
    const onAbort = (): void => {
      res.destroy(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    res.once('close', () => signal.removeEventListener('abort', onAbort));
    body = Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>;
  }
  const response = new Response(body, { status, statusText: res.statusMessage ?? '', headers });
  Object.defineProperty(response, 'url', { value: attempt.url.href });
  Object.defineProperty(response, 'redirected', { value: redirected });
  return response;
}
