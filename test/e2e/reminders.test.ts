/**
 * Reminders and Settings in Chromium against the real service: the weekly
 * timeline after a sync from the fake Vault, snooze and dismiss from the UI,
 * the calendar download parsed back with node-ical, and threshold settings
 * with inline validation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import * as ical from 'node-ical';
import { chromiumAvailable } from '../helpers/chromium';
import { realKeychain } from '../helpers/keychain';
import { startHarness, type Harness } from '../helpers/app-harness';
import { tempDir } from '../helpers/temp-dir';
import { expectNoSeriousAxe } from '../helpers/axe';
import { buildReminderInventory } from '../bench/ui';
import { openDatabase } from '../../electron/store/database';
import { databasePath } from '../../electron/paths';
import { MemorySecretStore } from '../../electron/secrets/memory-store';
import { keychainBrowserSuite } from '../helpers/harness-suite';
import { addSyncedPasswordConnection } from '../helpers/connections';

const keychain = await realKeychain();
const PASSWORD = 'Reminders-Passw0rd!';
const DAY = 86_400_000;

describe.skipIf(!chromiumAvailable || !keychain.available)('Reminders and Settings in Chromium', () => {
  const suite = keychainBrowserSuite(keychain.store);
  let h: Harness;

  beforeAll(async () => {
    h = await suite.start({
      fakeVault: {
        vaults: [{ id: 61, name: 'Initech Safety' }],
        users: [
          {
            id: 610,
            username: 'ops@initech.com',
            password: PASSWORD,
            securityProfile: 'vault_owner__v',
            vaults: 'all',
            timezone: 'Europe/Berlin',
          },
        ],
      },
    });
    const fake = h.fakeVault!;
    const soon = (days: number) => new Date(Date.now() + days * DAY);
    fake.state.createToken({ vault: 61, user: 610, name: 'Argus pharmacovigilance feed', expiresAt: soon(3) });
    fake.state.createToken({ vault: 61, user: 610, name: 'Case intake (E2B)', expiresAt: soon(10) });
    fake.state.createToken({ vault: 61, user: 610, name: 'Signal detection export', expiresAt: soon(25) });
    fake.state.createToken({ vault: 61, user: 610, name: 'Literature screening', expiresAt: soon(200) });
    await addSyncedPasswordConnection(
      h.ctx,
      { name: 'Initech Safety', dns: fake.vaults[0]!.dns },
      { username: 'ops@initech.com', password: PASSWORD },
    );
  });

  afterAll(() => suite.close());

  const reminderRow = (name: string) => h.page.getByRole('row', { name: new RegExp(name) });

  it('shows upcoming expiries grouped by week, with rotate at hand', async () => {
    await h.page.goto(`${h.origin}/index.html#/reminders`);
    await expect.poll(() => reminderRow('Argus pharmacovigilance feed').isVisible()).toBe(true);
    expect(await reminderRow('Case intake').isVisible()).toBe(true);
    expect(await reminderRow('Signal detection export').isVisible()).toBe(true);
    // 200 days out is beyond the default window.
    expect(await reminderRow('Literature screening').count()).toBe(0);
    const weeks = await h.page.locator('.reminders__week-title').allInnerTexts();
    expect(weeks.length).toBeGreaterThanOrEqual(2);
    expect(
      await h.page.getByRole('link', { name: 'Rotate Argus pharmacovigilance feed' }).getAttribute('href'),
    ).toMatch(/^#\/inventory\?rotate=\d+$/);
    await h.screenshot('reminders');
  });

  it('snoozes and dismisses from the list, recording both', async () => {
    await h.page.getByLabel('Snooze reminders for Case intake (E2B)').selectOption({ label: '1 week' });
    await expect.poll(() => h.page.getByRole('button', { name: 'Unsnooze Case intake (E2B)' }).isVisible()).toBe(true);
    await h.page
      .getByRole('button', { name: 'Dismiss reminders for Signal detection export (rotated elsewhere)' })
      .click();
    await expect
      .poll(() => h.page.getByRole('button', { name: /^Dismissed\s*1 token/ }).getAttribute('aria-expanded'))
      .toBe('false');
    const actions = (await h.ctx.service.listAudit({ limit: 50 })).map((a) => a.action).join(' ');
    expect(actions).toMatch(/snooze/);
    expect(actions).toMatch(/dismiss/);
  });

  it('exports a calendar that an independent parser reads back', async () => {
    const [download] = await Promise.all([
      h.page.waitForEvent('download'),
      h.page.getByRole('button', { name: 'Export to calendar (.ics)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.ics$/);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text).not.toMatch(/veeva-vault-/);
    const events = Object.values(ical.sync.parseICS(text)).filter((e): e is ical.VEvent => e?.type === 'VEVENT');
    const summaries = events.map((e) => String(e.summary));
    expect(summaries.some((s) => s.includes('Argus pharmacovigilance feed'))).toBe(true);
    const argus = events.find((e) => String(e.summary).includes('Argus'))!;
    expect(Object.values(argus.alarms ?? {}).length).toBeGreaterThanOrEqual(1);
  });

  it('validates thresholds inline and saves good ones', async () => {
    await h.page.goto(`${h.origin}/index.html#/settings`);
    const thresholds = h.page.getByLabel('Remind me this many days before a token expires');
    await expect.poll(() => thresholds.inputValue()).toMatch(/30/);
    await thresholds.fill('30, soon, 7');
    await h.page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(() => h.page.getByRole('alert').allInnerTexts())
      .toEqual(expect.arrayContaining([expect.stringMatching(/whole number|0.?365|days/i)]));
    await h.screenshot('settings-errors');
    await thresholds.fill('21, 7, 1, 0');
    await h.page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(async () => (await h.ctx.service.getSettings(undefined)).settings.thresholds)
      .toEqual([21, 7, 1, 0]);
    await h.screenshot('settings');
  });
});

/**
 * Reminders at consultant scale (issue 13 item 6): 3,200 tokens across 40 Vaults, written
 * straight into the app's database (test/bench/ui.ts buildReminderInventory), in Chromium
 * against the real service.
 */
describe.skipIf(!chromiumAvailable)('Reminders at 3,200 tokens in Chromium', () => {
  let h: Harness;
  let dir: ReturnType<typeof tempDir>;
  const SHOTS = '/tmp/vtd-screenshots';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = tempDir();
    const db = openDatabase(databasePath(dir.path));
    buildReminderInventory(db, new Date());
    db.close();
    h = await startHarness({ dataDir: dir.path, secrets: new MemorySecretStore() });
  });

  afterAll(async () => {
    await h?.close();
    dir?.cleanup();
  });

  const grid = () => h.page.getByRole('grid', { name: 'Reminders by week' });
  /** Token rows drawn, in table order: [aria-rowindex, row id]. */
  const drawnRows = () =>
    h.page
      .locator('.rem-grid [data-row-id]')
      .evaluateAll((rows) =>
        rows
          .map((r) => [Number(r.getAttribute('aria-rowindex')), Number(r.getAttribute('data-row-id'))] as const)
          .sort((a, b) => a[0] - b[0]),
      );
  const upcoming = () => h.ctx.service.listUpcomingReminders({ days: 90, weekStartsOn: 0 });

  it('opens on what is next, expired collapsed with its count, drawing only the rows in view', async () => {
    await h.page.goto(`${h.origin}/index.html#/reminders`);
    await expect.poll(async () => (await drawnRows()).length).toBeGreaterThan(5);
    const data = await upcoming();
    const soonest = data.weeks[0]!.tokens[0]!;
    expect((await drawnRows())[0]![1]).toBe(soonest.rowId);
    const expired = h.page.getByRole('button', { name: new RegExp(`^Expired\\s*${data.expired.length} tokens`) });
    expect(await expired.getAttribute('aria-expanded')).toBe('false');
    const listed = data.weeks.reduce((n, w) => n + w.tokens.length, 0);
    expect(listed).toBeGreaterThan(500);
    // Virtualised: a screenful of rows, not every token.
    expect((await drawnRows()).length).toBeLessThan(40);
    expect(await grid().getAttribute('aria-rowcount')).toBe(String(1 + 1 + data.weeks.length + listed));
    // The header says what each number means.
    const summary = await h.page.locator('#reminders-summary').innerText();
    expect(summary).toContain('Showing expiries in the next 90 days');
    expect(summary).toMatch(/within 14 days \(“expiring soon”\)/);
    expect(summary).toContain(`${data.expired.length.toLocaleString('en')} already expired`);
    expect(
      await h.page.getByText(/^Reminders are sent 30, 14, 7 and 1 days before a token expires, and on the day/).count(),
    ).toBe(1);

    await expired.click();
    await expect.poll(() => expired.getAttribute('aria-expanded')).toBe('true');
    expect((await drawnRows())[0]![1]).toBe(data.expired[0]!.rowId);
    await expired.click();
    await expect.poll(async () => (await drawnRows())[0]![1]).toBe(soonest.rowId);
  });

  it('weeks start on the locale’s first day (en-US: Sunday)', async () => {
    const starts = await h.page
      .locator('[data-week-start]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-week-start')!));
    expect(starts.length).toBeGreaterThan(0);
    for (const day of starts) expect(new Date(`${day}T12:00:00Z`).getUTCDay()).toBe(0);
    expect(await h.page.locator('[data-week-start]').first().innerText()).toMatch(/Sun \d+ \w+ – Sat \d+ \w+ \d{4}/);
  });

  it('lines the columns up: one table, week headings as its rows', async () => {
    const geometry = await h.page.evaluate(() => {
      const box = (e: Element) => e.getBoundingClientRect();
      const head = [...document.querySelectorAll('.rem-row--head [role=columnheader]')].map((c) =>
        Math.round(box(c).left),
      );
      const rows = [...document.querySelectorAll('.rem-grid__body .rem-row--token')].slice(0, 12);
      const cells = rows.map((r) => [...r.children].map((c) => Math.round(box(c).left)));
      const headings = [...document.querySelectorAll('.rem-grid__body .rem-row--heading')].map((r) => [
        Math.round(box(r).left),
        Math.round(box(r).width),
      ]);
      const token = box(rows[0]!);
      return {
        head,
        cells,
        headings,
        token: [Math.round(token.left), Math.round(token.width)],
        grids: document.querySelectorAll('[role=grid]').length,
      };
    });
    expect(geometry.grids).toBe(1);
    for (const cells of geometry.cells) expect(cells).toEqual(geometry.head);
    expect(geometry.headings.length).toBeGreaterThan(1);
    for (const heading of geometry.headings) expect(heading).toEqual(geometry.token);
  });

  it('shows Dismiss whole at 1280 px, without a sideways scroll', async () => {
    const fit = await h.page.evaluate(() => {
      const gridEl = document.querySelector('.rem-grid')!;
      const g = gridEl.getBoundingClientRect();
      const buttons = [...gridEl.querySelectorAll('button[aria-label^="Dismiss reminders for"]')].map((b) =>
        b.getBoundingClientRect(),
      );
      return {
        sideways: gridEl.scrollWidth > gridEl.clientWidth,
        inside: buttons.every((b) => b.left >= g.left && b.right <= g.left + gridEl.clientWidth),
        n: buttons.length,
      };
    });
    expect(fit).toEqual({ sideways: false, inside: true, n: expect.any(Number) });
    expect(fit.n).toBeGreaterThan(5);
  });

  it('searches and filters by Vault', async () => {
    const data = await upcoming();
    const target = data.weeks[2]!.tokens[0]!;
    const search = h.page.getByRole('searchbox', { name: 'Search reminders' });
    await search.fill(target.tokenId);
    await expect.poll(async () => (await drawnRows()).map(([, id]) => id)).toEqual([target.rowId]);
    await search.fill('');
    const vault = h.page.getByLabel('Vault', { exact: true });
    await vault.selectOption(target.connectionId);
    const expected = data.weeks.flatMap((w) => w.tokens).filter((t) => t.connectionId === target.connectionId);
    await expect
      .poll(async () => (await drawnRows()).map(([, id]) => id).slice(0, 5))
      .toEqual(expected.slice(0, 5).map((t) => t.rowId));
    const rowsText = await h.page.locator('.rem-grid [data-row-id]').allInnerTexts();
    for (const text of rowsText) expect(text).toContain(target.connectionName);
    await vault.selectOption('');
  });

  it('snoozes several with the mouse and dismisses several with the keyboard, and both survive a reload', async () => {
    const data = await upcoming();
    const first = data.weeks[0]!.tokens;
    const [a, b, c] = first.length >= 3 ? first : data.weeks.flatMap((w) => w.tokens);
    // Click a, shift-click c: the range a..c.
    await h.page.goto(`${h.origin}/index.html#/reminders`);
    await expect.poll(async () => (await drawnRows()).length).toBeGreaterThan(5);
    await h.page.locator(`[data-row-id="${a!.rowId}"] input[type=checkbox]`).click();
    await h.page.locator(`[data-row-id="${c!.rowId}"]`).click({ modifiers: ['Shift'], position: { x: 200, y: 10 } });
    await expect.poll(() => h.page.locator('.rem-bulk__count').innerText()).toBe('3 tokens selected');
    await h.page.getByLabel('Snooze the selected tokens').selectOption('1w');
    await expect.poll(() => h.page.getByText(/^Reminders for 3 tokens snoozed\./).isVisible()).toBe(true);
    for (const t of [a!, b!, c!]) expect(h.ctx.reminders.repo.state(t.rowId, new Date()).snoozedUntil).not.toBeNull();

    // Keyboard: focus the table, move to the 5th and 6th token rows, Space and Shift+ArrowDown.
    const list = data.weeks.flatMap((w) => w.tokens);
    await grid().focus();
    await h.page.keyboard.press('Home');
    const rowIndexOf = async (rowId: number) =>
      Number(await h.page.locator(`[data-row-id="${rowId}"]`).getAttribute('aria-rowindex'));
    const [d, e] = [list[4]!, list[5]!];
    const steps = (await rowIndexOf(d.rowId)) - 2;
    for (let i = 0; i < steps; i++) await h.page.keyboard.press('ArrowDown');
    await h.page.keyboard.press('Escape'); // clears the earlier selection
    await h.page.keyboard.press(' ');
    const between = (await rowIndexOf(e.rowId)) - (await rowIndexOf(d.rowId));
    for (let i = 0; i < between; i++) await h.page.keyboard.press('Shift+ArrowDown');
    await expect.poll(() => h.page.locator('.rem-bulk__count').innerText()).toBe('2 tokens selected');
    await h.page.getByRole('button', { name: 'Dismiss selected' }).focus();
    await h.page.keyboard.press('Enter');
    await expect.poll(() => h.page.getByText(/^No more reminders for 2 tokens/).isVisible()).toBe(true);

    await h.page.reload();
    await expect.poll(async () => (await drawnRows()).length).toBeGreaterThan(5);
    await expect.poll(() => h.page.locator(`[data-row-id="${a!.rowId}"]`).innerText()).toMatch(/snoozed\s+until/);
    // The dismissed group is the table's last row: End reaches it, Enter opens it, End again shows its tokens.
    await grid().focus();
    await h.page.keyboard.press('End');
    const dismissed = h.page.getByRole('button', { name: /^Dismissed\s*2 tokens/ });
    await expect.poll(() => dismissed.isVisible()).toBe(true);
    await h.page.keyboard.press('Enter');
    await expect.poll(() => dismissed.getAttribute('aria-expanded')).toBe('true');
    await h.page.keyboard.press('End');
    await expect.poll(() => h.page.locator(`[data-row-id="${d.rowId}"]`).innerText()).toMatch(/dismissed/);
    expect(await h.page.locator(`[data-row-id="${d.rowId}"] button`).innerText()).toBe('Remind again');
    const audit = await h.ctx.service.listAudit({
      limit: 10,
      actions: ['reminder.snooze-bulk', 'reminder.dismiss-bulk'],
    });
    expect(audit.map((x) => [x.action, /\b(\d+) tokens?\b/.exec(x.detail ?? '')?.[1]])).toEqual([
      ['reminder.dismiss-bulk', '2'],
      ['reminder.snooze-bulk', '3'],
    ]);
    await dismissed.click();
  });

  it('passes axe (WCAG 2.2 AA + best practice) in light and dark, at 1280×800 and 1024×700', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await h.page.emulateMedia({ colorScheme: scheme });
      for (const [width, height] of [
        [1280, 800],
        [1024, 700],
      ] as const) {
        await h.page.setViewportSize({ width, height });
        await h.page.goto(`${h.origin}/index.html#/reminders`);
        await h.page.reload();
        await expect.poll(async () => (await drawnRows()).length).toBeGreaterThan(5);
        await h.page
          .getByRole('checkbox', { name: /^Select / })
          .nth(1)
          .click();
        await expectNoSeriousAxe(h.page);
        const sideways = await h.page.evaluate(() => {
          const g = document.querySelector('.rem-grid')!;
          return g.scrollWidth > g.clientWidth;
        });
        expect(sideways).toBe(false);
        await h.page.screenshot({ path: `${SHOTS}/reminders-${width}x${height}-${scheme}.png` });
      }
    }
    await h.page.emulateMedia({ colorScheme: 'light' });
    await h.page.setViewportSize({ width: 1280, height: 800 });
  });
});
