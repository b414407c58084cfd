import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createAppContext, type AppContext } from '../../electron/app-context';
import { createHandlerTable, originSenderCheck, type HandlerTable } from '../../electron/ipc/handler-table';
import { createLogger, memorySink, type LogRecord } from '../../electron/log';
import type { SecretStore } from '../../electron/secrets/secret-store';
import { attachBridge } from './browser-bridge';
import { launchChromium } from './chromium';
import { serveRenderer } from './static-server';

export interface Harness {
  page: Page;
  ctx: AppContext;
  logs: LogRecord[];
  origin: string;
  /** Closes the service and builds a new one on the same data directory, then reloads the page. */
  restart(): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The renderer in real Chromium against the REAL handler table: real SQLite
 * in `dataDir`, the given keychain (the real one in these suites). Only the
 * Electron transport is swapped for Playwright bindings.
 */
export async function startHarness(options: { dataDir: string; secrets: SecretStore; browser?: Browser; extraContext?: Partial<Parameters<typeof createAppContext>[0]> }): Promise<Harness> {
  const server = await serveRenderer();
  const { sink, records } = memorySink();
  const build = (): { ctx: AppContext; table: HandlerTable } => {
    const ctx = createAppContext({ dataDir: options.dataDir, version: '0.1.0', actor: 'e2e', secrets: options.secrets, logger: createLogger(sink, 'debug'), ...options.extraContext });
    return { ctx, table: createHandlerTable(ctx.service, originSenderCheck([server.origin]), ctx.logger) };
  };
  let current = build();
  const ownBrowser = !options.browser;
  const browser = options.browser ?? (await launchChromium());
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  await attachBridge(page, () => current.table);
  await page.goto(`${server.origin}/index.html`);

  return {
    page,
    get ctx() {
      return current.ctx;
    },
    logs: records,
    origin: server.origin,
    async restart() {
      await current.ctx.close();
      current = build();
      await page.reload();
    },
    async screenshot(name) {
      const path = `test-results/screenshots/${name}.png`;
      await page.screenshot({ path, fullPage: false });
      return path;
    },
    async close() {
      await context.close();
      if (ownBrowser) await browser.close();
      await current.ctx.close();
      await server.close();
      if (pageErrors.length) throw new Error(`The page reported errors:\n${pageErrors.join('\n')}`);
    },
  } satisfies Harness;
}
