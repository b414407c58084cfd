import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../electron/shell/security/csp';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Answers one bridged request: channel, the sending page's URL, and the payload. */
export type InvokeHandler = (channel: string, senderUrl: string | undefined, request: unknown) => Promise<unknown>;

export const INVOKE_PATH = '/__vault-desk/invoke/';

/**
 * Serves the built renderer on 127.0.0.1 with the same CSP the app:// protocol
 * sends, and (for the preload's ipcRenderer shim) answers POST /__vault-desk/invoke/<channel>
 * by passing the JSON body to `onInvoke` — the test's stand-in for Electron IPC.
 */
export async function serveRenderer(
  options: { root?: string; onInvoke?: InvokeHandler } = {},
): Promise<{ origin: string; close: () => Promise<void> }> {
  const root = options.root ?? resolve(__dirname, '../../out/renderer');
  const server: Server = createServer(async (req, res) => {
    if (req.method === 'POST' && req.url?.startsWith(INVOKE_PATH) && options.onInvoke) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { request?: unknown };
      const channel = decodeURIComponent(req.url.slice(INVOKE_PATH.length));
      try {
        // Same-origin fetches carry the page's full URL as Referer: the sender frame's URL.
        const result = await options.onInvoke(channel, req.headers.referer, body.request);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(result));
      } catch (error) {
        // As a throwing ipcMain handler: the page's ipcRenderer.invoke rejects (preload-shims.ts).
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(error instanceof Error ? error.message : String(error));
      }
      return;
    }
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^([/\\])+/, '');
    const file = join(root, path || 'index.html');
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
