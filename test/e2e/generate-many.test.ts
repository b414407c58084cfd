/**
 * Generate across Vaults (issue 16, item 1) in Chromium against the REAL service (real SQLite,
 * handler table and preload) and the fake Vault, which enforces 25 active tokens per user:
 *  - "Several Vaults" is a mode of Generate; the single-Vault combobox stays the default;
 *  - the checklist by keyboard: ↓ from the filter into the list, Space ticks, ↑ from the top goes
 *    back, Enter in the filter never submits; "Select all N shown" ticks what the filter shows;
 *  - Check runs the preflight: a Vault at its limit is marked Skipped and nothing is minted;
 *  - Generate mints in the ready Vaults; one Vault that Vault refuses fails alone; the result view
 *    lists every Vault, each value with its own Reveal and Copy (no confirmation: fresh values) and
 *    its own deliveries (the drawer's form): a dotenv file and a command that gets the value on
 *    stdin only, run with "Deliver now" from the card;
 *  - axe-core finds nothing serious, light and dark. Screenshots go to /tmp/generate-many-shots/; the
 *    checklist's is also build/screenshots/generate-many.png for the README.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { chromiumAvailable } from '../helpers/chromium';
import { startHarness, type Harness } from '../helpers/app-harness';
import { expectNoSeriousAxe } from '../helpers/axe';
import { tempDir } from '../helpers/temp-dir';
import { addPasswordConnections, syncAllTokens } from '../helpers/connections';
import { openFreshInventory } from '../helpers/inventory-page';
import { MemorySecretStore } from '../../electron/secrets/memory-store';
import type { FakeTokenSeed, FakeVaultSeed } from '../fake-vault/index';
import { MAX_ACTIVE_TOKENS } from '../fake-vault/index';

const PASSWORD = 'Fake-Vault-Pass-1';
const RECORD = resolve(__dirname, '../fixtures/deliveries/record-stdin.cjs');
const SHOTS = '/tmp/generate-many-shots';
const ADMIN = 950;
const CLIENTS = ['Acme', 'Borealis Pharma', 'Cobalt Biotech'];
const APPS = ['PromoMats', 'QualityDocs'];
const VAULTS: FakeVaultSeed[] = CLIENTS.flatMap((client, c) =>
  APPS.flatMap((app, a) =>
    ['Prod', 'UAT'].map((env, e): FakeVaultSeed => ({ id: 3000 + c * 4 + a * 2 + e, name: `${client} ${app} ${env}` })),
  ),
);
const vaultId = (name: string) => VAULTS.find((v) => v.name === name)!.id!;
const FULL = 'Acme QualityDocs UAT';
const REFUSING = 'Borealis Pharma PromoMats Prod';
const TOKENS: FakeTokenSeed[] = Array.from({ length: MAX_ACTIVE_TOKENS }, (_, i) => ({
  vault: vaultId(FULL),
  user: ADMIN,
  name: `Busy ${i}`,
}));

describe.skipIf(!chromiumAvailable)('Generate across Vaults in Chromium', () => {
  let h: Harness;
  let dir: ReturnType<typeof tempDir>;
  const secrets = new MemorySecretStore();

  const dialog = () => h.page.getByRole('dialog', { name: 'Generate an API access token' });
  const results = () => h.page.getByRole('dialog', { name: /^Generated “Estate export” in/ });
  const filter = () => dialog().getByRole('searchbox', { name: 'Filter Vaults' });
  const checklist = () => dialog().getByRole('group', { name: 'Vaults to generate in' });
  const box = (name: string) => checklist().getByRole('checkbox', { name: new RegExp(`^${name}\\b`) });
  const submit = () => dialog().locator('.dialog__actions .btn--primary');
  const generateButton = () => h.page.locator('.header-actions').getByRole('button', { name: 'Generate token' });
  const minted = (name: string) =>
    h
      .fakeVault!.state.listTokens()
      .filter((t) => t.name === name)
      .map((t) => t.vaultId)
      .sort();
  const isFocused = (l: Locator) => l.evaluate((el) => el === document.activeElement);
  async function expectDialogAxeCleanInBothSchemes() {
    for (const scheme of ['light', 'dark'] as const) {
      await h.page.emulateMedia({ colorScheme: scheme });
      await expectNoSeriousAxe(h.page, 'dialog[open]');
    }
    await h.page.emulateMedia({ colorScheme: 'light' });
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = tempDir();
    h = await startHarness({
      dataDir: dir.path,
      secrets,
      fakeVault: {
        vaults: VAULTS,
        users: [
          {
            id: ADMIN,
            username: 'estate@example.com',
            password: PASSWORD,
            firstName: 'Esme',
            lastName: 'Estate',
            securityProfile: 'vault_owner__v',
            vaults: 'all',
          },
        ],
        tokens: TOKENS,
      },
    });
    await addPasswordConnections(h.ctx, h.fakeVault!.vaults, { username: 'estate@example.com', password: PASSWORD });
    await syncAllTokens(h.ctx);
    await openFreshInventory(h);
  }, 300_000);

  afterAll(async () => {
    await h?.close();
    dir?.cleanup();
  });

  it('one Vault stays the default; Several Vaults is a checklist that works by keyboard', async () => {
    await generateButton().click();
    await expect.poll(() => dialog().isVisible()).toBe(true);
    expect(await dialog().getByRole('radio', { name: 'One Vault' }).isChecked()).toBe(true);
    expect(await dialog().getByRole('combobox', { name: 'Vault connection' }).count()).toBe(1);

    await dialog().getByRole('radio', { name: 'Several Vaults' }).check();
    expect(await dialog().getByRole('combobox', { name: 'Vault connection' }).count()).toBe(0);
    expect(await checklist().getByRole('checkbox').count()).toBe(12);
    expect(await checklist().getByRole('group').count()).toBe(3); // one per client
    expect(await checklist().locator('.prod-tag').count()).toBe(6);
    expect(await submit().innerText()).toBe('Check Vaults');

    // Filter, then select what it shows.
    await filter().fill('acme');
    expect(await checklist().getByRole('checkbox').count()).toBe(4);
    await dialog().getByRole('button', { name: 'Select all 4 shown' }).click();
    expect(await dialog().getByText('4 Vaults chosen · 4 shown').count()).toBe(1);

    // ↓ from the filter enters the list; Space ticks; ↑ from the top goes back.
    await filter().fill('borealis');
    await filter().press('ArrowDown');
    await expect.poll(() => isFocused(box('Borealis Pharma PromoMats Prod'))).toBe(true);
    await h.page.keyboard.press('Space');
    await h.page.keyboard.press('ArrowDown');
    await expect.poll(() => isFocused(box('Borealis Pharma PromoMats UAT'))).toBe(true);
    await h.page.keyboard.press('Space');
    await h.page.keyboard.press('End');
    await expect.poll(() => isFocused(box('Borealis Pharma QualityDocs UAT'))).toBe(true);
    await h.page.keyboard.press('Home');
    await h.page.keyboard.press('ArrowUp');
    await expect.poll(() => isFocused(filter())).toBe(true);
    // Enter in the filter does nothing, and Escape clears it without closing the dialog.
    await filter().press('Enter');
    await filter().press('Escape');
    expect(await filter().inputValue()).toBe('');
    expect(await dialog().count()).toBe(1);
    expect(await checklist().getByRole('checkbox', { checked: true }).count()).toBe(6);
    expect(await submit().innerText()).toBe('Check 6 Vaults');
    await expectDialogAxeCleanInBothSchemes();
    await h.page.screenshot({ path: `${SHOTS}/picker-light.png` });
    copyFileSync(`${SHOTS}/picker-light.png`, 'build/screenshots/generate-many.png');
    // One Tab stop for the whole list.
    await filter().focus();
    await h.page.keyboard.press('Tab'); // Select all
    await h.page.keyboard.press('Tab'); // Clear
    await h.page.keyboard.press('Tab'); // the list: the active checkbox only
    await h.page.keyboard.press('Tab');
    expect(await isFocused(dialog().getByLabel('Token name'))).toBe(true);
    // A client group in one click: its heading's "Select N", off once all of it is chosen.
    const cobalt = dialog().getByRole('button', { name: 'Select 4 Cobalt Vaults' });
    await cobalt.click();
    expect(await checklist().getByRole('checkbox', { checked: true }).count()).toBe(10);
    expect(await cobalt.isDisabled()).toBe(true);
    expect(await dialog().getByRole('button', { name: 'Select 4 Acme Vaults' }).isDisabled()).toBe(true);
    for (const app of APPS) for (const env of ['Prod', 'UAT']) await box(`Cobalt Biotech ${app} ${env}`).uncheck();
    expect(await checklist().getByRole('checkbox', { checked: true }).count()).toBe(6);
    expect(minted('Estate export')).toEqual([]);
  });

  it('Check runs the preflight per Vault: the one at 25 tokens is skipped, nothing is minted', async () => {
    await dialog().getByLabel('Token name').fill('Estate export');
    await dialog().getByLabel('30 days').check();
    await submit().click();
    const list = dialog().getByRole('list', { name: 'Check per Vault' });
    await expect.poll(() => list.isVisible(), { timeout: 15_000 }).toBe(true);
    const items = await list.getByRole('listitem').allInnerTexts();
    expect(items).toHaveLength(6);
    const full = items.find((t) => t.includes(FULL))!;
    expect(full).toMatch(/^Skipped/);
    expect(full).toMatch(/25 active tokens/);
    expect(items.filter((t) => t.startsWith('Ready'))).toHaveLength(5);
    expect(items.find((t) => t.includes('Acme PromoMats Prod'))).toMatch(/0 of 25 active tokens/);
    expect(await dialog().getByRole('status').filter({ hasText: 'Vaults ready' }).innerText()).toBe(
      '5 Vaults ready; 1 Vault will be skipped.',
    );
    expect(await submit().innerText()).toBe('Generate in 5 Vaults');
    expect(minted('Estate export')).toEqual([]);

    await expectDialogAxeCleanInBothSchemes();
    await h.page.screenshot({ path: `${SHOTS}/preflight-light.png` });

    // A change asks for a new check.
    await dialog().getByLabel('Token name').fill('Estate export!');
    expect(await submit().innerText()).toBe('Check 6 Vaults');
    await dialog().getByLabel('Token name').fill('Estate export');
    await submit().click();
    await expect.poll(() => submit().innerText(), { timeout: 15_000 }).toBe('Generate in 5 Vaults');
  });

  it('Generate: each Vault listed, a refusal alone, each value revealed, copied and delivered on its own', async () => {
    h.fakeVault!.faults.inject(
      { vaultId: vaultId(REFUSING), method: 'POST', path: /api_access_token__sys$/ },
      { kind: 'vaultError', type: 'INSUFFICIENT_ACCESS', message: 'No token permission here.' },
      { times: 1 },
    );
    await submit().click();
    await expect.poll(() => results().isVisible(), { timeout: 20_000 }).toBe(true);
    const expected = [
      'Acme PromoMats Prod',
      'Acme PromoMats UAT',
      'Acme QualityDocs Prod',
      'Borealis Pharma PromoMats UAT',
    ];
    expect(minted('Estate export')).toEqual(expected.map(vaultId).sort());
    expect(await results().getByRole('heading', { level: 2 }).innerText()).toBe(
      'Generated “Estate export” in 4 of 6 Vaults',
    );
    const cards = results().locator('section.gen-result');
    expect(await cards.count()).toBe(6);
    const refusal = results().getByRole('region', { name: new RegExp(`^${REFUSING}`) });
    expect(await refusal.innerText()).toMatch(/Not generated[\s\S]*INSUFFICIENT_ACCESS[\s\S]*Nothing was created/);
    const full = results().getByRole('region', { name: new RegExp(`^${FULL}`) });
    expect(await full.innerText()).toMatch(/25 active tokens[\s\S]*Nothing was created/);
    // Focus starts on the first Copy.
    await expect
      .poll(() =>
        isFocused(
          results()
            .getByRole('region', { name: /^Acme PromoMats Prod/ })
            .getByRole('button', { name: 'Copy' }),
        ),
      )
      .toBe(true);

    // Every value: its own Reveal and Copy, no confirmation asked (generated just now), not limited.
    const asked = h.revealRequests.length;
    const rows = await h.ctx.service.queryTokens({ search: 'Estate export', offset: 0, limit: 50 });
    for (const name of expected) {
      const card = results().getByRole('region', { name: new RegExp(`^${name}`) });
      await card.getByRole('button', { name: 'Reveal' }).click();
      const value = card.getByTestId('secret-value');
      await expect.poll(() => value.innerText()).toMatch(/^veeva-vault-/);
      const row = rows.rows.find((r) => r.connectionName === name)!;
      expect(await value.innerText()).toBe(await secrets.get(`token/${row.vaultId}/${row.tokenId}`));
      await card.getByRole('button', { name: 'Copy' }).click();
      await expect.poll(() => h.clipboard.text).toBe(await value.innerText());
    }
    expect(h.revealRequests.length).toBe(asked);

    await expectDialogAxeCleanInBothSchemes();
    await h.page.screenshot({ path: `${SHOTS}/results-light.png` });
    await h.page.emulateMedia({ colorScheme: 'dark' });
    await h.page.screenshot({ path: `${SHOTS}/results-dark.png` });
    await h.page.emulateMedia({ colorScheme: 'light' });

    // Deliveries for one Vault's token, added and run from its card: a dotenv file and a command
    // (the drawer's form, DeliveryForm). The command records the SHA-256 of its stdin, its argv and
    // its environment (test/fixtures/deliveries/record-stdin.cjs) in a file of the temp dir.
    const envFile = join(dir.path, 'etl.env');
    const recorded = join(dir.path, 'recorded.json');
    const card = results().getByRole('region', { name: /^Acme PromoMats UAT/ });
    const deliveries = card.getByRole('region', { name: 'Deliveries' });
    const form = card.getByRole('form', { name: 'Add a delivery for Acme PromoMats UAT' });
    const items = deliveries.getByRole('listitem');
    expect(await deliveries.innerText()).toMatch(/No delivery targets yet/);
    await card.getByRole('button', { name: 'Add delivery…' }).click();
    await expect.poll(() => isFocused(form.getByRole('radio', { name: 'A dotenv file' }))).toBe(true);
    await form.getByLabel('File', { exact: true }).fill(envFile);
    await form.getByLabel('Variable').fill('ACME_UAT_TOKEN');
    await form.getByRole('button', { name: 'Add delivery', exact: true }).click();
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().innerText()).toMatch(new RegExp(`dotenv[\\s\\S]*ACME_UAT_TOKEN in ${envFile}`));
    await expect.poll(() => isFocused(card.getByRole('button', { name: 'Add delivery…' }))).toBe(true);

    await card.getByRole('button', { name: 'Add delivery…' }).click();
    await form.getByLabel('A command').check();
    await form.getByLabel('Command, one argument per line').fill([process.execPath, RECORD, recorded].join('\n'));
    await form.getByLabel('Stop it after (seconds)').fill('20');
    await expectDialogAxeCleanInBothSchemes();
    await h.page.screenshot({ path: `${SHOTS}/results-delivery-form-light.png` });
    await form.getByRole('button', { name: 'Add delivery', exact: true }).click();
    await expect.poll(() => items.count()).toBe(2);
    expect(await items.nth(1).innerText()).toMatch(/command[\s\S]*record-stdin\.cjs[\s\S]*Not run yet/);
    // Only this card's token has targets; the other cards still have none.
    const other = results().getByRole('region', { name: /^Acme PromoMats Prod/ });
    expect(await other.getByRole('region', { name: 'Deliveries' }).innerText()).toMatch(/No delivery targets yet/);

    await deliveries.getByRole('button', { name: 'Deliver now' }).click();
    await expect
      .poll(() => deliveries.getByRole('status').innerText(), { timeout: 20_000 })
      .toBe('Delivered to 2 targets.');
    await expect.poll(() => items.nth(1).innerText()).toMatch(/delivered/);
    expect(await items.first().innerText()).toMatch(/delivered/);
    await expectDialogAxeCleanInBothSchemes();
    await h.page.screenshot({ path: `${SHOTS}/results-delivery-light.png` });
    const row = rows.rows.find((r) => r.connectionName === 'Acme PromoMats UAT')!;
    const value = (await secrets.get(`token/${row.vaultId}/${row.tokenId}`))!;
    expect(readFileSync(envFile, 'utf8')).toBe(`ACME_UAT_TOKEN=${value}\n`);
    const seen = JSON.parse(readFileSync(recorded, 'utf8')) as { sha256: string; argv: string[]; env: object };
    expect(seen.sha256).toBe(createHash('sha256').update(value).digest('hex'));
    expect(seen.argv.slice(1)).toEqual([RECORD, recorded]);
    for (const arg of seen.argv) expect(arg).not.toContain(value);
    expect(JSON.stringify(seen.env)).not.toContain(value);
    const audit = (await h.ctx.service.listAudit({ limit: 100 })).map((e) => e.action);
    expect(audit.filter((a) => a === 'token.delivery.add')).toHaveLength(2);
    expect(audit).toContain('token.deliver');

    await results().getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => results().count()).toBe(0);
    await expect.poll(() => isFocused(generateButton())).toBe(true);
    expect(await h.page.locator('.notices').innerText()).toContain('Generated “Estate export” in 4 of 6 Vaults');
  });
  it('a value the keychain refused keeps the result view open until it is copied and confirmed saved', async () => {
    await generateButton().click();
    await expect.poll(() => dialog().isVisible()).toBe(true);
    await dialog().getByRole('radio', { name: 'Several Vaults' }).check();
    await filter().fill('cobalt promomats');
    await dialog().getByRole('button', { name: 'Select all 2 shown' }).click();
    await dialog().getByLabel('Token name').fill('Keychain refused');
    await submit().click();
    await expect.poll(() => submit().innerText(), { timeout: 15_000 }).toBe('Generate in 2 Vaults');
    secrets.failWrites = 'The keychain is locked.';
    try {
      await submit().click();
      const view = h.page.getByRole('dialog', { name: /^Generated “Keychain refused” in 2 of 2 Vaults/ });
      await expect.poll(() => view.isVisible(), { timeout: 20_000 }).toBe(true);
      expect(await view.getByRole('button', { name: 'Close' }).count()).toBe(0);
      expect(await view.getByRole('button', { name: 'Done' }).isDisabled()).toBe(true);
      expect(await view.getByRole('status').first().innerText()).toMatch(/2 values could not be saved in the keychain/);
      await h.page.keyboard.press('Escape');
      expect(await view.isVisible()).toBe(true);
      for (const name of ['Cobalt Biotech PromoMats Prod', 'Cobalt Biotech PromoMats UAT']) {
        const card = view.getByRole('region', { name: new RegExp(`^${name}`) });
        expect(await card.innerText()).toMatch(/The value is NOT in the keychain/);
        await card.getByRole('button', { name: 'Copy' }).click();
        await expect.poll(() => h.clipboard.text).toMatch(/^veeva-vault-/);
        await card.getByLabel('I have saved this value elsewhere').check();
      }
      await expectDialogAxeCleanInBothSchemes();
      await expect.poll(() => view.getByRole('button', { name: 'Done' }).isDisabled()).toBe(false);
      await view.getByRole('button', { name: 'Done' }).click();
      await expect.poll(() => view.count()).toBe(0);
      expect(minted('Keychain refused')).toEqual(
        ['Cobalt Biotech PromoMats Prod', 'Cobalt Biotech PromoMats UAT'].map(vaultId).sort(),
      );
      const audit = await h.ctx.service.listAudit({ limit: 100 });
      expect(audit.filter((a) => a.action === 'token.saved-elsewhere')).toHaveLength(2);
    } finally {
      secrets.failWrites = null;
    }
  });
});
