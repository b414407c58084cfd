/**
 * The inventory's search and scrolling in Chromium against the REAL service (real SQLite, the
 * real handler table and preload) with tokens synced from the fake Vault:
 *  - opening the app on the inventory asks main for the first page once, and shows it;
 *  - every keystroke asks main at once (no debounce), and however fast the keys come the grid
 *    ends on exactly the rows main returns for the final text, never an older answer;
 *  - the virtual grid draws the rows in view, wherever it is scrolled, and the keyboard reaches
 *    the last row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/chromium';
import type { Harness } from '../helpers/app-harness';
import { INVOKE_PATH } from '../helpers/static-server';
import { ConnectionCreate } from '../../shared/schemas';
import type { FakeTokenSeed, FakeUserSeed } from '../fake-vault/index';
import { settled } from '../helpers/inventory-page';
import { memorySecretsSuite } from '../helpers/harness-suite';

const PASSWORD = 'Fake-Vault-Pass-1';
const DAY = 86_400_000;
const NAMES = ['ETL nightly load', 'Salesforce sync', 'CI pipeline', 'Tableau extract', 'Boomi process', 'Pat bridge'];
const USERS: FakeUserSeed[] = [
  {
    id: 700,
    username: 'owner@example.com',
    password: PASSWORD,
    firstName: 'Olivia',
    lastName: 'Owner',
    securityProfile: 'vault_owner__v',
    vaults: [100],
  },
  ...Array.from({ length: 8 }, (_, i): FakeUserSeed => ({
    id: 701 + i,
    username: `user${i}@example.com`,
    password: PASSWORD,
    firstName: `User${i}`,
    lastName: 'Example',
    vaults: [100],
  })),
];
// 8 users × 20 tokens: more rows than one page, with names the searches below narrow down.
const TOKENS: FakeTokenSeed[] = Array.from({ length: 160 }, (_, i) => ({
  vault: 100,
  user: 701 + (i % 8),
  name: `${NAMES[i % NAMES.length]} ${i}`,
  expiresAt: new Date(Date.now() + (5 + i) * DAY),
}));
const SORT = { column: 'expiresAt', direction: 'asc' } as const;

describe.skipIf(!chromiumAvailable)('Inventory search and scrolling in Chromium against the real service', () => {
  const suite = memorySecretsSuite();
  let h: Harness;

  const grid = () => h.page.getByRole('grid', { name: 'Tokens' });
  const searchBox = () => h.page.getByRole('searchbox', { name: 'Search tokens' });

  /** What main returns for the first page of a search, as the screen asks for it. */
  async function expected(search: string, offset = 0) {
    const page = await h.ctx.service.queryTokens({ search: search.trim() || undefined, sort: SORT, offset, limit: 50 });
    return { total: page.total, ids: page.rows.map((r) => r.rowId) };
  }

  /** Row ids on screen by row index (aria-rowindex 2 is row 0). */
  async function shownRows(): Promise<Map<number, number>> {
    const pairs = await h.page
      .locator('[data-row-id]')
      .evaluateAll((rows) =>
        rows.map((r) => [Number(r.getAttribute('aria-rowindex')) - 2, Number(r.getAttribute('data-row-id'))]),
      );
    return new Map(pairs as [number, number][]);
  }

  /** Calls on a channel the page has made since it loaded. */
  const calls = (channel: string) =>
    h.page.evaluate(
      (path) => performance.getEntriesByType('resource').filter((r) => r.name.endsWith(path)).length,
      `${INVOKE_PATH}${encodeURIComponent(channel)}`,
    );
  const queryCalls = () => calls('tokens:query');

  beforeAll(async () => {
    h = await suite.start({
      fakeVault: { vaults: [{ id: 100, name: 'Alpha PromoMats' }], users: USERS, tokens: TOKENS },
    });
    await h.ctx.connections.create(
      ConnectionCreate.parse({
        name: 'Alpha PromoMats',
        dns: h.fakeVault!.vaults[0]!.dns,
        username: 'owner@example.com',
        authMethod: 'password',
        secret: PASSWORD,
        rememberSecret: true,
      }),
    );
    const outcomes = await h.ctx.service.syncTokens({});
    expect(outcomes.every((o) => o.ok)).toBe(true);
  });

  afterAll(() => suite.close());

  it('opens on the inventory with its first page, asked for once', async () => {
    await h.page.goto('about:blank');
    await h.page.goto(`${h.origin}/index.html#/inventory`);
    await expect.poll(() => h.page.locator('[data-row-id]').count()).toBeGreaterThan(0);
    await settled(h.page);
    const want = await expected('');
    expect(want.total).toBe(160);
    expect(await grid().getAttribute('aria-rowcount')).toBe(String(want.total + 1));
    const shown = await shownRows();
    expect(shown.size).toBeGreaterThan(5);
    for (const [index, rowId] of shown) expect(rowId).toBe(want.ids[index]);
    expect(await queryCalls()).toBe(1);
    // The Vaults came with it, each asked for once.
    await expect
      .poll(() => h.page.getByRole('region', { name: 'Vaults and sync status' }).innerText())
      .toMatch(/1 Vault[\s\S]*✓\s*1 synced/);
    expect(await h.page.locator('#inventory-title + p').innerText()).toMatch(/^160 tokens · 1 Vault/);
    expect(await calls('connections:list')).toBe(1);
    expect(await calls('connections:health')).toBe(1);
  });

  it('asks main on every keystroke, and fast typing ends on the rows of the final text', async () => {
    const text = 'pat bridge 1';
    const before = await queryCalls();
    await searchBox().click();
    await h.page.keyboard.type(text); // no delay between keys
    await settled(h.page);
    // One query per distinct search (a trailing space searches the same as without it).
    const distinct = new Set(Array.from({ length: text.length }, (_, i) => text.slice(0, i + 1).trim())).size;
    expect(await queryCalls()).toBe(before + distinct);
    const want = await expected(text);
    expect(want.total).toBeGreaterThan(0);
    expect(want.total).toBeLessThan(160);
    await expect
      .poll(() => h.page.locator('#inventory-title + p').innerText())
      .toMatch(new RegExp(`^${want.total} tokens? match`));
    const shown = await shownRows();
    expect([...shown.keys()].sort((a, b) => a - b)).toEqual(want.ids.map((_, i) => i).slice(0, shown.size));
    for (const [index, rowId] of shown) expect(rowId).toBe(want.ids[index]);

    // Backspace through the text as fast: every row again, in order.
    for (let i = 0; i < text.length; i++) await h.page.keyboard.press('Backspace');
    await settled(h.page);
    const all = await expected('');
    expect(await grid().getAttribute('aria-rowcount')).toBe(String(all.total + 1));
    for (const [index, rowId] of await shownRows()) expect(rowId).toBe(all.ids[index]);
  });

  it('a search with no match says so, and the next keystroke brings rows back', async () => {
    await searchBox().fill('pat bridgex');
    await settled(h.page);
    await expect.poll(() => h.page.getByRole('heading', { name: 'No tokens match' }).count()).toBe(1);
    expect(await h.page.locator('[data-row-id]').count()).toBe(0);
    await searchBox().press('Backspace');
    await settled(h.page);
    const want = await expected('pat bridge');
    for (const [index, rowId] of await shownRows()) expect(rowId).toBe(want.ids[index]);
    await searchBox().fill('');
    await settled(h.page);
  });

  it('draws the rows in view wherever the grid is scrolled; End reaches the last row', async () => {
    await grid().evaluate((el) => (el.scrollTop = 32 * 70)); // header row + rows 0…69 above the view
    const middle = await expected('', 50); // rows 50…99: the second page
    await expect
      .poll(async () => {
        const shown = await shownRows();
        return shown.has(70) && [...shown].every(([i, id]) => i < 50 || i >= 100 || id === middle.ids[i - 50]);
      })
      .toBe(true);
    const shown = await shownRows();
    expect(Math.min(...shown.keys())).toBeGreaterThan(50);
    expect(Math.max(...shown.keys())).toBeLessThan(100);

    await grid().focus();
    await h.page.keyboard.press('End');
    await expect.poll(async () => (await shownRows()).has(159)).toBe(true);
    await expect.poll(() => grid().getAttribute('aria-activedescendant')).toBe('inv-row-159');
    const last = await expected('', 150);
    expect((await shownRows()).get(159)).toBe(last.ids[9]);
    await h.page.keyboard.press('Home');
    await expect.poll(async () => (await shownRows()).has(0)).toBe(true);
  });
});
