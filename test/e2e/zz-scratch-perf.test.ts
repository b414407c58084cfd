import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { realKeychain } from '../helpers/keychain';
import { startHarness, type Harness } from '../helpers/app-harness';
import { tempDir } from '../helpers/temp-dir';

const keychain = await realKeychain();
let browser: Browser; let h: Harness; let dir: ReturnType<typeof tempDir>;
beforeAll(async () => { dir = tempDir(); browser = await launchChromium(); h = await startHarness({ dataDir: dir.path, secrets: keychain.store, browser }); });
afterAll(async () => { await h?.close(); await browser?.close(); dir?.cleanup(); });

it('100k rows', async () => {
  const rows = Array.from({ length: 100_000 }, (_, i) => ({ connection: `Vault ${i % 40}`, vaultDns: `v${i % 40}.example.com`, vaultId: 1000 + (i % 40), tokenId: `0PI${String(i).padStart(12, '0')}`, name: `Token ${i}`, userId: String(5000 + (i % 900)), userName: `user${i % 900}@example.com`, status: 'active', expiresAt: new Date(Date.now() + (1 + (i % 700)) * 86400000).toISOString(), lastUsedAt: null, createdAt: null, secretStored: false, source: 'sync', revokedAt: null, lastSyncedAt: null }));
  const file = `${dir.path}/big.json`;
  await writeFile(file, JSON.stringify({ format: 'vault-token-desk-inventory', version: 1, exportedAt: new Date().toISOString(), rows }));
  let t = Date.now();
  await h.page.getByTestId('import-file').setInputFiles(file);
  await expect.poll(() => h.page.locator('.notices').innerText(), { timeout: 120_000 }).toContain('Imported');
  console.log('import ms', Date.now() - t);
  const grid = h.page.getByRole('grid', { name: 'Tokens' });
  for (const off of [0, 50000, 99800]) { const t0 = performance.now(); await h.ctx.service.queryTokens({ offset: off, limit: 200, includeImported: true, sort: { column: 'expiresAt', direction: 'asc' } } as never); console.log('query', off, performance.now() - t0); }
  for (const off of [0, 50000]) { const t0 = performance.now(); await h.ctx.service.queryTokens({ offset: off, limit: 200, includeImported: true, search: 'token 12', sort: { column: 'name', direction: 'asc' } } as never); console.log('query search', off, performance.now() - t0); }
  await expect.poll(() => grid.getAttribute('aria-rowcount'), { timeout: 30_000 }).toBe('100001');
  for (const frac of [0.5, 0.25, 0.9, 1]) {
    t = Date.now();
    const idx = await grid.evaluate((el, f) => { el.scrollTop = (el.scrollHeight - el.clientHeight) * f; return Math.floor(el.scrollTop / 32); }, frac);
    await expect.poll(() => grid.locator('[data-row-id]').count(), { timeout: 10_000, interval: 20 }).toBeGreaterThan(15);
    await expect.poll(() => grid.locator('.vrow--placeholder').count(), { timeout: 10_000, interval: 20 }).toBe(0);
    console.log('jump', frac, idx, 'ms', Date.now() - t, 'dom rows', await grid.getByRole('row').count());
  }
  // wheel scroll smoothness: frames
  const res = await h.page.evaluate(async () => {
    const el = document.querySelector('.vgrid')!;
    el.scrollTop = 1000 * 32;
    const times: number[] = []; let last = performance.now();
    for (let i = 0; i < 120; i++) { el.scrollTop += 48; await new Promise((r) => requestAnimationFrame(() => r(null))); const now = performance.now(); times.push(now - last); last = now; }
    times.sort((a, b) => a - b);
    return { median: times[60], p95: times[114], max: times[119] };
  });
  console.log('frames', res);
  t = Date.now();
  await h.page.getByRole('searchbox', { name: 'Search tokens' }).fill('Token 9999');
  await expect.poll(() => grid.getAttribute('aria-rowcount'), { timeout: 10_000, interval: 20 }).not.toBe('100001');
  console.log('search ms', Date.now() - t, await grid.getAttribute('aria-rowcount'));
  t = Date.now();
  await grid.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
  await h.page.getByRole('searchbox', { name: 'Search tokens' }).fill('');
  await expect.poll(() => grid.getAttribute('aria-rowcount'), { timeout: 10_000, interval: 20 }).toBe('100001');
  console.log('sort+clear ms', Date.now() - t);
}, 300_000);
