/**
 * The reminder scheduler on a real SQLite file (openDatabase, all migrations)
 * with an injected clock and injected timers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../electron/store/database';
import { AuditRepo } from '../../electron/store/audit-repo';
import { createReminders, type Reminders } from '../../electron/reminders';
import type { Timers } from '../../electron/reminders/scheduler';
import { remindersMethods } from '../../electron/reminders/reminders-methods';
import { remindersContract } from '../../shared/contract/reminders';
import { AppError } from '../../shared/errors';
import type { ReminderGroup } from '../../shared/reminders';
import { tempDir } from '../helpers/temp-dir';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Every token in these tests expires at this instant unless it says otherwise. */
const T = Date.parse('2026-06-30T23:59:59.000Z');

class FakeClock {
  constructor(public t: number) {}
  now(): Date {
    return new Date(this.t);
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

class FakeTimers implements Timers {
  callbacks = new Map<number, { fn: () => void; ms: number }>();
  private next = 1;
  setInterval(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.callbacks.set(id, { fn, ms });
    return id;
  }
  clearInterval(handle: unknown): void {
    this.callbacks.delete(handle as number);
  }
  fire(): void {
    for (const { fn } of [...this.callbacks.values()]) fn();
  }
}

let dir: ReturnType<typeof tempDir> | undefined;
const open: Db[] = [];
afterEach(() => {
  while (open.length) open.pop()!.close();
  dir?.cleanup();
  dir = undefined;
});

function dbFile(): string {
  dir ??= tempDir('vtd-reminders-');
  return join(dir.path, 'reminders.sqlite');
}

function openDb(path = dbFile()): Db {
  const db = openDatabase(path);
  open.push(db);
  return db;
}

function closeDb(db: Db): void {
  db.close();
  open.splice(open.indexOf(db), 1);
}

function addConnection(db: Db, id: string, name: string): void {
  db.prepare(
    `INSERT INTO connections (id, name, dns, username, auth_method, created_at, updated_at)
     VALUES (?, ?, ?, 'svc@acme.com', 'password', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
  ).run(id, name, `${id}.veevavault.com`);
}

interface TokenSeed {
  connectionId?: string | null;
  connectionName?: string;
  tokenId: string;
  name?: string;
  expiresAt: string | null;
  lifecycle?: 'active' | 'revoked';
  source?: 'generated' | 'sync' | 'import';
  readOnly?: boolean;
}

function addToken(db: Db, seed: TokenSeed): number {
  const connectionId = seed.connectionId === undefined ? 'c1' : seed.connectionId;
  const info = db
    .prepare(
      `INSERT INTO tokens (connection_id, connection_name, vault_dns, token_id, name, user_id, user_name, lifecycle, expires_at,
                           source, read_only, first_seen_at, updated_at, search_text)
       VALUES (@connectionId, @connectionName, @vaultDns, @tokenId, @name, '61234', 'svc@acme.com', @lifecycle, @expiresAt,
               @source, @readOnly, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', @search)`,
    )
    .run({
      connectionId,
      connectionName: seed.connectionName ?? (connectionId ? `Conn ${connectionId}` : 'Other machine'),
      vaultDns: `${connectionId ?? 'imported'}.veevavault.com`,
      tokenId: seed.tokenId,
      name: seed.name ?? `token ${seed.tokenId}`,
      lifecycle: seed.lifecycle ?? 'active',
      expiresAt: seed.expiresAt,
      source: seed.source ?? 'sync',
      readOnly: seed.readOnly ? 1 : 0,
      search: seed.tokenId.toLowerCase(),
    });
  return Number(info.lastInsertRowid);
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

function setup(start: number, options: { timers?: Timers; db?: Db; audit?: boolean } = {}) {
  const db = options.db ?? openDb();
  const clock = new FakeClock(start);
  const audit = options.audit ? new AuditRepo(db, 'tester') : undefined;
  const reminders: Reminders = createReminders({
    db,
    clock,
    ...(options.timers ? { timers: options.timers } : {}),
    ...(audit ? { audit } : {}),
  });
  const events: ReminderGroup[] = [];
  reminders.scheduler.subscribe((e) => {
    if (e.type === 'due') events.push(e.group);
  });
  return { db, clock, reminders, scheduler: reminders.scheduler, service: reminders.service, events, audit };
}

function thresholdsOf(group: ReminderGroup | null): Array<[number, number | null]> {
  return (group?.items ?? []).map((i) => [i.rowId, i.thresholdDays]);
}

describe('reminder scheduler: thresholds', () => {
  it('fires each default threshold (30, 14, 7, 1, 0) exactly once, at N × 24 h before expiry', () => {
    const { db, clock, scheduler, reminders } = setup(T - 40 * DAY);
    addConnection(db, 'c1', 'Acme');
    const row = addToken(db, { tokenId: 'A1', expiresAt: iso(T) });

    expect(scheduler.tick()).toBeNull();
    const fired: number[] = [];
    for (const days of [30, 14, 7, 1, 0]) {
      clock.set(T - days * DAY - 1);
      expect(scheduler.tick(), `just before the ${days}-day threshold`).toBeNull();
      clock.set(T - days * DAY);
      const group = scheduler.tick();
      expect(thresholdsOf(group)).toEqual([[row, days]]);
      fired.push(group!.items[0]!.thresholdDays!);
      // Ticking again, an hour later, a day later: nothing new.
      expect(scheduler.tick()).toBeNull();
      clock.advance(HOUR);
      expect(scheduler.tick()).toBeNull();
    }
    expect(fired).toEqual([30, 14, 7, 1, 0]);
    clock.set(T + 30 * DAY);
    expect(scheduler.tick()).toBeNull();
    expect(reminders.repo.firedLog(row)).toEqual(
      [30, 14, 7, 1, 0].map((d) => ({ thresholdDays: d, silent: false, firedAt: iso(T - d * DAY) })),
    );
  });

  it('does not repeat after a restart: a new scheduler on the same file', () => {
    const path = dbFile();
    const first = setup(T - 7 * DAY, { db: openDb(path) });
    addConnection(first.db, 'c1', 'Acme');
    const row = addToken(first.db, { tokenId: 'A1', expiresAt: iso(T) });
    expect(thresholdsOf(first.scheduler.catchUp())).toEqual([[row, 7]]);
    closeDb(first.db);

    const second = setup(T - 7 * DAY + HOUR, { db: openDb(path) });
    expect(second.scheduler.catchUp()).toBeNull();
    expect(second.scheduler.tick()).toBeNull();
    second.clock.set(T - DAY);
    expect(thresholdsOf(second.scheduler.tick())).toEqual([[row, 1]]);
    closeDb(second.db);

    const third = setup(T - DAY + 5 * 60_000, { db: openDb(path) });
    expect(third.scheduler.catchUp()).toBeNull();
  });

  it('groups tokens that fall due together into ONE group, most urgent first, linking to the inventory', () => {
    const { db, scheduler, events } = setup(T - 20 * DAY);
    addConnection(db, 'c1', 'Acme');
    addConnection(db, 'c2', 'Beta');
    const a = addToken(db, { tokenId: 'A1', name: 'etl', expiresAt: iso(T) }); // 20 days → 30
    const b = addToken(db, { connectionId: 'c2', tokenId: 'B1', name: 'ci', expiresAt: iso(T - 15 * DAY) }); // 5 days → 7
    const c = addToken(db, { tokenId: 'A2', name: 'old', expiresAt: iso(T - 25 * DAY) }); // expired 5 days ago → 0
    const group = scheduler.tick();
    expect(events).toHaveLength(1);
    expect(events[0]).toBe(group);
    expect(thresholdsOf(group)).toEqual([
      [c, 0],
      [b, 7],
      [a, 30],
    ]);
    expect(group!.hash).toBe(`#/inventory?tokens=${c},${b},${a}`);
    expect(group!.title).toBe('2 Vault tokens expiring, 1 Vault token expired');
    expect(group!.body.split('\n')).toEqual([
      'old (Conn c1): expired 5 days ago',
      'ci (Conn c2): expires in 5 days',
      'etl (Conn c1): expires in 20 days',
    ]);
    expect(scheduler.tick()).toBeNull();
    expect(events).toHaveLength(1);
  });

  it('leaves out revoked, never-expiring and imported tokens everywhere', () => {
    const { db, scheduler, service } = setup(T - DAY);
    addConnection(db, 'c1', 'Acme');
    const ok = addToken(db, { tokenId: 'OK', expiresAt: iso(T) });
    const revoked = addToken(db, { tokenId: 'REV', expiresAt: iso(T), lifecycle: 'revoked' });
    const never = addToken(db, { tokenId: 'NEVER', expiresAt: null });
    const imported = addToken(db, {
      connectionId: null,
      tokenId: 'IMP',
      expiresAt: iso(T),
      source: 'import',
      readOnly: true,
    });
    const readOnly = addToken(db, { tokenId: 'RO', expiresAt: iso(T), readOnly: true });

    expect(thresholdsOf(scheduler.tick())).toEqual([[ok, 1]]);
    const summary = service.summary();
    expect(summary).toMatchObject({ expiring: 1, expired: 0, attention: 1 });
    const upcoming = service.upcoming({ days: 90, weekStartsOn: 1 });
    expect(upcoming.weeks.flatMap((w) => w.tokens.map((t) => t.rowId))).toEqual([ok]);
    for (const rowId of [revoked, never, imported, readOnly]) {
      const error = (() => {
        try {
          service.snooze(rowId, '1d');
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(AppError);
    }
    expect(() => service.dismiss(imported)).toThrow(/Imported tokens/);
    expect(() => service.dismiss(revoked)).toThrow(/revoked/);
    expect(() => service.dismiss(never)).toThrow(/never expires/);
    expect(() => service.dismiss(99_999)).toThrow(/no longer in the inventory/);
  });

  it('applies a per-connection override, and the global list again once it is cleared', () => {
    const { db, clock, scheduler, service, events } = setup(T - 40 * DAY);
    addConnection(db, 'c1', 'Acme');
    addConnection(db, 'c2', 'Beta');
    const a = addToken(db, { tokenId: 'A1', expiresAt: iso(T) });
    const b = addToken(db, { connectionId: 'c2', tokenId: 'B1', expiresAt: iso(T) });
    service.setConnectionThresholds('c2', [3, 10]);
    expect(service.settingsView().overrides).toEqual([
      { connectionId: 'c2', connectionName: 'Beta', thresholds: [10, 3] },
    ]);

    const seen: Array<[number, number | null]> = [];
    for (let t = T - 40 * DAY; t <= T + DAY; t += 6 * HOUR) {
      clock.set(t);
      seen.push(...thresholdsOf(scheduler.tick()));
    }
    expect(seen.filter(([r]) => r === a).map(([, d]) => d)).toEqual([30, 14, 7, 1, 0]);
    expect(seen.filter(([r]) => r === b).map(([, d]) => d)).toEqual([10, 3]);

    // An empty override silences the connection; null returns it to the global list.
    const c = addToken(db, { connectionId: 'c2', tokenId: 'B2', expiresAt: iso(T + 20 * DAY) });
    service.setConnectionThresholds('c2', []);
    clock.set(T + 19 * DAY);
    expect(scheduler.tick()).toBeNull();
    // Back on the global list, at once: B1 (expired) never had a 0-day reminder, B2 is past its 1-day threshold.
    service.setConnectionThresholds('c2', null);
    expect(service.settingsView().overrides).toEqual([]);
    expect(events.at(-1)!.reason).toBe('settings');
    expect(thresholdsOf(events.at(-1)!)).toEqual([
      [b, 0],
      [c, 1],
    ]);
    clock.advance(HOUR);
    expect(scheduler.tick()).toBeNull();
    expect(() => service.setConnectionThresholds('nope', [1])).toThrow(/no longer exists/);
  });

  it('a removed connection takes its override with it', () => {
    const { db, service } = setup(T);
    addConnection(db, 'c2', 'Beta');
    service.setConnectionThresholds('c2', [5]);
    db.prepare('DELETE FROM connections WHERE id = ?').run('c2');
    expect(service.settingsView().overrides).toEqual([]);
  });
});

describe('reminder scheduler: catching up', () => {
  it('after ten days asleep, each token reminds ONCE with its most urgent passed threshold', () => {
    const timers = new FakeTimers();
    const start = T - 20 * DAY;
    const { db, clock, scheduler, events, reminders } = setup(start, { timers });
    addConnection(db, 'c1', 'Acme');
    const x = addToken(db, { tokenId: 'X', expiresAt: iso(start + 12 * DAY) }); // 30 & 14 passed at start
    const y = addToken(db, { tokenId: 'Y', expiresAt: iso(start + 8 * DAY) }); // 30 & 14 passed at start
    const z = addToken(db, { tokenId: 'Z', expiresAt: iso(start + 60 * DAY) }); // nothing passes during the sleep

    // Start: catches up at once, then ticks on the timer.
    const first = scheduler.start(10 * 60_000);
    expect(thresholdsOf(first)).toEqual([
      [y, 14],
      [x, 14],
    ]);
    expect(timers.callbacks.size).toBe(1);
    expect([...timers.callbacks.values()][0]!.ms).toBe(10 * 60_000);
    timers.fire();
    expect(events).toHaveLength(1);

    // Sleep: no timer fires for ten days. X passes 7; Y passes 7, 1 and 0 (expired two days ago).
    clock.advance(10 * DAY);
    const woke = scheduler.catchUp();
    expect(thresholdsOf(woke)).toEqual([
      [y, 0],
      [x, 7],
    ]);
    expect(woke!.reason).toBe('catch-up');
    expect(events).toHaveLength(2);

    // The timer's next ticks, and another wake-up, add nothing: not one reminder per missed day.
    for (let i = 0; i < 10; i++) timers.fire();
    expect(scheduler.catchUp()).toBeNull();
    expect(events).toHaveLength(2);

    const log = (row: number) => reminders.repo.firedLog(row).map((r) => [r.thresholdDays, r.silent]);
    expect(log(y)).toEqual([
      [30, true],
      [14, false],
      [7, true],
      [1, true],
      [0, false],
    ]);
    expect(log(x)).toEqual([
      [30, true],
      [14, false],
      [7, false],
    ]);
    expect(log(z)).toEqual([]);

    // X still gets its 1-day reminder on time.
    clock.set(start + 11 * DAY);
    timers.fire();
    expect(thresholdsOf(events.at(-1)!)).toEqual([[x, 1]]);

    scheduler.stop();
    expect(timers.callbacks.size).toBe(0);
    expect(scheduler.running).toBe(false);
  });

  it('a timer tick that throws is logged, not thrown into the event loop', () => {
    const timers = new FakeTimers();
    const { db, scheduler } = setup(T, { timers });
    scheduler.start(1000);
    db.exec('DROP TABLE reminder_fired');
    expect(() => timers.fire()).not.toThrow();
    scheduler.stop();
  });
});

describe('snooze and dismiss', () => {
  it('snooze 1 day: quiet for a day, then one reminder', () => {
    const { db, clock, scheduler, service } = setup(T - 7 * DAY);
    addConnection(db, 'c1', 'Acme');
    const row = addToken(db, { tokenId: 'A1', expiresAt: iso(T) });
    expect(thresholdsOf(scheduler.tick())).toEqual([[row, 7]]);
    const state = service.snooze(row, '1d');
    expect(state).toEqual({ rowId: row, snoozedUntil: iso(T - 6 * DAY), dismissed: false });
    expect(service.summary().snoozed).toBe(1);
    expect(service.summary().nextReminderAt).toBe(iso(T - 6 * DAY));

    clock.advance(DAY - 1);
    expect(scheduler.tick()).toBeNull();
    clock.advance(1);
    const group = scheduler.tick();
    expect(group!.items).toMatchObject([{ rowId: row, kind: 'snooze-ended', thresholdDays: 7 }]);
    expect(scheduler.tick()).toBeNull();
    expect(service.summary().snoozed).toBe(0);
    // Thresholds carry on as before.
    clock.set(T - DAY);
    expect(thresholdsOf(scheduler.tick())).toEqual([[row, 1]]);
  });

  it('snooze 1 week: a threshold passed while snoozed reminds once when the snooze ends', () => {
    const { db, clock, scheduler, service } = setup(T - 10 * DAY);
    addConnection(db, 'c1', 'Acme');
    const row = addToken(db, { tokenId: 'A1', expiresAt: iso(T) });
    expect(thresholdsOf(scheduler.tick())).toEqual([[row, 14]]);
    service.snooze(row, '1w');
    clock.set(T - 7 * DAY); // the 7-day threshold passes while snoozed
    expect(scheduler.tick()).toBeNull();
    clock.set(T - 3 * DAY); // snooze over
    const group = scheduler.tick();
    expect(group!.items).toMatchObject([{ rowId: row, kind: 'threshold', thresholdDays: 7 }]);
    expect(scheduler.tick()).toBeNull();
  });

  it('snooze until the next threshold: quiet until it, which then reminds; refused when none is left', () => {
    const { db, clock, scheduler, service } = setup(T - 20 * DAY);
    addConnection(db, 'c1', 'Acme');
    const row = addToken(db, { tokenId: 'A1', expiresAt: iso(T) });
    expect(thresholdsOf(scheduler.tick())).toEqual([[row, 30]]);
    expect(service.snooze(row, 'next-threshold').snoozedUntil).toBe(iso(T - 14 * DAY));
    clock.set(T - 14 * DAY - 1);
    expect(scheduler.tick()).toBeNull();
    clock.set(T - 14 * DAY);
    const group = scheduler.tick();
    expect(group!.items).toEqual([expect.objectContaining({ rowId: row, kind: 'threshold', thresholdDays: 14 })]);
    expect(scheduler.tick()).toBeNull();

    clock.set(T + DAY);
    expect(thresholdsOf(scheduler.tick())).toEqual([[row, 0]]);
    expect(() => service.snooze(row, 'next-threshold')).toThrow(/No reminder threshold is left/);
    // Unsnooze lifts a snooze straight away.
    service.snooze(row, '1w');
    expect(service.unsnooze(row).snoozedUntil).toBeNull();
  });

  it('dismiss: no more reminders for this expiry; undismiss, or a new expiry, brings them back', () => {
    const { db, clock, scheduler, service, audit } = setup(T - 7 * DAY, { audit: true });
    addConnection(db, 'c1', 'Acme');
    const row = addToken(db, { tokenId: 'A1', expiresAt: iso(T) });
    const other = addToken(db, { tokenId: 'A2', expiresAt: iso(T) });
    expect(thresholdsOf(scheduler.tick())).toEqual([
      [row, 7],
      [other, 7],
    ]);
    expect(service.dismiss(row)).toEqual({ rowId: row, snoozedUntil: null, dismissed: true });
    expect(service.summary()).toMatchObject({ expiring: 1, dismissed: 1, attention: 1 });

    clock.set(T - DAY);
    expect(thresholdsOf(scheduler.tick())).toEqual([[other, 1]]);
    clock.set(T + HOUR);
    expect(thresholdsOf(scheduler.tick())).toEqual([[other, 0]]);
    const upcoming = service.upcoming({ days: 30, weekStartsOn: 1 });
    expect(upcoming.dismissed.map((t) => t.rowId)).toEqual([row]);
    expect(upcoming.expired.map((t) => t.rowId)).toEqual([other]);

    // Undismissed: the most urgent passed threshold (0) reminds once.
    service.undismiss(row);
    expect(thresholdsOf(scheduler.tick())).toEqual([[row, 0]]);

    // Dismiss again, then the token's expiry changes (renewed elsewhere and synced): reminders start afresh.
    service.dismiss(row);
    expect(scheduler.tick()).toBeNull();
    db.prepare('UPDATE tokens SET expires_at = ? WHERE id = ?').run(iso(T + 10 * DAY), row);
    expect(service.upcoming({ days: 30, weekStartsOn: 1 }).dismissed).toEqual([]);
    expect(thresholdsOf(scheduler.tick())).toEqual([[row, 14]]);
    // Records for the old expiry are pruned.
    expect(
      db.prepare('SELECT count(*) AS n FROM reminder_fired WHERE token_row_id = ? AND expires_at = ?').get(row, iso(T)),
    ).toEqual({ n: 0 });

    expect(audit!.list(10).map((e) => [e.action, e.tokenId])).toEqual([
      ['reminder.dismiss', 'A1'],
      ['reminder.undismiss', 'A1'],
      ['reminder.dismiss', 'A1'],
    ]);
  });

  it('a deleted token takes its reminder records with it', () => {
    const { db, scheduler, service } = setup(T - DAY);
    addConnection(db, 'c1', 'Acme');
    const row = addToken(db, { tokenId: 'A1', expiresAt: iso(T) });
    scheduler.tick();
    service.snooze(row, '1d');
    db.prepare('DELETE FROM tokens WHERE id = ?').run(row);
    expect(db.prepare('SELECT count(*) AS n FROM reminder_fired').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM reminder_state').get()).toEqual({ n: 0 });
  });
});

describe('settings', () => {
  it('has the documented defaults and keeps updates across a restart', () => {
    const path = dbFile();
    const first = setup(T, { db: openDb(path) });
    expect(first.reminders.settings.get()).toEqual({
      thresholds: [30, 14, 7, 1, 0],
      expiringSoonDays: 14,
      staleAfterDays: 90,
      startAtLogin: false,
      minimiseToTray: true,
    });
    first.service.updateSettings({ thresholds: [1, 60, 7], startAtLogin: true, staleAfterDays: 120 });
    closeDb(first.db);
    const second = setup(T, { db: openDb(path) });
    expect(second.reminders.settings.get()).toEqual({
      thresholds: [60, 7, 1],
      expiringSoonDays: 14,
      staleAfterDays: 120,
      startAtLogin: true,
      minimiseToTray: true,
    });
  });

  it('reads a damaged stored value as the default', () => {
    const { db, reminders } = setup(T);
    db.prepare(
      "INSERT INTO settings (key, value, updated_at) VALUES ('reminders.thresholds', '[5, 5]', 'x'), ('reminders.expiringSoonDays', 'not json', 'x')",
    ).run();
    expect(reminders.settings.thresholds()).toEqual([30, 14, 7, 1, 0]);
    expect(reminders.settings.expiringSoonDays()).toBe(14);
  });

  it('new thresholds take effect at once: a newly passed, more urgent one reminds; a less urgent one does not', () => {
    const { db, service, events, audit } = setup(T - 20 * DAY, { audit: true });
    addConnection(db, 'c1', 'Acme');
    const row = addToken(db, { tokenId: 'A1', expiresAt: iso(T) });
    service.updateSettings({ thresholds: [30] });
    expect(events.map((g) => [g.reason, thresholdsOf(g)])).toEqual([['settings', [[row, 30]]]]);
    service.updateSettings({ thresholds: [60, 30, 21] });
    expect(events.map((g) => thresholdsOf(g))).toEqual([[[row, 30]], [[row, 21]]]);
    service.updateSettings({ thresholds: [90, 60, 30, 21] });
    expect(events).toHaveLength(2);
    // Saving unchanged values records nothing in the activity log.
    service.updateSettings({ thresholds: [90, 60, 30, 21], minimiseToTray: true });
    expect(audit!.list(10).map((e) => e.detail)).toEqual([
      'Changed thresholds.',
      'Changed thresholds.',
      'Changed thresholds.',
    ]);
    expect(events).toHaveLength(2);
  });

  it('the expiring-soon window drives the counts', () => {
    const { db, service } = setup(T);
    addConnection(db, 'c1', 'Acme');
    addToken(db, { tokenId: 'A', expiresAt: iso(T + 10 * DAY) });
    addToken(db, { tokenId: 'B', expiresAt: iso(T + 20 * DAY) });
    addToken(db, { tokenId: 'C', expiresAt: iso(T - DAY) });
    expect(service.summary()).toMatchObject({ expiring: 1, expired: 1, attention: 2, expiringSoonDays: 14 });
    service.updateSettings({ expiringSoonDays: 30 });
    expect(service.summary()).toMatchObject({ expiring: 2, expired: 1, attention: 3, expiringSoonDays: 30 });
  });
});

describe('timeline', () => {
  it('groups upcoming expiries by week (Monday start by default), with expired and dismissed apart', () => {
    const now = Date.parse('2026-06-03T12:00:00.000Z'); // a Wednesday
    const { db, service } = setup(now);
    addConnection(db, 'c1', 'Acme');
    const a = addToken(db, { tokenId: 'A', expiresAt: '2026-06-05T10:00:00.000Z' }); // Fri, this week
    const b = addToken(db, { tokenId: 'B', expiresAt: '2026-06-07T23:00:00.000Z' }); // Sun, this week
    const c = addToken(db, { tokenId: 'C', expiresAt: '2026-06-08T01:00:00.000Z' }); // Mon, next week
    const d = addToken(db, { tokenId: 'D', expiresAt: '2026-06-01T00:00:00.000Z' }); // expired
    addToken(db, { tokenId: 'E', expiresAt: '2026-12-01T00:00:00.000Z' }); // beyond the window
    const view = service.upcoming({ days: 30, weekStartsOn: 1 });
    expect(view.weeks.map((w) => [w.weekStart, w.weekEnd, w.tokens.map((t) => t.rowId)])).toEqual([
      ['2026-06-01', '2026-06-07', [a, b]],
      ['2026-06-08', '2026-06-14', [c]],
    ]);
    expect(view.expired.map((t) => t.rowId)).toEqual([d]);
    expect(view.weeks[0]!.tokens[0]).toMatchObject({
      status: 'expiring',
      daysLeft: 2,
      nextThresholdDays: 1,
      thresholdsSource: 'default',
      dismissed: false,
    });
    const sunday = service.upcoming({ days: 30, weekStartsOn: 0 });
    expect(sunday.weeks.map((w) => w.tokens.map((t) => t.rowId))).toEqual([[a], [b, c]]);
  });
});

describe('reminders channels', () => {
  it('answer through remindersMethods after the contract schemas parse the requests', async () => {
    const { db, reminders } = setup(T - 7 * DAY);
    addConnection(db, 'c1', 'Acme');
    const row = addToken(db, { tokenId: 'A1', expiresAt: iso(T) });
    const methods = remindersMethods({ reminders: reminders.service });
    const parse = <C extends keyof typeof remindersContract>(c: C, v: unknown) => remindersContract[c].request.parse(v);

    const upcoming = await methods.listUpcomingReminders(parse('reminders:upcoming', undefined) as never);
    expect(upcoming.windowDays).toBe(90);
    expect(upcoming.weeks.flatMap((w) => w.tokens.map((t) => t.rowId))).toEqual([row]);
    expect(await methods.getReminderSummary(undefined)).toMatchObject({ expiring: 1, attention: 1 });
    expect(
      await methods.snoozeReminders(parse('reminders:snooze', { rowId: row, until: '1w' }) as never),
    ).toMatchObject({ rowId: row, snoozedUntil: iso(T) });
    expect(remindersContract['reminders:snooze'].request.safeParse({ rowId: row, until: '2d' }).success).toBe(false);
    expect(remindersContract['settings:update'].request.safeParse({ thresholds: [7, 7] }).success).toBe(false);
    expect(remindersContract['settings:update'].request.safeParse({ thresholds: [366] }).success).toBe(false);
    expect(remindersContract['settings:update'].request.safeParse({ thresholds: [1.5] }).success).toBe(false);
    expect(remindersContract['settings:update'].request.safeParse({ expiringSoonDays: 0 }).success).toBe(false);
    const view = await methods.updateSettings(parse('settings:update', { thresholds: [0, 3, 45] }) as never);
    expect(view.settings.thresholds).toEqual([45, 3, 0]);
    expect(view.defaults.thresholds).toEqual([30, 14, 7, 1, 0]);
    const file = await methods.exportCalendar(parse('calendar:export', undefined) as never);
    expect(file.events).toBe(1);
    expect(file.filename).toMatch(/^vault-token-expiries-\d{4}-\d{2}-\d{2}\.ics$/);
    expect(await methods.dismissReminders({ rowId: row })).toMatchObject({ dismissed: true });
    expect(await methods.undismissReminders({ rowId: row })).toMatchObject({ dismissed: false });
  });
});
