/**
 * Reminders and Settings in Chromium against the real service: the weekly
 * timeline after a sync from the fake Vault, snooze and dismiss from the UI,
 * the calendar download parsed back with node-ical, and threshold settings
 * with inline validation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as ical from 'node-ical';
import type { Browser } from 'playwright-core';
import { ConnectionCreate } from '../../shared/schemas';
import { chromiumAvailable, launchChromium } from '../helpers/chromium';
import { realKeychain } from '../helpers/keychain';
import { startHarness, type Harness } from '../helpers/app-harness';
import { tempDir } from '../helpers/temp-dir';

const keychain = await realKeychain();
const PASSWORD = 'Reminders-Passw0rd!';
const DAY = 86_400_000;

describe.skipIf(!chromiumAvailable || !keychain.available)('Reminders and Settings in Chromium', () => {
  let browser: Browser;
  let h: Harness;
  let dir: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    dir = tempDir();
    browser = await launchChromium();
    h = await startHarness({
      dataDir: dir.path,
      secrets: keychain.store,
      browser,
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
    const c = await h.ctx.connections.create(
      ConnectionCreate.parse({
        name: 'Initech Safety',
        dns: fake.vaults[0]!.dns,
        username: 'ops@initech.com',
        rememberSecret: true,
        secret: PASSWORD,
      }),
    );
    const [outcome] = await h.ctx.service.syncTokens({ connectionIds: [c.id] });
    expect(outcome?.ok).toBe(true);
  });

  afterAll(async () => {
    await h?.close();
    await browser?.close();
    for (const account of await keychain.store.list()) await keychain.store.delete(account);
    dir?.cleanup();
  });

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
    await expect
      .poll(() => h.page.getByRole('button', { name: 'Stop snoozing Case intake (E2B)' }).isVisible())
      .toBe(true);
    await h.page
      .getByRole('button', { name: 'Dismiss reminders for Signal detection export (rotated elsewhere)' })
      .click();
    await expect.poll(() => h.page.getByText(/^Dismissed \(1\)/).isVisible()).toBe(true);
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
