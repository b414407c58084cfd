/**
 * The loopback redirect of a native app (RFC 8252 §7.3): a one-shot HTTP listener on 127.0.0.1 at
 * an ephemeral port, receiving `GET /callback?code=…&state=…` from the system browser.
 *
 * Refused: any path but /callback, any Host but `127.0.0.1:{port}` (a DNS-rebinding page cannot
 * reach it by name), a `state` that differs from ours (RFC 6749 §10.12), and every request after
 * the first answer. RFC 8252 §8.3 asks for the loopback IP literal rather than `localhost`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../shared/errors';
import { CONTROL_CHARACTERS } from '../../shared/control-chars';
import type { Logger } from '../log';
import { OAuthError } from './oauth-http';

export const CALLBACK_PATH = '/callback';

export interface LoopbackReceiver {
  /** `http://127.0.0.1:{port}/callback` */
  redirectUri: string;
  /** The authorization code, once the browser comes back; rejects on error, mismatch, timeout or cancel. */
  code: Promise<string>;
  close(): void;
}

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  'Referrer-Policy': 'no-referrer',
};

function page(title: string, text: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#1f2933">
<h1 style="font-size:1.25rem">${esc(title)}</h1><p>${esc(text)}</p></body></html>`;
}

export async function startLoopbackReceiver(options: {
  state: string;
  timeoutMs: number;
  signal?: AbortSignal;
  logger: Logger;
}): Promise<LoopbackReceiver> {
  let settle: { resolve: (code: string) => void; reject: (error: Error) => void } | null = null;
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  code.catch(() => undefined); // the caller awaits it; an early rejection must not go unhandled
  let answered = false;
  let port = 0;

  const finish = (outcome: { code: string } | { error: Error }): void => {
    if (answered) return;
    answered = true;
    if ('code' in outcome) settle!.resolve(outcome.code);
    else settle!.reject(outcome.error);
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    setImmediate(() => server.close());
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const reply = (status: number, title: string, text: string): void => {
      res.writeHead(status, { ...PAGE_HEADERS, Connection: 'close' });
      res.end(page(title, text));
    };
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.headers.host !== `127.0.0.1:${port}`) {
      options.logger.warn('loopback request refused: wrong host', { path: url.pathname });
      return reply(400, 'Not accepted', 'This address only answers as 127.0.0.1.');
    }
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      return reply(404, 'Not found', 'Nothing here.');
    }
    if (answered) {
      options.logger.warn('loopback request refused: sign-in already answered');
      return reply(410, 'Already used', 'This sign-in has already finished. Return to Vault Token Desk.');
    }
    const params = url.searchParams;
    if (params.get('state') !== options.state) {
      reply(
        400,
        'Sign-in refused',
        'The answer did not match the sign-in request. Return to Vault Token Desk and try again.',
      );
      return finish({
        error: new AppError(
          'GUARD',
          'The identity provider’s answer did not match this sign-in request (the state differs), so it was refused and nothing was signed in. Start the sign-in again.',
        ),
      });
    }
    const error = params.get('error');
    if (error) {
      const description = (params.get('error_description') ?? '').replace(CONTROL_CHARACTERS, ' ').slice(0, 300);
      reply(400, 'Sign-in not completed', 'The identity provider did not sign you in. Return to Vault Token Desk.');
      return finish({
        error: new OAuthError(
          error,
          description || null,
          `The identity provider refused the sign-in (${error.slice(0, 60)}${description ? `: ${description}` : ''}).`,
        ),
      });
    }
    const value = params.get('code');
    if (!value) {
      reply(400, 'Sign-in refused', 'The answer had no authorization code.');
      return finish({
        error: new AppError('IDP_REFUSED', 'The identity provider came back without an authorization code.'),
      });
    }
    reply(200, 'Signed in', 'You can close this tab and return to Vault Token Desk.');
    finish({ code: value });
  };

  const server = createServer(handle);
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  const timer = setTimeout(
    () =>
      finish({
        error: new AppError(
          'CANCELLED',
          `The browser sign-in did not finish within ${Math.round(options.timeoutMs / 60_000)} minutes, so it was stopped. Start it again when you are ready.`,
        ),
      }),
    options.timeoutMs,
  );
  timer.unref?.();
  const onAbort = (): void => finish({ error: new AppError('CANCELLED', 'The sign-in was cancelled.') });
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  return {
    redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    code,
    close: () => finish({ error: new AppError('CANCELLED', 'The sign-in was cancelled.') }),
  };
}
