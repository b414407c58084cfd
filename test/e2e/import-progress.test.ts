/**
 * The import's progress in Chromium against the REAL service (real SQLite, handler table and
 * preload): while main imports a file, the inventory shows a progress bar with a count, fed by
 * import:progress events, and the Import button waits; when the import ends, the bar gives way
 * to the notice. The import is held half way (by wrapping the service method) so that the bar
 * can be looked at; the rows are then written by the real import.
 */
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/chromium';
import { startHarness, type Harness } from '../helpers/app-harness';
import { tempDir } from '../helpers/temp-dir';
import { MemorySecretStore } from '../../electron/secrets/memory-store';
import type { ImportProgress } from '../../shared/contract/tokens';

const ROWS = 3000;

function exportDocument(): string {
  const rows = Array.from({ length: ROWS }, (_, i) => ({
    connection: 'Gamma Safety (review copy)',
    vaultDns: 'gamma-safety.example.com',
    vaultId: 4242,
    tokenId: `0PI9${String(i).padStart(11, '0')}`,
    name: `Gamma token ${i}`,
    userId: '9001',
    userName: 'gamma.integration@example.com',
    status: 'active',
    expiresAt: new Date(Date.now() + (100 + (i % 300)) * 86_400_000).toISOString(),
    lastUsedAt: null,
    createdAt: null,
    secretStored: false,
    source: 'sync',
    revokedAt: null,
    lastSyncedAt: new Date().toISOString(),
  }));
  return JSON.stringify({
    format: 'vault-token-desk-inventory',
    version: 1,
    exportedAt: new Date().toISOString(),
    rows,
  });
}

describe.skipIf(!chromiumAvailable)('Import progress in Chromium against the real service', () => {
  let h: Harness;
  let dir: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    dir = tempDir();
    h = await startHarness({ dataDir: dir.path, secrets: new MemorySecretStore() });
    await h.page.goto(`${h.origin}/index.html#/inventory`);
  });

  afterAll(async () => {
    await h?.close();
    dir?.cleanup();
  });

  it('shows a progress bar with a count while main imports, then the outcome', async () => {
    const tokens = h.ctx.tokens;
    const importTokens = tokens.importTokens.bind(tokens);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Main reports that it is half way through writing, then waits until the test has looked.
    tokens.importTokens = ((content: string, fileName?: string, onProgress?: (p: ImportProgress) => void) => {
      onProgress?.({ phase: 'checking', done: ROWS, total: ROWS, fileName: fileName ?? null });
      onProgress?.({ phase: 'writing', done: 1200, total: ROWS, fileName: fileName ?? null });
      return held.then(() => importTokens(content, fileName, onProgress));
    }) as typeof tokens.importTokens;
    try {
      const file = `${dir.path}/gamma-export.json`;
      await writeFile(file, exportDocument());
      await h.page.getByTestId('import-file').setInputFiles(file);

      const bar = h.page.getByRole('progressbar', { name: 'Importing rows: 1,200 of 3,000' });
      await expect.poll(() => bar.count(), { timeout: 10_000 }).toBe(1);
      expect(await bar.evaluate((el: HTMLProgressElement) => [el.value, el.max])).toEqual([1200, 3000]);
      expect(await h.page.getByTestId('import-progress').innerText()).toContain('Importing gamma-export.json');
      expect(await h.page.getByRole('button', { name: 'Importing…' }).isDisabled()).toBe(true);

      release();
      await expect
        .poll(() => h.page.locator('.notices').innerText(), { timeout: 20_000 })
        .toContain(`Imported 3,000 tokens from gamma-export.json`);
      expect(await h.page.getByRole('progressbar').count()).toBe(0);
      expect(await h.page.getByRole('button', { name: 'Import…' }).isDisabled()).toBe(false);
    } finally {
      tokens.importTokens = importTokens;
      release();
    }
  });
});
