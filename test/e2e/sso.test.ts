/**
 * Single sign-on in Chromium against the real service (issue 12). The app's page starts the sign-in;
 * a second Chromium page plays the system browser (what shell.openExternal opens): it signs in at the
 * fake identity provider and lands on the app's loopback redirect. Then the connection is tested and
 * synced, and after a restart the refresh token renews the session without a prompt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../helpers/chromium';
import { realKeychain } from '../helpers/keychain';
import { startHarness, type Harness } from '../helpers/app-harness';
import { tempDir } from '../helpers/temp-dir';
import { expectNoSeriousAxe, seriousAxeViolations } from '../helpers/axe';
import { DEMO_SAML_USER, DEMO_SSO_PASSWORD, DEMO_SSO_USER } from '../fake-vault/index';

const keychain = await realKeychain();
const runnable = chromiumAvailable && keychain.available;

describe.skipIf(!runnable)('single sign-on in Chromium against the real service', () => {
  let browser: Browser;
  let systemBrowser: BrowserContext;
  let h: Harness;
  let dir: ReturnType<typeof tempDir>;
  /** Pages "the system browser" opened, newest last. */
  const opened: Page[] = [];

  beforeAll(async () => {
    dir = tempDir();
    browser = await launchChromium();
    // The system browser trusts the fake's CA the way a person's browser trusts a real identity provider.
    systemBrowser = await browser.newContext({ ignoreHTTPSErrors: true });
    h = await startHarness({
      dataDir: dir.path,
      secrets: keychain.store,
      browser,
      fakeVault: { sso: { deviceIntervalSeconds: 1 } },
      extraContext: (fake) => ({
        env: { VAULT_TOKEN_DESK_LOGIN_HOST: fake!.loginHost },
        openExternal: async (url) => {
          const page = await systemBrowser.newPage();
          opened.push(page);
          await page.goto(url);
        },
      }),
    });
    await h.page.goto(`${h.origin}/index.html#/connections`);
  });
  afterAll(async () => {
    await h?.close();
    await systemBrowser?.close();
    await browser?.close();
    for (const account of await keychain.store.list()) await keychain.store.delete(account);
    dir?.cleanup();
  });

  const form = () => h.page.getByRole('complementary', { name: /Add a Vault connection/ });
  const dialog = () => h.page.getByRole('dialog', { name: /Sign in to/ });

  async function signInAtIdentityProvider(page: Page): Promise<void> {
    await page.getByLabel('User name').fill(DEMO_SSO_USER);
    await page.getByLabel('Password').fill(DEMO_SSO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
  }

  it('Detect tells a SAML-only user why single sign-on cannot be used', async () => {
    await h.page
      .getByRole('button', { name: /^Add (your first )?connection$/ })
      .first()
      .click();
    await form().getByLabel('User name').fill(DEMO_SAML_USER);
    await form().getByRole('button', { name: 'Detect' }).click();
    await expect
      .poll(() => form().getByRole('status').allTextContents())
      .toContain(
        'This Vault’s single sign-on is SAML only, which apps cannot use. Use an API access token or a session id instead.',
      );
    await form().getByRole('button', { name: 'Cancel' }).click();
  });

  it('Detect picks single sign-on; the browser signs in; the connection is tested and synced', async () => {
    const { page } = h;
    await page
      .getByRole('button', { name: /^Add (your first )?connection$/ })
      .first()
      .click();
    await form().getByLabel('Name', { exact: true }).fill('PromoMats (SSO)');
    await form().getByLabel('Vault DNS').fill(h.fakeVault!.vaults[0]!.dns);
    await form().getByLabel('User name').fill(DEMO_SSO_USER);
    await form().getByRole('button', { name: 'Detect' }).click();
    await expect
      .poll(() => form().getByRole('status').allTextContents())
      .toContain('Single sign-on with Acme Okta. Sign in with your browser after saving.');
    expect(await form().getByLabel('Sign in with').inputValue()).toBe('sso');
    await h.screenshot('sso-form-detected');
    await form().getByRole('button', { name: 'Add connection' }).click();

    await expect.poll(() => dialog().getByText('Sign in with your browser.').isVisible()).toBe(true);
    expect(
      await dialog()
        .getByText(/Waiting for the browser · [45]:\d\d left/)
        .isVisible(),
    ).toBe(true);
    expect(await seriousAxeViolations(page, 'dialog[open]'), 'sign-in dialog').toEqual([]);
    await h.screenshot('sso-waiting-for-browser');

    await expect.poll(() => opened.length).toBe(1);
    const idp = opened[0]!;
    expect(new URL(idp.url()).origin).toBe(h.fakeVault!.idp.issuer);
    await signInAtIdentityProvider(idp);
    expect(await idp.getByRole('heading', { name: 'Signed in' }).isVisible()).toBe(true);

    await expect.poll(() => dialog().count()).toBe(0);
    await expect
      .poll(() => page.getByText('Signed in to PromoMats (SSO) and synced its tokens.').isVisible(), {
        timeout: 15_000,
      })
      .toBe(true);
    const row = page.getByRole('row', { name: /PromoMats \(SSO\)/ });
    expect(await row.getByText('Renews itself').isVisible()).toBe(true);
    await h.screenshot('sso-signed-in');
  });

  it('after a restart, Sync renews silently with the refresh token', async () => {
    const refreshes = () => h.fakeVault!.idp.requests.filter((r) => r.grantType === 'refresh_token').length;
    const before = refreshes();
    await h.restart();
    await h.page.goto(`${h.origin}/index.html#/inventory`);
    await h.page.getByRole('button', { name: /^Sync/ }).first().click();
    await expect.poll(() => h.page.getByText(/1 Vault synced/).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(refreshes()).toBe(before + 1);
    expect(await h.page.getByRole('dialog').count()).toBe(0);
  });

  it('when the renewal was revoked, the sync notice offers Sign in, and signing in syncs', async () => {
    h.fakeVault!.idp.revokeRefreshTokens(DEMO_SSO_USER);
    await h.restart();
    await h.page.goto(`${h.origin}/index.html#/inventory`);
    await h.page.getByRole('button', { name: /^Sync/ }).first().click();
    const retry = h.page.getByRole('button', { name: 'Sign in to PromoMats (SSO) and sync again' });
    await expect.poll(() => retry.isVisible(), { timeout: 15_000 }).toBe(true);
    await h.screenshot('sso-sign-in-needed');
    await retry.click();
    await expect.poll(() => opened.length).toBe(2);
    await signInAtIdentityProvider(opened[1]!);
    await expect.poll(() => h.page.getByText(/1 Vault synced/).isVisible(), { timeout: 15_000 }).toBe(true);
  });

  it('a device code is shown large with Copy, and approving it signs in', async () => {
    await h.page.goto(`${h.origin}/index.html#/connections`);
    await h.page.getByRole('button', { name: 'Sign in to PromoMats (SSO)' }).click();
    await expect.poll(() => opened.length).toBe(3);
    await dialog().getByRole('button', { name: 'Use a code instead' }).click();
    const code = dialog().locator('.sso__code');
    await expect.poll(() => code.isVisible()).toBe(true);
    const userCode = (await code.textContent())!.trim();
    expect(userCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await dialog().getByRole('button', { name: 'Copy code' }).click();
    await expect.poll(() => h.clipboard.readText()).toBe(userCode);
    await expectNoSeriousAxe(h.page, 'dialog[open]');
    await h.page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousAxeViolations(h.page, 'dialog[open]'), 'dark').toEqual([]);
    await h.screenshot('sso-device-code-dark');
    await h.page.emulateMedia({ colorScheme: 'light' });
    h.fakeVault!.idp.approveDevice(userCode, DEMO_SSO_USER);
    await expect.poll(() => dialog().count(), { timeout: 15_000 }).toBe(0);
    await expect
      .poll(() => h.page.getByText('Signed in to PromoMats (SSO) and synced its tokens.').isVisible(), {
        timeout: 15_000,
      })
      .toBe(true);
  });
});
