import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createAppContext, type AppContext } from '../../electron/app/app-context';
import { createHandlerTable, originSenderCheck, type HandlerTable } from '../../electron/ipc/handler-table';
import { createLogger, memorySink, type LogRecord } from '../../electron/log';
import type { SecretStore } from '../../electron/secrets/secret-store';
import { MemoryClipboard } from '../../electron/tokens/clipboard';
import type { EventEmitterFn } from '../../electron/app/events';
import { startFakeVault } from '../fake-vault/index';
import { createTrustingFetch } from '../fake-vault/https-fetch';
import type { FakeVault, FakeVaultOptions } from '../fake-vault/types';
import { attachBridge, emitToPage, readPreloadBundle, type InjectedPreload } from './browser-bridge';
import { launchChromium } from './chromium';
import { serveRenderer } from './static-server';
import type { RevealRequest } from '../../electron/tokens/tokens-service';

/** A fetch for suites without a fake Vault: every host is unreachable, as DNS failure reports it. */
const offlineFetch: typeof fetch = async (input) => {
  const host = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url).host;
  throw new TypeError('fetch failed', {
    cause: Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host }),
  });
};

export interface Harness {
  page: Page;
  ctx: AppContext;
  /** The fake Vault over HTTPS on 127.0.0.1, when the harness was asked for one. */
  fakeVault: FakeVault | null;
  /** What main wrote to the clipboard (Electron's clipboard is the only part swapped). */
  clipboard: MemoryClipboard;
  logs: LogRecord[];
  origin: string;
  /** The built preload (out/preload/index.js) the page runs as window.vaultDesk, and its SHA-256. */
  preload: InjectedPreload;
  /**
   * Stands in for the desktop app's native confirmation before a value is shown or copied
   * (electron/shell/reveal-gate.ts): 'approve' clicks "Show value", 'decline' clicks Cancel.
   * Every request is recorded in `revealRequests`.
   */
  revealAnswer: 'approve' | 'decline';
  revealRequests: RevealRequest[];
  /** Closes the service and builds a new one on the same data directory, then reloads the page. */
  restart(): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The renderer in real Chromium against the REAL handler table: real SQLite
 * in `dataDir`, the given keychain (the real one in these suites), and the
 * real preload bundle. Only Electron's IPC is swapped: ipcRenderer calls
 * travel as same-origin posts to the harness server (browser-bridge.ts).
 */
export async function startHarness(options: {
  dataDir: string;
  secrets: SecretStore;
  browser?: Browser;
  /** Start a fake Vault (options as for startFakeVault); its CA is trusted by the service's fetch. */
  fakeVault?: FakeVaultOptions | true;
  /** More app-context options; a function gets the fake Vault (e.g. to point the login host at it). */
  extraContext?:
    | Partial<Parameters<typeof createAppContext>[0]>
    | ((fake: FakeVault | null) => Partial<Parameters<typeof createAppContext>[0]>);
}): Promise<Harness> {
  // First, so a missing bundle fails before anything is started.
  const preloadBundle = await readPreloadBundle();
  let table: HandlerTable | null = null;
  const server = await serveRenderer({
    onInvoke: (channel, senderUrl, request) => {
      if (!table) throw new Error('the service is not ready');
      return table.handle(channel, { url: senderUrl }, request);
    },
  });
  const { sink, records } = memorySink();
  // A generous login limit: UI suites log in often; suites about the limit set it themselves.
  const fakeVault = options.fakeVault
    ? await startFakeVault({ authBurstLimit: 10_000, ...(options.fakeVault === true ? {} : options.fakeVault) })
    : null;
  const clipboard = new MemoryClipboard();
  const gate: Pick<Harness, 'revealAnswer' | 'revealRequests'> = { revealAnswer: 'approve', revealRequests: [] };
  let page: Page | null = null;
  const emit: EventEmitterFn = (event, payload) => {
    if (page) void emitToPage(page, event, payload).catch(() => undefined);
  };
  const build = (): { ctx: AppContext; table: HandlerTable } => {
    const ctx = createAppContext({
      dataDir: options.dataDir,
      version: '0.1.0',
      actor: 'e2e',
      secrets: options.secrets,
      logger: createLogger(sink, 'debug'),
      clipboard,
      emit,
      vaultTimeoutMs: 5_000,
      revealGate: async (request) => {
        gate.revealRequests.push(request);
        return gate.revealAnswer === 'approve';
      },
      // Without a fake Vault nothing may leave this machine: made-up Vault names must never reach the internet.
      fetch: fakeVault ? createTrustingFetch(fakeVault.caPem) : offlineFetch,
      ...(typeof options.extraContext === 'function' ? options.extraContext(fakeVault) : options.extraContext),
    });
    return { ctx, table: createHandlerTable(ctx.service, originSenderCheck([server.origin]), ctx.logger) };
  };
  let current = build();
  table = current.table;
  const ownBrowser = !options.browser;
  const browser = options.browser ?? (await launchChromium());
  const context: BrowserContext = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
  });
  page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  const preload = await attachBridge(page, preloadBundle);
  await page.goto(`${server.origin}/index.html`);
  const thePage = page;

  return {
    page: thePage,
    fakeVault,
    clipboard,
    get ctx() {
      return current.ctx;
    },
    logs: records,
    origin: server.origin,
    preload,
    get revealAnswer() {
      return gate.revealAnswer;
    },
    set revealAnswer(answer) {
      gate.revealAnswer = answer;
    },
    revealRequests: gate.revealRequests,
    async restart() {
      await current.ctx.close();
      current = build();
      table = current.table;
      await thePage.reload();
    },
    async screenshot(name) {
      const path = `test-results/screenshots/${name}.png`;
      await thePage.screenshot({ path, fullPage: false });
      return path;
    },
    async close() {
      await context.close();
      if (ownBrowser) await browser.close();
      await current.ctx.close();
      await server.close();
      await fakeVault?.close();
      if (pageErrors.length) throw new Error(`The page reported errors:\n${pageErrors.join('\n')}`);
    },
  } satisfies Harness;
}
