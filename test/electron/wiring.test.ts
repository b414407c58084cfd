/**
 * The Electron wiring: preload API, window flags, app:// protocol, CSP,
 * navigation/window/permission denial and IPC registration, in the real
 * Electron runtime through Playwright's _electron. Skipped (and reported as
 * skipped) where no Electron binary is installed, as on the offline CI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { electronBinary } from '../helpers/electron-binary';
import { tempDir } from '../helpers/temp-dir';

const binary = electronBinary();
const root = resolve(__dirname, '../..');

describe.skipIf(!binary)('Electron wiring (real Electron)', () => {
  let app: ElectronApplication;
  let page: Page;
  let dir: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    if (!existsSync(join(root, 'out/main/index.js'))) {
      execFileSync('npx', ['electron-vite', 'build', '-c', 'electron/electron.vite.config.ts'], {
        cwd: root,
        stdio: 'inherit',
      });
    }
    execFileSync(process.execPath, [join(root, 'build/tools/check-native.mjs')], { cwd: root, stdio: 'inherit' });
    dir = tempDir();
    app = await _electron.launch({
      executablePath: binary!,
      args: [root, '--no-sandbox'],
      env: { ...process.env, VAULT_TOKEN_DESK_HOME: dir.path },
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });
  afterAll(async () => {
    await app?.close();
    dir?.cleanup();
  });

  it('loads the renderer from app:// with the CSP header', async () => {
    expect(page.url()).toBe('app://vault-token-desk/index.html');
    const csp = await page.evaluate(async () =>
      (await fetch('app://vault-token-desk/index.html')).headers.get('content-security-policy'),
    );
    expect(csp).toContain("script-src 'self'");
  });

  it('exposes only window.vaultDesk with invoke and on; no Node in the page', async () => {
    const shape = await page.evaluate(() => ({
      keys: Object.keys((window as unknown as { vaultDesk: object }).vaultDesk).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      ipc: typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer,
    }));
    expect(shape).toEqual({ keys: ['invoke', 'on'], require: 'undefined', process: 'undefined', ipc: 'undefined' });
  });

  it('isolates the page: the bridge object is frozen and a webview cannot be attached', async () => {
    const result = await page.evaluate(() => {
      const api = (window as unknown as { vaultDesk: object }).vaultDesk;
      const webview = document.createElement('webview');
      document.body.appendChild(webview);
      return { frozen: Object.isFrozen(api), webviewIsPlain: !('getWebContentsId' in webview) };
    });
    expect(result).toEqual({ frozen: true, webviewIsPlain: true });
  });

  it('answers contract channels over IPC and refuses unknown ones', async () => {
    const result = await page.evaluate(() =>
      (window as unknown as { vaultDesk: { invoke: (c: string) => Promise<unknown> } }).vaultDesk.invoke(
        'connections:list',
      ),
    );
    expect(result).toEqual({ ok: true, value: [] });
    const unknown = await page.evaluate(() =>
      (window as unknown as { vaultDesk: { invoke: (c: string) => Promise<unknown> } }).vaultDesk.invoke('shell:open'),
    );
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('denies new windows and navigation away from the app', async () => {
    const opened = await page.evaluate(() => window.open('https://example.com') === null);
    expect(opened).toBe(true);
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(300);
    expect(page.url()).toBe('app://vault-token-desk/index.html');
    expect(app.windows()).toHaveLength(1);
  });

  it('embeds the Node major the tests run on (.nvmrc, .ci/run)', async () => {
    const embedded = await app.evaluate(() => process.versions.node);
    expect(embedded.split('.')[0]).toBe(process.versions.node.split('.')[0]);
  });

  it('is also the CLI: --cli runs the command in the app runtime, with no window', () => {
    const out = execFileSync(binary!, [root, '--no-sandbox', '--cli', '--version'], {
      env: { ...process.env, VAULT_TOKEN_DESK_HOME: dir.path },
      encoding: 'utf8',
    });
    expect(out.trim()).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
  });

  it('denies permission requests', async () => {
    const state = await page.evaluate(
      async () => (await navigator.permissions.query({ name: 'notifications' as PermissionName })).state,
    );
    expect(state).not.toBe('granted');
  });
});
