/**
 * Issue 15 in Chromium against the real service, the real keychain and the fake Vault: a consultant
 * whose one login reaches 12 Vaults goes from an empty app to 12 synced connections in one dialog,
 * and the 12 share one saved password ("used by 12 connections").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/chromium';
import { realKeychain } from '../helpers/keychain';
import type { Harness } from '../helpers/app-harness';
import { expectNoSeriousAxe } from '../helpers/axe';
import { CONSULTANT_PASSWORD, CONSULTANT_USER, consultantSeed } from '../fake-vault/seed';
import { keychainBrowserSuite } from '../helpers/harness-suite';

const keychain = await realKeychain();
const runnable = chromiumAvailable && keychain.available;
const SHARED = `signin/password/127.0.0.1/${CONSULTANT_USER}`;

describe.skipIf(!runnable)('Add the other Vaults a login reaches (Chromium)', () => {
  const suite = keychainBrowserSuite(keychain.store);
  let h: Harness;
  const form = () => h.page.getByRole('complementary', { name: /Add a Vault connection|Edit / });
  const dialog = () => h.page.getByRole('dialog', { name: /Add the other Vaults you can reach|Added \d+ Vault/ });

  beforeAll(async () => {
    h = await suite.start({
      fakeVault: consultantSeed({ client: 'Acme', count: 12, firstId: 5001 }),
    });
    await h.page.goto(`${h.origin}/index.html#/connections`);
  });
  afterAll(() => suite.close());

  it('from an empty app: one connection, tested, offers the 11 other Vaults the login reaches', async () => {
    await h.page.getByRole('button', { name: 'Add your first connection' }).click();
    await form().getByLabel('Name', { exact: true }).fill('Acme 1');
    await form().getByLabel('Vault DNS').fill(h.fakeVault!.vaults[0]!.dns);
    await form().getByLabel('User name').fill(CONSULTANT_USER);
    await form().getByLabel('Client', { exact: true }).fill('Acme');
    await form().getByLabel('Password', { exact: true }).fill(CONSULTANT_PASSWORD);
    await form()
      .getByLabel(/Remember password/)
      .check();
    await form().getByRole('button', { name: 'Add connection' }).click();
    await expect.poll(() => h.page.getByText('Saved Acme 1.').isVisible()).toBe(true);

    await h.page.getByRole('button', { name: 'Test connection Acme 1' }).click();
    await expect.poll(() => h.page.getByText('Acme 1 works').isVisible(), { timeout: 15_000 }).toBe(true);
    const offer = h.page.getByRole('button', { name: 'Add the 11 other Vaults you can reach' });
    await expect.poll(() => offer.isVisible()).toBe(true);
    await offer.click();

    await expect.poll(() => dialog().isVisible()).toBe(true);
    const rows = dialog().getByRole('row');
    await expect.poll(() => rows.count()).toBe(13); // header + 12 Vaults
    // Its own Vault is marked and cannot be chosen; every other one is chosen by default.
    const own = dialog().getByRole('row', { name: /Acme 1\b/ });
    expect(await own.getByText('This connection').isVisible()).toBe(true);
    expect(await own.getByRole('checkbox').isDisabled()).toBe(true);
    for (let i = 2; i <= 12; i++) {
      const row = dialog().getByRole('row', { name: new RegExp(`Acme ${i}\\b`) });
      expect(await row.getByRole('checkbox').isChecked(), `Acme ${i} chosen`).toBe(true);
      expect(await row.getByText(h.fakeVault!.vaults[i - 1]!.dns).isVisible()).toBe(true);
    }
    // The new connections join Acme 1's client group unless another is typed.
    expect(await dialog().getByLabel('Client of the new connections').inputValue()).toBe('Acme');
    await expectNoSeriousAxe(h.page, 'dialog[open]');
    await h.screenshot('discover-vaults-choose');
  });

  it('one click adds, tests and syncs the 11, and the outcome shows per Vault', async () => {
    // Leave one out, then take it back: the checklist is a real choice.
    const twelfth = dialog()
      .getByRole('row', { name: /Acme 12\b/ })
      .getByRole('checkbox');
    await twelfth.uncheck();
    expect(await dialog().getByRole('button', { name: 'Add 10 Vaults' }).isVisible()).toBe(true);
    await twelfth.check();
    await dialog().getByRole('button', { name: 'Add 11 Vaults' }).click();
    await expect
      .poll(() => h.page.getByRole('dialog', { name: 'Added 11 Vaults' }).isVisible(), { timeout: 30_000 })
      .toBe(true);
    for (let i = 2; i <= 12; i++) {
      const row = dialog().getByRole('row', { name: new RegExp(`Acme ${i}\\b`) });
      expect(await row.getByText('Added, synced 2 tokens').isVisible(), `Acme ${i} outcome`).toBe(true);
    }
    expect(
      await dialog()
        .getByRole('row', { name: /Acme 1\b/ })
        .getByText('Synced 2 tokens')
        .isVisible(),
    ).toBe(true);
    await expectNoSeriousAxe(h.page, 'dialog[open]');
    await h.screenshot('discover-vaults-done');
    await dialog().getByRole('button', { name: 'Close' }).last().click();
    await expect.poll(() => dialog().count()).toBe(0);

    const all = h.ctx.connections.list();
    expect(all).toHaveLength(12);
    for (const c of all)
      expect(c).toMatchObject({ username: CONSULTANT_USER, secretStored: true, secretRefused: null, client: 'Acme' });
    const health = await h.ctx.service.connectionHealth(undefined);
    // All 12: the first one, never synced before, is synced with the others.
    expect(health.filter((x) => x.lastSyncedAt !== null)).toHaveLength(12);
    expect((await keychain.store.list()).filter((a) => a.startsWith('signin/'))).toEqual([SHARED]);
    expect(await keychain.store.get(SHARED)).toBe(CONSULTANT_PASSWORD);
    await expect.poll(() => h.page.getByRole('row', { name: /Acme \d+/ }).count()).toBe(12);
  });

  it('the form says the saved password is used by 12 connections', async () => {
    await h.page.getByRole('button', { name: 'Edit Acme 5' }).click();
    await expect
      .poll(() =>
        form()
          .getByText(/Saved password used by 12 connections/)
          .isVisible(),
      )
      .toBe(true);
    await h.screenshot('discover-vaults-shared-signin');
    await form().getByRole('button', { name: 'Cancel' }).click();
  });

  it('"Add other Vaults…", once for the shared sign-in, shows every Vault added and nothing left', async () => {
    // The 12 share one sign-in, so they reach the same Vaults: the button is on the first row only.
    expect(await h.page.getByRole('button', { name: /^Add other Vaults / }).count()).toBe(1);
    await h.page.getByRole('button', { name: `Add other Vaults ${CONSULTANT_USER} reaches from Acme 1` }).click();
    await expect.poll(() => dialog().getByRole('row').count()).toBe(13);
    expect(await dialog().getByText('Already added').count()).toBe(11);
    expect(await dialog().getByRole('button', { name: 'Add 0 Vaults' }).isDisabled()).toBe(true);
    await h.page.keyboard.press('Escape');
    await expect.poll(() => dialog().count()).toBe(0);
  });
});
