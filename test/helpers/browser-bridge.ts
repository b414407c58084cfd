import { build } from 'vite';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { HandlerTable } from '../../electron/ipc/handler-table';
import { EVENTS } from '../../shared/contract';

let bundled: Promise<string> | null = null;

/** The bridge entry bundled once per process as a classic script. */
function bridgeScript(): Promise<string> {
  bundled ??= (async () => {
    const output = await build({
      configFile: false,
      logLevel: 'silent',
      build: {
        write: false,
        minify: false,
        lib: { entry: resolve(__dirname, 'browser-bridge-entry.ts'), formats: ['iife'], name: 'vtdBridge' },
      },
    });
    const result = Array.isArray(output) ? output[0] : output;
    const chunk = (result as { output: { type: string; code?: string }[] }).output.find((o) => o.type === 'chunk');
    if (!chunk?.code) throw new Error('bridge bundle is empty');
    return chunk.code;
  })();
  return bundled;
}

/**
 * Swaps only the Electron transport: the page's window.vaultDesk posts each
 * call to the harness server (see static-server.ts), which hands it to the
 * real handler table with the page's URL as the sender, as ipcMain would pass
 * event.senderFrame.url. Plain JSON over loopback costs about what Electron's
 * structured-clone IPC does; Playwright bindings cost ~0.4 ms per row.
 */
export async function attachBridge(page: Page, getTable: () => HandlerTable): Promise<void> {
  const names = JSON.stringify({ channels: getTable().channels, events: EVENTS });
  await page.addInitScript({ content: `window.__vtdNames = ${names};\n${await bridgeScript()}` });
}

/** Pushes a main→renderer event into the page. */
export async function emitToPage(page: Page, event: string, payload: unknown): Promise<void> {
  await page.evaluate(
    ([e, p]) => (window as unknown as { __vtdEmit: (e: string, p: unknown) => void }).__vtdEmit(e, p),
    [event, payload] as const,
  );
}
