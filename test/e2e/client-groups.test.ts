/**
 * Client groups (issue 15, item 3) in real Chromium against the real handler table, SQLite and the
 * fake Vault: connections belong to a client and an environment; the Connections screen shows and
 * groups them, the form completes clients, the inventory toolbar, the Vaults strip and Reminders
 * filter by them, and Revoke and Rotate mark PROD with a word and an icon. axe finds nothing
 * serious in the new parts.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/chromium';
import type { Harness } from '../helpers/app-harness';
import { expectNoSeriousAxe } from '../helpers/axe';
import type { ConnectionEnvironment } from '../../shared/domain';
import type { FakeTokenSeed, FakeUserSeed, FakeVaultSeed } from '../fake-vault/index';
import { settled } from '../helpers/inventory-page';
import { addPasswordConnections, syncAllTokens } from '../helpers/connections';
import { memorySecretsSuite } from '../helpers/harness-suite';

const PASSWORD = 'Groups-Pass-1';
const DAY = 86_400_000;
const SHOTS = '/tmp/groups-shots';

const GROUPS: { name: string; client: string | null; environment: ConnectionEnvironment | null }[] = [
  { name: 'Acme PromoMats', client: 'Acme', environment: 'PROD' },
  { name: 'Acme PromoMats Test', client: 'Acme', environment: 'QA' },
  { name: 'Globex RIM', client: 'Globex', environment: 'DEV' },
  { name: 'Loose Vault', client: null, environment: null },
];
const VAULTS: FakeVaultSeed[] = GROUPS.map((g, i) => ({ id: 7100 + i, name: g.name }));
const ADMIN = 910;
const USERS: FakeUserSeed[] = [
  {
    id: ADMIN,
    username: 'groups.admin@example.com',
    password: PASSWORD,
    firstName: 'Gail',
    lastName: 'Groups',
    securityProfile: 'vault_owner__v',
    vaults: 'all',
  },
];
const TOKENS: FakeTokenSeed[] = VAULTS.map((v) => ({
  vault: v.id!,
  user: ADMIN,
  name: `${v.name} nightly`,
  expiresAt: new Date(Date.now() + 10 * DAY),
}));

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.skipIf(!chromiumAvailable)('Client groups in Chromium', () => {
  const suite = memorySecretsSuite();
  let h: Harness;

  const grid = () => h.page.getByRole('grid', { name: 'Tokens' });
  const gridNames = async () =>
    (await grid().getByRole('row').allInnerTexts())
      .map((t) => GROUPS.find((g) => t.includes(`${g.name} nightly`))?.name)
      .filter(Boolean)
      .sort();
  async function shot(name: string) {
    await h.page.screenshot({ path: `${SHOTS}/${name}.png` });
  }
  const filters = () => h.page.getByRole('search', { name: 'Filter tokens' });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await suite.start({
      fakeVault: { vaults: VAULTS, users: USERS, tokens: TOKENS },
    });
    await addPasswordConnections(
      h.ctx,
      h.fakeVault!.vaults,
      { username: USERS[0]!.username, password: PASSWORD },
      (_, i) => ({ client: GROUPS[i]!.client, environment: GROUPS[i]!.environment }),
    );
    await syncAllTokens(h.ctx);
    // The harness opened the page before these connections existed: load it afresh.
    await h.page.goto(`${h.origin}/index.html#/inventory`);
    await h.page.reload();
    await h.page.waitForSelector('[data-row-id]', { timeout: 20_000 });
  }, 120_000);

  afterAll(() => suite.close());

  it('the inventory shows each Vault’s environment and filters by client and environment', async () => {
    await settled(h.page);
    const prodRow = grid().getByRole('row', { name: /Acme PromoMats nightly/ });
    expect(await prodRow.locator('.env-tag').innerText()).toBe('PROD');
    expect(
      await grid()
        .getByRole('row', { name: /Loose Vault nightly/ })
        .locator('.env-tag')
        .count(),
    ).toBe(0);
    expect(await gridNames()).toEqual(GROUPS.map((g) => g.name).sort());

    await filters().getByLabel('Client', { exact: true }).selectOption('Acme');
    await settled(h.page);
    await expect.poll(gridNames).toEqual(['Acme PromoMats', 'Acme PromoMats Test']);
    await filters().getByLabel('Environment', { exact: true }).selectOption('PROD');
    await settled(h.page);
    await expect.poll(gridNames).toEqual(['Acme PromoMats']);
    // Client and environment that share no Vault: nothing, and it says so instead of everything.
    await filters().getByLabel('Client', { exact: true }).selectOption('Globex');
    await settled(h.page);
    await expect.poll(gridNames).toEqual([]);
    await filters().getByLabel('Client', { exact: true }).selectOption('No client');
    await filters().getByLabel('Environment', { exact: true }).selectOption('');
    await settled(h.page);
    await expect.poll(gridNames).toEqual(['Loose Vault']);
    await expectNoSeriousAxe(h.page, '.toolbar');
    await filters().getByRole('button', { name: 'Clear filters' }).click();
    await settled(h.page);
    await expect.poll(gridNames).toEqual(GROUPS.map((g) => g.name).sort());
  });

  it('the inventory shows a Client column and sorts by client, environment, then Vault: its group by', async () => {
    const { page } = h;
    await settled(h.page);
    const rowNames = async () =>
      (await grid().getByRole('row').allInnerTexts())
        .map((t) => GROUPS.find((g) => t.includes(`${g.name} nightly`))?.name)
        .filter(Boolean);
    const header = grid().locator('[role="columnheader"][data-column="client"]');
    // On by default: some connection has a client. First, so the groups read down the left.
    const labels = await grid().getByRole('columnheader').allInnerTexts();
    expect(labels.map((l) => l.replace(/[▲▼]/g, '').trim()).slice(0, 3)).toEqual(['', 'Client', 'Vault']);
    const cellOf = (name: string) =>
      grid()
        .getByRole('row', { name: new RegExp(`${escapeRe(name)} nightly`) })
        .getByRole('gridcell')
        .nth(1);
    expect(await cellOf('Globex RIM').innerText()).toBe('Globex');
    expect(await cellOf('Loose Vault').innerText()).toBe('none');

    await header.getByRole('button', { name: 'Client' }).click();
    await settled(h.page);
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    // Acme's QA before its PROD (DEV, QA, UAT, PROD order), where by Vault name PROD came first.
    await expect.poll(rowNames).toEqual(['Acme PromoMats Test', 'Acme PromoMats', 'Globex RIM', 'Loose Vault']);
    await header.getByRole('button', { name: 'Client' }).click();
    await settled(h.page);
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(rowNames).toEqual(['Loose Vault', 'Globex RIM', 'Acme PromoMats', 'Acme PromoMats Test']);
    await expectNoSeriousAxe(h.page, '[role="grid"]');
    await shot('inventory-client-sort');

    // Turned off in the Columns menu, it stays off after a reload; turned on again, it is back.
    const chooser = () => page.locator('.column-chooser');
    await chooser()
      .getByRole('button', { name: /^Columns/ })
      .click();
    await chooser().getByLabel('Client').uncheck();
    await expectNoSeriousAxe(h.page, '.column-chooser');
    await page.keyboard.press('Escape');
    expect(await header.count()).toBe(0);
    await page.reload();
    await page.waitForSelector('[data-row-id]', { timeout: 20_000 });
    expect(await header.count()).toBe(0);
    await chooser()
      .getByRole('button', { name: /^Columns/ })
      .click();
    await chooser().getByLabel('Client').check();
    await page.keyboard.press('Escape');
    await expect.poll(() => header.count()).toBe(1);
    // Back to the Vault order the other tests expect.
    await grid()
      .locator('[role="columnheader"][data-column="connection"]')
      .getByRole('button', { name: 'Vault' })
      .click();
    await settled(h.page);
  });

  it('the Vaults strip lists Vaults by group, and a group filters the inventory', async () => {
    const strip = h.page.getByRole('region', { name: 'Vaults and sync status' });
    await strip.getByRole('button', { name: '4 Vaults' }).click();
    const titles = await strip.locator('.vault-group__title').allInnerTexts();
    expect(titles.map((t) => t.replace(/\s+/g, ' ').replace(/ Show only this group$/, ''))).toEqual([
      'Acme · QA · 1 Vault',
      'Acme · PROD · 1 Vault',
      'Globex · DEV · 1 Vault',
      'No client · 1 Vault',
    ]);
    await strip.getByRole('button', { name: 'Show only this group: Globex · DEV' }).click();
    await settled(h.page);
    await expect.poll(gridNames).toEqual(['Globex RIM']);
    expect(await filters().getByLabel('Client', { exact: true }).inputValue()).toBe('Globex');
    await expectNoSeriousAxe(h.page, '.vault-summary');
    await shot('strip-groups');
    await strip.getByRole('button', { name: 'Show all groups' }).click();
    await settled(h.page);
    await expect.poll(gridNames).toEqual(GROUPS.map((g) => g.name).sort());
    await strip.getByRole('button', { name: '4 Vaults' }).click();
  });

  it('Revoke marks a PROD Vault with the word and an icon; a QA Vault gets no warning', async () => {
    const { page } = h;
    for (const [name, prod] of [
      ['Acme PromoMats nightly', true],
      ['Acme PromoMats Test nightly', false],
    ] as const) {
      await grid()
        .getByRole('row', { name: new RegExp(`${escapeRe(name)}`) })
        .first()
        .click();
      await page.keyboard.press('Enter');
      const drawer = page.getByRole('complementary', { name });
      await drawer.getByRole('button', { name: 'Revoke…' }).click();
      const confirm = page.getByRole('dialog', { name: `Revoke “${name}”?` });
      await expect.poll(() => confirm.isVisible()).toBe(true);
      const warning = confirm.getByRole('note', { name: 'Production Vault' });
      expect(await warning.count()).toBe(prod ? 1 : 0);
      if (prod) {
        expect(await warning.innerText()).toMatch(/⚠\s*PROD\s*This is a production Vault: Acme PromoMats\./);
        await expectNoSeriousAxe(h.page, 'dialog[open]');
        await shot('revoke-prod');
      }
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await drawer.getByRole('button', { name: 'Close details' }).click();
    }
    expect(h.fakeVault!.state.listTokens().filter((t) => t.name.endsWith('nightly'))).toHaveLength(4);
  });

  it('Rotate marks a PROD Vault too', async () => {
    const { page } = h;
    const row = (await h.ctx.service.queryTokens({ search: 'Acme PromoMats nightly', offset: 0, limit: 5 })).rows[0]!;
    await page.evaluate((id) => (window.location.hash = `#/inventory?rotate=${id}`), row.rowId);
    const dialog = page.getByRole('dialog', { name: 'Rotate “Acme PromoMats nightly”' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByRole('note', { name: 'Production Vault' }).innerText()).toMatch(/PROD/);
    await expectNoSeriousAxe(h.page, 'dialog[open]');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('Connections shows Client and Env, groups and filters by them; the form completes clients', async () => {
    const { page } = h;
    await page.evaluate(() => (window.location.hash = '#/connections'));
    const table = page.getByRole('table', { name: 'Vault connections' });
    await expect.poll(() => table.isVisible()).toBe(true);
    const groupRows = await table.locator('.connections-table__group').allInnerTexts();
    expect(groupRows.map((t) => t.trim())).toEqual([
      'Acme · QA · 1 Vault',
      'Acme · PROD · 1 Vault',
      'Globex · DEV · 1 Vault',
      'No client · 1 Vault',
    ]);
    const acme = table.getByRole('row', { name: /^PROD Acme PromoMats (?!Test)/ });
    expect(await acme.locator('th .env-tag').innerText()).toBe('PROD');

    const groupFilter = page.getByRole('search', { name: 'Filter connections by client group' });
    await groupFilter.getByLabel('Environment', { exact: true }).selectOption('DEV');
    const names = async () =>
      (await table.locator('th[scope="row"] .connections-table__name').allInnerTexts()).map((t) =>
        t.replace(/\s+/g, ' ').trim(),
      );
    await expect.poll(names).toEqual(['DEV Globex RIM']);
    await groupFilter.getByLabel('Environment', { exact: true }).selectOption('');
    // Not grouped, the client has its own column.
    await groupFilter.getByLabel('Group by client and environment').uncheck();
    expect(await table.locator('.connections-table__group').count()).toBe(0);
    expect((await acme.getByRole('cell').first().innerText()).trim()).toBe('Acme');
    await groupFilter.getByLabel('Group by client and environment').check();
    await expectNoSeriousAxe(h.page, '.screen');

    // Give the loose Vault a client from the completion list and an environment.
    await page.getByRole('button', { name: 'Edit Loose Vault' }).click();
    const form = page.getByRole('complementary', { name: /Edit Loose Vault/ });
    const client = form.getByLabel('Client', { exact: true });
    const listId = await client.getAttribute('list');
    expect(
      await page
        .locator(`datalist[id="${listId}"] option`)
        .evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value)),
    ).toEqual(['Acme', 'Globex']);
    await client.fill('Globex');
    await form.getByLabel('Environment', { exact: true }).selectOption('sandbox');
    await expectNoSeriousAxe(h.page, '.panel');
    await shot('connection-form-groups');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => table.locator('.connections-table__group').allInnerTexts())
      .toEqual([
        'Acme · QA · 1 Vault',
        'Acme · PROD · 1 Vault',
        'Globex · DEV · 1 Vault',
        'Globex · Sandbox · 1 Vault',
      ]);
    const saved = h.ctx.connections.list().find((c) => c.name === 'Loose Vault')!;
    expect([saved.client, saved.environment, saved.secretStored]).toEqual(['Globex', 'sandbox', true]);
    await page.evaluate(() => document.querySelector('.table-scroll')?.scrollTo(0, 0));
    await shot('connections-groups');
  });

  it('Reminders filter by client and environment', async () => {
    const { page } = h;
    await page.evaluate(() => (window.location.hash = '#/reminders'));
    const remFilters = page.getByRole('search', { name: 'Filter reminders' });
    await expect.poll(() => remFilters.isVisible()).toBe(true);
    const listed = async () => {
      const text = await page.locator('.screen').innerText();
      return GROUPS.filter((g) => text.includes(`${g.name} nightly`))
        .map((g) => g.name)
        .sort();
    };
    await expect.poll(listed).toEqual(GROUPS.map((g) => g.name).sort());
    const prodRow = page.locator('[role="row"]', { hasText: 'Acme PromoMats nightly' });
    expect(await prodRow.locator('.env-tag').innerText()).toBe('PROD');
    await remFilters.getByLabel('Client', { exact: true }).selectOption('Acme');
    await expect.poll(listed).toEqual(['Acme PromoMats', 'Acme PromoMats Test']);
    await remFilters.getByLabel('Environment', { exact: true }).selectOption('QA');
    await expect.poll(listed).toEqual(['Acme PromoMats Test']);
    await expectNoSeriousAxe(h.page, '.rem-filters');
    await shot('reminders-groups');
  });

  it('Reminders group by client within each week, the client in the Vault cell, columns still lined up', async () => {
    const { page } = h;
    const remFilters = page.getByRole('search', { name: 'Filter reminders' });
    await remFilters.getByLabel('Client', { exact: true }).selectOption('');
    await remFilters.getByLabel('Environment', { exact: true }).selectOption('');
    const order = async () =>
      (await page.locator('.rem-grid__body [role="row"]').allInnerTexts()).flatMap((t) => {
        if (!t.includes('nightly')) return [`# ${t.split('\n')[0]}`];
        const g = [...GROUPS]
          .sort((a, b) => b.name.length - a.name.length)
          .find((x) => t.includes(`${x.name} nightly`));
        return g ? [g.name] : [];
      });
    const tokens = async () => (await order()).filter((x) => !x.startsWith('#'));
    // One week holds all four (they expire at the same instant): in expiry order, ties as main lists them.
    await expect.poll(async () => [...(await tokens())].sort()).toEqual(GROUPS.map((g) => g.name).sort());
    const flat = await tokens();
    const box = remFilters.getByLabel('Group by client');
    expect(await box.isChecked()).toBe(false);
    await box.check();
    // The Connections test moved Loose Vault to Globex · sandbox: Acme QA, Acme PROD, Globex DEV, Globex sandbox.
    const grouped = ['Acme PromoMats Test', 'Acme PromoMats', 'Globex RIM', 'Loose Vault'];
    await expect.poll(tokens).toEqual(grouped);
    const weekHeadings = (await order()).filter((x) => x.startsWith('#'));
    expect(weekHeadings.length).toBeGreaterThan(0);
    const vaultCell = page.locator('.rem-row--token', { hasText: 'Loose Vault nightly' }).getByRole('gridcell').nth(1);
    expect((await vaultCell.innerText()).split('\n')[0]!.replace(/\s+/g, ' ').trim()).toBe(
      'Globex · Sandbox Loose Vault',
    );
    // One table: every token row's cells start where the header's do.
    const geometry = await page.evaluate(() => {
      const left = (e: Element) => Math.round(e.getBoundingClientRect().left);
      const head = [...document.querySelectorAll('.rem-row--head [role=columnheader]')].map(left);
      const rows = [...document.querySelectorAll('.rem-grid__body .rem-row--token')];
      return { head, rows: rows.map((r) => [...r.children].map(left)) };
    });
    expect(geometry.rows.length).toBe(4);
    for (const cells of geometry.rows) expect(cells).toEqual(geometry.head);
    await expectNoSeriousAxe(h.page, '.screen');
    await shot('reminders-grouped');

    // Remembered: after a reload it is still on.
    await page.reload();
    await expect.poll(() => remFilters.getByLabel('Group by client').isChecked()).toBe(true);
    await expect.poll(tokens).toEqual(grouped);
    await remFilters.getByLabel('Group by client').uncheck();
    await expect.poll(tokens).toEqual(flat);
  });
});
