/**
 * Nudges (issue 16, item 4) in Chromium against the real service, the real keychain and the fake
 * Vault: the Reminders line counts stale and never-expiring tokens and links to the inventory so
 * filtered; the two chips combine with search and with each other; Settings changes the days.
 * axe (serious/critical, light and dark) on both screens; screenshots in /tmp/nudge-shots/.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/chromium';
import { realKeychain } from '../helpers/keychain';
import type { Harness } from '../helpers/app-harness';
import { expectNoSeriousAxeBothSchemes } from '../helpers/axe';
import type { FakeTokenSeed } from '../fake-vault/index';
import { keychainBrowserSuite } from '../helpers/harness-suite';
import { addSyncedPasswordConnection } from '../helpers/connections';
import { settled } from '../helpers/inventory-page';

const keychain = await realKeychain();
const SHOTS = '/tmp/nudge-shots';
const PASSWORD = 'Nudges-Passw0rd-1';
const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY);

const TOKENS: FakeTokenSeed[] = [
  { vault: 70, user: 700, name: 'Daily ETL', expiresAt: inDays(200), lastUsedAt: inDays(-1) },
  { vault: 70, user: 700, name: 'Idle integration', expiresAt: inDays(200), lastUsedAt: inDays(-120) },
  { vault: 70, user: 700, name: 'Old forever', expiresAt: null, lastUsedAt: inDays(-200) },
  { vault: 70, user: 700, name: 'Legacy forever', expiresAt: null, lastUsedAt: inDays(-3) },
  { vault: 70, user: 700, name: 'Gone stale', expiresAt: inDays(-2), lastUsedAt: inDays(-300) },
];

describe.skipIf(!chromiumAvailable || !keychain.available)('Nudges in Chromium', () => {
  const suite = keychainBrowserSuite(keychain.store);
  let h: Harness;

  const grid = () => h.page.getByRole('grid', { name: 'Tokens' });
  const chip = (name: RegExp) => h.page.getByRole('group', { name: 'Nudges' }).getByRole('button', { name });
  const shownNames = async () => {
    await settled(h.page);
    return (await grid().locator('[data-row-id]').allInnerTexts())
      .map((t) => TOKENS.find((s) => t.includes(s.name))?.name ?? t)
      .sort();
  };
  const expectShown = async (names: string[]) => expect.poll(shownNames).toEqual([...names].sort());

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await suite.start({
      fakeVault: {
        vaults: [{ id: 70, name: 'Umbrella Clinical' }],
        users: [
          {
            id: 700,
            username: 'ops@umbrella.example',
            password: PASSWORD,
            securityProfile: 'vault_owner__v',
            vaults: 'all',
          },
        ],
        tokens: TOKENS,
      },
    });
    await addSyncedPasswordConnection(
      h.ctx,
      { name: 'Umbrella Clinical', dns: h.fakeVault!.vaults[0]!.dns },
      { username: 'ops@umbrella.example', password: PASSWORD },
    );
  });

  afterAll(() => suite.close());

  it('Reminders counts stale and never-expiring tokens and links to them', async () => {
    await h.page.goto(`${h.origin}/index.html#/reminders`);
    const line = h.page.getByTestId('nudge-line');
    // The expired token, last used 300 days ago, is not nudged.
    await expect.poll(() => line.innerText()).toBe('2 tokens not used in 90 days · 2 never expire');
    await expectNoSeriousAxeBothSchemes(h.page, 'Reminders with the nudge line');
    await h.page.screenshot({ path: `${SHOTS}/reminders.png` });
    await h.page.getByRole('link', { name: '2 tokens not used in 90 days' }).click();
    await expect.poll(() => chip(/^Not used in 90 days$/).getAttribute('aria-pressed')).toBe('true');
    expect(h.page.url()).toMatch(/#\/inventory$/);
    await expectShown(['Idle integration', 'Old forever']);
    await h.page.screenshot({ path: `${SHOTS}/inventory-stale.png` });

    await h.page.goto(`${h.origin}/index.html#/reminders`);
    await h.page.getByRole('link', { name: '2 never expire' }).click();
    await expect.poll(() => chip(/^Never expires$/).getAttribute('aria-pressed')).toBe('true');
    expect(await chip(/^Not used in 90 days$/).getAttribute('aria-pressed')).toBe('false');
    await expectShown(['Legacy forever', 'Old forever']);
  });

  it('combines the chips with each other, with search and with Clear filters', async () => {
    await chip(/^Not used in 90 days$/).click();
    await expectShown(['Old forever']);
    await chip(/^Never expires$/).click();
    await expectShown(['Idle integration', 'Old forever']);
    await h.page.getByRole('searchbox', { name: 'Search tokens' }).fill('idle');
    await expectShown(['Idle integration']);
    await expectNoSeriousAxeBothSchemes(h.page, 'Inventory with a nudge chip pressed');
    await h.page.screenshot({ path: `${SHOTS}/inventory-stale-search.png` });
    await h.page.emulateMedia({ colorScheme: 'dark' });
    await h.page.screenshot({ path: `${SHOTS}/inventory-stale-search-dark.png` });
    await h.page.emulateMedia({ colorScheme: 'light' });
    await h.page.getByRole('button', { name: 'Clear filters' }).click();
    expect(await chip(/^Not used in 90 days$/).getAttribute('aria-pressed')).toBe('false');
    await expectShown(['Daily ETL', 'Gone stale', 'Idle integration', 'Legacy forever', 'Old forever']);
  });

  it('takes the days from Settings', async () => {
    await h.page.goto(`${h.origin}/index.html#/settings`);
    const days = h.page.getByLabel('A token not used for this many days is “stale”');
    await days.fill('0');
    await h.page.getByRole('button', { name: 'Save' }).first().click();
    await expect.poll(() => h.page.getByText('Enter whole days from 1 to 3650.').isVisible()).toBe(true);
    await days.fill('150');
    await h.page.getByRole('button', { name: 'Save' }).first().click();
    await expect.poll(async () => (await h.ctx.service.getSettings(undefined)).settings.staleAfterDays).toBe(150);
    await h.page.goto(`${h.origin}/index.html#/reminders`);
    await expect
      .poll(() => h.page.getByTestId('nudge-line').innerText())
      .toBe('1 token not used in 150 days · 2 never expire');
    await h.page.getByRole('link', { name: '1 token not used in 150 days' }).click();
    await expectShown(['Old forever']);
  });
});
