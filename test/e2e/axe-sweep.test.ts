/**
 * axe-core on every screen and dialog, in light and dark mode (issue 13): WCAG 2.2 AA plus the
 * best-practice rules, failing on any serious or critical violation (test/helpers/axe.ts). One app
 * (the real handler table, SQLite, keychain, fake Vault over HTTPS) walked from empty to full:
 * the empty screens first, then every screen with data and each dialog, drawer and menu opened the
 * way a person opens it. The app follows the system's colour scheme (prefers-color-scheme), which
 * each check emulates both ways. Screenshots of the dark screens in /tmp/axe-shots/.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { chromiumAvailable } from '../helpers/chromium';
import { realKeychain } from '../helpers/keychain';
import type { Harness } from '../helpers/app-harness';
import { describeAxe, seriousAxeViolationsBothSchemes } from '../helpers/axe';
import { ConnectionCreate } from '../../shared/schemas';
import { DEMO_ADMIN, DEMO_PASSWORD, DEMO_SSO_USER } from '../fake-vault/index';
import { keychainBrowserSuite } from '../helpers/harness-suite';

const keychain = await realKeychain();
const SHOTS = '/tmp/axe-shots';

describe.skipIf(!chromiumAvailable || !keychain.available)('axe on every screen and dialog, light and dark', () => {
  const suite = keychainBrowserSuite(keychain.store);
  let h: Harness;

  /** No serious or critical finding in either scheme; a dark screenshot to look at. */
  async function expectClean(what: string): Promise<void> {
    // Let transitions and pending queries settle, so axe sees what a person sees.
    await expect.poll(() => h.page.locator('[aria-busy="true"], .search__spinner').count()).toBe(0);
    const found = await seriousAxeViolationsBothSchemes(h.page);
    await h.page.emulateMedia({ colorScheme: 'dark' });
    await h.page.screenshot({ path: `${SHOTS}/${what.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png` });
    await h.page.emulateMedia({ colorScheme: 'light' });
    expect(found, `${what}:\n${describeAxe(found)}`).toEqual([]);
  }

  async function open(route: string, ready: () => Locator): Promise<void> {
    await h.page.goto(`${h.origin}/index.html#/${route}`);
    await expect.poll(() => ready().isVisible()).toBe(true);
  }

  async function visible(locator: Locator): Promise<Locator> {
    await expect.poll(() => locator.isVisible()).toBe(true);
    return locator;
  }

  const dialog = (name: string | RegExp) => h.page.getByRole('dialog', { name });
  const heading = (name: string | RegExp) => h.page.getByRole('heading', { name });
  const grid = () => h.page.getByRole('grid', { name: 'Tokens' });
  const connectionForm = () => h.page.getByRole('complementary', { name: /Add a Vault connection/ });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await suite.start({
      fakeVault: true,
      // Single sign-on reaches the fake login host; the "system browser" never signs in, so the
      // sign-in dialog stays open to be checked.
      extraContext: (fake) => ({
        env: { VAULT_TOKEN_DESK_LOGIN_HOST: fake!.loginHost },
        openExternal: async () => undefined,
      }),
    });
  });

  afterAll(() => suite.close());

  describe('empty', () => {
    it('the checks are live: a low-contrast text and a nameless button are found, in dark mode too', async () => {
      await open('inventory', () => heading('No Vault connections yet'));
      await h.page.evaluate(() => {
        const bad = document.createElement('div');
        bad.id = 'axe-canary';
        // The page's background colour as text on a fixed dark background: readable in light mode only.
        // (Styles through the CSSOM: the app's CSP refuses style attributes.)
        const text = document.createElement('p');
        text.textContent = 'Canary text';
        text.style.background = '#2a2f36';
        text.style.color = 'var(--bg)';
        bad.append(text, document.createElement('button'));
        document.querySelector('main')!.prepend(bad);
      });
      const found = await seriousAxeViolationsBothSchemes(h.page);
      await h.page.evaluate(() => document.getElementById('axe-canary')!.remove());
      expect(found.map((f) => `${f.id} ${/^\[\w+\]/.exec(f.help)?.[0]}`).sort()).toEqual([
        'button-name [dark]',
        'button-name [light]',
        'color-contrast [dark]',
      ]);
    });

    it.each([
      ['inventory', 'No Vault connections yet'],
      ['connections', 'No Vault connections yet'],
      ['reminders', 'Reminders'],
      ['activity', 'Nothing recorded yet'],
    ])('%s, empty', async (route, title) => {
      await open(route, () => heading(title));
      await expectClean(`empty ${route}`);
    });

    it('the connection form, blank and with its errors', async () => {
      await open('connections', () => heading('No Vault connections yet'));
      await h.page
        .getByRole('button', { name: /^Add (your first )?connection$/ })
        .first()
        .click();
      const form = await visible(connectionForm());
      await expectClean('connection form');
      await form.getByRole('button', { name: 'Add connection' }).click();
      await expect.poll(() => form.locator('[aria-invalid="true"]').count()).toBeGreaterThan(0);
      await expectClean('connection form with errors');
      await form.getByRole('button', { name: 'Cancel' }).click();
    });
  });

  describe('with data', () => {
    beforeAll(async () => {
      const [promo, quality] = h.fakeVault!.vaults;
      const withSecret = await h.ctx.connections.create(
        ConnectionCreate.parse({
          name: 'VeePharm PromoMats',
          dns: promo!.dns,
          username: DEMO_ADMIN,
          rememberSecret: true,
          secret: DEMO_PASSWORD,
        }),
      );
      // No remembered password: Sync all and Test ask for it.
      await h.ctx.connections.create(
        ConnectionCreate.parse({ name: 'VeePharm QualityDocs', dns: quality!.dns, username: DEMO_ADMIN }),
      );
      const [outcome] = await h.ctx.service.syncTokens({ connectionIds: [withSecret.id] });
      expect(outcome?.ok).toBe(true);
    });

    const firstRow = () => grid().locator('[data-row-id]').first();
    const drawer = () =>
      h.page.getByRole('complementary').filter({ has: h.page.getByRole('button', { name: 'Close details' }) });

    it('Inventory', async () => {
      await open('inventory', () => firstRow());
      await expectClean('inventory');
    });

    it('Inventory with the Vault list open', async () => {
      await open('inventory', () => firstRow());
      const toggle = h.page.getByRole('button', { name: /^2 Vaults/ });
      await toggle.click();
      await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('true');
      await expectClean('inventory vault list');
      await toggle.click();
    });

    it('Inventory menus: Vaults and Columns', async () => {
      await open('inventory', () => firstRow());
      await h.page.getByRole('button', { name: /^Vaults/ }).click();
      await expectClean('inventory vaults menu');
      await h.page.keyboard.press('Escape');
      await h.page.getByRole('button', { name: /^Columns/ }).click();
      await expectClean('inventory columns menu');
      await h.page.keyboard.press('Escape');
    });

    it('Inventory with filters that match nothing, and a row selected', async () => {
      await open('inventory', () => firstRow());
      await h.page.getByRole('searchbox', { name: 'Search tokens' }).fill('zz-no-such-token');
      await visible(heading('No tokens match'));
      await expectClean('inventory no match');
      await h.page.getByRole('button', { name: 'Clear filters' }).first().click();
      await firstRow().click();
      await visible(h.page.locator('.selection-bar').getByRole('button', { name: 'Clear selection' }));
      await expectClean('inventory with a selection');
      await h.page.locator('.selection-bar').getByRole('button', { name: 'Clear selection' }).click();
    });

    it('the token drawer, and Rotate and Revoke from it', async () => {
      await open('inventory', () => firstRow());
      await firstRow().dblclick();
      await visible(drawer());
      await expectClean('token drawer');

      await drawer().getByRole('button', { name: 'Rotate…' }).click();
      const rotate = await visible(dialog(/^Rotate “/));
      await expectClean('rotate dialog');
      await rotate.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => rotate.count()).toBe(0);

      await drawer().getByRole('button', { name: 'Revoke…' }).click();
      const revoke = await visible(dialog(/^Revoke “.*”\?$/));
      await expectClean('revoke dialog');
      await revoke.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => revoke.count()).toBe(0);
      await drawer().getByRole('button', { name: 'Close details' }).click();
    });

    it('Generate, and the new token panel', async () => {
      await open('inventory', () => firstRow());
      await h.page.locator('.header-actions').getByRole('button', { name: 'Generate token' }).click();
      const generate = await visible(dialog('Generate an API access token'));
      await expectClean('generate dialog');
      await generate.getByRole('button', { name: 'Generate token' }).click();
      await expect.poll(() => generate.locator('[aria-invalid="true"]').count()).toBeGreaterThan(0);
      await expectClean('generate dialog with errors');
      await generate.getByLabel('Token name').fill('axe sweep');
      await generate.getByRole('button', { name: 'Generate token' }).click();
      const created = await visible(dialog('Token created'));
      await expectClean('new token panel');
      await created.getByRole('button', { name: 'Reveal' }).click();
      await expectClean('new token panel revealed');
      await created.getByRole('button', { name: 'Done' }).click();
      await expect.poll(() => created.count()).toBe(0);
    });

    it('Export', async () => {
      await open('inventory', () => firstRow());
      await h.page.locator('.header-actions').getByRole('button', { name: 'Export…' }).click();
      const exporting = await visible(dialog('Export tokens'));
      await expectClean('export dialog');
      await exporting.getByRole('button', { name: 'Cancel' }).click();
    });

    it('the secrets prompt before Sync all', async () => {
      await open('inventory', () => firstRow());
      await h.page.getByRole('button', { name: 'Sync all' }).click();
      const ask = await visible(dialog('Before syncing'));
      await expectClean('before syncing prompt');
      // Escape skips the Vaults without a password and syncs the rest.
      await h.page.keyboard.press('Escape');
      await expect.poll(() => ask.count()).toBe(0);
      await expect.poll(() => h.page.locator('.notices').innerText(), { timeout: 20_000 }).toMatch(/Sync/);
    });

    it('Connections, the password prompt of Test, the checklist, and Remove', async () => {
      await open('connections', () => h.page.getByRole('table', { name: 'Vault connections' }));
      await expectClean('connections');

      await h.page.getByRole('button', { name: 'Test connection VeePharm QualityDocs' }).click();
      const prompt = await visible(dialog('Test VeePharm QualityDocs'));
      await expectClean('test password prompt');
      await prompt.getByRole('button', { name: 'Cancel' }).click();

      await h.page.getByRole('button', { name: 'Test connection VeePharm PromoMats' }).click();
      await expect
        .poll(
          () =>
            h.page
              .getByText(/Signed in/)
              .first()
              .isVisible(),
          { timeout: 20_000 },
        )
        .toBe(true);
      await expectClean('connection test checklist');

      await h.page.getByRole('button', { name: 'Edit VeePharm PromoMats' }).click();
      const edit = await visible(h.page.getByRole('complementary', { name: /VeePharm PromoMats/ }));
      await expectClean('connection edit form');
      await edit.getByRole('button', { name: 'Cancel' }).click();

      await h.page.getByRole('button', { name: 'Remove VeePharm QualityDocs' }).click();
      const remove = await visible(dialog('Remove VeePharm QualityDocs?'));
      await expectClean('remove connection dialog');
      await remove.getByRole('button', { name: 'Cancel' }).click();
    });

    it('the revoke result, and Clear revoked', async () => {
      await open('inventory', () => firstRow());
      await firstRow().dblclick();
      await visible(drawer());
      await drawer().getByRole('button', { name: 'Revoke…' }).click();
      const revoke = await visible(dialog(/^Revoke “.*”\?$/));
      await revoke.getByRole('button', { name: 'Revoke token' }).click();
      const done = await visible(dialog('Revoked 1 token'));
      await expectClean('revoke result');
      await done.getByRole('button', { name: 'Close' }).first().click();
      await expect.poll(() => done.count()).toBe(0);
      if (await drawer().isVisible()) await drawer().getByRole('button', { name: 'Close details' }).click();
      await h.page.getByLabel('Show revoked').check();
      await h.page.getByRole('button', { name: 'Clear revoked…' }).click();
      const clear = await visible(dialog('Clear revoked tokens?'));
      await expectClean('clear revoked dialog');
      await clear.getByRole('button', { name: 'Cancel' }).click();
      await h.page.getByLabel('Show revoked').uncheck();
    });

    it('Reminders, and its bulk bar', async () => {
      await open('reminders', () => h.page.getByRole('grid').or(h.page.getByRole('table')).first());
      await expectClean('reminders');
      await h.page
        .getByRole('checkbox', { name: /^Select / })
        .first()
        .check();
      await visible(h.page.getByText(/^\d+ tokens? selected$/).first());
      await expectClean('reminders with a selection');
    });

    it('Activity', async () => {
      await open('activity', () => h.page.getByRole('table').first());
      await expectClean('activity');
    });

    it('Settings, and its errors', async () => {
      await open('settings', () => heading('Settings'));
      await expectClean('settings');
      await h.page.getByLabel('“Expiring soon” means within (days)').fill('0');
      await h.page.getByRole('button', { name: 'Save' }).first().click();
      await visible(h.page.getByText(/Enter whole days from 1 to/).first());
      await expectClean('settings with errors');
    });

    it('the single sign-on dialog', async () => {
      await open('connections', () => h.page.getByRole('table', { name: 'Vault connections' }));
      await h.page
        .getByRole('button', { name: /^Add (your first )?connection$/ })
        .first()
        .click();
      const form = await visible(connectionForm());
      await form.getByLabel('Name', { exact: true }).fill('VeePharm SSO');
      await form.getByLabel('Vault DNS').fill(h.fakeVault!.vaults[0]!.dns);
      await form.getByLabel('User name').fill(DEMO_SSO_USER);
      await form.getByRole('button', { name: 'Detect' }).click();
      await expect.poll(() => form.getByLabel('Sign in with').inputValue()).toBe('sso');
      await expectClean('connection form detected sso');
      await form.getByRole('button', { name: 'Add connection' }).click();
      const signIn = await visible(dialog(/Sign in to/));
      await expectClean('sso sign-in dialog');
      await signIn.getByRole('button', { name: 'Use a code instead' }).click();
      await visible(signIn.getByRole('button', { name: 'Use the browser instead' }));
      await expectClean('sso device code');
      await signIn.getByRole('button', { name: 'Cancel' }).click();
    });
  });
});
