/**
 * The inventory at consultant scale (issue 13, items 2 and 3), in Chromium against the REAL
 * service (real SQLite, handler table and preload) and the fake Vault: 40 connections, 3,000
 * tokens. Asserts on what is rendered, not on component state:
 *  - names alike but for their end ("Acme PromoMats Prod" / "…UAT") stay apart: the tail of a
 *    cut name is inside its cell, in the grid and in the revoke confirmation; the full name is
 *    the title and a tooltip on keyboard focus;
 *  - columns resize by keyboard and by pointer, and the widths and the chosen columns survive a
 *    reload; at 1024 px the default columns fit without a sideways scroll;
 *  - the Vault summary line: a failed sync is told in words and an icon, survives a reload and
 *    a restart of the service (ConnectionHealth.lastSyncError in SQLite), filters the inventory
 *    to the failed Vaults, and "Retry failed" syncs only those;
 *  - axe-core (WCAG 2.2 AA + best practice) finds nothing serious, light and dark.
 * Screenshots at 1280×800 and 1024×700, light and dark, go to /tmp/inventory-shots/.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { chromiumAvailable } from '../helpers/chromium';
import type { Harness } from '../helpers/app-harness';
import { expectNoSeriousAxe } from '../helpers/axe';
import type { Connection } from '../../shared/domain';
import type { FakeTokenSeed, FakeUserSeed, FakeVaultSeed } from '../fake-vault/index';
import { openFreshInventory, settled } from '../helpers/inventory-page';
import { addPasswordConnections, syncAllTokens } from '../helpers/connections';
import { CONSULTANT_VAULTS, consultantAdmin } from '../helpers/consultant-seed';
import { memorySecretsSuite } from '../helpers/harness-suite';

const PASSWORD = 'Fake-Vault-Pass-1';
const DAY = 86_400_000;
const SHOTS = '/tmp/inventory-shots';

// 5 clients × 4 applications × Prod/UAT = 40 Vaults whose names differ only at the end.
const VAULTS: FakeVaultSeed[] = CONSULTANT_VAULTS;
const USERS: FakeUserSeed[] = [
  consultantAdmin(PASSWORD),
  ...Array.from({ length: 4 }, (_, i): FakeUserSeed => ({
    id: 901 + i,
    username: `integration${i}@example.com`,
    password: PASSWORD,
    firstName: `Integration${i}`,
    lastName: 'User',
    vaults: 'all',
  })),
];
const NAMES = ['ETL nightly load', 'Salesforce sync', 'CI pipeline', 'Tableau extract', 'Boomi process'];
const TOKENS_PER_VAULT = 75; // 3,000 in all; under 25 per user per Vault
const TOKENS: FakeTokenSeed[] = VAULTS.flatMap((v, vi) =>
  Array.from({ length: TOKENS_PER_VAULT }, (_, i): FakeTokenSeed => ({
    vault: v.id!,
    user: 901 + (i % 4),
    name: `${NAMES[i % NAMES.length]} ${i}`,
    expiresAt: new Date(Date.now() + (3 + ((i * 7 + vi * 3) % 360)) * DAY),
    lastUsedAt: i % 3 ? new Date(Date.now() - (1 + (i % 90)) * DAY) : null,
  })),
);
const PROD = 'Acme PromoMats Prod';
const UAT = 'Acme PromoMats UAT';
const QUERY_FAILS = 'Borealis Pharma RIM Prod';
const DROPPED = 'Cobalt Biotech Safety UAT';

describe.skipIf(!chromiumAvailable)('The inventory at 40 Vaults and 3,000 tokens in Chromium', () => {
  const suite = memorySecretsSuite();
  let h: Harness;
  const connections = new Map<string, Connection>();

  const page = () => h.page;
  const grid = () => h.page.getByRole('grid', { name: 'Tokens' });
  const summary = () => h.page.getByRole('region', { name: 'Vaults and sync status' });
  const COLUMN_IDS: Record<string, string> = {
    Vault: 'connection',
    Name: 'name',
    'Token id': 'tokenId',
    'Last synced': 'lastSyncedAt',
  };
  const header = (label: string) => grid().locator(`[role="columnheader"][data-column="${COLUMN_IDS[label]}"]`);
  const handle = (label: string) => grid().getByRole('separator', { name: `Resize the ${label} column` });
  const vaultId = (name: string) => VAULTS.find((v) => v.name === name)!.id!;

  async function search(text: string) {
    await h.page.getByRole('searchbox', { name: 'Search tokens' }).fill(text);
    await settled(h.page);
  }
  const widthOf = (l: Locator) => l.evaluate((el) => Math.round(el.getBoundingClientRect().width));
  async function shot(name: string) {
    await h.page.screenshot({ path: `${SHOTS}/${name}.png` });
  }

  /** How a Vault cell is drawn: its tail's text, whether the tail lies inside the cell, whether the head is cut. */
  function vaultCellDrawing(cell: Locator) {
    return cell.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const tail = el.querySelector('.mid-trunc__tail')!;
      const head = el.querySelector('.mid-trunc__head');
      const t = tail.getBoundingClientRect();
      return {
        text: el.querySelector('.mid-trunc')!.textContent,
        tail: tail.textContent,
        tailInside: t.width > 0 && t.left >= box.left - 0.5 && t.right <= box.right + 0.5,
        headCut: head ? head.scrollWidth > head.clientWidth : false,
      };
    });
  }
  /** The Vault cell of the first row on screen from `vault`. */
  const vaultCellOf = (vault: string) =>
    grid().locator('[role="row"][data-row-id]').filter({ hasText: vault }).first().getByRole('gridcell').nth(1);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await suite.start({
      fakeVault: { vaults: VAULTS, users: USERS, tokens: TOKENS },
    });
    const made = await addPasswordConnections(h.ctx, h.fakeVault!.vaults, {
      username: 'admin@example.com',
      password: PASSWORD,
    });
    for (const c of made) connections.set(c.name, c);
    await syncAllTokens(h.ctx);
    expect((await h.ctx.service.queryTokens({ search: undefined, offset: 0, limit: 1 })).total).toBe(
      VAULTS.length * TOKENS_PER_VAULT,
    );
    await openFreshInventory(h);
  }, 300_000);

  afterAll(() => suite.close());

  it('puts the Vault first and keeps the end of names that differ only there, with the full name on hover and focus', async () => {
    await settled(h.page);
    const labels = await grid().getByRole('columnheader').allInnerTexts();
    expect(labels.map((l) => l.replace(/[▲▼]/g, '').trim())).toEqual([
      '',
      'Vault',
      'User',
      'Name',
      'Token id',
      'Status',
      'Expires',
      'Last used',
      'Secret',
    ]);
    // The summary line says 40 in one line; no per-Vault chips push the grid down.
    expect(await summary().innerText()).toMatch(/40 Vaults[\s\S]*40 synced/);
    await search('Acme PromoMats');
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe(String(2 * TOKENS_PER_VAULT + 1));
    await shot('inventory-1280-light');

    // Narrow the Vault column until the names are cut: each keeps its own end, inside the cell.
    await handle('Vault').focus();
    for (let i = 0; i < 3; i++) await h.page.keyboard.press('Shift+ArrowLeft');
    await expect.poll(() => widthOf(header('Vault'))).toBeLessThanOrEqual(96);
    const prod = await vaultCellDrawing(vaultCellOf(PROD));
    const uat = await vaultCellDrawing(vaultCellOf(UAT));
    expect(prod).toEqual({ text: PROD, tail: 'Prod', tailInside: true, headCut: true });
    expect(uat).toEqual({ text: UAT, tail: 'UAT', tailInside: true, headCut: true });
    expect(await vaultCellOf(PROD).getAttribute('title')).toMatch(
      new RegExp(`^${PROD} — 127\\.0\\.0\\.1:\\d+ \\(Vault \\d+\\)$`),
    );
    await shot('inventory-narrow-vault-column');

    // Keyboard focus: the focused row is described by a tooltip with the full name.
    await grid().focus();
    await h.page.keyboard.press('Home');
    const tip = grid().getByRole('tooltip');
    await expect.poll(() => tip.isVisible()).toBe(true);
    const focusedRow = grid().locator('#inv-row-0');
    const rowVault = (await focusedRow.locator('.vcell--vault .mid-trunc').textContent())!;
    expect(await tip.innerText()).toContain(rowVault);
    expect(await focusedRow.getAttribute('aria-describedby')).toBe(await tip.getAttribute('id'));
    await h.page.keyboard.press('ArrowDown');
    await expect.poll(() => grid().locator('#inv-row-1').getAttribute('aria-describedby')).toBe('inv-vault-tip');
    expect(await grid().getByRole('tooltip').count()).toBe(1);
    await h.page.getByRole('searchbox', { name: 'Search tokens' }).focus();
    await expect.poll(() => tip.isVisible()).toBe(false);

    await page()
      .getByRole('button', { name: /^Columns/ })
      .click();
    await page().getByRole('button', { name: 'Reset columns' }).click();
    await page().keyboard.press('Escape');
    await expect.poll(() => widthOf(header('Vault'))).toBeGreaterThan(150);
  });

  it('resizes a column by keyboard and by pointer, and remembers the widths after a reload', async () => {
    const vault = handle('Vault');
    expect(await vault.getAttribute('aria-orientation')).toBe('vertical');
    const before = Number(await vault.getAttribute('aria-valuenow'));
    expect(before).toBe(await widthOf(header('Vault')));
    await vault.focus();
    for (let i = 0; i < 3; i++) await h.page.keyboard.press('ArrowRight');
    await h.page.keyboard.press('Shift+ArrowRight');
    await expect.poll(async () => Number(await vault.getAttribute('aria-valuenow'))).toBe(before + 3 * 8 + 40);
    expect(await widthOf(header('Vault'))).toBe(before + 64);
    // Home goes to the column's minimum, which is not below its floor.
    await h.page.keyboard.press('Home');
    await expect
      .poll(async () => Number(await vault.getAttribute('aria-valuenow')))
      .toBe(Number(await vault.getAttribute('aria-valuemin')));
    const floor = Number(await vault.getAttribute('aria-valuemin'));
    for (let i = 0; i < 20; i++) await h.page.keyboard.press('ArrowRight');
    const keyed = floor + 20 * 8;
    await expect.poll(async () => Number(await vault.getAttribute('aria-valuenow'))).toBe(keyed);
    expect(await widthOf(header('Vault'))).toBe(keyed);

    // Drag the Name column's edge 60 px to the right.
    const name = handle('Name');
    const nameBefore = await widthOf(header('Name'));
    const box = (await name.boundingBox())!;
    const y = box.y + box.height / 2;
    await h.page.mouse.move(box.x + box.width / 2, y);
    await h.page.mouse.down();
    for (const dx of [15, 30, 45, 60]) await h.page.mouse.move(box.x + box.width / 2 + dx, y);
    await h.page.mouse.up();
    await expect.poll(() => widthOf(header('Name'))).toBe(nameBefore + 60);
    expect(Number(await name.getAttribute('aria-valuenow'))).toBe(nameBefore + 60);
    // The drag did not sort by Name.
    expect(await header('Name').getAttribute('aria-sort')).toBe('none');

    await h.page.reload();
    await expect.poll(() => h.page.locator('[data-row-id]').count(), { timeout: 20_000 }).toBeGreaterThan(5);
    expect(await widthOf(header('Vault'))).toBe(keyed);
    expect(await widthOf(header('Name'))).toBe(nameBefore + 60);
    const stored = JSON.parse(
      (await h.page.evaluate(() => localStorage.getItem('vault-token-desk.inventory.columns.v1')))!,
    );
    expect(stored.widths).toEqual({ connection: keyed, name: nameBefore + 60 });
    expect(JSON.stringify(stored)).not.toMatch(/veeva-vault-|Fake-Vault-Pass/);
  });

  it('chooses the columns from a keyboard-accessible menu; Last synced is off by default and in the drawer', async () => {
    expect(await header('Last synced').count()).toBe(0);
    // Last synced is in the details drawer instead.
    await grid().focus();
    await h.page.keyboard.press('Home');
    await h.page.keyboard.press('Enter');
    const drawer = h.page.getByRole('complementary');
    await expect.poll(() => drawer.isVisible()).toBe(true);
    expect(await drawer.innerText()).toMatch(/Last synced\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await drawer.getByRole('button', { name: 'Close details' }).click();

    const button = h.page.getByRole('button', { name: /^Columns/ });
    await button.focus();
    await h.page.keyboard.press('Enter');
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    const menu = h.page.getByRole('group', { name: 'Columns shown' });
    expect(await menu.getByRole('checkbox', { name: 'Last synced' }).isChecked()).toBe(false);
    expect(await menu.getByRole('checkbox', { name: /^Vault/ }).isDisabled()).toBe(true);
    await shot('inventory-columns-menu');
    await expectNoSeriousAxe(h.page);
    // Tab to "Last synced" and tick it with Space; untick Token id.
    for (let i = 0; i < 20; i++) {
      await h.page.keyboard.press('Tab');
      if (await menu.getByRole('checkbox', { name: 'Last synced' }).evaluate((el) => el === document.activeElement))
        break;
    }
    await h.page.keyboard.press('Space');
    await expect.poll(() => header('Last synced').count()).toBe(1);
    await menu.getByRole('checkbox', { name: 'Token id' }).uncheck();
    await expect.poll(() => header('Token id').count()).toBe(0);
    expect(await grid().getAttribute('aria-colcount')).toBe('9');
    expect(await grid().locator('#inv-row-0 [role="gridcell"]').count()).toBe(9);
    expect(await grid().locator('#inv-row-0').innerText()).toMatch(/just now|\d+ min ago/);
    await h.page.keyboard.press('Escape');
    await expect.poll(() => menu.count()).toBe(0);
    expect(await button.evaluate((el) => el === document.activeElement)).toBe(true);

    await h.page.reload();
    await expect.poll(() => h.page.locator('[data-row-id]').count(), { timeout: 20_000 }).toBeGreaterThan(5);
    expect(await header('Last synced').count()).toBe(1);
    expect(await header('Token id').count()).toBe(0);

    await h.page.getByRole('button', { name: /^Columns/ }).click();
    await h.page.getByRole('button', { name: 'Reset columns' }).click();
    await h.page.keyboard.press('Escape');
    await expect.poll(() => header('Token id').count()).toBe(1);
    expect(await header('Last synced').count()).toBe(0);
  });

  it('at 1024×700 the default columns fit without a sideways scroll, light and dark', async () => {
    await search('');
    for (const scheme of ['light', 'dark'] as const) {
      await h.page.emulateMedia({ colorScheme: scheme });
      for (const [w, hgt] of [
        [1280, 800],
        [1024, 700],
      ] as const) {
        await h.page.setViewportSize({ width: w, height: hgt });
        await expect.poll(() => grid().evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
        // Every header is inside the grid's box, so nothing is behind a scroll.
        const outside = await grid().evaluate((el) => {
          const box = el.getBoundingClientRect();
          return [...el.querySelectorAll('[role="columnheader"]')]
            .filter((c) => c.getBoundingClientRect().right > box.right + 0.5)
            .map((c) => c.textContent);
        });
        expect(outside).toEqual([]);
        // No header label is cut either.
        const cut = await grid()
          .locator('.sort-btn')
          .evaluateAll((buttons) => buttons.filter((b) => b.scrollWidth > b.clientWidth).map((b) => b.textContent));
        expect(cut).toEqual([]);
        await shot(`inventory-${w}-${scheme}`);
        await expectNoSeriousAxe(h.page);
      }
    }
    await h.page.emulateMedia({ colorScheme: 'light' });
    await h.page.setViewportSize({ width: 1280, height: 800 });
  });

  it('a failed sync is told in words and an icon, and survives a reload and a restart', async () => {
    const fake = h.fakeVault!;
    fake.faults.inject(
      { vaultId: vaultId(QUERY_FAILS), path: /\/query$/ },
      { kind: 'vaultError', type: 'INSUFFICIENT_ACCESS', message: 'Simulated: query refused' },
    );
    fake.faults.inject({ vaultId: vaultId(DROPPED) }, { kind: 'drop' });
    await h.page.getByRole('button', { name: 'Sync all' }).click();
    await expect.poll(() => summary().innerText(), { timeout: 60_000 }).toMatch(/2 failed[\s\S]*38 synced/);
    await expect
      .poll(() => h.page.getByRole('button', { name: 'Sync all' }).isDisabled(), { timeout: 60_000 })
      .toBe(false);
    // One message: the sync notice, and no second "unreachable" banner.
    expect(await h.page.getByText(/Vaults? unreachable/).count()).toBe(0);

    const persisted = (name: string) =>
      (
        h.ctx.db
          .prepare('SELECT last_sync_error AS e FROM connections WHERE id = ?')
          .get(connections.get(name)!.id) as {
          e: string | null;
        }
      ).e;
    const queryError = persisted(QUERY_FAILS)!;
    const dropError = persisted(DROPPED)!;
    expect(queryError).toBeTruthy();
    expect(dropError).toBeTruthy();

    const checkFailuresShown = async () => {
      await expect.poll(() => summary().innerText(), { timeout: 20_000 }).toMatch(/⚠\s*2 failed/);
      const line = await summary().innerText();
      expect(line).toContain(QUERY_FAILS);
      expect(line).toContain(DROPPED);
      const toggle = summary().getByRole('button', { name: /40 Vaults/ });
      if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
      const item = (name: string) => summary().locator(`[data-connection-id="${connections.get(name)!.id}"]`);
      expect(await item(QUERY_FAILS).getAttribute('data-state')).toBe('failed');
      expect(await item(QUERY_FAILS).innerText()).toMatch(/⚠[\s\S]*sync failed/);
      expect(await item(QUERY_FAILS).innerText()).toContain(queryError);
      expect(await item(DROPPED).innerText()).toMatch(/⚠[\s\S]*sync failed · offline/);
      expect(await item(DROPPED).innerText()).toContain(dropError);
      expect(await item(PROD).innerText()).toMatch(/✓[\s\S]*synced/);
    };
    await checkFailuresShown();
    await shot('inventory-failed-expanded-light');
    await expectNoSeriousAxe(h.page);
    await h.page.emulateMedia({ colorScheme: 'dark' });
    await shot('inventory-failed-expanded-dark');
    await expectNoSeriousAxe(h.page);
    await h.page.setViewportSize({ width: 1024, height: 700 });
    await shot('inventory-failed-expanded-1024-dark');
    await h.page.emulateMedia({ colorScheme: 'light' });
    await shot('inventory-failed-expanded-1024-light');
    await expectNoSeriousAxe(h.page);
    // Collapsed, the failures take one line.
    await summary()
      .getByRole('button', { name: /40 Vaults/ })
      .click();
    await shot('inventory-failed-collapsed-1024-light');
    await h.page.setViewportSize({ width: 1280, height: 800 });
    await shot('inventory-failed-collapsed-1280-light');

    await h.page.reload();
    await checkFailuresShown();
    // A new service on the same database: the failure was kept in SQLite, not in memory.
    await h.restart();
    await checkFailuresShown();
  }, 180_000);

  it('"2 failed" filters the inventory to those Vaults, and "Retry failed" syncs only them', async () => {
    const failedChip = summary().getByRole('button', { name: /2 failed/ });
    await failedChip.click();
    await expect.poll(() => failedChip.getAttribute('aria-pressed')).toBe('true');
    await settled(h.page);
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe(String(2 * TOKENS_PER_VAULT + 1));
    expect(await h.page.getByRole('button', { name: /Vaults: 2 selected/ }).count()).toBe(1);
    const shownVaults = new Set(
      await grid()
        .locator('[data-row-id] .vcell--vault .mid-trunc')
        .evaluateAll((cells) => cells.map((c) => c.textContent)),
    );
    expect([...shownVaults].sort()).toEqual([QUERY_FAILS, DROPPED].sort());
    await shot('inventory-filtered-to-failed');
    await failedChip.click();
    await expect.poll(() => failedChip.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe(String(VAULTS.length * TOKENS_PER_VAULT + 1));

    const fake = h.fakeVault!;
    fake.faults.clear();
    const from = fake.requestLog.length;
    await summary().getByRole('button', { name: 'Retry failed' }).click();
    await expect.poll(() => summary().innerText(), { timeout: 60_000 }).toMatch(/40 synced/);
    expect(await summary().innerText()).not.toMatch(/failed/);
    const called = new Set(fake.requestLog.slice(from).map((r) => r.vaultId));
    expect([...called].sort()).toEqual([vaultId(QUERY_FAILS), vaultId(DROPPED)].sort());
    expect(await h.page.locator('.notices').innerText()).toMatch(/Sync complete[\s\S]*2 Vaults synced/);
    expect(h.ctx.db.prepare('SELECT COUNT(*) AS n FROM connections WHERE last_sync_error IS NOT NULL').get()).toEqual({
      n: 0,
    });
  }, 120_000);

  it('the revoke confirmation keeps the Vault names apart', async () => {
    await search('Acme PromoMats');
    const rows = grid().locator('[role="row"][data-row-id]');
    const prodRow = rows.filter({ hasText: PROD }).first();
    const uatRow = rows.filter({ hasText: UAT }).first();
    await prodRow.click();
    await uatRow.click({ modifiers: ['Control'] });
    await expect.poll(() => h.page.locator('.selection-bar').innerText()).toContain('2 of 150 selected');
    await h.page.locator('.selection-bar').getByRole('button', { name: 'Revoke…' }).click();
    const confirm = h.page.getByRole('dialog', { name: 'Revoke 2 tokens?' });
    await expect.poll(() => confirm.isVisible()).toBe(true);
    const cells = confirm.getByRole('table', { name: 'Tokens to revoke' }).locator('tbody tr td:first-child');
    const drawn = await cells.evaluateAll((tds) =>
      tds.map((td) => {
        const tail = td.querySelector('.mid-trunc__tail')!;
        const box = td.getBoundingClientRect();
        const t = tail.getBoundingClientRect();
        return { text: td.textContent, tail: tail.textContent, inside: t.width > 0 && t.right <= box.right + 0.5 };
      }),
    );
    expect(drawn.sort((a, b) => a.text!.localeCompare(b.text!))).toEqual([
      { text: PROD, tail: 'Prod', inside: true },
      { text: UAT, tail: 'UAT', inside: true },
    ]);
    expect(await cells.first().getAttribute('title')).toMatch(/^Acme PromoMats (Prod|UAT) — 127\.0\.0\.1:\d+/);
    await shot('revoke-confirm-light');
    await expectNoSeriousAxe(h.page);
    await h.page.emulateMedia({ colorScheme: 'dark' });
    await shot('revoke-confirm-dark');
    await expectNoSeriousAxe(h.page);
    await h.page.emulateMedia({ colorScheme: 'light' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => confirm.count()).toBe(0);
  });
});
