import { build } from 'vite';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { CHANNELS, EVENTS } from '../../shared/contract';
import { encodeBridgeNames, eventChannel } from '../../shared/ipc-names';
import {
  HOST_KEY,
  PRELOAD_HEAD,
  PRELOAD_TAIL,
  SHIMS_GLOBAL,
  type PreloadHost,
  type PreloadHostOptions,
} from './preload-shims';
import { INVOKE_PATH } from './static-server';

const ROOT = resolve(__dirname, '../..');
/** The preload the app ships, as electron-vite builds it (electron/electron.vite.config.ts). */
export const PRELOAD_BUNDLE = resolve(ROOT, 'out/preload/index.js');
export const PRELOAD_BUILD_COMMAND = 'npx electron-vite build -c electron/electron.vite.config.ts';

/**
 * A sandboxed renderer's own arguments; Electron appends webPreferences.additionalArguments after
 * them (electron/shell/window.ts passes the bridge names that way).
 */
const RENDERER_ARGV = ['vault-token-desk', '--type=renderer'];

/** What attachBridge put in the page. */
export interface InjectedPreload {
  path: string;
  /** SHA-256 (hex) of the file's bytes as read from disk; the page ran exactly this text. */
  sha256: string;
}

export interface PreloadBundle extends InjectedPreload {
  text: string;
}

let bundled: Promise<string> | null = null;

/** The shims bundled once per process as a classic script that assigns `var vtdPreloadShims`. */
function shimsScript(): Promise<string> {
  bundled ??= (async () => {
    const output = await build({
      configFile: false,
      logLevel: 'silent',
      build: {
        write: false,
        minify: false,
        lib: { entry: resolve(__dirname, 'preload-shims.ts'), formats: ['iife'], name: SHIMS_GLOBAL },
      },
    });
    const result = Array.isArray(output) ? output[0] : output;
    const chunk = (result as { output: { type: string; code?: string }[] }).output.find((o) => o.type === 'chunk');
    if (!chunk?.code) throw new Error('the preload shims bundle is empty');
    return chunk.code;
  })();
  return bundled;
}

/** The built preload's text, read from disk; throws, naming the build command, when it is missing. */
export async function readPreloadBundle(path = PRELOAD_BUNDLE): Promise<PreloadBundle> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new Error(
      `The browser suites run the built preload, and ${relative(ROOT, path)} is missing. ` +
        `Build it with \`${PRELOAD_BUILD_COMMAND}\` (Vitest's global setup does this when out/ is stale).`,
    );
  }
  const text = bytes.toString('utf8');
  // The page gets a string: it must encode back to the very same bytes.
  if (!Buffer.from(text, 'utf8').equals(bytes)) throw new Error(`${path} is not valid UTF-8.`);
  return { text, path, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * Runs the app's real preload in the page before any app script, over shims for Electron
 * (preload-shims.ts): window.vaultDesk is what out/preload/index.js exposes. Only the transport is
 * swapped: ipcRenderer.invoke posts to the harness server (static-server.ts), which hands the call to
 * the real handler table with the page's URL as the sender, as ipcMain passes event.senderFrame.url.
 * Plain JSON over loopback costs about what Electron's structured-clone IPC does.
 */
export async function attachBridge(page: Page, bundle?: PreloadBundle): Promise<InjectedPreload> {
  const { text, ...injected } = bundle ?? (await readPreloadBundle());
  await page.addInitScript({ content: await preloadInitScript(text) });
  return injected;
}

/** The init script: the shims, then `preloadText` run inside PRELOAD_HEAD … PRELOAD_TAIL with their scope. */
export async function preloadInitScript(preloadText: string): Promise<string> {
  const options: PreloadHostOptions = {
    argv: [...RENDERER_ARGV, encodeBridgeNames({ channels: CHANNELS, events: EVENTS })],
    invokePath: INVOKE_PATH,
  };
  // One function scope, so the bundle's `var` and everything else stay off window.
  return (
    `(() => {\n${await shimsScript()}\n` +
    `${SHIMS_GLOBAL}.runPreload(${PRELOAD_HEAD}${preloadText}${PRELOAD_TAIL}, ${JSON.stringify(options)});\n})();\n`
  );
}

/** Pushes a main→renderer event into the page on its IPC channel, as webContents.send(eventChannel(event)) does. */
export async function emitToPage(page: Page, event: string, payload: unknown): Promise<void> {
  await page.evaluate(
    ([key, channel, p]) => (window as unknown as Record<string, PreloadHost>)[key]!.emit(channel, p),
    [HOST_KEY, eventChannel(event), payload] as const,
  );
}

/** The preload text the page actually ran, read back from the function it called. */
export async function preloadTextInPage(page: Page): Promise<string> {
  const source = await page.evaluate(
    (key) => (window as unknown as Record<string, PreloadHost>)[key]!.preloadSource(),
    HOST_KEY,
  );
  if (!source.startsWith(PRELOAD_HEAD) || !source.endsWith(PRELOAD_TAIL)) {
    throw new Error('the page ran something other than the wrapped preload');
  }
  return source.slice(PRELOAD_HEAD.length, source.length - PRELOAD_TAIL.length);
}
