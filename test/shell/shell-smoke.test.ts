/**
 * Shell smoke (issue 10): the real built main bundle, out/main/index.js, run in Node with a stand-in
 * `electron` module (test/shell/stand-in/, typed against electron.d.ts). Real SQLite, the real keychain
 * and the real handler table; only Electron itself is replaced. This is what runs on machines without an
 * Electron binary; test/electron/wiring.test.ts runs the same app in real Electron where there is one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHANNELS, EVENTS } from '../../shared/contract';
import { encodeBridgeNames, eventChannel } from '../../shared/ipc-names';
import { HARDENED_WEB_PREFERENCES } from '../../electron/shell/security/web-preferences';
import { CONTENT_SECURITY_POLICY } from '../../electron/shell/security/csp';
import { databasePath } from '../../electron/paths';
import { openDatabase } from '../../electron/store/database';
import { tempDir } from '../helpers/temp-dir';
import { loadOrCreateTls } from '../fake-vault/certificate';
import { MAIN_BUNDLE, ROOT, startShell, type Shell } from './stand-in/control';

const APP = 'app://vault-token-desk';
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** The fake Vault's CA file, the one `npm run fake-vault` tells people to pass. */
async function devCa(): Promise<string> {
  return (await loadOrCreateTls()).caPath;
}

function windowAndTray(shell: Shell) {
  return shell.waitFor((r) => r.windows.length === 1 && r.windows[0]!.shown > 0 && r.tray !== null, 'window and tray');
}

/** One started app for a describe block, on a fresh data directory that `prepare` may fill first. */
function runningApp(prepare: (dataDir: string) => void = () => undefined) {
  const app = { dir: null as ReturnType<typeof tempDir> | null, shell: null as Shell | null };
  beforeAll(async () => {
    expect(existsSync(MAIN_BUNDLE), `${MAIN_BUNDLE} is missing: run npx electron-vite build`).toBe(true);
    app.dir = tempDir();
    prepare(app.dir.path);
    app.shell = startShell({ dataDir: app.dir.path });
    await windowAndTray(app.shell);
  });
  afterAll(async () => {
    app.shell?.kill();
    await app.shell?.exited;
    app.dir?.cleanup();
  });
  return app;
}

describe('shell smoke: a normal start', () => {
  const app = runningApp();
  let shell: Shell;
  let dir: { path: string };
  beforeAll(() => {
    shell = app.shell!;
    dir = app.dir!;
  });

  it('takes the single-instance lock and registers app:// as a privileged scheme before ready', async () => {
    const r = await shell.record();
    expect(r.singleInstanceLocks).toBe(1);
    expect(r.schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true }, beforeReady: true },
    ]);
    expect(r.protocolHandlers).toEqual(['app']);
  });

  it('creates one window with the hardening flags, the built preload and the bridge names', async () => {
    const [window] = (await shell.record()).windows;
    const prefs = window!.options.webPreferences!;
    expect(prefs).toMatchObject(HARDENED_WEB_PREFERENCES);
    expect(prefs.preload).toBe(join(ROOT, 'out/preload/index.js'));
    expect(existsSync(prefs.preload!)).toBe(true);
    expect(prefs.additionalArguments).toEqual([encodeBridgeNames({ channels: CHANNELS, events: EVENTS })]);
    expect(prefs.devTools).toBe(true); // unpackaged; the packaged case is below
    expect(window!.options.show).toBe(false); // shown on ready-to-show, never as a blank frame
    expect(window!.url).toBe(`${APP}/index.html`);
    expect(window!.shown).toBe(1);
  });

  it('serves the built renderer from app:// with the CSP and nosniff headers', async () => {
    const index = await shell.request<{ status: number; headers: Record<string, string>; body: string }>({
      op: 'protocol',
      url: `${APP}/index.html`,
    });
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.body).toBe(readFileSync(join(ROOT, 'out/renderer/index.html'), 'utf8'));
    const root = await shell.request<{ status: number }>({ op: 'protocol', url: `${APP}/` });
    expect(root.status).toBe(200);
  });

  it.each([
    `${APP}/../package.json`,
    `${APP}/%2e%2e/%2e%2e/package.json`,
    `${APP}/..%2f..%2fpackage.json`,
    `${APP}/..%5c..%5cpackage.json`,
    `${APP}/assets/..%2f..%2fmain%2findex.js`,
    `${APP}/%2fetc%2fpasswd`,
    `${APP}/nothing-here.js`,
    'app://another-host/index.html',
  ])('gives no file for %s', async (url) => {
    const response = await shell.request<{ status: number; body: string }>({ op: 'protocol', url });
    expect({ status: response.status, body: response.body }).toEqual({ status: 404, body: 'not found' });
  });

  it('registers every contract channel, and only those', async () => {
    expect([...(await shell.record()).ipcChannels].sort()).toEqual([...CHANNELS].sort());
  });

  it('answers a channel from the app page and refuses any other sender', async () => {
    const ok = await shell.request({ op: 'invoke', channel: 'connections:list', url: `${APP}/index.html` });
    expect(ok).toEqual({ ok: true, value: [] });
    for (const url of ['https://evil.example/', 'app://vault-token-desk.evil/', ` ${APP}/index.html`, null]) {
      const refused = await shell.request({ op: 'invoke', channel: 'connections:list', url });
      expect(refused, String(url)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    }
  });

  it('blocks navigation and redirects away from the app, and every <webview>', async () => {
    const away = await shell.request({ op: 'navigate', event: 'will-navigate', url: 'https://example.com/' });
    expect(away).toEqual({ prevented: true });
    const inside = await shell.request({ op: 'navigate', event: 'will-navigate', url: `${APP}/index.html#/tokens` });
    expect(inside).toEqual({ prevented: false });
    const redirect = await shell.request({ op: 'navigate', event: 'will-redirect', url: 'https://example.com/' });
    expect(redirect).toEqual({ prevented: true });
    const webview = await shell.request({ op: 'navigate', event: 'will-attach-webview', url: `${APP}/` });
    expect(webview).toEqual({ prevented: true });
  });

  it('denies every new window; opens only allow-listed help links in the browser', async () => {
    const help = 'https://developer.veevavault.com/api/';
    for (const url of [help, 'https://example.com/', `${help}?token=abc`, 'file:///etc/passwd', `${APP}/index.html`]) {
      expect(await shell.request({ op: 'window-open', url }), url).toEqual({ action: 'deny' });
    }
    expect((await shell.record()).openedExternally).toEqual([help]);
  });

  it('denies every permission request, check and device request', async () => {
    for (const permission of ['notifications', 'media', 'clipboard-read', 'openExternal', 'geolocation']) {
      const answer = await shell.request({ op: 'permission', partition: '(default)', permission });
      expect(answer, permission).toEqual({ granted: false, checked: false, device: false });
    }
  });

  it('keeps Vault requests in a session of their own, without cache, and trusts no extra CA', async () => {
    const { sessions } = await shell.record();
    expect(sessions).toContainEqual({ partition: 'vault-requests', cache: false, certificateVerifyProc: false });
  });

  it('shows a tray with the count and the menu, and sets the badge', async () => {
    const r = await shell.record();
    expect(r.tray).toMatchObject({ destroyed: false });
    expect(r.tray!.tooltip).toMatch(/^Vault Token Desk/);
    expect(r.tray!.menu).toEqual(
      expect.arrayContaining(['Open Vault Token Desk', 'Show reminders', 'Sync now', 'Quit Vault Token Desk']),
    );
    expect(r.badgeCounts.at(-1)).toBe(0);
  });

  it('focuses the existing window on a second launch, restoring it when minimised', async () => {
    await shell.request({ op: 'minimise' });
    const before = (await shell.record()).windows[0]!;
    await shell.request({ op: 'app-event', name: 'second-instance', args: [['vault-token-desk'], ROOT] });
    const after = (await shell.record()).windows;
    expect(after).toHaveLength(1);
    expect(after[0]!.restored).toBe(before.restored + 1);
    expect(after[0]!.shown).toBe(before.shown + 1);
    expect(after[0]!.focused).toBe(before.focused + 1);
  });

  it('closes the database on quit before the process ends', async () => {
    const wal = `${databasePath(dir.path)}-wal`;
    expect(existsSync(wal)).toBe(true); // open, in WAL mode
    await shell.request({ op: 'quit' }).catch(() => undefined); // the process may end before it answers
    const { code, record } = await shell.exited;
    expect(code).toBe(0);
    expect(record!.quitCalls).toBe(2); // the first was held back until the database was closed
    expect(record!.tray!.destroyed).toBe(true);
    // SQLite removes the WAL file when the last connection closes cleanly.
    expect(existsSync(wal)).toBe(false);
  });
});

describe('shell smoke: reminders reach the desktop', () => {
  const app = runningApp((dataDir) => {
    // A connection (no secret stored: nothing syncs at start) with a synced token that expires in 2 days.
    const db = openDatabase(databasePath(dataDir));
    const now = new Date().toISOString();
    db.prepare(
      `INSERT INTO connections (id, name, dns, username, auth_method, created_at, updated_at)
         VALUES ('c1', 'Acme Production', 'acme.veevavault.com', 'svc@acme.com', 'password', ?, ?)`,
    ).run(now, now);
    db.prepare(
      `INSERT INTO tokens (connection_id, connection_name, vault_dns, token_id, name, user_id, user_name, lifecycle,
                             expires_at, source, read_only, first_seen_at, updated_at, search_text)
         VALUES ('c1', 'Acme Production', 'acme.veevavault.com', '7001', 'Nightly export', '61234', 'svc@acme.com',
                 'active', ?, 'sync', 0, ?, ?, '7001')`,
    ).run(new Date(Date.now() + 2 * 24 * 3600_000).toISOString(), now, now);
    db.close();
  });
  let shell: Shell;
  beforeAll(() => {
    shell = app.shell!;
  });

  it('raises a notification, counts it in the tray and on the badge', async () => {
    const r = await shell.waitFor((x) => x.notifications.some((n) => n.shown), 'a notification');
    expect(r.notifications).toHaveLength(1);
    expect(r.notifications[0]!.title).toMatch(/expires|expiring/i);
    expect(`${r.notifications[0]!.title} ${r.notifications[0]!.body}`).toContain('Nightly export');
    expect(r.badgeCounts.at(-1)).toBe(1);
    expect(r.tray!.tooltip).toMatch(/1/);
  });

  it('shows the window on a click, at the inventory filtered to that token', async () => {
    const before = (await shell.record()).windows[0]!;
    await shell.request({ op: 'click-notification', index: 0 });
    const r = await shell.record();
    expect(r.windows[0]!.shown).toBe(before.shown + 1);
    expect(r.windows[0]!.focused).toBe(before.focused + 1);
    const navigations = r.sent.filter((s) => s.channel === eventChannel('app:navigate'));
    expect(navigations).toHaveLength(1);
    expect(navigations[0]!.payload).toEqual({ hash: '#/inventory?tokens=1' }); // row 1: the seeded token
  });

  it('opens the reminders from the tray menu', async () => {
    await shell.request({ op: 'click-tray-item', label: 'Show reminders' });
    const r = await shell.record();
    expect(r.sent.filter((s) => s.channel === eventChannel('app:navigate')).at(-1)!.payload).toEqual({
      hash: '#/reminders',
    });
  });
});

describe('shell smoke: start-up failures and modes', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => dir?.cleanup());

  it('a damaged database: one dialog whose only button is Quit, exit 1, the file untouched', async () => {
    const file = databasePath(dir.path);
    const damaged = Buffer.from('SQLite format 3\0 but then nothing a database would hold'.padEnd(4096, '#'));
    writeFileSync(file, damaged);
    const shell = startShell({ dataDir: dir.path });
    const { code, record } = await shell.exited;
    expect(code).toBe(1);
    expect(record!.dialogs).toHaveLength(1);
    expect(record!.dialogs[0]).toMatchObject({
      kind: 'sync',
      options: { type: 'error', message: 'Vault Token Desk cannot start', buttons: ['Quit'] },
    });
    expect(record!.windows).toHaveLength(0);
    expect(readFileSync(file)).toEqual(damaged);
  });

  it('a second launch while one runs: quits at once, with no window', async () => {
    const other = tempDir();
    const shell = startShell({ dataDir: other.path, secondInstance: true });
    const { code, record } = await shell.exited;
    other.cleanup();
    expect(code).toBe(0);
    expect(record!.windows).toHaveLength(0);
    expect(record!.protocolHandlers).toEqual([]);
  });

  it('VAULT_TOKEN_DESK_DEV_CA is honoured unpackaged, on the Vault session only', async () => {
    const other = tempDir();
    const shell = startShell({ dataDir: other.path, env: { VAULT_TOKEN_DESK_DEV_CA: await devCa() } });
    const r = await windowAndTray(shell);
    shell.kill();
    await shell.exited;
    other.cleanup();
    expect(r.sessions).toContainEqual({ partition: 'vault-requests', cache: false, certificateVerifyProc: true });
    expect(r.sessions.filter((s) => s.certificateVerifyProc).map((s) => s.partition)).toEqual(['vault-requests']);
  });

  it('VAULT_TOKEN_DESK_DEV_CA is ignored in a packaged build, which also has no DevTools', async () => {
    const other = tempDir();
    const shell = startShell({
      dataDir: other.path,
      packaged: true,
      env: { VAULT_TOKEN_DESK_DEV_CA: await devCa() },
    });
    const r = await windowAndTray(shell);
    shell.kill();
    await shell.exited;
    other.cleanup();
    expect(r.sessions.some((s) => s.certificateVerifyProc)).toBe(false);
    expect(r.windows[0]!.options.webPreferences!.devTools).toBe(false);
    expect(shell.stderr()).toContain('VAULT_TOKEN_DESK_DEV_CA is ignored in an installed app');
  });

  it('--cli runs the command line in the app runtime: no window, no lock, its output and exit code', async () => {
    const other = tempDir();
    const version = startShell({ dataDir: other.path, packaged: true, args: ['--cli', '--version'] });
    const done = await version.exited;
    expect(done.code).toBe(0);
    expect(version.stdout()).toBe(`${VERSION}\n`);
    expect(done.record).toMatchObject({ windows: [], singleInstanceLocks: 0, protocolHandlers: [], dockHidden: true });

    const list = startShell({ dataDir: other.path, packaged: true, args: ['--cli', '--json', 'connection', 'list'] });
    const listed = await list.exited;
    expect({ code: listed.code, stderr: list.stderr() }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(list.stdout())).toEqual([]);

    const wrong = startShell({ dataDir: other.path, packaged: true, args: ['--cli', 'token', 'frobnicate'] });
    const failed = await wrong.exited;
    other.cleanup();
    expect(failed.code).toBe(2);
    expect(wrong.stderr()).toMatch(/^error: /);
  });
});
