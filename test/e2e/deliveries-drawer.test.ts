/**
 * Deliveries in the token's details drawer (issue 16 item 3, UI) in Chromium against the real
 * service: real SQLite, the real OS keychain, the fake Vault over HTTPS, a real file and a real
 * child process. Add a dotenv file and a command (main asks first, through the gate that stands in
 * for the desktop app's native confirmation), see inline errors, "Deliver now" with one target
 * failing, each target's last outcome, and remove. axe on the drawer and the add form; screenshots
 * in test-results/screenshots/deliveries-drawer-*.png.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../helpers/chromium';
import { realKeychain } from '../helpers/keychain';
import { startHarness, type Harness } from '../helpers/app-harness';
import { expectNoSeriousAxe } from '../helpers/axe';
import { tempDir } from '../helpers/temp-dir';
import { ConnectionCreate } from '../../shared/schemas';
import { GenerateRequest } from '../../shared/contract/tokens';

const keychain = await realKeychain();
const runnable = chromiumAvailable && keychain.available;
const PASSWORD = 'Deliveries-Drawer-Pass-1';
const VAULT_ID = 918_901;

describe.skipIf(!runnable)('Deliveries in the token drawer, in Chromium against the real service', () => {
  let browser: Browser;
  let h: Harness;
  const dir = tempDir('vtd-e2e-deliveries-');
  const work = join(dir.path, 'work');
  const envFile = join(work, 'etl.env');
  let rowId = 0;

  const drawer = () => h.page.getByRole('complementary', { name: 'Nightly ETL' });
  const section = () => drawer().getByRole('region', { name: 'Deliveries' });
  const form = () => section().getByRole('form', { name: 'Add a delivery' });
  const items = (): Locator => section().getByRole('listitem');

  beforeAll(async () => {
    mkdirSync(work, { recursive: true });
    writeFileSync(envFile, '# nightly ETL\nVAULT_TOKEN=old\nBATCH=500\n');
    browser = await launchChromium();
    h = await startHarness({
      dataDir: join(dir.path, 'data'),
      secrets: keychain.store,
      browser,
      fakeVault: {
        vaults: [{ id: VAULT_ID, name: 'Acme ETL Vault' }],
        users: [
          {
            id: 71_901,
            username: 'etl.admin@example.com',
            password: PASSWORD,
            securityProfile: 'vault_owner__v',
            vaults: 'all',
          },
        ],
      },
    });
    const connection = await h.ctx.connections.create(
      ConnectionCreate.parse({
        name: 'Acme ETL',
        dns: h.fakeVault!.vaults[0]!.dns,
        username: 'etl.admin@example.com',
        secret: PASSWORD,
        rememberSecret: true,
      }),
    );
    const generated = await h.ctx.service.generateToken(
      GenerateRequest.parse({
        connectionId: connection.id,
        target: { kind: 'me' },
        name: 'Nightly ETL',
        expiry: { kind: 'never' },
      }),
    );
    rowId = generated.token.rowId;
    await h.page.reload();
  });

  afterAll(async () => {
    await h?.close();
    await browser?.close();
    for (const account of await keychain.store.list())
      if (account.startsWith(`token/${VAULT_ID}/`) || account.startsWith('connection/'))
        await keychain.store.delete(account);
    dir.cleanup();
  });

  it('opens with no targets and says what a target is for', async () => {
    const row = h.page.getByRole('grid', { name: 'Tokens' }).getByRole('row', { name: /Nightly ETL/ });
    await row.dblclick();
    await expect.poll(() => section().isVisible()).toBe(true);
    expect(await section().innerText()).toMatch(/No delivery targets/);
    expect(await section().getByRole('button', { name: 'Deliver now' }).isDisabled()).toBe(true);
    await expectNoSeriousAxe(h.page, '.drawer');
  });

  it('adds a dotenv file, refusing a relative path and a bad variable first', async () => {
    await section().getByRole('button', { name: 'Add delivery…' }).click();
    await expect.poll(() => form().isVisible()).toBe(true);
    await expectNoSeriousAxe(h.page, '.drawer');
    await form().getByLabel('File', { exact: true }).fill('relative/.env');
    await form().getByLabel('Variable').fill('1BAD');
    await form().getByRole('button', { name: 'Add delivery' }).click();
    const alerts = await form().getByRole('alert').allInnerTexts();
    expect(alerts).toContain('Give the full path of the file.');
    expect(alerts.some((a) => a.startsWith('Use letters, digits and _ only'))).toBe(true);
    expect(await form().getByLabel('File', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await h.screenshot('deliveries-drawer-form-errors');

    const asked = h.revealRequests.length;
    await form().getByLabel('File', { exact: true }).fill(envFile);
    await form().getByLabel('Variable').fill('VAULT_TOKEN');
    await form().getByRole('button', { name: 'Add delivery' }).click();
    await expect.poll(() => items().count()).toBe(1);
    // Main asked the person before the new target may receive the value.
    expect(h.revealRequests.length).toBe(asked + 1);
    expect(h.revealRequests.at(-1)!.connectionName).toContain(`VAULT_TOKEN in ${envFile}`);
    expect(await items().first().innerText()).toMatch(
      new RegExp(`dotenv[\\s\\S]*VAULT_TOKEN in ${envFile}[\\s\\S]*Not run yet`),
    );
  });

  it('adds a command as an argument list, one per line', async () => {
    await section().getByRole('button', { name: 'Add delivery…' }).click();
    await form().getByLabel('A command').check();
    await form().getByRole('button', { name: 'Add delivery' }).click();
    expect(await form().getByRole('alert').allInnerTexts()).toContain('Enter the program, then one argument per line.');
    await form()
      .getByLabel('Command, one argument per line')
      .fill([process.execPath, '-e', 'process.stderr.write("store is locked"); process.exit(2)'].join('\n'));
    await form().getByLabel('Stop it after (seconds)').fill('20');
    await expectNoSeriousAxe(h.page, '.drawer');
    await form().getByRole('button', { name: 'Add delivery' }).click();
    await expect.poll(() => items().count()).toBe(2);
    expect(await items().nth(1).innerText()).toContain('command');
    const stored = h.ctx.deliveries.list(rowId)[1]!.target;
    expect(stored).toEqual({
      kind: 'command',
      argv: [process.execPath, '-e', 'process.stderr.write("store is locked"); process.exit(2)'],
      shell: false,
      timeoutMs: 20_000,
    });
  });

  it('Deliver now: the file gets the value, the failing command says so, each with its last outcome', async () => {
    await section().getByRole('button', { name: 'Deliver now' }).click();
    await expect
      .poll(() => section().getByRole('status').innerText(), { timeout: 20_000 })
      .toMatch(/1 of 2 deliveries failed/);
    await expect.poll(() => items().first().innerText()).toMatch(/delivered/);
    expect(await items().nth(1).innerText()).toMatch(/failed, exit 2[\s\S]*store is locked/);
    const value = await h.ctx.tokens.valueForMain(rowId);
    expect(readFileSync(envFile, 'utf8')).toBe(`# nightly ETL\nVAULT_TOKEN=${value}\nBATCH=500\n`);
    // The value never reached the page.
    expect(await h.page.content()).not.toContain(value);
    await expectNoSeriousAxe(h.page, '.drawer');
    await h.screenshot('deliveries-drawer-outcomes');
  });

  it('removes a target', async () => {
    await section()
      .getByRole('button', { name: /Remove the delivery to .*node/ })
      .click();
    await expect.poll(() => items().count()).toBe(1);
    expect(h.ctx.deliveries.list(rowId)).toHaveLength(1);
    const audit = (await h.ctx.service.listAudit({ limit: 50 })).map((e) => e.action);
    expect(audit).toEqual(
      expect.arrayContaining(['token.delivery.add', 'token.deliver', 'token.deliver.failed', 'token.delivery.remove']),
    );
  });
});
