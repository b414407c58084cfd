/**
 * The .ics export, read back with an independent parser (node-ical): one
 * event per token at its expiry instant, stable UIDs, one alarm per threshold
 * at the right offset, and never a token value.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import ical, { type VAlarm, type VEvent } from 'node-ical';
import { openDatabase, type Db } from '../../electron/store/database';
import { createReminders } from '../../electron/reminders';
import { buildCalendar, calendarUid } from '../../electron/reminders/calendar';
import { AppError } from '../../shared/errors';
import { tempDir } from '../helpers/temp-dir';

const DAY = 86_400_000;
const NOW = Date.parse('2026-05-01T09:00:00.000Z');

let dir: ReturnType<typeof tempDir> | undefined;
let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
  dir?.cleanup();
  dir = undefined;
});

function setup() {
  dir = tempDir('vtd-calendar-');
  db = openDatabase(join(dir.path, 'cal.sqlite'));
  const clock = { now: () => new Date(NOW) };
  const reminders = createReminders({ db, clock });
  for (const [id, name] of [
    ['c1', 'Acme PromoMats'],
    ['c2', 'Beta QualityDocs'],
  ] as const) {
    db.prepare(
      `INSERT INTO connections (id, name, dns, username, auth_method, created_at, updated_at)
       VALUES (?, ?, ?, 'svc@acme.com', 'password', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
    ).run(id, name, `${id}.veevavault.com`);
  }
  return { db, reminders, service: reminders.service };
}

function addToken(
  d: Db,
  seed: {
    connectionId?: string | null;
    tokenId: string;
    name: string;
    expiresAt: string | null;
    lifecycle?: string;
    source?: string;
    readOnly?: number;
    userName?: string;
  },
): number {
  const connectionId = seed.connectionId === undefined ? 'c1' : seed.connectionId;
  const connectionName =
    connectionId === 'c2' ? 'Beta QualityDocs' : connectionId === 'c1' ? 'Acme PromoMats' : 'Exported elsewhere';
  return Number(
    d
      .prepare(
        `INSERT INTO tokens (connection_id, connection_name, vault_dns, token_id, name, user_id, user_name, lifecycle, expires_at,
                             source, read_only, first_seen_at, updated_at, search_text)
         VALUES (?, ?, ?, ?, ?, '61234', ?, ?, ?, ?, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', ?)`,
      )
      .run(
        connectionId,
        connectionName,
        `${connectionId ?? 'other'}.veevavault.com`,
        seed.tokenId,
        seed.name,
        seed.userName ?? 'svc@acme.com',
        seed.lifecycle ?? 'active',
        seed.expiresAt,
        seed.source ?? 'sync',
        seed.readOnly ?? 0,
        seed.tokenId.toLowerCase(),
      ).lastInsertRowid,
  );
}

function events(content: string): VEvent[] {
  return Object.values(ical.sync.parseICS(content)).filter((c): c is VEvent => c?.type === 'VEVENT');
}

/** A VALARM trigger → the instant it fires, for an event starting at `start`. */
function triggerInstant(alarm: VAlarm, start: Date): number {
  const trigger = alarm.trigger as unknown;
  if (typeof trigger === 'string') {
    const m = /^(-)?PT(\d+)H$/.exec(trigger);
    if (!m) throw new Error(`unexpected relative trigger ${trigger}`);
    return start.getTime() + (m[1] ? -1 : 1) * Number(m[2]) * 3_600_000;
  }
  const { params, val } = trigger as { params: { VALUE?: string }; val: string };
  expect(params.VALUE).toBe('DATE-TIME');
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(val)!;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

describe('calendar export', () => {
  it('has one event per token at its expiry instant, with a stable UID, summary and description', () => {
    const { db: d, service } = setup();
    const a = '2026-05-20T23:59:59.000Z';
    const b = '2026-07-04T16:30:00.000Z';
    addToken(d, { tokenId: 'V8T000000000A01', name: 'nightly, etl; loader', expiresAt: a });
    addToken(d, { connectionId: 'c2', tokenId: 'V8T000000000B01', name: 'ci', expiresAt: b, userName: 'ci@beta.com' });

    const file = service.exportCalendar();
    expect(file.filename).toBe('vault-token-expiries-2026-05-01.ics');
    expect(file.events).toBe(2);
    const parsed = events(file.content);
    expect(parsed).toHaveLength(2);
    const byUid = new Map(parsed.map((e) => [e.uid, e]));
    const ea = byUid.get('V8T000000000A01@c1.veevavault.com.vault-token-desk')!;
    const eb = byUid.get('V8T000000000B01@c2.veevavault.com.vault-token-desk')!;
    expect(ea.start.toISOString()).toBe('2026-05-20T23:59:59.000Z');
    expect(eb.start.toISOString()).toBe('2026-07-04T16:30:00.000Z');
    expect(ea.start.dateOnly).toBeFalsy(); // timed, not all-day
    expect(ea.summary).toBe('Vault token expires: nightly, etl; loader (Acme PromoMats)');
    expect(eb.summary).toBe('Vault token expires: ci (Beta QualityDocs)');
    // The DNS is still there, in the description and the UID.
    expect(eb.description).toContain('Vault: c2.veevavault.com');
    expect(eb.description).toContain('Connection: Beta QualityDocs');
    expect(eb.description).toContain('User: ci@beta.com');
    expect(eb.description).toContain('Token id: V8T000000000B01');
    expect(new Date(ea.dtstamp as unknown as string).getTime()).toBe(NOW);

    // Same UIDs next time: re-importing updates events instead of duplicating them.
    expect(
      events(service.exportCalendar().content)
        .map((e) => e.uid)
        .sort(),
    ).toEqual([...byUid.keys()].sort());
  });

  it('has one alarm per threshold, N × 24 h before expiry (0 = at expiry), per connection override too', () => {
    const { db: d, service } = setup();
    const exp = '2026-06-15T23:59:59.000Z';
    addToken(d, { tokenId: 'V8T000000000A01', name: 'etl', expiresAt: exp });
    addToken(d, { connectionId: 'c2', tokenId: 'V8T000000000B01', name: 'ci', expiresAt: exp });
    service.setConnectionThresholds('c2', [10, 2]);

    const parsed = events(service.exportCalendar().content);
    const check = (uid: string, days: number[]) => {
      const event = parsed.find((e) => e.uid === uid)!;
      const alarms = event.alarms ?? [];
      expect(alarms).toHaveLength(days.length);
      expect(alarms.map((al) => al.action)).toEqual(days.map(() => 'DISPLAY'));
      expect(alarms.map((al) => triggerInstant(al, event.start))).toEqual(days.map((n) => Date.parse(exp) - n * DAY));
    };
    check('V8T000000000A01@c1.veevavault.com.vault-token-desk', [30, 14, 7, 1, 0]);
    check('V8T000000000B01@c2.veevavault.com.vault-token-desk', [10, 2]);
    // Relative triggers are valid RFC 5545 durations (no dangling "T").
    expect(service.exportCalendar().content).toMatch(/^TRIGGER:-PT720H\r$/m);
    expect(service.exportCalendar().content).toMatch(/^TRIGGER;VALUE=DATE-TIME:20260615T235959Z\r$/m);
    expect(service.exportCalendar().content).not.toMatch(/^TRIGGER:-?P\d*D?T\r$/m);
  });

  it('carries only the alarms still to come: a threshold already passed at export time is left out', () => {
    const { db: d, service } = setup();
    // NOW is 2026-05-01T09:00Z. In 10 days: the 30- and 14-day reminders are past, 7, 1 and 0 are not.
    const soon = new Date(NOW + 10 * DAY).toISOString();
    addToken(d, { tokenId: 'SOON', name: 'soon', expiresAt: soon });
    // Exactly 7 days away: the 7-day alarm would fire at NOW itself, which is not in the future.
    const week = new Date(NOW + 7 * DAY).toISOString();
    addToken(d, { tokenId: 'WEEK', name: 'week', expiresAt: week });
    const parsed = events(service.exportCalendar().content);
    const offsets = (uid: string) => {
      const event = parsed.find((e) => e.uid === `${uid}@c1.veevavault.com.vault-token-desk`)!;
      return (event.alarms ?? []).map(
        (al) => (Date.parse(event.start.toISOString()) - triggerInstant(al, event.start)) / DAY,
      );
    };
    expect(offsets('SOON')).toEqual([7, 1, 0]);
    expect(offsets('WEEK')).toEqual([1, 0]);
    for (const event of parsed)
      for (const al of event.alarms ?? []) expect(triggerInstant(al, event.start)).toBeGreaterThan(NOW);
  });

  it('an expired token chosen by row keeps its event but has no alarm left', () => {
    const { db: d, service } = setup();
    const expired = addToken(d, { tokenId: 'OLD', name: 'old', expiresAt: new Date(NOW - DAY).toISOString() });
    const [event] = events(service.exportCalendar([expired]).content);
    expect(event!.uid).toBe('OLD@c1.veevavault.com.vault-token-desk');
    expect(event!.alarms ?? []).toEqual([]);
    expect(service.exportCalendar([expired]).content).not.toContain('BEGIN:VALARM');
  });

  it('leaves out revoked, never-expiring, imported, dismissed and already expired tokens by default', () => {
    const { db: d, service } = setup();
    const keep = addToken(d, { tokenId: 'KEEP', name: 'keep', expiresAt: '2026-06-01T00:00:00.000Z' });
    addToken(d, { tokenId: 'REV', name: 'revoked', expiresAt: '2026-06-01T00:00:00.000Z', lifecycle: 'revoked' });
    addToken(d, { tokenId: 'NEVER', name: 'never', expiresAt: null });
    addToken(d, {
      connectionId: null,
      tokenId: 'IMP',
      name: 'imported',
      expiresAt: '2026-06-01T00:00:00.000Z',
      source: 'import',
      readOnly: 1,
    });
    const dismissed = addToken(d, { tokenId: 'DIS', name: 'dismissed', expiresAt: '2026-06-01T00:00:00.000Z' });
    const expired = addToken(d, { tokenId: 'OLD', name: 'old', expiresAt: '2026-04-01T00:00:00.000Z' });
    service.dismiss(dismissed);

    expect(events(service.exportCalendar().content).map((e) => e.uid)).toEqual([
      'KEEP@c1.veevavault.com.vault-token-desk',
    ]);
    // Chosen rows: those that can remind, expired ones included.
    expect(
      events(service.exportCalendar([keep, expired]).content)
        .map((e) => e.uid)
        .sort(),
    ).toEqual(['KEEP@c1.veevavault.com.vault-token-desk', 'OLD@c1.veevavault.com.vault-token-desk']);
  });

  it('refuses an export with nothing in it', () => {
    const { db: d, service } = setup();
    const revoked = addToken(d, {
      tokenId: 'REV',
      name: 'revoked',
      expiresAt: '2026-06-01T00:00:00.000Z',
      lifecycle: 'revoked',
    });
    expect(() => service.exportCalendar()).toThrow(AppError);
    expect(() => service.exportCalendar([revoked])).toThrow(/None of the chosen tokens/);
  });

  it('contains no token value, even one pasted into a token name', () => {
    const { db: d, service } = setup();
    addToken(d, {
      tokenId: 'V8T000000000A01',
      name: 'prod veeva-vault-3fa85f64-5717-4562-b3fc-2c963f66afa6 copy',
      expiresAt: '2026-06-01T00:00:00.000Z',
    });
    const content = service.exportCalendar().content;
    expect(content).not.toContain('veeva-vault-');
    expect(content).not.toContain('3fa85f64');
    expect(events(content)).toHaveLength(1);
    expect(events(content)[0]!.summary).toBe('Vault token expires: prod [REDACTED] copy (Acme PromoMats)');
  });

  it('builds directly from token metadata (no database) with RFC 5545 line endings and folding', () => {
    const longName = 'x'.repeat(200);
    const file = buildCalendar(
      [
        {
          rowId: 1,
          tokenId: 'V8T000000000Z01',
          name: longName,
          connectionId: 'c1',
          connectionName: 'Acme',
          vaultDns: 'acme.veevavault.com:8443',
          userName: null,
          expiresAt: '2026-12-31T23:59:59.000Z',
          thresholds: [7, 0],
        },
      ],
      new Date(NOW),
    );
    expect(file.content.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(file.content.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    const [event] = events(file.content);
    expect(event!.uid).toBe(calendarUid({ tokenId: 'V8T000000000Z01', vaultDns: 'acme.veevavault.com:8443' }));
    expect(event!.summary).toBe(`Vault token expires: ${longName} (Acme)`);
    expect(event!.description).toContain('User: unknown');
  });
});
