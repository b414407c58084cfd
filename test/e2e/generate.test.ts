/**
 * Generate at consultant scale (issue 13, items 5 and 7), in Chromium against the REAL service
 * (real SQLite, handler table and preload) and the fake Vault. Asserts on what is rendered and on
 * where focus is, and on the fake's state for where a token was really minted:
 *  - the Vault is preselected from a selected row and from the Vault filter, never silently
 *    otherwise; without one, Generate says so and focus goes to the Vault field;
 *  - the Vault picker is a combobox (WAI-ARIA APG): type to filter, arrows, Enter, Escape, and the mouse;
 *    grouped by client, production Vaults marked PROD;
 *  - Enter on an expiry radio does not submit; focus order; focus to the first invalid field;
 *  - the token panel opens on Copy and gives focus back to the opener after Done and after Escape;
 *  - "Me, in a sandbox" offers the Vaults a password login reaches (the demo seed's PromoMats
 *    Sandbox, docs/vault-api.md §1.4, §3.2) and mints there; a token login gets free text and a hint;
 *  - axe-core (WCAG 2.2 AA + best practice) finds nothing serious, light and dark.
 * Screenshots at 1280×800, light and dark, go to /tmp/generate-shots/; the light one with the
 * picker open is also build/screenshots/generate.png for the README.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { chromiumAvailable } from '../helpers/chromium';
import type { Harness } from '../helpers/app-harness';
import { expectNoSeriousAxe } from '../helpers/axe';
import { ConnectionCreate } from '../../shared/schemas';
import type { Connection } from '../../shared/domain';
import type { FakeTokenSeed, FakeUserSeed, FakeVaultSeed } from '../fake-vault/index';
import { DEMO_ADMIN, DEMO_PASSWORD, DEMO_USER_IDS, DEMO_VAULT_IDS } from '../fake-vault/index';
import { openFreshInventory, settled } from '../helpers/inventory-page';
import { addPasswordConnections, syncAllTokens } from '../helpers/connections';
import { CONSULTANT_ADMIN_ID, CONSULTANT_VAULTS, consultantAdmin } from '../helpers/consultant-seed';
import { memorySecretsSuite } from '../helpers/harness-suite';

const PASSWORD = 'Fake-Vault-Pass-1';
const DAY = 86_400_000;
const SHOTS = '/tmp/generate-shots';
const README_SHOT = 'build/screenshots/generate.png';

// 5 clients × 4 applications × Prod/UAT = 40 Vaults, as in inventory-layout.test.ts.
const VAULTS: FakeVaultSeed[] = CONSULTANT_VAULTS;
const ADMIN = CONSULTANT_ADMIN_ID;
const USERS: FakeUserSeed[] = [consultantAdmin(PASSWORD)];
const TOKENS: FakeTokenSeed[] = VAULTS.flatMap((v) =>
  [0, 1].map((i): FakeTokenSeed => ({
    vault: v.id!,
    user: ADMIN,
    name: `${v.name} job ${i}`,
    expiresAt: new Date(Date.now() + (20 + i) * DAY),
  })),
);
const vaultIdOf = (name: string) => VAULTS.find((v) => v.name === name)!.id!;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What a person (or a screen reader) would call the focused element: its label, aria-label or text. */
function focusedName(h: Harness): Promise<string> {
  return h.page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return '(body)';
    const label =
      el.getAttribute('aria-label') ??
      ((el as HTMLInputElement).labels?.[0]?.textContent || null) ??
      el.textContent ??
      '';
    return label.trim();
  });
}
const isFocused = (l: Locator) => l.evaluate((el) => el === document.activeElement);

describe.skipIf(!chromiumAvailable)('Generate at 40 Vaults in Chromium', () => {
  const suite = memorySecretsSuite();
  let h: Harness;
  const connections = new Map<string, Connection>();

  const dialog = () => h.page.getByRole('dialog', { name: 'Generate an API access token' });
  const vaultBox = () => dialog().getByRole('combobox', { name: 'Vault connection' });
  const listbox = () => dialog().getByRole('listbox', { name: 'Vaults', exact: true });
  const generateButton = () => h.page.locator('.header-actions').getByRole('button', { name: 'Generate token' });
  const resultPanel = () => h.page.getByRole('dialog', { name: 'Token created' });
  const grid = () => h.page.getByRole('grid', { name: 'Tokens' });
  const minted = (name: string) =>
    h
      .fakeVault!.state.listTokens()
      .filter((t) => t.name === name)
      .map((t) => t.vaultId);

  async function search(text: string) {
    await h.page.getByRole('searchbox', { name: 'Search tokens' }).fill(text);
    await settled(h.page);
  }
  async function openGenerate() {
    await generateButton().click();
    await expect.poll(() => dialog().isVisible()).toBe(true);
  }
  async function cancel() {
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog().count()).toBe(0);
  }

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
    await openFreshInventory(h);
  }, 300_000);

  afterAll(() => suite.close());

  it('with nothing selected or filtered it opens on an empty Vault field, focused, and will not guess', async () => {
    await settled(h.page);
    await openGenerate();
    await expect.poll(() => isFocused(vaultBox())).toBe(true);
    expect(await vaultBox().inputValue()).toBe('');
    expect(await vaultBox().getAttribute('aria-expanded')).toBe('false');
    expect(await dialog().innerText()).toContain('press ↓ to list every Vault');

    // Tab order: ✕, then one Vault or several (the default: one), the Vault field, who the token is
    // for, the name, the expiry, the buttons.
    await h.page.keyboard.press('Shift+Tab');
    expect(await focusedName(h)).toBe('One Vault');
    await h.page.keyboard.press('Shift+Tab');
    expect(await focusedName(h)).toBe('Close');
    await h.page.keyboard.press('Tab');
    await h.page.keyboard.press('Tab');
    expect(await isFocused(vaultBox())).toBe(true);
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      await h.page.keyboard.press('Tab');
      order.push(await focusedName(h));
    }
    expect(order).toEqual(['Me', 'Token name', '90 days']);

    // Submit without a Vault: it says so, and focus goes to the first invalid field, the Vault.
    await dialog().getByLabel('Token name').fill('No Vault chosen');
    await dialog().getByRole('button', { name: 'Generate token' }).click();
    await expect
      .poll(() => dialog().getByRole('alert').allInnerTexts())
      .toContain('Choose the Vault to generate the token in.');
    await expect.poll(() => isFocused(vaultBox())).toBe(true);
    expect(await vaultBox().getAttribute('aria-invalid')).toBe('true');
    expect(minted('No Vault chosen')).toEqual([]);
    await cancel();
    await expect.poll(() => isFocused(generateButton())).toBe(true);
  });

  it('the picker by keyboard: type to filter, arrows, Enter; Escape closes the list, not the dialog', async () => {
    await openGenerate();
    await vaultBox().pressSequentially('acme promo');
    await expect.poll(() => listbox().getByRole('option').allInnerTexts()).toHaveLength(2);
    const options = listbox().getByRole('option');
    expect(await options.nth(0).innerText()).toMatch(/^\s*Acme PromoMats Prod\s*PROD/);
    expect(await options.nth(1).innerText()).toMatch(/^\s*Acme PromoMats UAT/);
    expect(await options.nth(1).innerText()).not.toContain('PROD');
    // The first match is active; ↓ moves to the next, and aria-activedescendant follows.
    const activeText = async () => {
      const id = await vaultBox().getAttribute('aria-activedescendant');
      return id ? h.page.locator(`[id="${id}"]`).innerText() : null;
    };
    expect(await activeText()).toMatch(/Acme PromoMats Prod/);
    await h.page.keyboard.press('ArrowDown');
    expect(await activeText()).toMatch(/Acme PromoMats UAT/);
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
    await h.page.keyboard.press('ArrowDown'); // wraps
    expect(await activeText()).toMatch(/Acme PromoMats Prod/);
    await h.page.keyboard.press('ArrowUp');
    await h.page.keyboard.press('Enter');
    expect(await vaultBox().inputValue()).toBe('Acme PromoMats UAT');
    expect(await vaultBox().getAttribute('aria-expanded')).toBe('false');
    expect(await dialog().count()).toBe(1); // Enter picked; it did not submit
    expect(await dialog().locator('.vault-picker__hint').innerText()).toContain(
      connections.get('Acme PromoMats UAT')!.dns,
    );

    // Escape with the list open closes the list only.
    await h.page.keyboard.press('ArrowDown');
    expect(await vaultBox().getAttribute('aria-expanded')).toBe('true');
    // Opened on the whole list, on the chosen Vault.
    expect(await listbox().getByRole('option').count()).toBe(40);
    expect(await activeText()).toMatch(/Acme PromoMats UAT/);
    await h.page.keyboard.press('Escape');
    expect(await vaultBox().getAttribute('aria-expanded')).toBe('false');
    expect(await dialog().count()).toBe(1);
    // Typed but not picked: Escape puts the choice back; leaving the field does the same.
    await vaultBox().fill('cobalt');
    await h.page.keyboard.press('Escape');
    await h.page.keyboard.press('Escape');
    expect(await vaultBox().inputValue()).toBe('Acme PromoMats UAT');
    expect(await dialog().count()).toBe(1);
    await vaultBox().fill('delta rim');
    await h.page.keyboard.press('Tab');
    expect(await vaultBox().inputValue()).toBe('Acme PromoMats UAT');

    // Enter on an expiry radio does not submit (it used to mint a token).
    await dialog().getByLabel('Token name').fill('Enter on a radio');
    await dialog().getByLabel('30 days').check();
    await dialog().getByLabel('30 days').press('Enter');
    await dialog()
      .getByRole('radio', { name: /^Me \(/ })
      .press('Enter');
    await new Promise((r) => setTimeout(r, 500));
    expect(await dialog().count()).toBe(1);
    expect(minted('Enter on a radio')).toEqual([]);

    // A failed submit sends focus to the first invalid field: here the name.
    await dialog().getByLabel('Token name').fill('');
    await dialog().getByLabel('30 days').focus();
    await dialog().getByRole('button', { name: 'Generate token' }).click();
    await expect.poll(() => isFocused(dialog().getByLabel('Token name'))).toBe(true);
    expect(await dialog().getByLabel('Token name').getAttribute('aria-invalid')).toBe('true');

    // Enter in a text field submits: minted in the Vault chosen, and nowhere else.
    await dialog().getByLabel('Token name').fill('Chosen by keyboard');
    await dialog().getByLabel('Token name').press('Enter');
    await expect.poll(() => resultPanel().isVisible(), { timeout: 15_000 }).toBe(true);
    expect(minted('Chosen by keyboard')).toEqual([vaultIdOf('Acme PromoMats UAT')]);

    // The token panel opens on Copy (not ✕); Escape closes it and focus returns to the opener.
    await expect.poll(() => isFocused(resultPanel().getByRole('button', { name: 'Copy' }))).toBe(true);
    await expectNoSeriousAxe(h.page, 'dialog[open]');
    await h.page.keyboard.press('Escape');
    await expect.poll(() => resultPanel().count()).toBe(0);
    await expect.poll(() => isFocused(generateButton())).toBe(true);
  });

  it('the picker by mouse: grouped by client, PROD marked, a click picks; Done gives focus back', async () => {
    // The README's screenshot shows the dialog over a plain inventory.
    await h.page.locator('.notices').getByRole('button', { name: 'Dismiss' }).click();
    await openGenerate();
    await dialog().getByRole('button', { name: 'Show every Vault' }).click();
    await expect.poll(() => listbox().isVisible()).toBe(true);
    expect(await isFocused(vaultBox())).toBe(true);
    const groups = listbox().getByRole('group');
    expect(await groups.count()).toBe(5);
    const labels: string[] = [];
    for (let i = 0; i < 5; i++) labels.push((await groups.nth(i).getAttribute('aria-labelledby'))!);
    const groupNames = await Promise.all(labels.map((id) => h.page.locator(`[id="${id}"]`).innerText()));
    expect(groupNames.map((n) => n.toLowerCase())).toEqual(['acme', 'borealis', 'cobalt', 'delta', 'evergreen']);
    expect(await groups.nth(1).getByRole('option').count()).toBe(8);
    expect(await listbox().locator('.prod-tag').count()).toBe(20);
    const prodRows = await listbox()
      .getByRole('option')
      .filter({ has: h.page.locator('.prod-tag') })
      .allInnerTexts();
    expect(prodRows.every((t) => / Prod\b/.test(t))).toBe(true);

    await expectNoSeriousAxe(h.page, 'dialog[open]');
    await h.page.screenshot({ path: `${SHOTS}/generate-40-picker-open-light.png` });
    copyFileSync(`${SHOTS}/generate-40-picker-open-light.png`, README_SHOT);
    await h.page.emulateMedia({ colorScheme: 'dark' });
    await expectNoSeriousAxe(h.page, 'dialog[open]');
    await h.page.screenshot({ path: `${SHOTS}/generate-40-picker-open-dark.png` });
    await h.page.emulateMedia({ colorScheme: 'light' });

    const cobalt = listbox().getByRole('option', { name: /^\s*Cobalt Biotech Safety Prod/ });
    await cobalt.scrollIntoViewIfNeeded();
    await cobalt.click();
    expect(await vaultBox().inputValue()).toBe('Cobalt Biotech Safety Prod');
    const hint = dialog().locator('.vault-picker__hint');
    expect(await hint.locator('.prod-tag').innerText()).toBe('PROD');
    expect(await hint.innerText()).toContain(connections.get('Cobalt Biotech Safety Prod')!.dns);

    await dialog().getByLabel('Token name').fill('Chosen by mouse');
    await dialog().getByLabel('30 days').check();
    await expectNoSeriousAxe(h.page, 'dialog[open]');
    await h.page.screenshot({ path: `${SHOTS}/generate-40-chosen-light.png` });
    await h.page.emulateMedia({ colorScheme: 'dark' });
    await expectNoSeriousAxe(h.page, 'dialog[open]');
    await h.page.screenshot({ path: `${SHOTS}/generate-40-chosen-dark.png` });
    await h.page.emulateMedia({ colorScheme: 'light' });

    await dialog().getByRole('button', { name: 'Generate token' }).click();
    await expect.poll(() => resultPanel().isVisible(), { timeout: 15_000 }).toBe(true);
    expect(minted('Chosen by mouse')).toEqual([vaultIdOf('Cobalt Biotech Safety Prod')]);
    await expect.poll(() => isFocused(resultPanel().getByRole('button', { name: 'Copy' }))).toBe(true);
    await h.page.emulateMedia({ colorScheme: 'dark' });
    await expectNoSeriousAxe(h.page, 'dialog[open]');
    await h.page.screenshot({ path: `${SHOTS}/generate-token-panel-dark.png` });
    await h.page.emulateMedia({ colorScheme: 'light' });
    await h.page.screenshot({ path: `${SHOTS}/generate-token-panel-light.png` });
    await resultPanel().getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => resultPanel().count()).toBe(0);
    await expect.poll(() => isFocused(generateButton())).toBe(true);
  });

  it('preselects the Vault of the selected rows, and focus starts on the token name', async () => {
    const vault = 'Borealis Pharma RIM Prod';
    await search(vault);
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe('3');
    const rows = grid().locator('[role="row"][data-row-id]');
    await rows.nth(0).click();
    await rows.nth(1).click({ modifiers: ['Control'] });
    await search(''); // explicit picks survive a new search
    await openGenerate();
    expect(await vaultBox().inputValue()).toBe(vault);
    await expect.poll(() => isFocused(dialog().getByLabel('Token name'))).toBe(true);
    expect(await dialog().locator('.vault-picker__hint .prod-tag').count()).toBe(1);
    await dialog().getByLabel('Token name').fill('From the selection');
    await dialog().getByRole('button', { name: 'Generate token' }).click();
    await expect.poll(() => resultPanel().isVisible(), { timeout: 15_000 }).toBe(true);
    expect(minted('From the selection')).toEqual([vaultIdOf(vault)]);
    await resultPanel().getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => isFocused(generateButton())).toBe(true);

    // Rows of two Vaults: ambiguous, so no preselection.
    await search('Evergreen Labs Safety');
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe('5');
    await grid()
      .getByRole('row', { name: /Evergreen Labs Safety Prod job 0/ })
      .click();
    await grid()
      .getByRole('row', { name: /Evergreen Labs Safety UAT job 1/ })
      .click({ modifiers: ['Control'] });
    await openGenerate();
    expect(await vaultBox().inputValue()).toBe('');
    await expect.poll(() => isFocused(vaultBox())).toBe(true);
    await cancel();
    await h.page.getByRole('button', { name: 'Clear selection' }).click();
    await search('');
  });

  it('preselects the one Vault the inventory is filtered to', async () => {
    const vault = 'Delta Therapeutics QualityDocs UAT';
    await h.page.getByRole('button', { name: /^Vaults:/ }).click();
    await h.page.getByRole('searchbox', { name: 'Filter vaults' }).fill(vault);
    await h.page.getByRole('checkbox', { name: vault }).check();
    await h.page.keyboard.press('Escape');
    await settled(h.page);
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe('3');
    await openGenerate();
    expect(await vaultBox().inputValue()).toBe(vault);
    expect(await dialog().locator('.vault-picker__hint .prod-tag').count()).toBe(0);
    await expect.poll(() => isFocused(dialog().getByLabel('Token name'))).toBe(true);
    await dialog().getByLabel('Token name').fill('From the filter');
    await dialog().getByRole('button', { name: 'Generate token' }).click();
    await expect.poll(() => resultPanel().isVisible(), { timeout: 15_000 }).toBe(true);
    expect(minted('From the filter')).toEqual([vaultIdOf(vault)]);
    await resultPanel().getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => isFocused(generateButton())).toBe(true);
  });
});

describe.skipIf(!chromiumAvailable)('Generate for a sandbox: the Vaults a login reaches (demo seed)', () => {
  const suite = memorySecretsSuite();
  let h: Harness;
  let promoMats: Connection;
  let qualityDocs: Connection;

  const dialog = () => h.page.getByRole('dialog', { name: 'Generate an API access token' });
  const sandboxBox = () => dialog().getByRole('combobox', { name: 'Sandbox name' });

  async function openGenerateFor(name: string) {
    await h.page.locator('.header-actions').getByRole('button', { name: 'Generate token' }).click();
    await expect.poll(() => dialog().isVisible()).toBe(true);
    const vault = dialog().getByRole('combobox', { name: 'Vault connection' });
    await vault.fill(name);
    await dialog()
      .getByRole('option', { name: new RegExp(`^\\s*${escapeRe(name)}\\b`) })
      .first()
      .click();
    expect(await vault.inputValue()).toBe(name);
  }

  beforeAll(async () => {
    h = await suite.start({ fakeVault: true });
    const vault = (id: number) => h.fakeVault!.vaults.find((v) => v.id === id)!;
    promoMats = await h.ctx.connections.create(
      ConnectionCreate.parse({
        name: 'Veepharm PromoMats',
        dns: vault(DEMO_VAULT_IDS.promoMats).dns,
        username: DEMO_ADMIN,
        authMethod: 'password',
        secret: DEMO_PASSWORD,
        rememberSecret: true,
      }),
    );
    // An API-token login: Vault tells it nothing about other Vaults.
    const token = h.fakeVault!.state.createToken({
      vault: DEMO_VAULT_IDS.qualityDocs,
      user: DEMO_USER_IDS.admin,
      name: 'Login for the desk',
      expiresAt: new Date(Date.now() + 30 * DAY),
    });
    qualityDocs = await h.ctx.connections.create(
      ConnectionCreate.parse({
        name: 'Veepharm QualityDocs',
        dns: vault(DEMO_VAULT_IDS.qualityDocs).dns,
        username: DEMO_ADMIN,
        authMethod: 'token',
        secret: token.value,
        rememberSecret: true,
      }),
    );
    // The page loaded before these connections existed: load it again to list them.
    await h.page.goto(`${h.origin}/index.html#/inventory`);
    await h.page.reload();
    await h.page
      .locator('.header-actions')
      .getByRole('button', { name: 'Generate token' })
      .and(h.page.locator(':enabled'))
      .waitFor();
  }, 120_000);

  afterAll(() => suite.close());

  it('offers the sandboxes a password login reaches, by name, and mints in the one picked', async () => {
    await openGenerateFor(promoMats.name);
    await dialog().getByLabel('Me, in a sandbox').check();
    await expect
      .poll(() => dialog().innerText(), { timeout: 15_000 })
      .toContain('Pick one of the 2 other Vaults this login reaches');
    await sandboxBox().focus();
    await h.page.keyboard.press('ArrowDown');
    const list = dialog().getByRole('listbox', { name: /login reaches/ });
    // The parent is not offered; the sandbox comes first.
    expect(await list.locator('.vault-option__name').allInnerTexts()).toEqual(['PromoMats Sandbox', 'QualityDocs']);
    await expectNoSeriousAxe(h.page, 'dialog[open]');
    await h.page.keyboard.press('Enter');
    expect(await sandboxBox().inputValue()).toBe('PromoMats Sandbox');
    await h.page.screenshot({ path: `${SHOTS}/generate-sandbox-light.png` });
    await dialog().getByLabel('Token name').fill('Sandbox by choice');
    await dialog().getByRole('button', { name: 'Generate token' }).click();
    const result = h.page.getByRole('dialog', { name: 'Token created' });
    await expect.poll(() => result.isVisible(), { timeout: 15_000 }).toBe(true);
    const tokens = h.fakeVault!.state.listTokens().filter((t) => t.name === 'Sandbox by choice');
    expect(tokens.map((t) => [t.vaultId, t.userId])).toEqual([[DEMO_VAULT_IDS.promoMatsSandbox, DEMO_USER_IDS.admin]]);
    await result.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => result.count()).toBe(0);
  });

  it('free text is still allowed, and a token login gets free text with a hint', async () => {
    await openGenerateFor(qualityDocs.name);
    await dialog().getByLabel('Me, in a sandbox').check();
    expect(await dialog().innerText()).toContain(
      'This connection signs in with an API access token, and Vault lists the Vaults a login reaches only for a password or single sign-on',
    );
    await sandboxBox().fill('Some Sandbox');
    expect(await sandboxBox().getAttribute('aria-expanded')).toBe('false');
    expect(await sandboxBox().inputValue()).toBe('Some Sandbox');
    await expectNoSeriousAxe(h.page, 'dialog[open]');
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog().count()).toBe(0);
  });
});
