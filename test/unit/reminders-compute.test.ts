/** The pure reminder rules (compute-due.ts), the threshold parser and the desktop decisions: no SQLite, no Electron. */
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  buildGroup,
  buildSummary,
  daysLeft,
  nextThreshold,
  passedThresholds,
  planDue,
  timeLeftPhrase,
  type DueCandidate,
} from '../../electron/reminders/compute-due';
import {
  LOGIN_ARG,
  SAFE_HASH,
  attentionLine,
  closeHidesWindow,
  launchedAtLogin,
  linuxAutostartEntry,
  trayTitle,
  trayTooltip,
} from '../../electron/reminders/desktop-logic';
import { parseThresholdsText, Thresholds } from '../../shared/contract/reminders';
import type { ReminderSummary } from '../../shared/reminders';

const T = Date.parse('2026-03-31T12:00:00.000Z');
const at = (ms: number) => new Date(ms);

function candidate(over: Partial<DueCandidate> = {}): DueCandidate {
  return {
    rowId: 1,
    tokenId: 'V8T000000000001',
    name: 'nightly etl',
    connectionId: 'c1',
    connectionName: 'Acme',
    vaultDns: 'acme.veevavault.com',
    userName: 'svc@acme.com',
    expiresAt: new Date(T).toISOString(),
    thresholds: [30, 14, 7, 1, 0],
    thresholdsSource: 'default',
    recorded: new Map(),
    snoozedUntil: null,
    snoozePending: false,
    dismissed: false,
    ...over,
  };
}

describe('threshold arithmetic', () => {
  it('a threshold of N days passes at exactly N × 24 h before expiry', () => {
    const exp = new Date(T).toISOString();
    expect(passedThresholds(exp, [30, 14, 7, 1, 0], at(T - 7 * DAY_MS - 1))).toEqual([14, 30]);
    expect(passedThresholds(exp, [30, 14, 7, 1, 0], at(T - 7 * DAY_MS))).toEqual([7, 14, 30]);
    expect(passedThresholds(exp, [30, 14, 7, 1, 0], at(T))).toEqual([0, 1, 7, 14, 30]);
    expect(nextThreshold(exp, [30, 14, 7, 1, 0], at(T - 10 * DAY_MS))).toEqual({ days: 7, at: T - 7 * DAY_MS });
    expect(nextThreshold(exp, [30, 14, 7, 1, 0], at(T))).toBeNull();
  });

  it('days left round up while the token is valid and count down once it has expired', () => {
    const exp = new Date(T).toISOString();
    expect(daysLeft(exp, at(T - 7 * DAY_MS))).toBe(7);
    expect(daysLeft(exp, at(T - 6.5 * DAY_MS))).toBe(7);
    expect(daysLeft(exp, at(T - 1))).toBe(1);
    expect(daysLeft(exp, at(T))).toBe(0);
    expect(daysLeft(exp, at(T + 2.5 * DAY_MS))).toBe(-2);
  });

  it('words for the time left', () => {
    expect(timeLeftPhrase(7 * DAY_MS)).toBe('expires in 7 days');
    expect(timeLeftPhrase(DAY_MS)).toBe('expires in 1 day');
    expect(timeLeftPhrase(5 * 3_600_000)).toBe('expires in 5 hours');
    expect(timeLeftPhrase(60_000)).toBe('expires within the hour');
    expect(timeLeftPhrase(0)).toBe('expired');
    expect(timeLeftPhrase(-3 * DAY_MS)).toBe('expired 3 days ago');
  });
});

describe('planDue', () => {
  it('notifies only the most urgent passed threshold and records lesser ones silently', () => {
    const plan = planDue([candidate()], at(T - 2 * DAY_MS));
    expect(plan.notify).toEqual([
      expect.objectContaining({ rowId: 1, kind: 'threshold', thresholdDays: 7, msLeft: 2 * DAY_MS }),
    ]);
    expect(plan.record).toEqual([
      { rowId: 1, expiresAt: new Date(T).toISOString(), thresholdDays: 7, silent: false },
      { rowId: 1, expiresAt: new Date(T).toISOString(), thresholdDays: 14, silent: true },
      { rowId: 1, expiresAt: new Date(T).toISOString(), thresholdDays: 30, silent: true },
    ]);
  });

  it('notifies nothing when the most urgent passed threshold is already recorded, but records newly added lesser ones', () => {
    const plan = planDue(
      [candidate({ thresholds: [60, 30, 14, 7], recorded: new Map([[7, false]]) })],
      at(T - 2 * DAY_MS),
    );
    expect(plan.notify).toEqual([]);
    expect(plan.record.map((r) => [r.thresholdDays, r.silent])).toEqual([
      [14, true],
      [30, true],
      [60, true],
    ]);
  });

  it('skips dismissed and snoozed tokens without recording anything', () => {
    const now = at(T - 2 * DAY_MS);
    expect(planDue([candidate({ dismissed: true })], now)).toEqual({ notify: [], record: [], clearSnooze: [] });
    expect(
      planDue([candidate({ snoozedUntil: new Date(T - DAY_MS).toISOString(), snoozePending: true })], now),
    ).toEqual({
      notify: [],
      record: [],
      clearSnooze: [],
    });
  });

  it('a finished snooze reminds once even without a new threshold, and is cleared', () => {
    const plan = planDue(
      [
        candidate({
          recorded: new Map([
            [7, false],
            [14, false],
            [30, true],
          ]),
          snoozedUntil: new Date(T - 3 * DAY_MS).toISOString(),
          snoozePending: true,
        }),
      ],
      at(T - 2 * DAY_MS),
    );
    expect(plan.notify).toEqual([expect.objectContaining({ kind: 'snooze-ended', thresholdDays: 7 })]);
    expect(plan.record).toEqual([]);
    expect(plan.clearSnooze).toEqual([1]);
  });

  it('a token with no passed threshold is left alone', () => {
    expect(planDue([candidate()], at(T - 40 * DAY_MS))).toEqual({ notify: [], record: [], clearSnooze: [] });
    expect(planDue([candidate({ thresholds: [] })], at(T + DAY_MS))).toEqual({
      notify: [],
      record: [],
      clearSnooze: [],
    });
  });
});

describe('buildGroup', () => {
  it('one token: its name in the body, the time left in the title, the inventory link', () => {
    const [item] = planDue([candidate({ rowId: 42 })], at(T - DAY_MS)).notify;
    const group = buildGroup([item!], 'tick', at(T - DAY_MS))!;
    expect(group).toMatchObject({
      title: 'Vault token expires in 1 day',
      body: 'nightly etl — Acme (svc@acme.com)',
      hash: '#/inventory?tokens=42',
      reason: 'tick',
      firedAt: new Date(T - DAY_MS).toISOString(),
    });
  });

  it('many tokens: one group, three lines and a count of the rest', () => {
    const items = planDue(
      [1, 2, 3, 4, 5].map((rowId) =>
        candidate({ rowId, name: `t${rowId}`, expiresAt: new Date(T + rowId * DAY_MS).toISOString() }),
      ),
      at(T + 3.5 * DAY_MS),
    ).notify;
    const group = buildGroup(items, 'catch-up', at(T + 3.5 * DAY_MS))!;
    expect(group.items.map((i) => i.rowId)).toEqual([1, 2, 3, 4, 5]);
    expect(group.title).toBe('2 Vault tokens expiring, 3 Vault tokens expired');
    expect(group.body.split('\n')).toEqual([
      't1 (Acme): expired 2 days ago',
      't2 (Acme): expired 1 day ago',
      't3 (Acme): expired',
      'and 2 more',
    ]);
    expect(group.hash).toBe('#/inventory?tokens=1,2,3,4,5');
    expect(buildGroup([], 'tick', at(T))).toBeNull();
  });

  it('never carries anything shaped like a token value', () => {
    const items = planDue([candidate({ name: 'pasted veeva-vault-AbC123xyz by mistake' })], at(T)).notify;
    const group = buildGroup(items, 'tick', at(T))!;
    expect(JSON.stringify([group.title, group.body])).not.toContain('veeva-vault-');
    expect(group.body).toBe('pasted [REDACTED] by mistake — Acme (svc@acme.com)');
  });
});

describe('buildSummary', () => {
  it('counts expiring and expired (not dismissed) and finds the next reminder', () => {
    const now = at(T);
    const summary = buildSummary(
      [
        candidate({ rowId: 1, expiresAt: new Date(T + 3 * DAY_MS).toISOString() }),
        candidate({ rowId: 2, expiresAt: new Date(T - DAY_MS).toISOString() }),
        candidate({ rowId: 3, expiresAt: new Date(T + 20 * DAY_MS).toISOString() }),
        candidate({ rowId: 4, expiresAt: new Date(T + 2 * DAY_MS).toISOString(), dismissed: true }),
        candidate({
          rowId: 5,
          expiresAt: new Date(T + 5 * DAY_MS).toISOString(),
          snoozedUntil: new Date(T + 3_600_000).toISOString(),
        }),
      ],
      now,
      14,
    );
    expect(summary).toEqual({
      expiring: 2,
      expired: 1,
      attention: 3,
      snoozed: 1,
      dismissed: 1,
      expiringSoonDays: 14,
      nextReminderAt: new Date(T + 3_600_000).toISOString(),
    });
  });
});

describe('threshold parsing', () => {
  it('accepts comma-separated whole days 0–365 and sorts them, most distant first', () => {
    expect(parseThresholdsText('30, 14, 7, 1, 0')).toEqual({ ok: true, value: [30, 14, 7, 1, 0] });
    expect(parseThresholdsText(' 1,60 ,7, ')).toEqual({ ok: true, value: [60, 7, 1] });
    expect(parseThresholdsText('365,0')).toEqual({ ok: true, value: [365, 0] });
    expect(parseThresholdsText('')).toEqual({ ok: true, value: [] });
  });

  it('refuses anything else with a message', () => {
    expect(parseThresholdsText('7, 7')).toEqual({ ok: false, message: 'Each threshold once: 7 appears twice.' });
    expect(parseThresholdsText('366')).toMatchObject({ ok: false, message: 'Use at most 365 days.' });
    expect(parseThresholdsText('-1')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a whole number/),
    });
    expect(parseThresholdsText('1.5')).toMatchObject({ ok: false });
    expect(parseThresholdsText('seven')).toMatchObject({ ok: false });
    expect(parseThresholdsText('7,,1')).toMatchObject({ ok: false, message: expect.stringMatching(/single commas/) });
    expect(Thresholds.safeParse([1, 2, 1]).success).toBe(false);
    expect(Thresholds.safeParse(Array.from({ length: 21 }, (_, i) => i)).success).toBe(false);
  });
});

describe('desktop decisions', () => {
  const summary = (over: Partial<ReminderSummary> = {}): ReminderSummary => ({
    expiring: 0,
    expired: 0,
    attention: 0,
    snoozed: 0,
    dismissed: 0,
    expiringSoonDays: 14,
    nextReminderAt: null,
    ...over,
  });

  it('tray title and tooltip show the count of expiring and expired tokens', () => {
    expect(trayTitle(summary())).toBe('');
    expect(trayTitle(summary({ expiring: 2, expired: 1, attention: 3 }))).toBe('3');
    expect(trayTooltip(summary({ expiring: 2, expired: 1, attention: 3 }))).toBe(
      'Vault Token Desk — 2 expiring within 14 days, 1 expired',
    );
    expect(attentionLine(summary())).toBe('No tokens need attention');
  });

  it('start hidden when the OS launched the app at login', () => {
    expect(launchedAtLogin(['/opt/app', LOGIN_ARG], 'win32', false)).toBe(true);
    expect(launchedAtLogin(['/opt/app'], 'win32', false)).toBe(false);
    expect(launchedAtLogin(['/Applications/x'], 'darwin', true)).toBe(true);
    expect(launchedAtLogin(['/opt/app'], 'linux', true)).toBe(false);
  });

  it('closing hides to the tray only when asked, with a tray, and not while quitting', () => {
    expect(closeHidesWindow({ minimiseToTray: true, quitting: false, trayShown: true })).toBe(true);
    expect(closeHidesWindow({ minimiseToTray: true, quitting: true, trayShown: true })).toBe(false);
    expect(closeHidesWindow({ minimiseToTray: true, quitting: false, trayShown: false })).toBe(false);
    expect(closeHidesWindow({ minimiseToTray: false, quitting: false, trayShown: true })).toBe(false);
  });

  it('navigates only to screen-and-row-id hashes', () => {
    expect(SAFE_HASH.test('#/inventory?tokens=1,2,3')).toBe(true);
    expect(SAFE_HASH.test('#/inventory?rotate=7')).toBe(true);
    expect(SAFE_HASH.test('#/reminders')).toBe(true);
    expect(SAFE_HASH.test('#/x?y=1";alert(1)//')).toBe(false);
  });

  it('writes a Linux autostart entry with quoted arguments', () => {
    expect(
      linuxAutostartEntry({
        name: 'Vault Token Desk',
        exec: '/home/me/Apps/Vault Token Desk.AppImage',
        args: [LOGIN_ARG],
      }),
    ).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Name=Vault Token Desk',
        `Exec="/home/me/Apps/Vault Token Desk.AppImage" ${LOGIN_ARG}`,
        'X-GNOME-Autostart-enabled=true',
        'Terminal=false',
        '',
      ].join('\n'),
    );
  });
});
