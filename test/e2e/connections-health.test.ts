/**
 * Issue 13 items 1 and 4 in Chromium against the real service and the fake Vault: a wrong saved
 * password is marked refused at once and never sent again until replaced (from Test's inline
 * field or the Unlock prompt), Sync all asks for missing secrets first, and Connections shows
 * health, last sync and the problem in words, with search, Test all and a check on save.
 */
import { signInAccount } from '../../shared/signin-accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/chromium';
import { realKeychain } from '../helpers/keychain';
import type { Harness } from '../helpers/app-harness';
import { expectNoSeriousAxe } from '../helpers/axe';
import { DEMO_ADMIN, DEMO_PASSWORD } from '../fake-vault/index';
import { keychainBrowserSuite } from '../helpers/harness-suite';

const keychain = await realKeychain();
const runnable = chromiumAvailable && keychain.available;

describe.skipIf(!runnable)('Connections at scale: refused passwords, health, Test all (Chromium)', () => {
  const suite = keychainBrowserSuite(keychain.store);
  let h: Harness;
  const logins = () => h.fakeVault!.requestLog.filter((r) => r.path.endsWith('/auth')).length;
  const form = () => h.page.getByRole('complementary', { name: /Add a Vault connection|Edit / });
  const row = (name: string) => h.page.getByRole('row', { name: new RegExp(name) });

  beforeAll(async () => {
    h = await suite.start({ fakeVault: true });
    await h.page.goto(`${h.origin}/index.html#/connections`);
  });
  afterAll(() => suite.close());

  async function add(name: string, dns: string, password?: string) {
    await h.page
      .getByRole('button', { name: /^Add (your first )?connection$/ })
      .first()
      .click();
    await form().getByLabel('Name', { exact: true }).fill(name);
    await form().getByLabel('Vault DNS').fill(dns);
    await form().getByLabel('User name').fill(DEMO_ADMIN);
    if (password) {
      await form().getByLabel('Password', { exact: true }).fill(password);
      await form()
        .getByLabel(/Remember password/)
        .check();
    }
    await form().getByRole('button', { name: 'Add connection' }).click();
  }

  it('checks on save: a DNS where no Vault answers offers "Save anyway"; a real one saves', async () => {
    await add('Nowhere', 'nowhere.invalid');
    const warning = h.page.getByText('No Vault answered at this DNS');
    await expect.poll(() => warning.isVisible()).toBe(true);
    await h.screenshot('connections-save-check-failed');
    expect(h.ctx.connections.list()).toEqual([]);
    await form().getByRole('button', { name: 'Save anyway' }).click();
    await expect.poll(() => h.page.getByText('Saved without a working check').isVisible()).toBe(true);

    await add('PromoMats', h.fakeVault!.vaults[0]!.dns, 'Wrong-Saved-Passw0rd');
    await expect.poll(() => h.page.getByText('Saved PromoMats.').isVisible()).toBe(true);
    // A notice is replaced by the next one: the earlier "Saved without a working check" is gone.
    expect(await h.page.getByText('Saved without a working check').count()).toBe(0);
  });

  it('a wrong saved password is marked refused at once and not sent again', async () => {
    const before = logins();
    await h.page.getByRole('button', { name: 'Test connection PromoMats' }).click();
    await expect.poll(() => h.page.getByText('PromoMats: the connection test failed').isVisible()).toBe(true);
    expect(logins()).toBe(before + 1);
    await expect.poll(() => row('PromoMats').getByText('⚠ Refused').isVisible()).toBe(true);
    // After a restart nothing sends it again: Sync all asks first, and skipping sends nothing.
    await h.restart();
    await h.page.goto(`${h.origin}/index.html#/inventory`);
    await h.page
      .getByRole('button', { name: /^Sync all/ })
      .first()
      .click();
    const prompt = h.page.getByRole('dialog', { name: 'Before syncing' });
    await expect.poll(() => prompt.isVisible()).toBe(true);
    expect(await prompt.getByText(/Vault refused the saved one \(USERNAME_OR_PASSWORD_INCORRECT\)/).isVisible()).toBe(
      true,
    );
    // Nothing is saved for "Nowhere" either: one prompt lists both.
    expect(await prompt.getByText(/Password for admin@veepharm.com · nothing saved/).isVisible()).toBe(true);
    await expectNoSeriousAxe(h.page, 'dialog[open]');
    await h.screenshot('sync-all-asks-first');
    await prompt.getByRole('button', { name: 'Skip these and sync the rest' }).click();
    await expect.poll(() => h.page.getByText(/Not synced, no secret entered: .*PromoMats/).isVisible()).toBe(true);
    expect(logins()).toBe(before + 1);
  });

  it('Test offers the field to enter it again, and replacing the saved password fixes it for good', async () => {
    await h.page.goto(`${h.origin}/index.html#/connections`);
    await h.page.getByRole('button', { name: 'Test connection PromoMats' }).click();
    const dialog = h.page.getByRole('dialog', { name: 'Test PromoMats' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const replace = dialog.getByLabel('Replace the saved password in the keychain');
    expect(await replace.isChecked()).toBe(true);
    await dialog.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => h.page.getByText('PromoMats works').isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => row('PromoMats').getByText('Stored', { exact: true }).isVisible()).toBe(true);
    const c = h.ctx.connections.list().find((x) => x.name === 'PromoMats')!;
    expect(await keychain.store.get(signInAccount(c)!)).toBe(DEMO_PASSWORD);
    expect(c.secretRefused).toBeNull();
  });

  it('shows health in words, last sync and the problem; search filters; Test all tests every one', async () => {
    await add('QualityDocs', h.fakeVault!.vaults[1]!.dns, DEMO_PASSWORD);
    await expect.poll(() => row('QualityDocs').isVisible()).toBe(true);
    await h.page.getByRole('button', { name: 'Test all' }).click();
    await expect
      .poll(
        () =>
          row('QualityDocs')
            .getByText(/^✓ Works|^! Works, with limits/)
            .isVisible(),
        { timeout: 20_000 },
      )
      .toBe(true);
    await expect.poll(() => row('Nowhere').textContent()).toMatch(/Not tested.*no saved password/);
    await h.page.getByRole('button', { name: 'Test connection Nowhere' }).click();
    const ask = h.page.getByRole('dialog', { name: 'Test Nowhere' });
    await ask.getByLabel('Password', { exact: true }).fill('anything');
    await ask.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => row('Nowhere').textContent(), { timeout: 15_000 }).toMatch(/Unreachable/);
    await h.screenshot('connections-health');
    await h.page.getByLabel('Search connections').fill('quality');
    await expect.poll(() => h.page.getByRole('row').count()).toBe(2);
    await h.page.getByLabel('Search connections').fill('');
  });

  it('the edit panel is not covered by the table header, and the password placeholder tells the truth', async () => {
    await h.page.getByRole('button', { name: 'Edit PromoMats' }).click();
    const username = form().getByLabel('User name');
    const box = (await username.boundingBox())!;
    for (const x of [box.x + 4, box.x + box.width / 2, box.x + box.width - 4]) {
      const hit = await h.page.evaluate(
        ([px, py]) => document.elementFromPoint(px!, py!)?.getAttribute('id') ?? '',
        [x, box.y + box.height / 2],
      );
      expect(hit).toBe(await username.getAttribute('id'));
    }
    expect(await form().getByLabel('Password', { exact: true }).getAttribute('placeholder')).toMatch(/leave empty/);
    await form().getByLabel('Vault DNS').fill(h.fakeVault!.vaults[1]!.dns);
    expect(await form().getByLabel('Password', { exact: true }).getAttribute('placeholder')).toBe('');
    await expectNoSeriousAxe(h.page);
    await h.page.emulateMedia({ colorScheme: 'dark' });
    await expectNoSeriousAxe(h.page);
    await h.screenshot('connections-edit-dark');
    await h.page.emulateMedia({ colorScheme: 'light' });
    await form().getByRole('button', { name: 'Cancel' }).click();
  });

  it('on a failed submit, focus goes to the first invalid field', async () => {
    await h.page.getByRole('button', { name: 'Add connection' }).click();
    await form().getByLabel('Name', { exact: true }).fill('Has a name');
    await form().getByRole('button', { name: 'Add connection' }).click();
    await expect
      .poll(() =>
        form()
          .getByLabel('Vault DNS')
          .evaluate((el) => el === document.activeElement),
      )
      .toBe(true);
    await form().getByRole('button', { name: 'Cancel' }).click();
  });
});
