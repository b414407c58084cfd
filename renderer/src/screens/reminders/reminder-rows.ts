/**
 * The Reminders table as one flat list of rows (issue 13 item 6): what is next first, by week,
 * with expired and dismissed tokens in groups that open on request. One list, so one table
 * and one set of columns for every week (the headings are rows of that table), and so the
 * table can draw only the rows in view (lib/use-virtual-rows.ts).
 */
import type { UpcomingReminders, UpcomingToken } from '../../../../shared/reminders';
import { CONNECTION_ENVIRONMENTS, type ConnectionEnvironment } from '../../../../shared/domain';
import { clientKey } from '../../../../shared/connection-groups';

/**
 * What narrows the list. `connectionIds` null = every Vault. The client-group filter (issue 15)
 * is a set of connections, so it lands here as `connectionIds` too (RemindersScreen resolves it).
 */
export interface ReminderFilter {
  search: string;
  connectionIds: readonly string[] | null;
}

export const NO_FILTER: ReminderFilter = { search: '', connectionIds: null };

export function matches(token: UpcomingToken, filter: ReminderFilter, needle = filter.search.trim().toLowerCase()) {
  if (filter.connectionIds && !filter.connectionIds.includes(token.connectionId)) return false;
  if (!needle) return true;
  return (
    token.name.toLowerCase().includes(needle) ||
    token.tokenId.toLowerCase().includes(needle) ||
    token.connectionName.toLowerCase().includes(needle) ||
    token.vaultDns.toLowerCase().includes(needle) ||
    (token.userName?.toLowerCase().includes(needle) ?? false)
  );
}

export type GroupId = 'expired' | 'dismissed';
export type TokenGroup = 'coming' | GroupId;

export type ReminderRow =
  | { kind: 'group'; key: string; group: GroupId; count: number; open: boolean }
  | { kind: 'week'; key: string; weekStart: string; weekEnd: string; count: number }
  | { kind: 'token'; key: string; token: UpcomingToken; group: TokenGroup };

export const TOKEN_ROW_HEIGHT = 46;
export const HEADING_ROW_HEIGHT = 36;

export interface ReminderRows {
  rows: ReminderRow[];
  heights: number[];
  /** Every token that matches the filter, in any group (open or not), by row id. */
  matching: Map<number, { token: UpcomingToken; group: TokenGroup }>;
  counts: { coming: number; expiringSoon: number; expired: number; dismissed: number };
}

/**
 * Expired first as ONE collapsed line with its count (so the list opens on what is next), then
 * every week with its tokens, soonest first, then the dismissed ones, collapsed too.
 */
export function buildReminderRows(
  data: UpcomingReminders,
  filter: ReminderFilter,
  open: ReadonlySet<GroupId>,
  byClient: ClientGroupOf | null = null,
): ReminderRows {
  const needle = filter.search.trim().toLowerCase();
  const order = byClient ? clientOrder(byClient) : null;
  const keep = (t: UpcomingToken) => matches(t, filter, needle);
  // Grouped by client: within each week (expired and dismissed keep their own order).
  const pick = (tokens: readonly UpcomingToken[]) => {
    const shown = tokens.filter(keep);
    return order ? shown.sort(order) : shown;
  };
  const rows: ReminderRow[] = [];
  const matching = new Map<number, { token: UpcomingToken; group: TokenGroup }>();
  const counts = { coming: 0, expiringSoon: 0, expired: 0, dismissed: 0 };

  const group = (id: GroupId, tokens: readonly UpcomingToken[]) => {
    const shown = tokens.filter(keep);
    counts[id] = shown.length;
    for (const token of shown) matching.set(token.rowId, { token, group: id });
    if (!shown.length) return;
    const isOpen = open.has(id);
    rows.push({ kind: 'group', key: `group-${id}`, group: id, count: shown.length, open: isOpen });
    if (isOpen) for (const token of shown) rows.push({ kind: 'token', key: `t-${token.rowId}`, token, group: id });
  };

  group('expired', data.expired);
  for (const week of data.weeks) {
    const shown = pick(week.tokens);
    if (!shown.length) continue;
    counts.coming += shown.length;
    rows.push({
      kind: 'week',
      key: `week-${week.weekStart}`,
      weekStart: week.weekStart,
      weekEnd: week.weekEnd,
      count: shown.length,
    });
    for (const token of shown) {
      if (token.status === 'expiring') counts.expiringSoon++;
      matching.set(token.rowId, { token, group: 'coming' });
      rows.push({ kind: 'token', key: `t-${token.rowId}`, token, group: 'coming' });
    }
  }
  group('dismissed', data.dismissed);

  const heights = rows.map((r) => (r.kind === 'token' ? TOKEN_ROW_HEIGHT : HEADING_ROW_HEIGHT));
  return { rows, heights, matching, counts };
}

/** A connection's client group (issue 15), or null for a connection not known (yet). */
export type ClientGroupOf = (
  connectionId: string,
) => { client: string | null; environment: ConnectionEnvironment | null } | null;

const ENV_RANK = new Map<ConnectionEnvironment, number>(CONNECTION_ENVIRONMENTS.map((e, i) => [e, i]));

/**
 * "Group by client": within a week, tokens by client
 * (without case; none last), then environment (DEV … PROD, sandbox, other; none last), then
 * expiry, as in the inventory's Client sort (electron/tokens/inventory-index.ts). The weeks
 * stay as headings, so the table keeps one set of columns.
 */
export function clientOrder(groupOf: ClientGroupOf): (a: UpcomingToken, b: UpcomingToken) => number {
  const keys = new Map<string, { client: string | null; env: number }>();
  const keyOf = (connectionId: string) => {
    let k = keys.get(connectionId);
    if (!k) {
      const g = groupOf(connectionId);
      k = {
        client: g?.client ? clientKey(g.client) : null,
        env: g?.environment ? ENV_RANK.get(g.environment)! : CONNECTION_ENVIRONMENTS.length,
      };
      keys.set(connectionId, k);
    }
    return k;
  };
  return (a, b) => {
    const x = keyOf(a.connectionId);
    const y = keyOf(b.connectionId);
    if (x.client !== y.client) {
      if (x.client === null) return 1;
      if (y.client === null) return -1;
      // Distinct clients never compare equal, so each stays one run of rows.
      return x.client.localeCompare(y.client, 'en') || (x.client < y.client ? -1 : 1);
    }
    return x.env - y.env || a.expiresAt.localeCompare(b.expiresAt) || a.rowId - b.rowId;
  };
}

/** The Vaults the list mentions, by name, with how many tokens each has in it (for the Vault filter). */
export function vaultsIn(data: UpcomingReminders): { connectionId: string; name: string; count: number }[] {
  const byId = new Map<string, { connectionId: string; name: string; count: number }>();
  for (const t of [...data.expired, ...data.weeks.flatMap((w) => w.tokens), ...data.dismissed]) {
    const v = byId.get(t.connectionId);
    if (v) v.count++;
    else byId.set(t.connectionId, { connectionId: t.connectionId, name: t.connectionName, count: 1 });
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}
