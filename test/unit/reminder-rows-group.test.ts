/** Reminders "Group by client" (issue 15, item 3): renderer/src/screens/reminders/reminder-rows.ts. */
import { describe, expect, it } from 'vitest';
import { NO_FILTER, buildReminderRows, type ClientGroupOf } from '../../renderer/src/screens/reminders/reminder-rows';
import type { UpcomingReminders, UpcomingToken } from '../../shared/reminders';
import type { ConnectionEnvironment } from '../../shared/domain';

let nextId = 1;
function token(connectionId: string, expiresAt: string): UpcomingToken {
  const rowId = nextId++;
  return {
    rowId,
    tokenId: `0PI${rowId}`,
    name: `token ${rowId}`,
    connectionId,
    connectionName: `Vault ${connectionId}`,
    vaultDns: `${connectionId}.veevavault.com`,
    userName: null,
    expiresAt,
    status: 'later',
    daysLeft: 10,
    thresholds: [7],
    thresholdsSource: 'default',
    nextThresholdDays: 7,
    nextThresholdAt: expiresAt,
    lastNotifiedDays: null,
    snoozedUntil: null,
    dismissed: false,
  };
}

const GROUPS: Record<string, { client: string | null; environment: ConnectionEnvironment | null }> = {
  zprod: { client: 'Zeta', environment: 'PROD' },
  adev: { client: 'acme', environment: 'DEV' },
  aprod: { client: 'Acme', environment: 'PROD' },
  anone: { client: 'Acme', environment: null },
  none: { client: null, environment: 'QA' },
};
const groupOf: ClientGroupOf = (id) => GROUPS[id] ?? null;

function data(): UpcomingReminders {
  const week1 = [
    token('none', '2026-06-02T09:00:00.000Z'),
    token('zprod', '2026-06-02T10:00:00.000Z'),
    token('aprod', '2026-06-03T10:00:00.000Z'),
    token('adev', '2026-06-04T10:00:00.000Z'),
    token('aprod', '2026-06-02T11:00:00.000Z'),
    token('anone', '2026-06-02T08:00:00.000Z'),
    token('gone', '2026-06-02T07:00:00.000Z'),
  ];
  const week2 = [token('zprod', '2026-06-08T10:00:00.000Z'), token('adev', '2026-06-09T10:00:00.000Z')];
  return {
    generatedAt: '2026-06-01T00:00:00.000Z',
    windowDays: 90,
    expiringSoonDays: 14,
    defaultThresholds: [7],
    expired: [token('zprod', '2026-05-30T10:00:00.000Z'), token('adev', '2026-05-20T10:00:00.000Z')],
    weeks: [
      { weekStart: '2026-06-01', weekEnd: '2026-06-07', tokens: week1 },
      { weekStart: '2026-06-08', weekEnd: '2026-06-14', tokens: week2 },
    ],
    dismissed: [],
  };
}

/** Each week heading, then its tokens as "connection expiry-day-hour". */
function outline(view: ReturnType<typeof buildReminderRows>): string[] {
  return view.rows.map((r) =>
    r.kind === 'token' ? `${r.token.connectionId} ${r.token.expiresAt.slice(8, 13)}` : `# ${r.key}`,
  );
}

describe('reminder rows: group by client', () => {
  it('orders each week by client (any case, none last), environment (none last), then expiry', () => {
    const d = data();
    const view = buildReminderRows(d, NO_FILTER, new Set(['expired']), groupOf);
    expect(outline(view)).toEqual([
      '# group-expired',
      // Expired keeps its own order: most recently expired first.
      'zprod 30T10',
      'adev 20T10',
      '# week-2026-06-01',
      'adev 04T10', // acme DEV and Acme PROD: one client, whatever the case
      'aprod 02T11',
      'aprod 03T10',
      'anone 02T08',
      'zprod 02T10',
      'none 02T09', // no client: last; a connection not known at all has no environment either
      'gone 02T07',
      '# week-2026-06-08',
      'adev 09T10',
      'zprod 08T10',
    ]);
    // The same rows and counts as ungrouped: only their order within a week changes.
    const flat = buildReminderRows(d, NO_FILTER, new Set(['expired']));
    expect(view.counts).toEqual(flat.counts);
    expect(view.rows.map((r) => r.key).sort()).toEqual(flat.rows.map((r) => r.key).sort());
    expect(outline(flat).slice(4, 6)).toEqual(['none 02T09', 'zprod 02T10']);
    // The data handed in is not reordered.
    expect(d.weeks[0]!.tokens[0]!.connectionId).toBe('none');
  });

  it('still filters while grouped', () => {
    const view = buildReminderRows(data(), { search: '', connectionIds: ['aprod', 'zprod'] }, new Set(), groupOf);
    expect(outline(view)).toEqual([
      '# group-expired',
      '# week-2026-06-01',
      'aprod 02T11',
      'aprod 03T10',
      'zprod 02T10',
      '# week-2026-06-08',
      'zprod 08T10',
    ]);
  });
});
