/**
 * The token inventory UI in Chromium against the REAL service: real SQLite,
 * the real OS keychain, and the fake Vault over HTTPS on 127.0.0.1. Each test
 * builds on the state the previous one left, like a person using the app.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../helpers/chromium';
import { realKeychain } from '../helpers/keychain';
import { startHarness, type Harness } from '../helpers/app-harness';
import { tempDir } from '../helpers/temp-dir';
import type { SecretStore } from '../../electron/secrets/secret-store';
import { AppError } from '../../shared/errors';
import { ConnectionCreate } from '../../shared/schemas';
import type { Connection } from '../../shared/domain';
import type { FakeTokenSeed, FakeUserSeed, FakeVaultSeed } from '../fake-vault/index';
import { CAPABILITY_IDS } from '../../shared/capabilities';
import { AUDIT_LABELS } from '../../shared/audit-labels';
import { closeKeychainSuite } from '../helpers/harness-suite';

const keychain = await realKeychain();
const runnable = chromiumAvailable && keychain.available;

const PASSWORD = 'Fake-Vault-Pass-1';
const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY);
const XSS_NAME = '<img src=x onerror=alert(1)>';

const VAULTS: FakeVaultSeed[] = [
  { id: 100, name: 'Alpha PromoMats', createdAt: new Date('2016-01-01T00:00:00Z') },
  { id: 150, name: 'Alpha Sandbox', sandboxOf: 100, createdAt: new Date('2020-01-01T00:00:00Z') },
  { id: 200, name: 'Beta QualityDocs', createdAt: new Date('2015-01-01T00:00:00Z') },
];
const U = { admin: 500, nora: 501, full: 502, veevaId: 503, pat: 504 } as const;
const USERS: FakeUserSeed[] = [
  {
    id: U.admin,
    username: 'admin@example.com',
    password: PASSWORD,
    firstName: 'Avery',
    lastName: 'Admin',
    securityProfile: 'vault_owner__v',
    vaults: [100, 150, 200],
    timezone: 'America/New_York',
  },
  {
    id: U.nora,
    username: 'nora@example.com',
    password: PASSWORD,
    firstName: 'Nora',
    lastName: 'Nilsen',
    email: 'nora.nilsen@example.com',
    securityProfile: 'document_user__v',
    vaults: [100, 150],
    timezone: 'Europe/Oslo',
  },
  { id: U.full, username: 'full@example.com', password: PASSWORD, firstName: 'Fiona', lastName: 'Full', vaults: [100] },
  {
    id: U.veevaId,
    username: 'maria@veevaid.com',
    password: PASSWORD,
    firstName: 'Maria',
    lastName: 'Lopez',
    veevaId: true,
    vaults: [100],
  },
  {
    id: U.pat,
    username: 'pat@example.com',
    password: PASSWORD,
    firstName: 'Pat',
    lastName: 'Pacific',
    vaults: [100, 200],
    timezone: 'America/Los_Angeles',
  },
];
const TOKENS: FakeTokenSeed[] = [
  { vault: 100, user: U.admin, name: 'CI pipeline', expiresAt: inDays(5), lastUsedAt: inDays(-1) },
  { vault: 100, user: U.admin, name: 'Data warehouse export', expiresAt: inDays(60), lastUsedAt: inDays(-3) },
  { vault: 100, user: U.admin, name: 'Legacy sync', expiresAt: null },
  { vault: 100, user: U.admin, name: 'Old migration', expiresAt: inDays(-10) },
  { vault: 100, user: U.admin, name: 'Revoked integration', expiresAt: inDays(30), deleted: true },
  { vault: 100, user: U.pat, name: 'Pat reporting', expiresAt: inDays(40) },
  { vault: 100, user: U.pat, name: 'Pat bridge one', expiresAt: inDays(41) },
  { vault: 100, user: U.pat, name: 'Pat bridge two', expiresAt: inDays(42) },
  { vault: 200, user: U.admin, name: 'Audit export', expiresAt: inDays(3), lastUsedAt: inDays(-2) },
  { vault: 200, user: U.pat, name: 'QMS bridge', expiresAt: inDays(70) },
  // Fiona is at Vault's limit of 25 active tokens.
  ...Array.from({ length: 25 }, (_, i): FakeTokenSeed => ({
    vault: 100,
    user: U.full,
    name: `Fiona job ${String(i + 1).padStart(2, '0')}`,
    expiresAt: inDays(50 + i),
  })),
];

/** The real keychain, with a switch that makes writes of token values fail (a locked or refusing keychain). */
class SwitchableKeychain implements SecretStore {
  failTokenWrites = false;
  constructor(private readonly inner: SecretStore) {}
  get(account: string) {
    return this.inner.get(account);
  }
  async set(account: string, secret: string) {
    if (this.failTokenWrites && account.startsWith('token/'))
      throw new AppError('KEYCHAIN_FAILED', 'The keychain refused the item (the collection is locked).');
    return this.inner.set(account, secret);
  }
  delete(account: string) {
    return this.inner.delete(account);
  }
  list() {
    return this.inner.list();
  }
  status() {
    return this.inner.status();
  }
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.skipIf(!runnable)('Token inventory in Chromium against the real service and the fake Vault', () => {
  let browser: Browser;
  let h: Harness;
  let dir: ReturnType<typeof tempDir>;
  const secrets = new SwitchableKeychain(keychain.store);
  let alpha: Connection;
  let beta: Connection;
  const dialogsSeen: string[] = [];

  const fake = () => h.fakeVault!;
  const grid = () => h.page.getByRole('grid', { name: 'Tokens' });
  const row = (name: string) => grid().getByRole('row', { name: new RegExp(escapeRe(name)) });
  const tokensNamed = (name: string) =>
    fake()
      .state.listTokens()
      .filter((t) => t.name === name);
  const searchBox = () => h.page.getByRole('searchbox', { name: 'Search tokens' });

  async function search(text: string) {
    await searchBox().fill(text);
    // Wait until the grid answers for this text (debounce + query).
    await expect.poll(() => h.page.locator('.search__spinner').count()).toBe(0);
  }

  /** Picks a Vault in Generate's searchable Vault picker (a combobox since issue 13, item 5). */
  async function pickVault(dialog: Locator, name: string) {
    const combo = dialog.getByRole('combobox', { name: 'Vault connection' });
    // Already chosen (preselected from the selected rows): typing the same text opens no list.
    if ((await combo.inputValue()) === name) return;
    await combo.fill(name);
    await dialog.getByRole('option', { name: new RegExp(`^\\s*${escapeRe(name)}\\b`) }).click();
  }

  async function openGenerate(): Promise<Locator> {
    await h.page.locator('.header-actions').getByRole('button', { name: 'Generate token' }).click();
    const dialog = h.page.getByRole('dialog', { name: 'Generate an API access token' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    return dialog;
  }

  const notices = () => h.page.locator('.notices');

  /** Clicks Sync all and returns the summary it shows. */
  async function syncAll(): Promise<string> {
    await notices()
      .getByRole('button', { name: 'Dismiss' })
      .click()
      .catch(() => undefined);
    await h.page.getByRole('button', { name: 'Sync all' }).click();
    // Sync all asks first for every password it does not have for this run (issue 13, item 1).
    const ask = h.page.getByRole('dialog', { name: 'Before syncing' });
    await expect
      .poll(async () => (await ask.isVisible()) || /Sync complete|Sync failed/.test(await notices().innerText()), {
        timeout: 20_000,
      })
      .toBe(true);
    if (await ask.isVisible()) {
      for (const field of await ask.locator('input[type="password"]').all()) await field.fill(PASSWORD);
      await ask.getByRole('button', { name: 'Sync', exact: true }).click();
    }
    await expect.poll(() => notices().innerText(), { timeout: 20_000 }).toMatch(/Sync complete|Sync failed/);
    return notices().innerText();
  }

  beforeAll(async () => {
    dir = tempDir();
    browser = await launchChromium();
    h = await startHarness({
      dataDir: dir.path,
      secrets,
      browser,
      fakeVault: { vaults: VAULTS, users: USERS, tokens: TOKENS },
    });
    h.page.on('dialog', (d) => {
      dialogsSeen.push(d.message());
      void d.dismiss();
    });
    const vault = (id: number) => fake().vaults.find((v) => v.id === id)!;
    alpha = await h.ctx.connections.create(
      ConnectionCreate.parse({
        name: 'Alpha PromoMats',
        dns: vault(100).dns,
        username: 'admin@example.com',
        authMethod: 'password',
        secret: PASSWORD,
        rememberSecret: true,
      }),
    );
    beta = await h.ctx.connections.create(
      ConnectionCreate.parse({
        name: 'Beta QualityDocs',
        dns: vault(200).dns,
        username: 'admin@example.com',
        authMethod: 'password',
      }),
    );
    await h.page.reload();
  });

  // A failed test must not leave a modal open over the next one.
  afterEach(async () => {
    for (let i = 0; i < 3 && (await h.page.locator('dialog[open]').count()) > 0; i++)
      await h.page.keyboard.press('Escape');
  });

  afterAll(() => closeKeychainSuite({ h, browser, dir }, keychain.store));

  it('opens on the inventory and offers a first sync', async () => {
    const { page } = h;
    expect(await page.evaluate(() => window.location.hash)).toBe('');
    await expect
      .poll(() => page.getByRole('heading', { name: 'No tokens in the inventory yet' }).isVisible())
      .toBe(true);
    expect(await page.getByRole('link', { name: 'Inventory' }).getAttribute('aria-current')).toBe('page');
    // One summary line for both connections, never synced yet; it opens into the list of Vaults.
    const strip = page.getByRole('region', { name: 'Vaults and sync status' });
    expect(await strip.innerText()).toMatch(/2 Vaults[\s\S]*○\s*2 never synced/);
    await strip.getByRole('button', { name: '2 Vaults' }).click();
    expect(await strip.innerText()).toMatch(/Alpha PromoMats[\s\S]*never synced/);
    expect(await strip.innerText()).toMatch(/Beta QualityDocs[\s\S]*never synced/);
  });

  it('sync asks for the password that is not stored, then lists every token', async () => {
    const { page } = h;
    // Beta has no stored password: syncing it alone asks for it.
    await page.getByRole('button', { name: 'Sync Beta QualityDocs' }).click();
    await expect
      .poll(() => notices().innerText(), { timeout: 20_000 })
      .toMatch(/Sync failed[\s\S]*Beta QualityDocs[\s\S]*password/);
    await page.getByRole('button', { name: 'Enter the password and sync again' }).click();
    const prompt = page.getByRole('dialog', { name: 'Unlock Beta QualityDocs' });
    await prompt.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await prompt.getByRole('button', { name: 'Unlock and continue' }).click();
    await expect.poll(() => notices().innerText(), { timeout: 20_000 }).toMatch(/Sync complete[\s\S]*1 Vault synced/);

    expect(await syncAll()).toMatch(/Sync complete[\s\S]*2 Vaults synced/);
    // Reconcile rules: tokens Vault lists as active, plus inactive ones whose expiry passed within
    // the last 30 days (shown as expired); other inactive ones never seen before are not added.
    const now = Date.now();
    const expected = fake()
      .state.listTokens()
      .filter((t) => t.vaultId === 100 || t.vaultId === 200)
      .filter((t) => {
        const expiry = t.expiresAt?.getTime() ?? null;
        const readsActive = t.deletedAt === null && (expiry === null || expiry > now);
        const recentlyExpired = expiry !== null && expiry <= now && now - expiry <= 30 * 86_400_000;
        return readsActive || recentlyExpired;
      }).length;
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe(String(expected + 1));
    expect(await page.getByText(`${expected} tokens`, { exact: false }).first().isVisible()).toBe(true);
    // The strip now shows when each Vault was synced and that it is reachable.
    const strip = page.getByRole('region', { name: 'Vaults and sync status' });
    await expect.poll(() => strip.innerText()).toMatch(/✓\s*2 synced/);
    await expect.poll(() => strip.innerText()).toMatch(/Alpha PromoMats[\s\S]*synced (just now|.* ago)/);
    // Columns: Vault, user with n/25, name, token id, status, expiry with days left, last used, secret
    // (last synced is in the details drawer unless chosen in the Columns menu).
    const ci = row('CI pipeline');
    const ciText = await ci.innerText();
    const ciId = fake()
      .state.listTokens()
      .find((t) => t.name === 'CI pipeline')!.id;
    expect(ciText).toContain('Alpha PromoMats');
    expect(ciText).toContain(ciId);
    expect(ciText).toContain('expiring soon');
    expect(ciText).toMatch(/\d{4}-\d{2}-\d{2} · in [45] days/);
    expect(ciText).toContain('not stored');
    expect(await row('Fiona job 01').innerText()).toMatch(/25\/25\s+active tokens/);
    // Expired ten days ago, never seen before: listed as expired so it can be rotated; a deleted one is not listed.
    expect(await row('Old migration').innerText()).toContain('expired');
    expect(await row('Revoked integration').count()).toBe(0);
    await h.screenshot('inventory');
    // Rows far down are not in the DOM (virtual scrolling); search brings them in.
    expect(await row('Legacy sync').count()).toBe(0);
    await search('legacy');
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe('2');
    expect(await row('Legacy sync').innerText()).toContain('never expires');
    await search('');
  });

  it('generates a token for me: the value is shown once, masked, with Reveal and Copy', async () => {
    const { page } = h;
    const dialog = await openGenerate();
    await pickVault(dialog, alpha.name);
    expect(await dialog.getByLabel(/^Me \(admin@example\.com\)$/).isChecked()).toBe(true);
    expect(await dialog.innerText()).toContain('A date alone means 23:59:59 in the Vault user’s time zone');
    await dialog.getByLabel('Token name').fill('Nightly export');
    await dialog.getByLabel('30 days').check();
    await h.screenshot('generate-dialog');
    await dialog.getByRole('button', { name: 'Generate token' }).click();

    const result = page.getByRole('dialog', { name: 'Token created' });
    await expect.poll(() => result.isVisible(), { timeout: 15_000 }).toBe(true);
    const [minted] = tokensNamed('Nightly export');
    expect(minted).toBeDefined();
    expect(minted!.userId).toBe(U.admin);
    expect(minted!.status).toBe('active');
    // 30 days from today, at 23:59:59 in the user's time zone.
    expect(Math.round((minted!.expiresAt!.getTime() - Date.now()) / DAY)).toBeGreaterThanOrEqual(30);
    expect(Math.round((minted!.expiresAt!.getTime() - Date.now()) / DAY)).toBeLessThanOrEqual(31);
    expect(await result.innerText()).toContain(minted!.id);

    const secret = result.getByTestId('secret-value');
    expect(await secret.innerText()).toMatch(/^•+$/);
    expect(await secret.getAttribute('aria-label')).toBe('Token value, masked');
    await h.screenshot('generate-result');

    const stored = await keychain.store.get(`token/100/${minted!.id}`);
    expect(stored).toMatch(/^veeva-vault-/);
    await result.getByRole('button', { name: 'Reveal' }).click();
    await expect.poll(() => secret.innerText()).toBe(stored);
    expect(await result.getByRole('status').filter({ hasText: 'masked again' }).innerText()).toContain(
      'Shown for 30 s, then masked again.',
    );
    await result.getByRole('button', { name: 'Hide' }).click();
    await expect.poll(() => secret.innerText()).toMatch(/^•+$/);

    await result.getByRole('button', { name: 'Copy' }).click();
    await expect
      .poll(() => result.getByRole('status').filter({ hasText: 'Copied' }).innerText())
      .toBe('Copied — the clipboard clears in 30 s');
    // Just generated here: shown and copied without the native confirmation (the reveal gate).
    expect(h.revealRequests).toEqual([]);
    expect(h.clipboard.text).toBe(stored);

    await result.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => result.count()).toBe(0);
    await expect.poll(() => notices().innerText()).toContain('Generated “Nightly export”');
    await search('Nightly export');
    const text = await row('Nightly export').innerText();
    expect(text).toContain(minted!.id);
    expect(text).toMatch(/\bstored\b/);
    expect(text).not.toContain('not stored');

    // The value went nowhere else: not storage, not the URL, not the page, not a log.
    const leaks = await page.evaluate(() =>
      JSON.stringify({
        local: { ...localStorage },
        session: { ...sessionStorage },
        url: location.href,
        html: document.documentElement.outerHTML,
      }),
    );
    expect(leaks).not.toContain(stored!);
    expect(JSON.stringify(h.logs)).not.toContain(stored!);
  });

  it('generates a token for another user picked by searching the Vault’s users', async () => {
    const { page } = h;
    const dialog = await openGenerate();
    await pickVault(dialog, alpha.name);
    await dialog.getByLabel('Another user').check();
    const combo = dialog.getByRole('combobox', { name: 'Vault user' });
    await combo.fill('system');
    await expect.poll(() => dialog.getByText('No users match.').isVisible(), { timeout: 10_000 }).toBe(true);
    await combo.fill('nora');
    const option = dialog.getByRole('option', { name: /Nora Nilsen/ });
    await expect.poll(() => option.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await option.innerText()).toMatch(/nora@example\.com · nora\.nilsen@example\.com/);
    await combo.press('ArrowDown');
    await option.click();
    expect(await dialog.locator('.picked-user').innerText()).toContain('Nora Nilsen');
    await dialog.getByLabel('Token name').fill('Nora integration');
    await dialog.getByLabel('30 days').check();
    await dialog.getByRole('button', { name: 'Generate token' }).click();
    const result = page.getByRole('dialog', { name: 'Token created' });
    await expect.poll(() => result.isVisible(), { timeout: 15_000 }).toBe(true);
    const [minted] = tokensNamed('Nora integration');
    expect(minted?.userId).toBe(U.nora);
    expect(minted?.createdBy).toBe(U.admin);
    await result.getByRole('button', { name: 'Done' }).click();
    await search('Nora integration');
    expect(await row('Nora integration').innerText()).toContain(minted!.id);
  });

  it('when the keychain refuses the value, the panel stays until it is copied and confirmed saved', async () => {
    const { page } = h;
    secrets.failTokenWrites = true;
    try {
      const dialog = await openGenerate();
      await pickVault(dialog, alpha.name);
      await dialog.getByLabel('Token name').fill('Keychain refused');
      await dialog.getByRole('button', { name: 'Generate token' }).click();
      const panel = page.getByRole('dialog', { name: 'Token created — save the value now' });
      await expect.poll(() => panel.isVisible(), { timeout: 15_000 }).toBe(true);
      const warning = panel.getByRole('alert');
      expect(await warning.innerText()).toContain('The value is NOT in the keychain.');
      expect(await warning.innerText()).toContain('collection is locked');
      const [minted] = tokensNamed('Keychain refused');
      expect(await keychain.store.get(`token/100/${minted!.id}`)).toBeNull();

      const done = panel.getByRole('button', { name: 'Done' });
      const saved = panel.getByLabel('I have saved this value elsewhere');
      expect(await done.isDisabled()).toBe(true);
      expect(await saved.isDisabled()).toBe(true);
      expect(await panel.getByRole('button', { name: 'Close' }).count()).toBe(0);
      await page.keyboard.press('Escape');
      expect(await panel.isVisible()).toBe(true);
      await h.screenshot('generate-keychain-failure');

      // Revealed from main's memory, then copied.
      await panel.getByRole('button', { name: 'Reveal' }).click();
      await expect.poll(() => panel.getByTestId('secret-value').innerText()).toMatch(/^veeva-vault-/);
      const value = await panel.getByTestId('secret-value').innerText();
      await panel.getByRole('button', { name: 'Copy' }).click();
      await expect.poll(() => saved.isDisabled()).toBe(false);
      expect(h.clipboard.text).toBe(value);
      expect(await done.isDisabled()).toBe(true);
      await saved.check();
      await done.click();
      await expect.poll(() => panel.count()).toBe(0);
      const audit = h.ctx.db.prepare('SELECT action FROM audit_log WHERE token_id = ? ORDER BY id').all(minted!.id) as {
        action: string;
      }[];
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining(['token.generate', 'token.keychain-failed', 'token.saved-elsewhere']),
      );
      await search('Keychain refused');
      expect(await row('Keychain refused').innerText()).toContain('not stored');
      expect(JSON.stringify(h.logs)).not.toContain(value);
    } finally {
      secrets.failTokenWrites = false;
    }
  });

  it('generates a token for me in a sandbox of a production Vault, by the sandbox’s name', async () => {
    const { page } = h;
    const dialog = await openGenerate();
    await pickVault(dialog, alpha.name);
    await dialog.getByLabel('Me, in a sandbox').check();
    await dialog.getByRole('button', { name: 'Generate token' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').allInnerTexts())
      .toEqual(
        expect.arrayContaining([
          'Enter the sandbox name as shown on My Vaults.',
          'Give the token a name, e.g. the integration that will use it.',
        ]),
      );
    await dialog.getByLabel('Sandbox name').fill('Alpha Sandbox');
    await dialog.getByLabel('Token name').fill('Sandbox smoke tests');
    await dialog.getByRole('button', { name: 'Generate token' }).click();
    const result = page.getByRole('dialog', { name: 'Token created' });
    await expect.poll(() => result.isVisible(), { timeout: 15_000 }).toBe(true);
    const [minted] = tokensNamed('Sandbox smoke tests');
    expect(minted?.vaultId).toBe(150);
    expect(minted?.userId).toBe(U.admin);
    await result.getByRole('button', { name: 'Done' }).click();
    await search('Sandbox smoke');
    const r = row('Sandbox smoke tests');
    expect(await r.innerText()).toContain('Alpha PromoMats → sandbox Alpha Sandbox');
    await r.dblclick();
    const drawer = page.getByRole('complementary', { name: 'Sandbox smoke tests' });
    await expect.poll(() => drawer.isVisible()).toBe(true);
    expect(await drawer.getByRole('button', { name: 'Revoke…' }).isDisabled()).toBe(true);
    expect(await drawer.innerText()).toContain('This token lives in the sandbox “Alpha Sandbox”.');
    await drawer.getByRole('button', { name: 'Close details' }).click();
  });

  it('sync picks up a token created directly in Vault and marks one deleted there as revoked', async () => {
    fake().state.createToken({ vault: 100, user: U.pat, name: 'Made in the Vault UI', expiresAt: inDays(20) });
    const gone = tokensNamed('Data warehouse export')[0]!;
    fake().state.deleteToken(gone.id);
    expect(await syncAll()).toMatch(/Sync complete[\s\S]*1 new, \d+ updated, 1 newly revoked/);
    await search('Made in the Vault');
    expect(await row('Made in the Vault UI').innerText()).toMatch(/Alpha PromoMats[\s\S]*active/);
    await search('Data warehouse');
    // Revoked tokens leave the default list (issue 13, item 9); "Show revoked" brings them back.
    await expect.poll(() => row('Data warehouse export').count()).toBe(0);
    await h.page.getByLabel('Show revoked').check();
    expect(await row('Data warehouse export').innerText()).toContain('revoked');
    // Status chips count over the search: one revoked.
    expect(await h.page.getByRole('button', { name: /^revoked/ }).innerText()).toMatch(/revoked\s*1/);
    await h.page.getByLabel('Show revoked').uncheck();
  });

  it('renders a Vault-provided token name as text, never as markup', async () => {
    const { page } = h;
    fake().state.createToken({ vault: 100, user: U.admin, name: XSS_NAME, expiresAt: inDays(25) });
    await syncAll();
    await search('<img');
    const r = row(XSS_NAME);
    await expect.poll(() => r.count()).toBe(1);
    expect(await r.getByRole('gridcell').nth(3).innerText()).toBe(XSS_NAME);
    expect(await grid().locator('img').count()).toBe(0);
    await r.dblclick();
    const drawer = page.getByRole('complementary', { name: XSS_NAME });
    await expect.poll(() => drawer.isVisible()).toBe(true);
    expect(await drawer.getByRole('heading', { level: 2 }).innerText()).toBe(XSS_NAME);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogsSeen).toEqual([]);
    await drawer.getByRole('button', { name: 'Close details' }).click();
  });

  it('revokes one token after a confirmation that lists exactly what goes', async () => {
    const { page } = h;
    await search('Pat reporting');
    const target = tokensNamed('Pat reporting')[0]!;
    await row('Pat reporting').click();
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('complementary', { name: 'Pat reporting' });
    await expect.poll(() => drawer.isVisible()).toBe(true);
    expect(await drawer.innerText()).toContain(target.id);
    await drawer.getByRole('button', { name: 'Revoke…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke “Pat reporting”?' });
    await expect.poll(() => confirm.isVisible()).toBe(true);
    const listed = confirm.getByRole('table', { name: 'Tokens to revoke' });
    const cells = await listed.getByRole('row').nth(1).getByRole('cell').allInnerTexts();
    expect(cells).toEqual([
      'Alpha PromoMats',
      'Pat reporting',
      target.id,
      expect.stringMatching(/pat@example\.com|504/),
    ]);
    // Focus starts on Cancel: Enter never destroys.
    expect(await confirm.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement)).toBe(
      true,
    );
    await h.screenshot('revoke-confirm');
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    const done = page.getByRole('dialog', { name: 'Revoked 1 token' });
    await expect.poll(() => done.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await done.getByRole('table', { name: 'Revoke results' }).innerText()).toMatch(
      /revoked[\s\S]*Pat reporting/,
    );
    await done.getByRole('button', { name: 'Close' }).first().click();
    expect(fake().state.getToken(target.id)?.status).toBe('deleted');
    // Revoked tokens leave the default list (issue 13, item 9).
    await expect.poll(() => row('Pat reporting').count()).toBe(0);
    await expect.poll(() => drawer.innerText()).toContain('This token is revoked.');
    await drawer.getByRole('button', { name: 'Close details' }).click();
  });

  it('revokes many (shift-click range) and reports each result, including Vault’s refusal', async () => {
    const { page } = h;
    await search('bridge');
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe('4');
    const names = ['Pat bridge one', 'Pat bridge two', 'QMS bridge'];
    // Already deleted in Vault behind our back: Vault refuses to delete it again.
    const two = tokensNamed('Pat bridge two')[0]!;
    fake().state.deleteToken(two.id);
    const rows = grid().getByRole('row');
    await rows.nth(1).click();
    await rows.nth(3).click({ modifiers: ['Shift'] });
    await expect.poll(() => page.locator('.selection-bar').innerText()).toContain('3 of 3 selected');
    // ctrl-click toggles one off and on again.
    await rows.nth(2).click({ modifiers: ['Control'] });
    await expect.poll(() => page.locator('.selection-bar').innerText()).toContain('2 of 3 selected');
    await rows.nth(2).click({ modifiers: ['Control'] });
    await expect.poll(() => page.locator('.selection-bar').innerText()).toContain('3 of 3 selected');
    expect(await grid().locator('[aria-selected="true"]').count()).toBe(3);

    await page.locator('.selection-bar').getByRole('button', { name: 'Revoke…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke 3 tokens?' });
    await expect.poll(() => confirm.isVisible()).toBe(true);
    const listed = await confirm.getByRole('table', { name: 'Tokens to revoke' }).innerText();
    for (const n of names) {
      expect(listed).toContain(n);
      expect(listed).toContain(tokensNamed(n)[0]!.id);
    }
    expect(listed).toContain('Beta QualityDocs');
    await confirm.getByRole('button', { name: 'Revoke 3 tokens' }).click();
    const done = page.getByRole('dialog', { name: '2 tokens revoked, 1 failed' });
    await expect.poll(() => done.isVisible(), { timeout: 15_000 }).toBe(true);
    const results = await done.getByRole('table', { name: 'Revoke results' }).getByRole('row').allInnerTexts();
    const failedRow = results.find((r) => r.includes('Pat bridge two'))!;
    expect(failedRow).toMatch(/failed[\s\S]*INVALID_DATA/);
    expect(results.filter((r) => /^revoked/.test(r.trim()))).toHaveLength(2);
    await h.screenshot('revoke-results');
    await done.getByRole('button', { name: 'Close' }).first().click();
    expect(fake().state.getToken(tokensNamed('QMS bridge')[0]!.id)?.status).toBe('deleted');
    await expect.poll(() => row('QMS bridge').count()).toBe(0);
    await expect.poll(() => page.locator('.selection-bar').innerText()).not.toContain('selected');
  });

  it('is keyboard friendly: arrows move, space selects, Enter opens details; headers sort', async () => {
    const { page } = h;
    await search('Fiona job');
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe('26');
    await grid().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await expect
      .poll(() => grid().getByRole('row', { selected: true }).allInnerTexts())
      .toEqual([expect.stringContaining('Fiona job 02')]);
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(() => page.locator('.selection-bar').innerText()).toContain('2 of 25 selected');
    // Export just the selection, as CSV.
    await page.locator('.selection-bar').getByRole('button', { name: 'Export selection' }).click();
    const exportDialog = page.getByRole('dialog', { name: 'Export tokens' });
    expect(await exportDialog.getByLabel('The selected tokens (2 tokens)').isChecked()).toBe(true);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      exportDialog.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = (await readFile((await download.path())!, 'utf8')).trim().split(/\r?\n/);
    expect(csv[0]).toBe(
      'connection,vaultDns,vaultId,tokenId,name,userId,userName,status,expiresAt,lastUsedAt,createdAt,secretStored,source,revokedAt,lastSyncedAt',
    );
    expect(csv.slice(1).map((l) => l.split(',')[4])).toEqual(['Fiona job 02', 'Fiona job 03']);
    await grid().focus();

    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('complementary', { name: 'Fiona job 03' }).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('complementary', { name: 'Fiona job 03' }).count()).toBe(0);

    const nameHeader = grid().getByRole('columnheader', { name: 'Name' });
    expect(
      await grid()
        .getByRole('columnheader', { name: /Expires/ })
        .getAttribute('aria-sort'),
    ).toBe('ascending');
    await nameHeader.getByRole('button').click();
    await expect.poll(() => nameHeader.getAttribute('aria-sort')).toBe('ascending');
    await nameHeader.getByRole('button').click();
    await expect.poll(() => nameHeader.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(() => grid().getByRole('row').nth(1).innerText()).toContain('Fiona job 25');
    expect(
      await grid()
        .getByRole('columnheader', { name: /Expires/ })
        .getAttribute('aria-sort'),
    ).toBe('none');

    // Select all matching, then clear.
    await grid().getByRole('checkbox', { name: 'Select all matching' }).check();
    await expect.poll(() => page.locator('.selection-bar').innerText()).toContain('All 25 matching selected');
    await page.locator('.selection-bar').getByRole('button', { name: 'Clear selection' }).click();
    await grid()
      .getByRole('columnheader', { name: /Expires/ })
      .getByRole('button')
      .click();
  });

  it('every guard rail in the generate dialog says what to fix, before calling Vault', async () => {
    const before = fake().state.listTokens().length;
    const dialog = await openGenerate();
    await pickVault(dialog, alpha.name);
    const submit = dialog.getByRole('button', { name: 'Generate token' });

    await submit.click();
    await expect
      .poll(() => dialog.getByRole('alert').allInnerTexts())
      .toContain('Give the token a name, e.g. the integration that will use it.');
    expect(await dialog.getByLabel('Token name').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('Token name').fill('Guard rails');

    await dialog.getByLabel('On a date').check();
    await dialog.getByLabel('Date', { exact: true }).fill('2020-01-31');
    await submit.click();
    await expect
      .poll(() => dialog.getByRole('alert').allInnerTexts())
      .toContain('That date is in the past. Pick today or a later date.');

    await dialog.getByLabel('Date and time (UTC)').check();
    const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
    await dialog.getByLabel('Date', { exact: true }).fill(yesterday);
    await dialog.getByLabel('Time (UTC)', { exact: true }).fill('12:00');
    await submit.click();
    await expect
      .poll(() => dialog.getByRole('alert').allInnerTexts())
      .toContain('That time is in the past (times are UTC). Pick a later one.');

    await dialog.getByLabel('Never expires').check();
    expect(await dialog.innerText()).toContain(
      'Vault refuses a token without an expiry unless the user’s security profile allows never-expiring tokens.',
    );
    await dialog.getByLabel('90 days').check();

    // Fiona holds 25 active tokens (from the inventory): refused before calling Vault.
    await dialog.getByLabel('Another user').check();
    await dialog.getByRole('combobox', { name: 'Vault user' }).fill('fiona');
    await dialog.getByRole('option', { name: /Fiona Full/ }).click();
    await expect
      .poll(() => dialog.innerText())
      .toContain('already holds 25 active tokens on this Vault; Vault allows at most 25. Revoke one first.');
    await submit.click();
    await expect
      .poll(() => dialog.getByRole('alert').allInnerTexts())
      .toEqual(expect.arrayContaining([expect.stringContaining('already holds 25 active tokens')]));
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(fake().state.listTokens().length).toBe(before);
  });

  it('shows Vault’s own refusals with its error type: a 26th token, a VeevaID user, a forbidden never-expiring token', async () => {
    const { page } = h;
    // Vault knows Nora holds 25 tokens; this inventory (not synced since) thinks 1.
    for (let i = fake().state.listTokens({ user: U.nora, status: 'active' }).length; i < 25; i++) {
      fake().state.createToken({ vault: 100, user: U.nora, name: `Nora made elsewhere ${i}`, expiresAt: inDays(30) });
    }
    const before = fake().state.listTokens().length;
    const generateFor = async (who: RegExp, name: string, expiry: string) => {
      const dialog = await openGenerate();
      await pickVault(dialog, alpha.name);
      await dialog.getByLabel('Another user').check();
      await dialog.getByRole('combobox', { name: 'Vault user' }).fill(who.source.split(' ')[0]!.toLowerCase());
      await dialog.getByRole('option', { name: who }).click();
      await dialog.getByLabel('Token name').fill(name);
      await dialog.getByLabel(expiry).check();
      await dialog.getByRole('button', { name: 'Generate token' }).click();
      const failure = dialog.getByRole('alert').filter({ hasText: 'Vault error type' });
      await expect.poll(() => failure.count(), { timeout: 15_000 }).toBe(1);
      const text = await failure.innerText();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      return text;
    };
    expect(await generateFor(/Nora Nilsen/, 'Twenty-sixth', '30 days')).toMatch(
      /Vault refused[\s\S]*Vault error type: OPERATION_NOT_ALLOWED/,
    );
    expect(await generateFor(/Maria Lopez/, 'For a VeevaID user', '30 days')).toMatch(
      /Vault refused[\s\S]*Vault error type: OPERATION_NOT_ALLOWED/,
    );
    expect(await generateFor(/Pat Pacific/, 'Forever', 'Never expires')).toMatch(
      /Vault refused[\s\S]*Vault error type: PARAMETER_REQUIRED/,
    );
    expect(fake().state.listTokens().length).toBe(before);
    expect(await page.getByRole('dialog').count()).toBe(0);
  });

  it('rotates from a deep link; a failure at either step says exactly what exists', async () => {
    const { page } = h;
    await search('');
    const old = tokensNamed('CI pipeline')[0]!;
    const oldRow = (await h.ctx.service.queryTokens({ search: old.id, offset: 0, limit: 5 })).rows[0]!;
    await page.evaluate((id) => (window.location.hash = `#/inventory?rotate=${id}`), oldRow.rowId);
    const dialog = page.getByRole('dialog', { name: /^Rotated? “CI pipeline”$/ });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await page.evaluate(() => window.location.hash)).toBe('#/inventory');
    expect(await dialog.innerText()).toContain(old.id);
    await dialog.getByLabel('90 days').check();

    // Step 1 fails in Vault: nothing changed.
    fake().faults.inject(
      { method: 'POST', path: /\/objects\/users\/[^/]+\/api_access_token__sys$/ },
      { kind: 'vaultError', type: 'INSUFFICIENT_ACCESS', message: 'Simulated refusal' },
      { times: 1 },
    );
    await dialog.getByRole('button', { name: 'Generate replacement' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').innerText(), { timeout: 15_000 })
      .toMatch(/Nothing changed\.[\s\S]*old token[\s\S]*is still active[\s\S]*INSUFFICIENT_ACCESS/);
    expect(tokensNamed('CI pipeline').filter((t) => t.status === 'active')).toHaveLength(1);

    // Step 1 again: the replacement exists; the old one still works.
    await dialog.getByRole('button', { name: 'Generate replacement' }).click();
    await expect.poll(() => dialog.innerText(), { timeout: 15_000 }).toContain('The replacement');
    const replacement = tokensNamed('CI pipeline').find((t) => t.id !== old.id)!;
    expect(replacement.status).toBe('active');
    expect(await dialog.innerText()).toMatch(
      new RegExp(`replacement ${replacement.id} is active\\. The old token ${old.id} is still active`),
    );
    await h.screenshot('rotate-step-two');
    const revokeOld = dialog.getByRole('button', { name: 'Revoke the old token now' });
    expect(await revokeOld.isDisabled()).toBe(true);

    // Step 2 fails: both tokens stay, and the dialog says so.
    fake().faults.inject(
      { method: 'DELETE', path: /\/vobjects\/api_access_token__sys$/ },
      { kind: 'vaultError', type: 'OPERATION_IN_PROGRESS', message: 'Simulated: try again later' },
      { times: 1 },
    );
    await dialog.getByLabel('I have put the new token in place and it works').check();
    await revokeOld.click();
    const failure = dialog.getByRole('alert').filter({ hasText: 'The old token was not revoked.' });
    await expect.poll(() => failure.count(), { timeout: 15_000 }).toBe(1);
    expect(await failure.innerText()).toMatch(
      new RegExp(
        `Both tokens are active and listed in the inventory: the new ${replacement.id} and the old ${old.id}[\\s\\S]*OPERATION_IN_PROGRESS`,
      ),
    );
    expect(fake().state.getToken(old.id)?.status).toBe('active');
    expect(fake().state.getToken(replacement.id)?.status).toBe('active');
    await h.screenshot('rotate-revoke-failed');

    await dialog.getByRole('button', { name: 'Try revoking the old token again' }).click();
    await expect.poll(() => dialog.innerText(), { timeout: 15_000 }).toContain('Rotation complete.');
    expect(await page.getByRole('dialog', { name: 'Rotated “CI pipeline”' }).isVisible()).toBe(true);
    expect(fake().state.getToken(old.id)?.status).toBe('deleted');
    expect(fake().state.getToken(replacement.id)?.status).toBe('active');
    expect(fake().state.getToken(replacement.id)?.name).toBe('CI pipeline');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => notices().innerText()).toContain('Rotation complete');
    await search('CI pipeline');
    await h.page.getByLabel('Show revoked').check();
    await expect
      .poll(() => grid().getByRole('row').allInnerTexts())
      .toEqual(
        expect.arrayContaining([
          expect.stringMatching(new RegExp(`${old.id}[\\s\\S]*revoked`)),
          expect.stringMatching(new RegExp(`${replacement.id}[\\s\\S]*active`)),
        ]),
      );
    await h.page.getByLabel('Show revoked').uncheck();
  });

  it('deep link to specific rows shows only those', async () => {
    const { page } = h;
    await search('');
    const ids = (await h.ctx.service.queryTokens({ search: 'Nightly export', offset: 0, limit: 5 })).rows.map(
      (r) => r.rowId,
    );
    ids.push((await h.ctx.service.queryTokens({ search: 'Audit export', offset: 0, limit: 5 })).rows[0]!.rowId);
    await page.evaluate((list) => (window.location.hash = `#/inventory?tokens=${list.join(',')}`), ids);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Showing 2 linked tokens' }).count()).toBe(1);
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe('3');
    const texts = (await grid().getByRole('row').allInnerTexts()).join('\n');
    expect(texts).toContain('Nightly export');
    expect(texts).toContain('Audit export');
    await page.getByRole('link', { name: 'Show all tokens' }).click();
    await expect.poll(() => page.getByText('Showing 2 linked tokens').count()).toBe(0);
    await expect.poll(async () => Number(await grid().getAttribute('aria-rowcount'))).toBeGreaterThan(30);
  });

  it('exports the view as JSON (metadata only); imports 5,000 read-only rows and scrolls them virtually', async () => {
    const { page } = h;
    await search('');
    const totalBefore = Number(await grid().getAttribute('aria-rowcount')) - 1;

    await page.getByRole('button', { name: 'Export…' }).click();
    const exportDialog = page.getByRole('dialog', { name: 'Export tokens' });
    await exportDialog.getByLabel(/^JSON/).check();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      exportDialog.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^vault-tokens-.*\.json$/);
    const exported = await readFile((await download.path())!, 'utf8');
    const doc = JSON.parse(exported) as { format: string; rows: { name: string; tokenId: string }[] };
    expect(doc.format).toBe('vault-token-desk-inventory');
    expect(doc.rows).toHaveLength(totalBefore);
    expect(doc.rows.map((r) => r.name)).toContain('Nightly export');
    expect(exported).not.toContain('veeva-vault-');

    // Another machine's export with 5,000 rows, for offline review.
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      connection: 'Gamma Safety (review copy)',
      vaultDns: 'gamma-safety.example.com',
      vaultId: 4242,
      tokenId: `0PI9${String(i).padStart(11, '0')}`,
      name: `Gamma token ${String(i).padStart(4, '0')}`,
      userId: '9001',
      userName: 'gamma.integration@example.com',
      status: 'active',
      expiresAt: inDays(100 + (i % 300)).toISOString(),
      lastUsedAt: null,
      createdAt: inDays(-10).toISOString(),
      secretStored: false,
      source: 'sync',
      revokedAt: null,
      lastSyncedAt: inDays(-1).toISOString(),
    }));
    // A file that is not an export is refused in plain words, and nothing is imported.
    const junk = `${dir.path}/not-an-export.json`;
    await import('node:fs/promises').then((fs) => fs.writeFile(junk, JSON.stringify({ hello: 'world' })));
    await page.getByTestId('import-file').setInputFiles(junk);
    await expect
      .poll(() => notices().innerText(), { timeout: 10_000 })
      .toContain('Could not import not-an-export.json');
    expect(await grid().getAttribute('aria-rowcount')).toBe(String(totalBefore + 1));

    const file = `${dir.path}/gamma-export.json`;
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(
        file,
        JSON.stringify({
          format: 'vault-token-desk-inventory',
          version: 1,
          exportedAt: new Date().toISOString(),
          rows,
        }),
      ),
    );
    await page.getByTestId('import-file').setInputFiles(file);
    await expect
      .poll(() => notices().innerText(), { timeout: 20_000 })
      .toContain('Imported 5,000 tokens from gamma-export.json');
    expect(await page.getByLabel('Show imported').isChecked()).toBe(true);
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe(String(totalBefore + 5000 + 1));

    // Only what is on screen is in the DOM.
    expect(await grid().getByRole('row').count()).toBeLessThan(80);
    await grid().evaluate((el) => (el.scrollTop = el.scrollHeight));
    const last = grid().locator(`[aria-rowindex="${totalBefore + 5000 + 1}"]`);
    await expect.poll(() => last.getAttribute('data-row-id'), { timeout: 10_000 }).not.toBeNull();
    expect(await last.innerText()).toContain('Legacy sync'); // never expires: sorts last
    await grid().evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    const middle = grid().locator('[role="row"][data-row-id]').filter({ hasText: 'Gamma token' });
    await expect.poll(() => middle.count(), { timeout: 10_000 }).toBeGreaterThan(10);
    expect(await grid().getByRole('row').count()).toBeLessThan(80);

    await search('Gamma token 4999');
    const imported = row('Gamma token 4999');
    expect(await imported.innerText()).toMatch(/Gamma Safety \(review copy\)[\s\S]*read-only/);
    await imported.dblclick();
    const drawer = page.getByRole('complementary', { name: 'Gamma token 4999' });
    await expect.poll(() => drawer.isVisible()).toBe(true);
    expect(await drawer.getByRole('button', { name: 'Rotate…' }).isDisabled()).toBe(true);
    expect(await drawer.getByRole('button', { name: 'Revoke…' }).isDisabled()).toBe(true);
    expect(await drawer.innerText()).toContain('Imported rows are read-only.');
    await drawer.getByRole('button', { name: 'Close details' }).click();

    await page.getByRole('button', { name: 'Clear imported…' }).click();
    await page
      .getByRole('dialog', { name: 'Clear imported tokens?' })
      .getByRole('button', { name: 'Clear imported' })
      .click();
    await expect.poll(() => notices().innerText()).toContain('Cleared 5,000 imported tokens');
    await search('');
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe(String(totalBefore + 1));
  });

  it('Connections: Test connection is a read-only checklist of what this login can do, or Vault’s error', async () => {
    const { page } = h;
    await page.getByRole('link', { name: 'Connections' }).click();
    const requestsBefore = fake().requestLog.length;
    await page.getByRole('button', { name: 'Test connection Alpha PromoMats' }).click();
    const ok = page.getByRole('status').filter({ hasText: 'Alpha PromoMats works' });
    await expect.poll(() => ok.count(), { timeout: 15_000 }).toBe(1);
    const text = await ok.innerText();
    expect(text).toMatch(/Avery Admin \(admin@example\.com\) on Alpha PromoMats, API v26\.2/);
    const list = ok.getByRole('list', { name: 'What this login can do' });
    const item = (id: string) => list.locator(`[data-check="${id}"]`);
    const status = (id: string) => item(id).getAttribute('data-status');
    expect(
      await list.locator('[data-check]').evaluateAll((els) => els.map((e) => e.getAttribute('data-check'))),
    ).toEqual([...CAPABILITY_IDS]);
    for (const id of ['signed-in', 'api-versions', 'token-endpoints', 'own-tokens', 'read-users', 'burst-limit'])
      expect(await status(id)).toBe('yes');
    expect(await item('signed-in').innerText()).toMatch(/Alpha PromoMats.*Vault id 100/);
    expect(await item('burst-limit').innerText()).toMatch(/[\d,]+ of [\d,]+ calls left/);
    // Nothing was created or changed: only reads reached the Vault.
    const sent = fake()
      .requestLog.slice(requestsBefore)
      .filter((r) => r.vaultId === 100);
    expect(sent.length).toBeGreaterThan(0);
    for (const r of sent)
      expect(`${r.method} ${r.path}`).toMatch(
        /^(GET \/api\/|GET \/api\/v26\.2\/objects\/users\/me|POST \/api\/v26\.2\/(query|auth))$/,
      );
    await h.screenshot('connections-test');

    // Beta keeps no password: the test asks for one.
    await page.getByRole('button', { name: 'Test connection Beta QualityDocs' }).click();
    const prompt = page.getByRole('dialog', { name: 'Test Beta QualityDocs' });
    await prompt.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await prompt.getByRole('button', { name: 'Test connection' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Beta QualityDocs works' }).count(), { timeout: 15_000 })
      .toBe(1);

    // When Vault refuses, the message comes with Vault's error type.
    fake().faults.inject(
      { vaultId: 200 },
      {
        kind: 'vaultError',
        type: 'INSUFFICIENT_ACCESS',
        message: 'User not licensed for permission [VaultActions_API_Access]',
      },
      { times: 3 },
    );
    await page.getByRole('button', { name: 'Test connection Beta QualityDocs' }).click();
    await prompt.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await prompt.getByRole('button', { name: 'Test connection' }).click();
    const failed = page.getByRole('alert').filter({ hasText: 'Beta QualityDocs: the connection test failed' });
    await expect.poll(() => failed.count(), { timeout: 15_000 }).toBe(1);
    expect(await failed.innerText()).toMatch(/Vault error type: INSUFFICIENT_ACCESS/);
    fake().faults.clear();
  });

  it('records every action in the activity log, never a token value', async () => {
    const { page } = h;
    await page.getByRole('link', { name: 'Activity' }).click();
    const log = page.getByRole('table', { name: 'Activity log' });
    await expect.poll(() => log.isVisible()).toBe(true);
    const text = await log.innerText();
    // Each action as people read it (shared/audit-labels.ts, issue 13 item 8).
    for (const action of [
      'token.generate',
      'token.reveal',
      'token.copy',
      'token.revoke',
      'token.rotate.revoke-old',
      'tokens.sync',
      'tokens.import',
      'tokens.export',
      'connection.test',
    ] as const)
      expect(text).toContain(AUDIT_LABELS[action].label);
    for (const account of (await keychain.store.list()).filter((a) => a.startsWith('token/'))) {
      const value = await keychain.store.get(account);
      expect(text).not.toContain(value!);
    }
  });

  it('Test connection signs in again with a newly typed password (a wrong one is reported, not hidden by an open session)', async () => {
    const { page } = h;
    await page.getByRole('link', { name: 'Connections' }).click();
    await page.getByRole('button', { name: 'Test connection Beta QualityDocs' }).click();
    const prompt = page.getByRole('dialog', { name: 'Test Beta QualityDocs' });
    await prompt.getByLabel('Password', { exact: true }).fill('not-the-password');
    await prompt.getByRole('button', { name: 'Test connection' }).click();
    const failed = page.getByRole('alert').filter({ hasText: 'Beta QualityDocs: the connection test failed' });
    const worked = page.getByRole('status').filter({ hasText: 'Beta QualityDocs works' });
    await expect.poll(async () => (await failed.count()) + (await worked.count()), { timeout: 15_000 }).toBe(1);
    expect(await worked.count()).toBe(0);
    expect(await failed.innerText()).toMatch(/Vault error type: [A-Z_]+/);

    // The refused password was forgotten, not retried; the right one works straight away.
    await page.getByRole('button', { name: 'Test connection Beta QualityDocs' }).click();
    const again = page.getByRole('dialog', { name: 'Test Beta QualityDocs' });
    await again.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await again.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => worked.count(), { timeout: 15_000 }).toBe(1);
  });

  it('works offline from SQLite when the Vaults cannot be reached', async () => {
    const { page } = h;
    await page.getByRole('link', { name: 'Inventory' }).click();
    await search('');
    const total = await grid().getAttribute('aria-rowcount');
    await fake().close();
    expect(await syncAll()).toMatch(/Sync failed for 2 Vaults/);
    // One line says it, in words and an icon: no second "unreachable" banner.
    const strip = page.getByRole('region', { name: 'Vaults and sync status' });
    await expect.poll(() => strip.innerText()).toMatch(/⚠ Working offline[\s\S]*⚠\s*2 failed/);
    expect(await page.getByText(/Vaults? unreachable/).count()).toBe(0);
    const toggle = strip.getByRole('button', { name: '2 Vaults' });
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    expect(await strip.innerText()).toMatch(
      /Alpha PromoMats\s*sync failed · offline[\s\S]*Beta QualityDocs\s*sync failed · offline/,
    );
    expect(await strip.innerText()).toContain('the inventory shows what the last sync saw');
    expect(await grid().getAttribute('aria-rowcount')).toBe(total);
    await search('Nightly');
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe('2');
    await h.screenshot('inventory-offline');

    // Details still reveal from the keychain; Vault actions are disabled.
    await row('Nightly export').dblclick();
    const drawer = page.getByRole('complementary', { name: 'Nightly export' });
    await expect.poll(() => drawer.isVisible()).toBe(true);
    expect(await drawer.getByRole('button', { name: 'Revoke…' }).isDisabled()).toBe(true);
    expect(await drawer.innerText()).toContain('This Vault is offline.');
    await h.screenshot('token-details-offline');
    await drawer.getByRole('button', { name: 'Reveal' }).click();
    await expect.poll(() => drawer.getByTestId('secret-value').innerText()).toMatch(/^veeva-vault-/);
    await drawer.getByRole('button', { name: 'Close details' }).click();

    // Generating is refused up front, with a way to check again.
    const dialog = await openGenerate();
    await pickVault(dialog, alpha.name);
    expect(await dialog.innerText()).toContain('Alpha PromoMats is offline.');
    await dialog.getByLabel('Token name').fill('While offline');
    await dialog.getByRole('button', { name: 'Generate token' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').allInnerTexts())
      .toEqual(expect.arrayContaining([expect.stringContaining('could not be reached at the last check')]));
    await dialog.getByRole('button', { name: 'Check again' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').allInnerTexts(), { timeout: 15_000 })
      .toEqual(expect.arrayContaining([expect.stringContaining('Still unreachable')]));
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(beta.id).toBeTruthy();
  });

  it('names the owner of each synced token, not just the Vault user id', async () => {
    // Sync should resolve user ids to user names (TokensRepo.applySync takes `userNames`).
    await search('CI pipeline');
    expect(await row('CI pipeline').first().innerText()).toContain('admin@example.com');
    await search('QMS bridge');
    await h.page.getByLabel('Show revoked').check();
    expect(await row('QMS bridge').innerText()).toContain('pat@example.com');
    await h.page.getByLabel('Show revoked').uncheck();
  });
});
