/**
 * Connections as CSV (issue 15, item 4) in real Chromium against the real handler table and SQLite:
 * the Import CSV dialog reads the chosen file in the renderer and sends it as text; main previews
 * every row with its errors (bad DNS, a name twice in the file or already taken, an unknown sign-in
 * method); nothing is written until the person confirms; imported connections have no secret. The
 * export has the same columns, no secret, and formula-looking cells defused.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/chromium';
import { startHarness, type Harness } from '../helpers/app-harness';
import { expectNoSeriousAxe } from '../helpers/axe';
import { tempDir } from '../helpers/temp-dir';
import { MemorySecretStore } from '../../electron/secrets/memory-store';
import { ConnectionCreate } from '../../shared/schemas';

const SHOTS = '/tmp/groups-shots';
const SECRET = 'Existing-Secret-Value-9';

const FILE = [
  'name;dns;username;sign-in method;client;environment',
  'Acme PromoMats;acme-promomats.veevavault.com;me@acme.com;password;Acme;PROD',
  'Acme QA;https://acme-qa.veevavault.com/ui/;me@acme.com;API access token;Acme;QA',
  'Broken DNS;not a host!;me@acme.com;password;Acme;DEV',
  'acme promomats;other.veevavault.com;me@acme.com;password;Acme;UAT',
  'existing vault;x.veevavault.com;me@acme.com;password;;',
  'Kerberos;k.veevavault.com;me@acme.com;kerberos;Globex;',
  '"=HYPERLINK(""http://evil"")";f.veevavault.com;me@acme.com;sso;@Globex;sandbox',
].join('\r\n');

describe.skipIf(!chromiumAvailable)('Connections CSV in Chromium', () => {
  let h: Harness;
  let dir: ReturnType<typeof tempDir>;
  const dialog = () => h.page.getByRole('dialog', { name: 'Import connections from CSV' });
  const secrets = new MemorySecretStore();

  async function choose(name: string, text: string) {
    await dialog()
      .getByLabel('CSV file')
      .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = tempDir();
    h = await startHarness({ dataDir: dir.path, secrets });
    await h.ctx.connections.create(
      ConnectionCreate.parse({
        name: 'Existing Vault',
        dns: 'existing.veevavault.com',
        username: 'me@acme.com',
        secret: SECRET,
        rememberSecret: true,
      }),
    );
    await h.page.goto(`${h.origin}/index.html#/connections`);
    await h.page.reload();
    await h.page.getByRole('table', { name: 'Vault connections' }).waitFor();
  }, 60_000);

  afterAll(async () => {
    await h?.close();
    dir?.cleanup();
  });

  it('previews every row with its errors and writes nothing until confirmed', async () => {
    await h.page.getByRole('button', { name: 'Import CSV' }).click();
    await expect.poll(() => dialog().isVisible()).toBe(true);
    await expect
      .poll(() =>
        dialog()
          .getByLabel('CSV file')
          .evaluate((el) => el === document.activeElement),
      )
      .toBe(true);
    await choose('connections.csv', FILE);
    const table = dialog().getByRole('table', { name: 'Rows in the file' });
    await expect.poll(() => table.isVisible()).toBe(true);
    const text = (await table.innerText()).replace(/\s+/g, ' ');
    expect(await table.locator('.pill--ok').count()).toBe(3);
    expect(await table.locator('.pill--danger').count()).toBe(4);
    expect(text).toContain('2 ✓ ready Acme PromoMats acme-promomats.veevavault.com me@acme.com password Acme PROD');
    expect(text).toContain('3 ✓ ready Acme QA https://acme-qa');
    expect(text).toContain(
      '4 ⚠ error Broken DNS not a host! me@acme.com password Acme DEV “not a host!” is not a valid host name.',
    );
    expect(text).toMatch(/5 ⚠ error acme promomats .* Line 2 has the same name; names must be unique\./);
    expect(text).toMatch(/6 ⚠ error existing vault .* A connection named “Existing Vault” already exists\./);
    expect(text).toMatch(
      /7 ⚠ error Kerberos .* Unknown sign-in method “kerberos”: use password, token, sso or session\./,
    );
    // A formula-looking cell is plain text: shown as typed, valid as a name.
    expect(text).toContain('8 ✓ ready =HYPERLINK("http://evil") f.veevavault.com me@acme.com sso @Globex sandbox');
    // Each bad row is described by its messages.
    const bad = table.locator('tr[aria-describedby]').first();
    expect(await h.page.locator(`[id="${await bad.getAttribute('aria-describedby')}"]`).innerText()).toBe(
      '“not a host!” is not a valid host name.',
    );
    expect(await dialog().getByRole('status').innerText()).toBe(
      '3 connections ready to import, 4 rows with errors (left out unless fixed). Nothing is saved until you press Import.',
    );
    expect(h.ctx.connections.list().map((c) => c.name)).toEqual(['Existing Vault']);
    await expectNoSeriousAxe(h.page, 'dialog[open]');
    await h.page.screenshot({ path: `${SHOTS}/csv-preview.png` });

    // A file that cannot be read as a whole says why, and offers nothing to import.
    await choose('no-dns.csv', 'name,username\nx,y\n');
    await expect
      .poll(() => dialog().getByRole('alert').allInnerTexts())
      .toEqual([expect.stringContaining('The header line has no “dns” column.')]);
    expect(await dialog().getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    await choose('connections.csv', FILE);
    await dialog().getByRole('button', { name: 'Import 3 connections, skip 4' }).click();
    await expect.poll(() => dialog().count()).toBe(0);
    await expect
      .poll(() => h.page.locator('.banner').first().innerText())
      .toContain(
        'Imported 3 connections from connections.csv. 4 rows with errors were left out. Each asks for its password or token the first time it is used.',
      );
    const saved = h.ctx.connections.list();
    expect(saved.map((c) => [c.name, c.dns, c.authMethod, c.client, c.environment, c.secretStored])).toEqual([
      ['=HYPERLINK("http://evil")', 'f.veevavault.com', 'sso', '@Globex', 'sandbox', false],
      ['Acme PromoMats', 'acme-promomats.veevavault.com', 'password', 'Acme', 'PROD', false],
      ['Acme QA', 'acme-qa.veevavault.com', 'token', 'Acme', 'QA', false],
      ['Existing Vault', 'existing.veevavault.com', 'password', null, null, true],
    ]);
    expect(await secrets.list()).toHaveLength(1);
    const audit = h.ctx.db.prepare('SELECT action, detail FROM audit_log ORDER BY id').raw().all();
    expect(audit).toContainEqual(['connection.import', '3 connection(s) from connections.csv, 4 row(s) skipped']);
  });

  it('Cancel writes nothing', async () => {
    await h.page.getByRole('button', { name: 'Import CSV' }).click();
    await choose('more.csv', 'name,dns,username\nNever saved,n.veevavault.com,u\n');
    await expect.poll(() => dialog().getByRole('status').isVisible()).toBe(true);
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog().count()).toBe(0);
    expect(h.ctx.connections.list().some((c) => c.name === 'Never saved')).toBe(false);
  });

  it('exports the same columns, never a secret, with formula-looking cells defused', async () => {
    const [download] = await Promise.all([
      h.page.waitForEvent('download'),
      h.page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^vault-token-desk-connections-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.startsWith('\uFEFFname,dns,username,sign-in method,client,environment,api version,client id\r\n')).toBe(
      true,
    );
    expect(text).toContain(
      `"'=HYPERLINK(""http://evil"")",f.veevavault.com,me@acme.com,sso,'@Globex,sandbox,v26.2,vault-token-desk\r\n`,
    );
    expect(text).toContain('Existing Vault,existing.veevavault.com,me@acme.com,password,,,v26.2,vault-token-desk\r\n');
    expect(text).not.toContain(SECRET);
    await expect
      .poll(() => h.page.locator('.banner').first().innerText())
      .toMatch(/Exported 4 connections as .*\. It holds no passwords or tokens\./);
  });
});
