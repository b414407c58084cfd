/**
 * Activity in Chromium against the real service (issue 13 item 8), on the 3,200-token
 * inventory (test/bench/ui.ts buildReminderInventory) with entries recorded through the app's
 * own AuditRepo: labels people read, owners by name, filters by connection, action and date,
 * search, the one-token route the token drawer links to, and axe in light and dark.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { chromiumAvailable } from '../helpers/chromium';
import { startHarness, type Harness } from '../helpers/app-harness';
import { tempDir } from '../helpers/temp-dir';
import { expectNoSeriousAxe } from '../helpers/axe';
import { buildReminderInventory } from '../bench/ui';
import { openDatabase } from '../../electron/store/database';
import { databasePath } from '../../electron/paths';
import { AuditRepo } from '../../electron/store/audit-repo';
import { MemorySecretStore } from '../../electron/secrets/memory-store';

const SHOTS = '/tmp/vtd-screenshots';

interface Seeded {
  connections: { id: string; name: string }[];
  token: { tokenId: string; name: string; userId: string; userName: string; connectionId: string };
  forUser: { userId: string; userName: string };
}

describe.skipIf(!chromiumAvailable)('Activity in Chromium', () => {
  let h: Harness;
  let dir: ReturnType<typeof tempDir>;
  let seeded: Seeded;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = tempDir();
    const db = openDatabase(databasePath(dir.path));
    const inv = buildReminderInventory(db, new Date());
    const [a, b] = inv.connections;
    const token = db
      .prepare(
        `SELECT token_id AS tokenId, name, user_id AS userId, user_name AS userName, connection_id AS connectionId
           FROM tokens WHERE connection_id = ? ORDER BY id LIMIT 1`,
      )
      .get(a!.id) as Seeded['token'];
    const forUser = db
      .prepare(
        `SELECT user_id AS userId, user_name AS userName FROM tokens WHERE connection_id = ? AND user_id <> ? LIMIT 1`,
      )
      .get(a!.id, token.userId) as Seeded['forUser'];
    const audit = new AuditRepo(db, 'consultant');
    const day = (n: number) => new Date(Date.UTC(2026, 0, n, 10)).toISOString();
    audit.record(
      { action: 'connection.create', connectionId: a!.id, connectionName: a!.name, detail: `${a!.dns} as me` },
      day(2),
    );
    audit.record(
      { action: 'connection.create', connectionId: b!.id, connectionName: b!.name, detail: `${b!.dns} as me` },
      day(2),
    );
    audit.record({ action: 'tokens.sync', detail: '2 of 2 connection(s) synced' }, day(3));
    audit.record(
      {
        action: 'token.generate',
        connectionId: a!.id,
        connectionName: a!.name,
        tokenId: token.tokenId,
        detail: `“${token.name}” for user ${forUser.userId}`,
      },
      day(5),
    );
    audit.record(
      {
        action: 'token.rotate.start',
        connectionId: a!.id,
        connectionName: a!.name,
        tokenId: token.tokenId,
        detail: 'replacement 0PI999',
      },
      day(10),
    );
    audit.record(
      {
        action: 'token.rotate.revoke-old',
        connectionId: a!.id,
        connectionName: a!.name,
        tokenId: token.tokenId,
        detail: token.name,
      },
      day(11),
    );
    audit.record(
      { action: 'token.copy-declined', connectionId: b!.id, connectionName: b!.name, tokenId: '0PI001000003' },
      day(12),
    );
    db.close();
    seeded = { connections: inv.connections, token, forUser };
    h = await startHarness({ dataDir: dir.path, secrets: new MemorySecretStore() });
  });

  afterAll(async () => {
    await h?.close();
    dir?.cleanup();
  });

  const table = () => h.page.getByRole('table', { name: 'Activity log' });
  const actions = () =>
    table()
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
  const labels = () => table().locator('tbody tr td:nth-child(2)').allInnerTexts();

  it('reads as labels with names, not raw actions and ids', async () => {
    await h.page.goto(`${h.origin}/index.html#/activity`);
    await expect.poll(actions).toHaveLength(7);
    const shown = await labels();
    expect(shown).toContain('Rotated: old token revoked');
    expect(shown).toContain('Generated');
    expect(shown).toContain('Copy declined');
    for (const text of shown) expect(text).not.toMatch(/^[a-z]+\.[a-z.-]+$/);
    const rotated = table().locator('tr[data-action="token.rotate.revoke-old"]');
    const text = await rotated.innerText();
    expect(text).toContain(seeded.token.name);
    expect(text).toContain(seeded.token.userName);
    // The generate entry named its user by id: it reads as that user's name.
    const generated = await table().locator('tr[data-action="token.generate"] td:nth-child(6)').innerText();
    expect(generated).toContain(`for ${seeded.forUser.userName}`);
    expect(generated).not.toContain(seeded.forUser.userId);
    expect(await rotated.locator('td:nth-child(2)').getAttribute('title')).toBe('token.rotate.revoke-old');
  });

  it('filters by connection, action and date range, and searches, each asked of main', async () => {
    const [a, b] = seeded.connections;
    await h.page.getByLabel('Connection', { exact: true }).selectOption(b!.id);
    await expect.poll(actions).toEqual(['token.copy-declined', 'connection.create']);
    await h.page.getByLabel('Connection', { exact: true }).selectOption('');
    await h.page.getByLabel('Action', { exact: true }).selectOption({ label: 'Rotated: old token revoked' });
    await expect.poll(actions).toEqual(['token.rotate.revoke-old']);
    await h.page.getByLabel('Action', { exact: true }).selectOption({ label: 'Any tokens action' });
    await expect
      .poll(actions)
      .toEqual(['token.copy-declined', 'token.rotate.revoke-old', 'token.rotate.start', 'token.generate']);
    await h.page.getByLabel('Action', { exact: true }).selectOption('');
    await h.page.getByLabel('From', { exact: true }).fill('2026-01-05');
    await h.page.getByLabel('To', { exact: true }).fill('2026-01-10');
    await expect.poll(actions).toEqual(['token.rotate.start', 'token.generate']);
    await h.page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(actions).toHaveLength(7);
    // Search: the token's name is only in the inventory for the generate entry; main joins it.
    await h.page.getByRole('searchbox', { name: 'Search activity' }).fill(a!.name);
    await expect.poll(async () => (await actions()).length).toBe(4);
    await h.page.getByRole('searchbox', { name: 'Search activity' }).fill('no such thing at all');
    await expect.poll(() => h.page.getByText('Nothing matches these filters').isVisible()).toBe(true);
    await h.page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(actions).toHaveLength(7);
  });

  it('opens filtered to one token from the drawer’s route', async () => {
    const { tokenId, connectionId, name } = seeded.token;
    await h.page.goto(`${h.origin}/index.html#/activity?token=${tokenId}&connection=${connectionId}`);
    await expect.poll(actions).toEqual(['token.rotate.revoke-old', 'token.rotate.start', 'token.generate']);
    expect(await h.page.getByRole('status').filter({ hasText: 'Showing the history of token' }).innerText()).toContain(
      name,
    );
    await h.page.getByRole('link', { name: 'Show all activity' }).click();
    await expect.poll(actions).toHaveLength(7);
  });

  it('passes axe in light and dark, at 1280×800 and 1024×700', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await h.page.emulateMedia({ colorScheme: scheme });
      for (const [width, height] of [
        [1280, 800],
        [1024, 700],
      ] as const) {
        await h.page.setViewportSize({ width, height });
        await h.page.goto(`${h.origin}/index.html#/activity`);
        await h.page.reload();
        await expect.poll(actions).toHaveLength(7);
        await expectNoSeriousAxe(h.page);
        await h.page.screenshot({ path: `${SHOTS}/activity-${width}x${height}-${scheme}.png` });
      }
    }
    await h.page.emulateMedia({ colorScheme: 'light' });
    await h.page.setViewportSize({ width: 1280, height: 800 });
  });
});
