/**
 * Bulk rotation in Chromium (issue 16 item 2) against the real service: real SQLite, the real OS
 * keychain, the fake Vault over HTTPS. "Rotate expiring…" with its days field and preview, the
 * live per-token steps and outcomes; "Rotate…" on a selection where Vault refuses the new token
 * (both tokens stay listed, the step and what to do are said). axe on every state of the dialog;
 * screenshots in test-results/screenshots/bulk-rotation-*.png.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../helpers/chromium';
import { realKeychain } from '../helpers/keychain';
import { startHarness, type Harness } from '../helpers/app-harness';
import { expectNoSeriousAxe } from '../helpers/axe';
import { tempDir } from '../helpers/temp-dir';
import { ConnectionCreate, ConnectionUpdate } from '../../shared/schemas';
import type { FakeTokenSeed, FakeUserSeed, FakeVaultSeed } from '../fake-vault/index';

const keychain = await realKeychain();
const runnable = chromiumAvailable && keychain.available;

const PASSWORD = 'Bulk-Rotate-Pass-1';
const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY);
/** Unusual ids, so that cleanup never touches another suite's keychain items. */
const VAULTS: FakeVaultSeed[] = [
  { id: 918_801, name: 'Acme PromoMats' },
  { id: 918_802, name: 'Acme QualityDocs' },
  { id: 918_803, name: 'Acme RIM' },
];
const ADMIN = 71_801;
const USERS: FakeUserSeed[] = [
  {
    id: ADMIN,
    username: 'bulk.admin@example.com',
    password: PASSWORD,
    firstName: 'Bo',
    lastName: 'Admin',
    securityProfile: 'vault_owner__v',
    vaults: 'all',
  },
];
const TOKENS: FakeTokenSeed[] = [
  { vault: 918_801, user: ADMIN, name: 'CI pipeline', createdAt: inDays(-85), expiresAt: inDays(5) },
  { vault: 918_802, user: ADMIN, name: 'Audit export', createdAt: inDays(-27), expiresAt: inDays(3) },
  { vault: 918_801, user: ADMIN, name: 'Warehouse', createdAt: inDays(-30), expiresAt: inDays(60) },
  { vault: 918_803, user: ADMIN, name: 'RIM feed', createdAt: inDays(-58), expiresAt: inDays(2) },
];

describe.skipIf(!runnable)('Bulk rotation in Chromium against the real service and the fake Vault', () => {
  let browser: Browser;
  let h: Harness;
  const dir = tempDir('vtd-e2e-bulk-');

  const grid = () => h.page.getByRole('grid', { name: 'Tokens' });
  const dialog = (name: string | RegExp) => h.page.getByRole('dialog', { name });
  const named = (name: string) =>
    h
      .fakeVault!.state.listTokens()
      .filter((t) => t.name === name)
      .map((t) => t.status)
      .sort();

  beforeAll(async () => {
    browser = await launchChromium();
    h = await startHarness({
      dataDir: dir.path,
      secrets: keychain.store,
      browser,
      fakeVault: { vaults: VAULTS, users: USERS, tokens: TOKENS },
    });
    for (const vault of h.fakeVault!.vaults.filter((v) => v.id !== 918_803))
      await h.ctx.connections.create(
        ConnectionCreate.parse({
          name: vault.name,
          dns: vault.dns,
          username: 'bulk.admin@example.com',
          secret: PASSWORD,
          rememberSecret: true,
        }),
      );
    const synced = await h.ctx.service.syncTokens({});
    expect(synced.every((s) => s.ok)).toBe(true);
    await h.page.reload();
    await grid()
      .getByRole('row', { name: /Warehouse/ })
      .waitFor();
  });

  afterEach(async () => {
    for (let i = 0; i < 3 && (await h.page.locator('dialog[open]').count()) > 0; i++)
      await h.page.keyboard.press('Escape');
  });

  afterAll(async () => {
    await h?.close();
    await browser?.close();
    for (const account of await keychain.store.list())
      if (VAULTS.some((v) => account.includes(`/${v.id}/`)) || account.startsWith('connection/'))
        await keychain.store.delete(account);
    dir.cleanup();
  });

  it('marks PROD before anything is revoked: a warning names the PROD Vaults, each row tags its Vault', async () => {
    const { page } = h;
    const acme = h.ctx.connections.list().find((c) => c.name === 'Acme PromoMats')!;
    const fields = {
      id: acme.id,
      name: acme.name,
      dns: acme.dns,
      username: 'bulk.admin@example.com',
      secret: PASSWORD,
      rememberSecret: true,
    };
    await h.ctx.connections.update(ConnectionUpdate.parse({ ...fields, environment: 'PROD' }));
    await h.ctx.connections.update(
      ConnectionUpdate.parse({
        ...fields,
        id: h.ctx.connections.list().find((c) => c.name === 'Acme QualityDocs')!.id,
        name: 'Acme QualityDocs',
        dns: h.fakeVault!.vaults.find((v) => v.id === 918_802)!.dns,
        environment: 'UAT',
      }),
    );
    try {
      await page.locator('.header-actions').getByRole('button', { name: 'Rotate expiring…' }).click();
      const d = dialog('Rotate tokens that expire soon');
      const preview = d.getByRole('table', { name: 'Tokens to rotate' });
      await expect.poll(() => preview.getByRole('row').count()).toBe(3);
      const warning = d.getByRole('note', { name: 'Production Vault' });
      await expect.poll(() => warning.count()).toBe(1);
      expect(await warning.innerText()).toMatch(
        /^⚠ PROD\s+This is a production Vault: Acme PromoMats\. The old token keeps working until the last step/,
      );
      // The tag is a word on each row's Vault, PROD on one, UAT on the other.
      const vaultCell = (token: string) =>
        preview
          .getByRole('row', { name: new RegExp(token) })
          .getByRole('cell')
          .nth(1);
      expect(await vaultCell('CI pipeline').innerText()).toBe('PROD Acme PromoMats');
      expect(await vaultCell('Audit export').innerText()).toBe('UAT Acme QualityDocs');
      expect(await vaultCell('CI pipeline').locator('.env-tag--prod').getAttribute('title')).toBe('Production Vault');
      await expectNoSeriousAxe(h.page, 'dialog[open]');
      await h.screenshot('bulk-rotation-prod');
      // Only the Vaults of the tokens shown: a shorter window without the PROD token has no warning.
      await d.getByLabel('Expiring within (days)').fill('4');
      await expect.poll(() => preview.getByRole('row').count()).toBe(2);
      expect(await warning.count()).toBe(0);
      await d.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => d.count()).toBe(0);
      expect(named('CI pipeline')).toEqual(['active']);
    } finally {
      for (const c of h.ctx.connections.list().filter((c) => c.name !== 'Acme RIM'))
        await h.ctx.connections.update(
          ConnectionUpdate.parse({ ...fields, id: c.id, name: c.name, dns: c.dns, environment: null }),
        );
    }
  });

  it('Rotate expiring…: a days field and a preview, then each token’s steps live and its outcome', async () => {
    const { page } = h;
    await page.locator('.header-actions').getByRole('button', { name: 'Rotate expiring…' }).click();
    const d = dialog('Rotate tokens that expire soon');
    await expect.poll(() => d.isVisible()).toBe(true);
    const days = d.getByLabel('Expiring within (days)');
    expect(await days.inputValue()).toBe('14');
    const preview = d.getByRole('table', { name: 'Tokens to rotate' });
    await expect.poll(() => preview.getByRole('row').count()).toBe(3); // header + 2
    expect(await preview.innerText()).toMatch(/Audit export[\s\S]*CI pipeline/);
    expect(await d.getByLabel(/Deliver each replacement/).isChecked()).toBe(true);

    await days.fill('90');
    await expect.poll(() => preview.getByRole('row').count()).toBe(4);
    await days.fill('soon');
    await expect.poll(() => d.getByRole('alert').allInnerTexts()).toContain('Enter a whole number of days, 0 to 3650.');
    await days.fill('14');
    await expect.poll(() => preview.getByRole('row').count()).toBe(3);
    await expectNoSeriousAxe(h.page, 'dialog[open]');
    await h.screenshot('bulk-rotation-preview');

    // Vault A answers the check slowly, so the live steps can be seen while it waits.
    const slow = h.fakeVault!.faults.inject(
      { path: '/objects/users/me', auth: 'token' },
      { kind: 'latency', ms: 1500 },
      { times: 1 },
    );
    await d.getByRole('button', { name: 'Rotate 2 tokens' }).click();
    const progress = d.getByRole('table', { name: 'Rotation progress' });
    await expect.poll(() => progress.innerText()).toMatch(/Check\s*: running/);
    await h.screenshot('bulk-rotation-running');
    await expectNoSeriousAxe(h.page, 'dialog[open]');
    await expect.poll(() => d.getByRole('status').innerText(), { timeout: 20_000 }).toMatch(/2 tokens rotated/);
    expect(slow.hits).toBe(1);
    expect((await progress.innerText()).match(/rotated/g)).toHaveLength(2);
    expect(await progress.getByRole('listitem').filter({ hasText: 'Revoke old' }).first().innerText()).toMatch(/done/);
    await expectNoSeriousAxe(h.page, 'dialog[open]');
    await h.screenshot('bulk-rotation-done');
    await d.getByRole('button', { name: 'Close' }).last().click();
    await expect.poll(() => d.count()).toBe(0);

    expect(named('CI pipeline')).toEqual(['active', 'deleted']);
    expect(named('Audit export')).toEqual(['active', 'deleted']);
    expect(named('Warehouse')).toEqual(['active']);
  });

  it('Rotate… on a selection: Vault refuses the new token, so nothing is revoked and both are listed', async () => {
    const { page } = h;
    await page.getByRole('searchbox', { name: 'Search tokens' }).fill('Warehouse');
    await expect.poll(() => grid().getByRole('row').count()).toBe(2);
    await grid().getByRole('checkbox', { name: 'Select Warehouse' }).check();
    await page.locator('.selection-bar').getByRole('button', { name: 'Rotate…' }).click();
    const d = dialog('Rotate 1 token');
    await expect.poll(() => d.getByRole('table', { name: 'Tokens to rotate' }).innerText()).toContain('Warehouse');

    const refuse = h.fakeVault!.faults.inject({ path: '/objects/users/me', auth: 'token' }, { kind: 'invalidSession' });
    try {
      await d.getByRole('button', { name: 'Rotate 1 token' }).click();
      await expect
        .poll(() => d.getByRole('status').innerText(), { timeout: 20_000 })
        .toMatch(/0 tokens rotated, 1 stopped before the revoke/);
    } finally {
      h.fakeVault!.faults.remove(refuse);
    }
    const text = await d.getByRole('table', { name: 'Rotation progress' }).innerText();
    expect(text).toMatch(/stopped at check/);
    expect(text).toMatch(/INVALID_SESSION_ID/);
    expect(text).toMatch(/Both tokens are kept and \w+ is still active/);
    await expectNoSeriousAxe(h.page, 'dialog[open]');
    await h.screenshot('bulk-rotation-refused');
    await d.getByRole('button', { name: 'Close' }).last().click();

    expect(named('Warehouse')).toEqual(['active', 'active']);
    await expect.poll(() => grid().getByRole('row').count()).toBe(3); // header + both tokens
  });

  it('asks once for the password a Vault needs for this run; a skipped Vault’s tokens are not rotated', async () => {
    const { page } = h;
    const rim = h.fakeVault!.vaults.find((v) => v.id === 918_803)!;
    const fields = { name: 'Acme RIM', dns: rim.dns, username: 'bulk.admin@example.com' };
    const created = await h.ctx.connections.create(
      ConnectionCreate.parse({ ...fields, secret: PASSWORD, rememberSecret: true }),
    );
    expect((await h.ctx.service.syncTokens({ connectionIds: [created.id] }))[0]!.ok).toBe(true);
    // No longer remembered: the next run needs the password typed.
    await h.ctx.connections.update(ConnectionUpdate.parse({ id: created.id, ...fields, rememberSecret: false }));
    await h.ctx.gateway.forget(created.id);

    const rotateOnce = async (answer: 'skip' | 'type') => {
      await page.getByRole('searchbox', { name: 'Search tokens' }).fill('');
      await page.locator('.header-actions').getByRole('button', { name: 'Rotate expiring…' }).click();
      const d = dialog('Rotate tokens that expire soon');
      await expect.poll(() => d.getByRole('table', { name: 'Tokens to rotate' }).innerText()).toContain('RIM feed');
      await d.getByRole('button', { name: 'Rotate 1 token' }).click();
      const ask = dialog('Before rotating');
      await expect.poll(() => ask.isVisible()).toBe(true);
      expect(await ask.innerText()).toMatch(/Acme RIM[\s\S]*nothing saved/);
      if (answer === 'type') {
        await ask.locator('input[type="password"]').fill(PASSWORD);
        await ask.getByRole('button', { name: 'Rotate', exact: true }).click();
      } else {
        await expectNoSeriousAxe(h.page, 'dialog[open]');
        await h.screenshot('bulk-rotation-ask-secret');
        await ask.getByRole('button', { name: 'Skip these and rotate the rest' }).click();
      }
      // The summary appears once the run has finished (or nothing was left to run).
      await expect.poll(() => d.getByRole('status').innerText(), { timeout: 20_000 }).toMatch(/\d+ tokens? rotated/);
      const text = await d.getByRole('table', { name: 'Rotation progress' }).innerText();
      await d.getByRole('button', { name: 'Close' }).last().click();
      return text;
    };

    expect(await rotateOnce('skip')).toMatch(/skipped[\s\S]*no password was entered/);
    expect(named('RIM feed')).toEqual(['active']);
    expect(await rotateOnce('type')).toMatch(/rotated/);
    expect(named('RIM feed')).toEqual(['active', 'deleted']);
  });
});
