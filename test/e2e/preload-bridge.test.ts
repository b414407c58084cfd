/**
 * The browser suites run the app's own preload: out/preload/index.js, evaluated in the page over the
 * Electron shims of test/helpers/preload-shims.ts. These tests prove it is that bundle, byte for byte,
 * that builds window.vaultDesk, and that the shims carry IPC both ways like Electron.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page, Request } from 'playwright-core';
import { MemorySecretStore } from '../../electron/secrets/memory-store';
import { chromiumAvailable } from '../helpers/chromium';
import { startHarness, type Harness } from '../helpers/app-harness';
import {
  PRELOAD_BUILD_COMMAND,
  emitToPage,
  preloadInitScript,
  preloadTextInPage,
  readPreloadBundle,
} from '../helpers/browser-bridge';
import { HOST_KEY, type PreloadHost } from '../helpers/preload-shims';
import { INVOKE_PATH } from '../helpers/static-server';
import { tempDir } from '../helpers/temp-dir';

const PRELOAD_FILE = resolve(__dirname, '../../out/preload/index.js');
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

type Api = {
  invoke: (channel: string, request?: unknown) => Promise<unknown>;
  on: (event: string, listener: (payload: unknown) => void) => () => void;
};

describe.skipIf(!chromiumAvailable)('the browser harness runs the built preload', () => {
  let h: Harness;
  let dir: ReturnType<typeof tempDir>;
  const invokes: string[] = [];

  beforeAll(async () => {
    dir = tempDir();
    h = await startHarness({ dataDir: dir.path, secrets: new MemorySecretStore() });
    h.page.on('request', (r: Request) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith(INVOKE_PATH)) invokes.push(decodeURIComponent(path.slice(INVOKE_PATH.length)));
    });
    await h.page.getByRole('heading', { name: 'No Vault connections yet' }).waitFor();
  });
  afterAll(async () => {
    await h?.close();
    dir?.cleanup();
  });

  it('ran out/preload/index.js byte for byte', async () => {
    const onDisk = readFileSync(PRELOAD_FILE);
    expect(h.preload.path).toBe(PRELOAD_FILE);
    expect(h.preload.sha256).toBe(sha256(onDisk));
    // Read back from the function the page called, not from what the harness meant to send.
    const ran = await preloadTextInPage(h.page);
    expect(sha256(Buffer.from(ran, 'utf8'))).toBe(h.preload.sha256);
    expect(ran).toContain('exposeInMainWorld("vaultDesk"');
  });

  it('exposes exactly invoke and on, frozen and fixed on window, with nothing of Node or Electron', async () => {
    const shape = await h.page.evaluate((hostKey) => {
      const w = window as unknown as Record<string, unknown>;
      const api = w.vaultDesk as object;
      const descriptor = Object.getOwnPropertyDescriptor(window, 'vaultDesk')!;
      return {
        keys: Object.keys(api).sort(),
        frozen: Object.isFrozen(api),
        writable: descriptor.writable,
        configurable: descriptor.configurable,
        replaced: Reflect.set(window, 'vaultDesk', {}),
        deleted: Reflect.deleteProperty(window, 'vaultDesk'),
        same: w.vaultDesk === api,
        globals: ['require', 'process', 'module', 'exports', 'electron', 'ipcRenderer', 'vtdPreloadShims'].filter(
          (name) => name in window,
        ),
        hostEnumerable: Object.keys(window).includes(hostKey),
      };
    }, HOST_KEY);
    expect(shape).toEqual({
      keys: ['invoke', 'on'],
      frozen: true,
      writable: false,
      configurable: false,
      replaced: false,
      deleted: false,
      same: true,
      globals: [],
      hostEnumerable: false,
    });
  });

  it('carries a contract channel to the real handler table', async () => {
    invokes.length = 0;
    const result = await h.page.evaluate(() =>
      (window as unknown as { vaultDesk: Api }).vaultDesk.invoke('connections:list'),
    );
    expect(result).toEqual({ ok: true, value: [] });
    expect(invokes).toEqual(['connections:list']);
  });

  it("answers an unknown channel from the preload's own check, without reaching the server", async () => {
    invokes.length = 0;
    const fromPreload = await h.page.evaluate(() =>
      (window as unknown as { vaultDesk: Api }).vaultDesk.invoke('shell:open', { url: 'https://example.com' }),
    );
    expect(fromPreload).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL', message: 'Unknown channel shell:open.' },
    });
    expect(invokes).toEqual([]);
    // The handler table words it differently, so the answer above did not come from there.
    const fromServer = await h.page.evaluate(async (path) => {
      const response = await fetch(`${path}shell%3Aopen`, { method: 'POST', body: '{}' });
      return (await response.json()) as unknown;
    }, INVOKE_PATH);
    expect(fromServer).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL', message: 'Unknown request “shell:open”.' },
    });
  });

  it('delivers events on their IPC channel to on() subscribers until they unsubscribe', async () => {
    const { page } = h;
    await page.evaluate(() => {
      const w = window as unknown as { vaultDesk: Api; got: unknown[]; off: () => void };
      w.got = [];
      w.off = w.vaultDesk.on('connections:changed', (payload) => w.got.push(payload));
    });
    const got = () => page.evaluate(() => (window as unknown as { got: unknown[] }).got);

    await emitToPage(page, 'connections:changed', { reason: 'first' });
    expect(await got()).toEqual([{ reason: 'first' }]);

    // Electron sends on eventChannel(event); the bare event name is not a channel the preload listens on.
    const reached = await page.evaluate(
      (key) => (window as unknown as Record<string, PreloadHost>)[key]!.emit('connections:changed', { reason: 'x' }),
      HOST_KEY,
    );
    expect(reached).toBe(0);

    await page.evaluate(() => {
      (window as unknown as { off: () => void }).off();
    });
    await emitToPage(page, 'connections:changed', { reason: 'after unsubscribe' });
    expect(await got()).toEqual([{ reason: 'first' }]);

    const unknownEvent = await page.evaluate(() => {
      try {
        (window as unknown as { vaultDesk: Api }).vaultDesk.on('shell:opened', () => undefined);
        return 'subscribed';
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(unknownEvent).toBe('Unknown event shell:opened.');
  });

  it('refuses, loudly, what a sandboxed preload would not have', async () => {
    const probe = [
      "const electron = require('electron');",
      'const results = {};',
      'const attempt = (name, fn) => {',
      '  try { results[name] = { value: fn() }; } catch (error) { results[name] = { error: error.message }; }',
      '};',
      "attempt('fs', () => require('fs'));",
      "attempt('platform', () => process.platform);",
      "attempt('argv', () => process.argv[process.argv.length - 1].startsWith('--vault-desk-bridge='));",
      "attempt('send', () => electron.ipcRenderer.send);",
      "attempt('webFrame', () => electron.webFrame);",
      "attempt('esModule', () => electron.__esModule);",
      "attempt('patch', () => { electron.ipcRenderer.invoke = null; });",
      "attempt('this', () => this === module.exports && exports === module.exports);",
      "electron.contextBridge.exposeInMainWorld('probe', results);",
      "attempt('again', () => electron.contextBridge.exposeInMainWorld('probe', {}));",
      "attempt('onTop', () => electron.contextBridge.exposeInMainWorld('location', {}));",
    ].join('\n');
    const page: Page = await h.page.context().newPage();
    try {
      await page.addInitScript({ content: await preloadInitScript(probe) });
      await page.goto(`${h.origin}/no-such-page`);
      const results = await page.evaluate(() => (window as unknown as { probe: unknown }).probe);
      const shim = '(test/helpers/preload-shims.ts)';
      expect(results).toEqual({
        fs: { error: "module not found: fs (the test preload shims answer only require('electron'))" },
        platform: { error: `process.platform is not provided by the test preload shims ${shim}.` },
        argv: { value: true },
        send: { error: `ipcRenderer.send is not provided by the test preload shims ${shim}.` },
        webFrame: { error: `electron.webFrame is not provided by the test preload shims ${shim}.` },
        esModule: {},
        patch: { error: `ipcRenderer.invoke cannot be changed in the test preload shims ${shim}.` },
        this: { value: true },
        again: { error: 'Cannot bind an API on top of an existing property on the window object' },
        onTop: { error: 'Cannot bind an API on top of an existing property on the window object' },
      });
    } finally {
      await page.close();
    }
  });

  it('names the build command when the bundle is missing', async () => {
    const missing = join(dir.path, 'out/preload/index.js');
    await expect(readPreloadBundle(missing)).rejects.toThrow(PRELOAD_BUILD_COMMAND);
  });
});
