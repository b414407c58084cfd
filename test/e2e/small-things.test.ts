/**
 * Issue 13, item 9 ("smaller things seen"), walked in Chromium against the real service, the real
 * keychain and the fake Vault: the "30 days" preset reads "in 30 days"; dates are typed and shown
 * ISO; rotation proposes the old token's lifetime rule; a revoked token has no countdown and leaves
 * the default list; a rotated token links to its replacement and back; one word pair for the
 * secret; the expiring chip says what "soon" is; placeholders look like examples; no stray
 * "Reminders" link in Settings; the calendar carries only future alarms, titled by connection.
 * axe (serious/critical, light and dark) on each screen changed; screenshots in /tmp/small-shots/.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { chromiumAvailable } from '../helpers/chromium';
import { realKeychain } from '../helpers/keychain';
import type { Harness } from '../helpers/app-harness';
import { expectNoSeriousAxeBothSchemes } from '../helpers/axe';
import { ConnectionCreate } from '../../shared/schemas';
import type { Connection } from '../../shared/domain';
import type { FakeTokenSeed, FakeUserSeed, FakeVaultSeed } from '../fake-vault/index';
import { InventoryQuerySchema } from '../../shared/token-schemas';
import { rotationExpiryRule } from '../../shared/token-status';
import { keychainBrowserSuite } from '../helpers/harness-suite';

const keychain = await realKeychain();
const runnable = chromiumAvailable && keychain.available;

const SHOTS = '/tmp/small-shots';
const PASSWORD = 'Small-Things-Pass-1';
const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY);
const CONNECTION = 'Acme PromoMats Prod';

const VAULTS: FakeVaultSeed[] = [{ id: 100, name: 'Acme PromoMats Production' }];
const USERS: FakeUserSeed[] = [
  {
    id: 500,
    username: 'admin@acme.example',
    password: PASSWORD,
    firstName: 'Avery',
    lastName: 'Admin',
    securityProfile: 'vault_owner__v',
    vaults: [100],
    // West of the suite's UTC: Vault's "23:59:59 in the user's zone" is the next day in UTC.
    timezone: 'America/New_York',
  },
];
const TOKENS: FakeTokenSeed[] = [
  // Made 10 days ago to last 60 days: its rotation proposes 60 days again.
  { vault: 100, user: 500, name: 'Sixty-day job', createdAt: inDays(-10), expiresAt: inDays(50) },
  { vault: 100, user: 500, name: 'Forever job', createdAt: inDays(-100), expiresAt: null },
  { vault: 100, user: 500, name: 'Five days left', createdAt: inDays(-85), expiresAt: inDays(5) },
];

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.skipIf(!runnable)('Small things (issue 13, item 9) in Chromium against the real service', () => {
  const suite = keychainBrowserSuite(keychain.store);
  let h: Harness;
  let connection: Connection;

  const grid = () => h.page.getByRole('grid', { name: 'Tokens' });
  const rows = (name: string) => grid().getByRole('row', { name: new RegExp(escapeRe(name)) });
  const drawerOf = (name: string) => h.page.getByRole('complementary', { name });
  const fakeTokens = (name: string) => h.fakeVault!.state.listTokens().filter((t) => t.name === name);

  async function search(text: string) {
    await h.page.getByRole('searchbox', { name: 'Search tokens' }).fill(text);
    await expect.poll(() => h.page.locator('.search__spinner').count()).toBe(0);
  }

  async function shot(name: string) {
    await h.page.screenshot({ path: `${SHOTS}/${name}.png` });
  }

  async function openDrawer(name: string): Promise<Locator> {
    await search(name);
    await rows(name).first().dblclick();
    const drawer = drawerOf(name);
    await expect.poll(() => drawer.isVisible()).toBe(true);
    return drawer;
  }

  async function openRotate(name: string): Promise<Locator> {
    const drawer = await openDrawer(name);
    await drawer.getByRole('button', { name: 'Rotate…' }).click();
    // "Rotate “…”", then "Rotated “…”" once the old token is revoked.
    const dialog = h.page.getByRole('dialog', { name: new RegExp(`^Rotated? “${escapeRe(name)}”$`) });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    return dialog;
  }

  /** Step 1 with the picker as it is, then the revoke of step 2, then Done. Returns the new token's id. */
  async function rotate(dialog: Locator, name: string): Promise<string> {
    const before = new Set(fakeTokens(name).map((t) => t.id));
    await dialog.getByRole('button', { name: 'Generate replacement' }).click();
    await expect.poll(() => dialog.innerText(), { timeout: 15_000 }).toContain('The replacement');
    await dialog.getByLabel('I have put the new token in place and it works').check();
    await dialog.getByRole('button', { name: 'Revoke the old token now' }).click();
    await expect.poll(() => dialog.innerText(), { timeout: 15_000 }).toContain('Rotation complete.');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    return fakeTokens(name).find((t) => !before.has(t.id))!.id;
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await suite.start({
      fakeVault: { vaults: VAULTS, users: USERS, tokens: TOKENS },
    });
    connection = await h.ctx.connections.create(
      ConnectionCreate.parse({
        name: CONNECTION,
        dns: h.fakeVault!.vaults[0]!.dns,
        username: 'admin@acme.example',
        authMethod: 'password',
        secret: PASSWORD,
        rememberSecret: true,
      }),
    );
    const [synced] = await h.ctx.service.syncTokens({ connectionIds: [connection.id] });
    if (!synced?.ok) throw new Error(`The first sync failed: ${synced?.message ?? 'no outcome'}`);
    await h.page.reload();
    // Three tokens and the header row.
    await h.page.waitForFunction(() => document.querySelector('[role="grid"]')?.getAttribute('aria-rowcount') === '4');
  });

  afterEach(async () => {
    for (let i = 0; i < 3 && (await h.page.locator('dialog[open]').count()) > 0; i++)
      await h.page.keyboard.press('Escape');
  });

  afterAll(() => suite.close());

  it('the "expiring" chip says what “soon” is, from the setting, and the secret has one vocabulary', async () => {
    const chips = h.page.getByRole('group', { name: 'Status' });
    await expect
      .poll(() => chips.getByRole('button', { name: /^expiring/ }).innerText())
      .toMatch(/^expiring ≤ 14 days/);
    // The Secret column and the toolbar say "stored" / "not stored"; so does the drawer.
    expect(await h.page.getByLabel('Secret not stored').count()).toBe(1);
    const drawer = await openDrawer('Five days left');
    const secret = await drawer
      .locator('dt', { hasText: /^Secret$/ })
      .locator('xpath=following-sibling::dd[1]')
      .innerText();
    expect(secret).toMatch(/^not stored\b/);
    expect(secret).not.toMatch(/\byes\b|Not stored on this computer/);
    await drawer.getByRole('button', { name: 'Close details' }).click();

    // Another window: the chip follows the setting.
    await h.page.evaluate(() => (window.location.hash = '#/settings'));
    const soon = h.page.getByLabel('“Expiring soon” means within (days)');
    await expect.poll(() => soon.isVisible()).toBe(true);
    // The stray "Reminders" link at the top of Settings is gone (the sidebar keeps its own).
    expect(await h.page.locator('.screen__header').getByRole('link', { name: 'Reminders' }).count()).toBe(0);
    await shot('settings');
    await expectNoSeriousAxeBothSchemes(h.page, 'Settings');
    await soon.fill('21');
    await h.page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => h.page.getByText('Reminder settings saved.').count()).toBe(1);
    await h.page.evaluate(() => (window.location.hash = '#/inventory'));
    await expect
      .poll(() => chips.getByRole('button', { name: /^expiring/ }).innerText())
      .toMatch(/^expiring ≤ 21 days/);
    await h.ctx.service.updateSettings({ expiringSoonDays: 14 });
    await h.page.reload();
    await expect
      .poll(() => chips.getByRole('button', { name: /^expiring/ }).innerText())
      .toMatch(/^expiring ≤ 14 days/);
  });

  it('a synced token’s rotation proposes 90 days and says why; dates are typed and shown ISO', async () => {
    const dialog = await openRotate('Sixty-day job');
    // A sync does not read when a token was created (electron/vault/tokens.ts): the lifetime is unknown.
    expect(await dialog.getByLabel('90 days').isChecked()).toBe(true);
    expect(await dialog.innerText()).toContain(
      'Proposed: 90 days, because the old token’s lifetime is unknown (Vault’s token list does not say when a token was created',
    );
    expect(await dialog.innerText()).toMatch(
      /Expires exactly 90 days from now: \d{4}-\d{2}-\d{2} \d{2}:\d{2} your time/,
    );

    // "On a date": a text field with an ISO example, not the browser's locale picker.
    await dialog.getByLabel('On a date').check();
    const date = dialog.getByLabel('Date', { exact: true });
    expect(await date.getAttribute('type')).toBe('text');
    expect(await date.inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const shown = await date.inputValue();
    // ↑ moves it a day, from the keyboard.
    await date.press('ArrowUp');
    expect(Date.parse(`${await date.inputValue()}T00:00:00Z`) - Date.parse(`${shown}T00:00:00Z`)).toBe(DAY);
    // A locale date is refused with the format to use.
    await date.fill('12/31/2026');
    await dialog.getByRole('button', { name: 'Generate replacement' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').allInnerTexts())
      .toContain('Enter the date as YYYY-MM-DD, e.g. 2027-03-31.');
    // The placeholder is an example ("e.g.") and looks like one: lighter and italic.
    await date.fill('');
    expect(await date.getAttribute('placeholder')).toBe('e.g. 2027-03-31');
    const looks = await date.evaluate((el) => {
      const typed = getComputedStyle(el);
      const placeholder = getComputedStyle(el, '::placeholder');
      return { typed: typed.color, placeholder: placeholder.color, style: placeholder.fontStyle };
    });
    expect(looks.placeholder).not.toBe(looks.typed);
    expect(looks.style).toBe('italic');
    await dialog.getByLabel('Date and time (UTC)').check();
    expect(await dialog.getByLabel('Time (UTC)', { exact: true }).getAttribute('type')).toBe('text');
    await shot('rotate-iso-date');
    await h.page.emulateMedia({ colorScheme: 'dark' });
    await shot('rotate-iso-date-dark');
    await h.page.emulateMedia({ colorScheme: 'light' });
    await expectNoSeriousAxeBothSchemes(h.page, 'Rotate dialog, date and time', 'dialog[open]');

    // A date typed the ISO way, 45 days ahead: the replacement gets it.
    await dialog.getByLabel('On a date').check();
    const wanted = new Date(Date.now() + 45 * DAY).toISOString().slice(0, 10);
    await date.fill(wanted);
    const newId = await rotate(dialog, 'Sixty-day job');
    // Vault ends a date alone at 23:59:59 in the user's zone (New York), on the date typed.
    const expires = h.fakeVault!.state.getToken(newId)!.expiresAt!;
    expect(new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(expires)).toBe(wanted);
  });

  it('a token made here keeps its lifetime when it is rotated, and "in N days" says N', async () => {
    await search('Sixty-day job');
    const current = (
      await h.ctx.service.queryTokens(
        InventoryQuerySchema.parse({ search: 'Sixty-day job', statuses: ['active'], offset: 0, limit: 5 }),
      )
    ).rows[0]!;
    const rule = rotationExpiryRule(current);
    expect(rule.kind).toBe('same-lifetime');
    const days = rule.kind === 'same-lifetime' ? rule.days : 0;
    expect([45, 46]).toContain(days);
    const dialog = await openRotate('Sixty-day job');
    expect(await dialog.getByLabel(`${days} days (as before)`).isChecked()).toBe(true);
    expect(await dialog.innerText()).toMatch(
      new RegExp(
        `Proposed: ${days} days from today, the old token’s lifetime \\(created \\d{4}-\\d{2}-\\d{2}, expires \\d{4}-\\d{2}-\\d{2}\\)`,
      ),
    );
    await shot('rotate-same-lifetime');
    const newId = await rotate(dialog, 'Sixty-day job');
    const lifetime = h.fakeVault!.state.getToken(newId)!.expiresAt!.getTime() - Date.now();
    expect(Math.abs(lifetime - days * DAY)).toBeLessThan(5 * 60_000);
    await search('Sixty-day job');
    await expect
      .poll(() => rows('Sixty-day job').allInnerTexts())
      .toEqual([expect.stringMatching(new RegExp(`in ${days} days`))]);
  });

  it('after a rotation the old token’s drawer links to its replacement, and the new one back', async () => {
    // Two rotations: first → middle → last. The revoked ones are out of the default list.
    const [first, middle, last] = fakeTokens('Sixty-day job');
    expect([first?.status, middle?.status, last?.status]).toEqual(['deleted', 'deleted', 'active']);
    await h.page.getByLabel('Show revoked').check();
    await search('Sixty-day job');
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe('4');
    // The grid shows a token id's head and tail (middle-truncated); the tails differ.
    await grid()
      .getByRole('row')
      .filter({ hasText: middle!.id.slice(-6) })
      .dblclick();
    const drawer = drawerOf('Sixty-day job');
    const replacedBy = (id: string) => new RegExp(`Replaced by\\s*“Sixty-day job” \\(${id}\\)`);
    const replaces = (id: string) => new RegExp(`Replaces\\s*“Sixty-day job” \\(${id}\\)`);
    await expect.poll(() => drawer.innerText()).toMatch(replacedBy(last!.id));
    expect(await drawer.innerText()).toMatch(replaces(first!.id));
    expect(await drawer.innerText()).toMatch(/revoked · was to expire \d{4}-\d{2}-\d{2}/);
    expect(await drawer.innerText()).not.toMatch(/in \d+ days/);
    await shot('drawer-replaced-by');
    await h.page.emulateMedia({ colorScheme: 'dark' });
    await shot('drawer-replaced-by-dark');
    await h.page.emulateMedia({ colorScheme: 'light' });
    await expectNoSeriousAxeBothSchemes(h.page, 'Token drawer of a rotated token', 'aside.drawer');

    // "Open" shows the replacement in the same drawer; it names the token it replaces.
    await drawer.getByRole('button', { name: `Open the details of the replacement ${last!.id}` }).click();
    await expect.poll(() => drawer.innerText()).toMatch(replaces(middle!.id));
    expect(await drawer.innerText()).not.toContain('Replaced by');
    expect(
      await drawer
        .locator('dt', { hasText: /^Token id$/ })
        .locator('xpath=following-sibling::dd[1]')
        .innerText(),
    ).toBe(last!.id);
    await drawer.getByRole('button', { name: `Open the details of the replaced token ${middle!.id}` }).click();
    await expect.poll(() => drawer.innerText()).toMatch(replacedBy(last!.id));
    await drawer.getByRole('button', { name: `Open the details of the replaced token ${first!.id}` }).click();
    await expect.poll(() => drawer.innerText()).toMatch(replacedBy(middle!.id));
    expect(await drawer.innerText()).not.toContain('Replaces');
    await drawer.getByRole('button', { name: 'Close details' }).click();
    await h.page.getByLabel('Show revoked').uncheck();
  });

  it('a never-expiring token’s rotation proposes never; the 30-day preset reads "in 30 days"', async () => {
    const forever = await openRotate('Forever job');
    expect(await forever.getByLabel('Never expires').isChecked()).toBe(true);
    expect(await forever.innerText()).toContain('Proposed: never expires, like the old token.');
    await forever.getByRole('button', { name: 'Cancel' }).click();
    await h.page.getByRole('button', { name: 'Close details' }).click();

    // The admin is in New York, the app in UTC: a date alone would end on day 31 here.
    const dialog = await openRotate('Five days left');
    await dialog.getByLabel('30 days').check();
    expect(await dialog.innerText()).toContain('Expires exactly 30 days from now');
    await rotate(dialog, 'Five days left');
    await search('Five days left');
    // One row: the revoked original left the default list.
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe('2');
    const text = await rows('Five days left').innerText();
    expect(text).toMatch(/in 30 days/);
    expect(text).not.toMatch(/in 31 days/);
    await shot('inventory-after-rotations');
  });

  it('a revoked token says "revoked", never "in 5 days", and leaves the default list; the chip and toggle bring it back', async () => {
    await search('Five days left');
    const chips = h.page.getByRole('group', { name: 'Status' });
    // The chips still count what is hidden.
    expect(await chips.getByRole('button', { name: /^revoked/ }).innerText()).toMatch(/revoked\s*1/);
    await chips.getByRole('button', { name: /^revoked/ }).click();
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe('2');
    const revoked = rows('Five days left');
    await revoked.dblclick();
    const drawer = drawerOf('Five days left');
    await expect.poll(() => drawer.isVisible()).toBe(true);
    const text = await drawer.innerText();
    expect(text).toMatch(/Expiry\s*revoked · was to expire \d{4}-\d{2}-\d{2}/);
    expect(text).not.toMatch(/in 5 days|in 4 days|Expires in/);
    expect(text).toContain('This token is revoked.');
    await drawer.getByRole('button', { name: 'Close details' }).click();
    await chips.getByRole('button', { name: /^revoked/ }).click();
    await h.page.getByLabel('Show revoked').check();
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe('3');
    await h.page.getByLabel('Show revoked').uncheck();
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe('2');
    await search('');
    await shot('inventory-default-list');
    await expectNoSeriousAxeBothSchemes(h.page, 'Inventory');
  });

  it('the calendar export carries only future alarms, and its titles name the connection', async () => {
    const file = await h.ctx.service.exportCalendar({});
    const summaries = [...file.content.matchAll(/^SUMMARY:(.*)\r$/gm)].map((m) => m[1]!);
    expect(summaries.length).toBeGreaterThan(0);
    for (const s of summaries) {
      expect(s).toContain(`(${CONNECTION})`);
      expect(s).not.toContain(h.fakeVault!.vaults[0]!.dns);
    }
    // Each alarm fires after now: relative ones are N × 24 h before an expiry that is far enough off.
    const now = Date.now();
    for (const event of file.content.split('BEGIN:VEVENT').slice(1)) {
      const start = /^DTSTART:(\d{8}T\d{6}Z)\r$/m.exec(event)![1]!;
      const startMs = Date.parse(start.replace(/(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/, '$1-$2-$3T$4:$5:$6Z'));
      for (const [, hours] of event.matchAll(/^TRIGGER:-PT(\d+)H\r$/gm))
        expect(startMs - Number(hours) * 3_600_000).toBeGreaterThan(now);
    }
    // "Five days left" (now 30 days) keeps its 30-day alarm only if it is still ahead: 30 × 24 h
    // before an expiry 30 days away minus a minute is in the past, so it is left out.
    const thirty = file.content.split('BEGIN:VEVENT').find((e) => e.includes('Five days left'))!;
    expect(thirty).not.toMatch(/^TRIGGER:-PT720H\r$/m);
    expect(thirty).toMatch(/^TRIGGER:-PT336H\r$/m);
  });
});
