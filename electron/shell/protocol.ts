/**
 * Serves the renderer from app://vault-token-desk/ instead of file://
 * (security checklist in docs/architecture.md, item 18), with the CSP as a response header. Only files inside
 * the renderer build are served; anything else is a 404.
 */
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { join, normalize, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from './security/csp';

export const APP_SCHEME = 'app';
export const APP_HOST = 'vault-token-desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  const root = normalize(rendererDir + sep);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('not found', { status: 404 });
    const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
    const file = normalize(join(root, relative));
    if (!file.startsWith(root)) return new Response('not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString()).catch(() => null);
    if (!response || !response.ok) return new Response('not found', { status: 404 });
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: 200, headers });
  });
}
