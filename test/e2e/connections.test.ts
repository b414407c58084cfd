import { signInAccount } from '../../shared/signin-accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/chromium';
import { realKeychain } from '../helpers/keychain';
import type { Harness } from '../helpers/app-harness';
import { keychainBrowserSuite } from '../helpers/harness-suite';

const keychain = await realKeychain();
const runnable = chromiumAvailable && keychain.available;

describe.skipIf(!runnable)('Connections screen in Chromium against the real service', () => {
  const suite = keychainBrowserSuite(keychain.store);
  let h: Harness;

  beforeAll(async () => {
    h = await suite.start({});
  });
  afterAll(() => suite.close());

  async function addConnection(fields: { name: string; dns: string; username: string; password?: string }) {
    const { page } = h;
    await page
      .getByRole('button', { name: /^Add (your first )?connection$/ })
      .first()
      .click();
    const form = page.getByRole('complementary', { name: /Add a Vault connection/ });
    await form.getByLabel('Name', { exact: true }).fill(fields.name);
    await form.getByLabel('Vault DNS').fill(fields.dns);
    await form.getByLabel('User name').fill(fields.username);
    if (fields.password) {
      await form.getByLabel('Password', { exact: true }).fill(fields.password);
      await form.getByLabel(/Remember password/).check();
    }
    await form.getByRole('button', { name: 'Add connection' }).click();
    // No Vault answers at these made-up names: the save-time check says so and offers "Save anyway".
    await form.getByRole('button', { name: 'Save anyway' }).click();
  }

  it('shows a helpful empty state first', async () => {
    await expect.poll(() => h.page.getByRole('heading', { name: 'No Vault connections yet' }).isVisible()).toBe(true);
    await h.screenshot('connections-empty');
  });

  it('shows inline errors for bad input and saves nothing', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'Add your first connection' }).click();
    const form = page.getByRole('complementary', { name: /Add a Vault connection/ });
    await expect
      .poll(() => form.getByLabel('Name', { exact: true }).evaluate((el) => el === document.activeElement))
      .toBe(true);
    await form.getByLabel('Vault DNS').fill('http://insecure.example.com');
    await form.getByRole('button', { name: 'Add connection' }).click();
    await expect
      .poll(() => form.getByRole('alert').allTextContents())
      .toEqual(
        expect.arrayContaining([
          'Enter a name for this connection.',
          'Vault is reached over https only; enter the host without http://.',
          'Enter the Vault user name.',
        ]),
      );
    expect(await form.getByLabel('Vault DNS').getAttribute('aria-invalid')).toBe('true');
    await h.screenshot('connections-form-errors');
    await form.getByRole('button', { name: 'Cancel' }).click();
    expect(h.ctx.connections.list()).toEqual([]);
  });

  it('adds two connections, remembering one password in the keychain', async () => {
    await addConnection({
      name: 'Acme PromoMats',
      dns: 'acme-promomats.veevavault.com',
      username: 'consultant@acme.com',
      password: 'Correct-Horse-9',
    });
    await expect.poll(() => h.page.getByRole('row', { name: /Acme PromoMats/ }).isVisible()).toBe(true);
    await addConnection({
      name: 'Globex QualityDocs',
      dns: 'https://globex-qd.veevavault.com/ui/',
      username: 'admin@globex.com',
    });
    await expect.poll(() => h.page.getByRole('row', { name: /Globex QualityDocs/ }).isVisible()).toBe(true);
    const rows = h.ctx.connections.list();
    expect(rows.map((c) => [c.name, c.dns, c.secretStored])).toEqual([
      ['Acme PromoMats', 'acme-promomats.veevavault.com', true],
      ['Globex QualityDocs', 'globex-qd.veevavault.com', false],
    ]);
    expect(await keychain.store.get(signInAccount(rows[0]!)!)).toBe('Correct-Horse-9');
  });

  it('main refuses a duplicate name with the same inline error', async () => {
    await addConnection({ name: 'acme promomats', dns: 'other.veevavault.com', username: 'x@acme.com' });
    const form = h.page.getByRole('complementary', { name: /Add a Vault connection/ });
    await expect
      .poll(() => form.getByRole('alert').allTextContents())
      .toEqual(['A connection named “Acme PromoMats” already exists.']);
    await form.getByRole('button', { name: 'Cancel' }).click();
    expect(h.ctx.connections.list()).toHaveLength(2);
  });

  it('edits a connection', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'Edit Globex QualityDocs' }).click();
    const form = page.getByRole('complementary', { name: /Edit Globex QualityDocs/ });
    await form.getByLabel('Name', { exact: true }).fill('Globex QualityDocs (prod)');
    await form.getByText('Advanced').click();
    await form.getByLabel('API version').fill('v25.3');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => page.getByRole('row', { name: /Globex QualityDocs \(prod\)/ }).textContent())
      .toContain('v25.3');
  });

  it('removes a connection after confirmation, deleting its keychain item', async () => {
    const { page } = h;
    const acme = h.ctx.connections.list().find((c) => c.name === 'Acme PromoMats')!;
    await page.getByRole('button', { name: 'Remove Acme PromoMats' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove Acme PromoMats?' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await h.screenshot('connections-remove-confirm');
    await dialog.getByRole('button', { name: 'Remove connection' }).click();
    await expect.poll(() => page.getByRole('row', { name: /Acme PromoMats/ }).count()).toBe(0);
    expect(await keychain.store.get(signInAccount(acme)!)).toBeNull();
  });

  it('keeps its state across a restart on the same data directory', async () => {
    await h.restart();
    await expect.poll(() => h.page.getByRole('row', { name: /Globex QualityDocs \(prod\)/ }).isVisible()).toBe(true);
    expect(await h.page.getByRole('row').count()).toBe(2); // header + one connection
    await addConnection({
      name: 'Initech Safety',
      dns: 'initech-safety.veevavault.com',
      username: 'ops@initech.com',
      password: 'Pa55-word-Initech',
    });
    await expect.poll(() => h.page.getByRole('row', { name: /Initech Safety/ }).isVisible()).toBe(true);
    await h.screenshot('connections');
  });

  it('records every change in the activity log', async () => {
    await h.page.getByRole('link', { name: 'Activity' }).click();
    await expect.poll(() => h.page.getByRole('table', { name: 'Activity log' }).isVisible()).toBe(true);
    const text = await h.page.getByRole('table', { name: 'Activity log' }).innerText();
    // People read labels (shared/audit-labels.ts), not the raw actions.
    for (const label of ['Connection added', 'Connection changed', 'Connection removed']) expect(text).toContain(label);
    expect(text).not.toContain('Correct-Horse-9');
  });
});
