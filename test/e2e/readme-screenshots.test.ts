/**
 * The README's screenshots (issue 13): the app at consultant scale, 1280×800, light, against the
 * REAL service and the fake Vault: 40 Vaults in 5 client groups, 1,200 tokens. Each shot first
 * asserts that the screen shows what the README says it shows, so a broken screen is never
 * published. The files go to test-results/screenshots/readme-*.png on every run; with
 * VTD_UPDATE_README_SHOTS=1 they also replace build/screenshots/{inventory,connections,reminders}.png.
 * (Generate's shots come from generate.test.ts and generate-many.test.ts.)
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/chromium';
import type { Harness } from '../helpers/app-harness';
import { CONSULTANT_VAULTS, consultantAdmin } from '../helpers/consultant-seed';
import type { FakeTokenSeed, FakeUserSeed } from '../fake-vault/index';
import { memorySecretsSuite } from '../helpers/harness-suite';
import { addPasswordConnections, syncAllTokens } from '../helpers/connections';

const PASSWORD = 'Fake-Vault-Pass-1';
const DAY = 86_400_000;
const USERS: FakeUserSeed[] = [
  consultantAdmin(PASSWORD),
  ...['ETL', 'CI'].map((who, i): FakeUserSeed => ({
    id: 901 + i,
    username: `${who.toLowerCase()}@example.com`,
    password: PASSWORD,
    firstName: who,
    lastName: 'Integration',
    vaults: 'all',
  })),
];
const JOBS = ['ETL nightly load', 'Salesforce sync', 'CI pipeline', 'Tableau extract', 'Boomi process'];
const TOKENS_PER_VAULT = 30;
const TOKENS: FakeTokenSeed[] = CONSULTANT_VAULTS.flatMap((v, vi) =>
  Array.from({ length: TOKENS_PER_VAULT }, (_, i): FakeTokenSeed => ({
    vault: v.id,
    user: 900 + (i % 3),
    name: `${JOBS[i % JOBS.length]} ${1 + Math.floor(i / JOBS.length)}`,
    expiresAt: i % 11 === 10 ? null : new Date(Date.now() + (2 + ((i * 7 + vi * 3) % 200)) * DAY),
    lastUsedAt: i % 4 ? new Date(Date.now() - (1 + ((i * 13) % 120)) * DAY) : null,
  })),
);
const README_SHOTS = ['inventory', 'connections', 'reminders'] as const;

/** A PNG's width and height, from its IHDR chunk (PNG spec §11.2.2). */
function pngSize(path: string): { width: number; height: number } {
  const b = readFileSync(path);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe.skipIf(!chromiumAvailable)('README screenshots at 1280×800, 40 Vaults', () => {
  const suite = memorySecretsSuite();
  let h: Harness;
  const taken = new Map<string, string>();

  async function settled() {
    await expect.poll(() => h.page.locator('.search__spinner, [aria-busy="true"]').count()).toBe(0);
  }
  async function shot(name: (typeof README_SHOTS)[number]) {
    await settled();
    const path = await h.screenshot(`readme-${name}`);
    expect(pngSize(path)).toEqual({ width: 1280, height: 800 });
    taken.set(name, path);
  }

  beforeAll(async () => {
    h = await suite.start({
      fakeVault: { vaults: CONSULTANT_VAULTS, users: USERS, tokens: TOKENS },
    });
    const byName = new Map(CONSULTANT_VAULTS.map((v) => [v.name, v]));
    await addPasswordConnections(
      h.ctx,
      h.fakeVault!.vaults,
      { username: 'admin@example.com', password: PASSWORD },
      (v) => {
        const seed = byName.get(v.name)!;
        return { client: seed.client, environment: seed.environment };
      },
    );
    await syncAllTokens(h.ctx);
    await h.page.evaluate(() => localStorage.clear());
  }, 300_000);

  afterAll(async () => {
    if (process.env.VTD_UPDATE_README_SHOTS === '1')
      for (const [name, path] of taken) copyFileSync(path, `build/screenshots/${name}.png`);
    await suite.close();
  });

  it('inventory: every Vault synced, names told apart, tokens listed', async () => {
    await h.page.goto(`${h.origin}/index.html#/inventory`);
    await h.page.waitForSelector('[data-row-id]', { timeout: 20_000 });
    const summary = h.page.getByRole('region', { name: 'Vaults and sync status' });
    await expect.poll(() => summary.innerText()).toMatch(/40 synced/);
    const grid = h.page.getByRole('grid', { name: 'Tokens' });
    expect(await grid.locator('[role="row"][data-row-id]').count()).toBeGreaterThan(10);
    expect(await grid.getByText('Acme PromoMats Prod', { exact: false }).count()).toBeGreaterThan(0);
    await shot('inventory');
  });

  it('connections: grouped by client, with health', async () => {
    await h.page.goto(`${h.origin}/index.html#/connections`);
    await h.page.getByRole('heading', { name: 'Connections', level: 1 }).waitFor();
    // Grouped by client, then environment: "Acme · PROD · 4 Vaults" (shared/connection-groups.ts).
    const headings = h.page.locator('th[scope="rowgroup"]');
    await headings.first().waitFor();
    expect(await headings.count()).toBe(10);
    expect(await headings.first().innerText()).toMatch(/^Acme .*4 Vaults$/);
    expect(await h.page.getByRole('button', { name: /^Test connection / }).count()).toBe(CONSULTANT_VAULTS.length);
    await shot('connections');
  });

  it('reminders: what is next, by week', async () => {
    await h.page.goto(`${h.origin}/index.html#/reminders`);
    const grid = h.page.getByRole('grid', { name: 'Reminders by week' });
    await grid.waitFor();
    expect(await grid.locator('[role="row"]').count()).toBeGreaterThan(5);
    await shot('reminders');
    expect([...taken.keys()].sort()).toEqual([...README_SHOTS].sort());
  });
});
