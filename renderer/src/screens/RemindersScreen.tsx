import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { downloadText } from '../lib/download';
import {
  weekStartFromLocale,
  type BulkReminderAction,
  type LocaleWeekInfoSource,
  type SnoozeChoice,
  type UpcomingReminders,
  type UpcomingToken,
  type WeekStartDay,
} from '../../../shared/reminders';
import type { RequestIn } from '../../../shared/contract';
import { call, errorInfo, on } from '../lib/api';
import { count, plural } from '../lib/format';
import { useResource } from '../lib/use-resource';
import { Banner } from '../components/Banner';
import { EmptyState } from '../components/EmptyState';
import { LoadState } from '../components/LoadState';
import {
  buildReminderRows,
  vaultsIn,
  type ClientGroupOf,
  type GroupId,
  type ReminderFilter,
} from './reminders/reminder-rows';
import { GROUP_BY_CLIENT_STORAGE_KEY, useStoredFlag } from './reminders/use-stored-flag';
import { ReminderTable, type RowHandlers } from './reminders/ReminderTable';
import { BulkBar } from './reminders/BulkBar';
import { NudgeLine } from './reminders/NudgeLine';
import {
  ANY_GROUP,
  GroupFilterFields,
  groupFilterOf,
  hasGroups,
  type GroupChoice,
} from '../components/GroupFilterFields';
import { matchesGroup } from '../../../shared/connection-groups';
import '../styles/reminders-activity.css';

const WINDOWS = [30, 60, 90, 180, 365] as const;

/** The locale's first day of the week (shared/reminders.ts weekStartFromLocale), Monday where unknown. */
function localeWeekStart(): WeekStartDay {
  try {
    return weekStartFromLocale(new Intl.Locale(navigator.language) as Intl.Locale & LocaleWeekInfoSource);
  } catch {
    return 1;
  }
}

/** "30, 14, 7 and 1 days before expiry, and on the day". */
function thresholdsSentence(days: readonly number[]): string {
  const before = days.filter((d) => d > 0);
  const onDay = days.includes(0);
  if (!before.length) return onDay ? 'on the day a token expires' : 'never (no reminder days are set)';
  const list = before.length === 1 ? `${before[0]}` : `${before.slice(0, -1).join(', ')} and ${before.at(-1)}`;
  return `${list} day${before.length === 1 && before[0] === 1 ? '' : 's'} before a token expires${onDay ? ', and on the day' : ''}`;
}

type Notice = { tone: 'success' | 'error' | 'info'; text: string; undo?: { label: string; run: () => Promise<void> } };

/**
 * Upcoming expiries (issue 13 item 6): what is next first, by week in one table, expired and
 * dismissed tokens in collapsed groups, search and a Vault filter, and bulk snooze and dismiss.
 * Thousands of tokens cost what a few do: the table draws only the rows in view.
 */
export function RemindersScreen() {
  const [windowDays, setWindowDays] = useState<number>(90);
  const [weekStartsOn] = useState(localeWeekStart);
  const upcoming = useResource(
    () => call('reminders:upcoming', { days: windowDays, weekStartsOn }),
    [windowDays, weekStartsOn],
  );
  const [search, setSearch] = useState('');
  const [connectionId, setConnectionId] = useState('');
  const [group, setGroup] = useState<GroupChoice>(ANY_GROUP);
  const connections = useResource(() => call('connections:list'), [], { refreshOn: ['connections:changed'] });
  const [open, setOpen] = useState<ReadonlySet<GroupId>>(() => new Set());
  const [selected, setSelected] = useState<ReadonlySet<number>>(() => new Set());
  const [anchor, setAnchor] = useState<number | null>(null);
  const [focusedIndex, setFocusedIndex] = useState(-1);
  const [busy, setBusy] = useState<ReadonlySet<number>>(() => new Set());
  const [exporting, setExporting] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const { reload } = upcoming;

  useEffect(() => {
    const offChanged = on('reminders:changed', () => void reload());
    const offDue = on('reminders:due', () => void reload());
    return () => {
      offChanged();
      offDue();
    };
  }, [reload]);

  const data: UpcomingReminders | undefined = upcoming.data;
  const environmentOf = useMemo(() => {
    const byId = new Map((connections.data ?? []).map((c) => [c.id, c.environment]));
    return (connectionId: string) => byId.get(connectionId) ?? null;
  }, [connections.data]);
  const [groupByClient, setGroupByClient] = useStoredFlag(GROUP_BY_CLIENT_STORAGE_KEY);
  const groupOf: ClientGroupOf = useMemo(() => {
    const byId = new Map((connections.data ?? []).map((c) => [c.id, c]));
    return (connectionId: string) => byId.get(connectionId) ?? null;
  }, [connections.data]);
  const showGroups = hasGroups(connections.data ?? []);
  const clientOf = useCallback((connectionId: string) => groupOf(connectionId)?.client ?? null, [groupOf]);
  // Only while some connection has a client or environment: else there is nothing to group by.
  const grouping = groupByClient && showGroups;
  const deferredSearch = useDeferredValue(search);
  const filter: ReminderFilter = useMemo(() => {
    // A client group is a set of connections (issue 15): it narrows the list as connection ids.
    const inGroup =
      group.client === null && group.environment === null
        ? null
        : (connections.data ?? []).filter((c) => matchesGroup(c, groupFilterOf(group))).map((c) => c.id);
    const ids = connectionId ? (inGroup ? inGroup.filter((id) => id === connectionId) : [connectionId]) : inGroup;
    return { search: deferredSearch, connectionIds: ids };
  }, [deferredSearch, connectionId, group, connections.data]);
  const view = useMemo(
    () => (data ? buildReminderRows(data, filter, open, grouping ? groupOf : null) : null),
    [data, filter, open, grouping, groupOf],
  );
  const vaults = useMemo(() => (data ? vaultsIn(data) : []), [data]);

  // A new search, filter or answer: the selection keeps only tokens still listed.
  useEffect(() => {
    if (!view) return;
    setSelected((s) => {
      const kept = [...s].filter((id) => view.matching.has(id));
      return kept.length === s.size ? s : new Set(kept);
    });
    setFocusedIndex((i) => Math.min(i, view.rows.length - 1));
  }, [view]);

  const shownTokenIds = useMemo(
    () => (view ? view.rows.flatMap((r) => (r.kind === 'token' ? [r.token.rowId] : [])) : []),
    [view],
  );
  const headerCheck: 'all' | 'some' | 'none' =
    selected.size === 0
      ? 'none'
      : shownTokenIds.length > 0 && shownTokenIds.every((id) => selected.has(id))
        ? 'all'
        : 'some';

  const selectedInfo = useMemo(() => {
    let snoozed = 0;
    let dismissed = 0;
    for (const id of selected) {
      const m = view?.matching.get(id);
      if (!m) continue;
      if (m.group === 'dismissed') dismissed++;
      else if (m.token.snoozedUntil) snoozed++;
    }
    return { snoozed, dismissed };
  }, [selected, view]);

  const run = useCallback(
    async (rowIds: number[], work: () => Promise<Notice | null>) => {
      setBusy(new Set(rowIds));
      try {
        const next = await work();
        if (next) setNotice(next);
        await reload();
      } catch (error) {
        setNotice({ tone: 'error', text: errorInfo(error).message });
      } finally {
        setBusy(new Set());
      }
    },
    [reload],
  );

  /** One bulk call for any number of tokens: one transaction and one Activity entry in main. */
  const bulk = useCallback(
    (action: BulkReminderAction, rowIds: number[], until?: SnoozeChoice, single?: UpcomingToken) =>
      run(rowIds, async () => {
        const request: RequestIn<'reminders:bulk'> =
          action === 'snooze' ? { action, rowIds, until: until ?? '1d' } : { action, rowIds };
        const result = await call('reminders:bulk', request);
        const changedIds = rowIds.filter((id) => !result.skipped.some((s) => s.rowId === id));
        const who = single ? single.name : plural(result.changed, 'token');
        const skipped = result.skipped.length
          ? ` ${plural(result.skipped.length, 'token')} left as they were (${[...new Set(result.skipped.map((s) => s.reason))].join('; ')}).`
          : '';
        if (!result.changed) return { tone: 'info', text: `Nothing changed.${skipped}` };
        const undoAction: Partial<Record<BulkReminderAction, 'unsnooze' | 'undismiss'>> = {
          snooze: 'unsnooze',
          dismiss: 'undismiss',
        };
        const undo = undoAction[action];
        const text: Record<BulkReminderAction, string> = {
          snooze: `Reminders for ${who} snoozed.`,
          unsnooze: `Reminders for ${who} are back on.`,
          dismiss: `No more reminders for ${who} unless ${single || result.changed === 1 ? 'its' : 'their'} expiry changes.`,
          undismiss: `Reminders for ${who} are back on.`,
        };
        if (action === 'dismiss' || action === 'undismiss') setSelected(new Set());
        return {
          tone: 'success',
          text: text[action] + skipped,
          ...(undo
            ? {
                undo: {
                  label: 'Undo',
                  run: async () => {
                    await call('reminders:bulk', { action: undo, rowIds: changedIds });
                  },
                },
              }
            : {}),
        };
      }),
    [run],
  );

  const latest = useRef({ view, anchor, bulk });
  latest.current = { view, anchor, bulk };
  const handlers: RowHandlers = useMemo(
    () => ({
      focus: (index) => setFocusedIndex(index),
      toggle: (index, rowId, range) => {
        const { view: v, anchor: a } = latest.current;
        if (range && a !== null && v) {
          const [from, to] = a < index ? [a, index] : [index, a];
          setSelected((s) => {
            const next = new Set(s);
            for (let i = from; i <= to; i++) {
              const r = v.rows[i];
              if (r?.kind === 'token') next.add(r.token.rowId);
            }
            return next;
          });
        } else {
          setSelected((s) => {
            const next = new Set(s);
            if (next.has(rowId)) next.delete(rowId);
            else next.add(rowId);
            return next;
          });
          setAnchor(index);
        }
      },
      toggleGroup: (group) =>
        setOpen((o) => {
          const next = new Set(o);
          if (next.has(group)) next.delete(group);
          else next.add(group);
          return next;
        }),
      snooze: (t, until) => void latest.current.bulk('snooze', [t.rowId], until, t),
      unsnooze: (t) => void latest.current.bulk('unsnooze', [t.rowId], undefined, t),
      dismiss: (t) => void latest.current.bulk('dismiss', [t.rowId], undefined, t),
      undismiss: (t) => void latest.current.bulk('undismiss', [t.rowId], undefined, t),
    }),
    [],
  );

  const exportCalendar = async () => {
    setExporting(true);
    try {
      const file = await call('calendar:export');
      downloadText(file.filename, file.content, 'text/calendar;charset=utf-8');
      setNotice({
        tone: 'success',
        text: `Saved ${file.filename}: ${plural(file.events, 'expiry', 'expiries')} with an alarm for each reminder day.`,
      });
    } catch (error) {
      setNotice({ tone: 'error', text: errorInfo(error).message });
    } finally {
      setExporting(false);
    }
  };

  const bulkSelected = (action: BulkReminderAction, until?: SnoozeChoice) => {
    const ids = [...selected].filter((id) => {
      const m = view?.matching.get(id);
      if (!m) return false;
      // Dismissed tokens take "remind again" only; the others every other action.
      return action === 'undismiss' ? m.group === 'dismissed' : m.group !== 'dismissed';
    });
    if (ids.length) void bulk(action, ids, until);
  };

  const nothing = data && data.expired.length === 0 && data.weeks.length === 0 && data.dismissed.length === 0;
  const filtered = Boolean(filter.search.trim() || filter.connectionIds);

  return (
    <section className="screen screen--fill rem-screen" aria-labelledby="reminders-title">
      <header className="screen__header rem-header">
        <div>
          <h1 id="reminders-title">Reminders</h1>
          <p className="muted" id="reminders-summary">
            {view && data
              ? `Showing expiries in the next ${data.windowDays} days: ${plural(view.counts.coming, 'token')}, ${count(view.counts.expiringSoon)} of them within ${data.expiringSoonDays} days (“expiring soon”). ${count(view.counts.expired)} already expired.`
              : '\u00a0'}
          </p>
          <p className="muted rem-small">
            {data
              ? `Reminders are sent ${thresholdsSentence(data.defaultThresholds)}. Some connections may have their own days (Settings).`
              : '\u00a0'}
          </p>
          <NudgeLine />
        </div>
        <div className="reminders__toolbar">
          <button
            type="button"
            className="btn"
            onClick={() => void exportCalendar()}
            disabled={exporting || !data || data.weeks.length === 0}
          >
            {exporting ? 'Exporting…' : 'Export to calendar (.ics)'}
          </button>
          <a className="btn btn--ghost" href="#/settings">
            Reminder settings
          </a>
        </div>
      </header>

      <div className="rem-filters" role="search" aria-label="Filter reminders">
        <input
          type="search"
          className="rem-input rem-search"
          placeholder="Search name, token id, Vault, owner"
          aria-label="Search reminders"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <label className="rem-inline">
          <span>Vault</span>
          <select
            className="rem-input"
            aria-label="Vault"
            value={connectionId}
            onChange={(e) => setConnectionId(e.target.value)}
          >
            <option value="">All Vaults ({count(vaults.length)})</option>
            {vaults.map((v) => (
              <option key={v.connectionId} value={v.connectionId}>
                {v.name} ({count(v.count)})
              </option>
            ))}
          </select>
        </label>
        {showGroups ? (
          <>
            <GroupFilterFields connections={connections.data ?? []} value={group} onChange={setGroup} />
            <label className="check rem-inline" title="Within each week, by client, environment, then expiry">
              <input type="checkbox" checked={groupByClient} onChange={(e) => setGroupByClient(e.target.checked)} />
              Group by client
            </label>
          </>
        ) : null}
        <label className="rem-inline">
          <span>Show expiries in the next</span>
          <select
            className="rem-input"
            aria-label="Show expiries in the next"
            value={windowDays}
            onChange={(e) => setWindowDays(Number(e.target.value))}
          >
            {WINDOWS.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </label>
      </div>

      {notice ? (
        <Banner
          tone={notice.tone}
          title={notice.tone === 'error' ? 'That did not work' : 'Done'}
          action={
            <>
              {notice.undo ? (
                <button
                  type="button"
                  className="btn"
                  onClick={() => {
                    const undo = notice.undo!;
                    setNotice(null);
                    undo
                      .run()
                      .then(() => reload())
                      .catch((error: unknown) => setNotice({ tone: 'error', text: errorInfo(error).message }));
                  }}
                >
                  {notice.undo.label}
                </button>
              ) : null}
              <button type="button" className="btn btn--ghost" onClick={() => setNotice(null)}>
                Close
              </button>
            </>
          }
        >
          {notice.text}
        </Banner>
      ) : null}

      <LoadState
        resource={upcoming}
        what="reminders"
        isEmpty={() => Boolean(nothing)}
        empty={
          <EmptyState
            title={`Nothing expires in the next ${windowDays} days`}
            action={
              <a className="btn" href="#/inventory">
                Open the inventory
              </a>
            }
          >
            Tokens that never expire, revoked tokens and imported tokens are not listed here. Sync your connections to
            bring in new tokens.
          </EmptyState>
        }
      >
        {() =>
          view && view.rows.length === 0 && filtered ? (
            <EmptyState
              title="No reminders match"
              action={
                <button
                  type="button"
                  className="btn"
                  onClick={() => {
                    setSearch('');
                    setConnectionId('');
                    setGroup(ANY_GROUP);
                  }}
                >
                  Clear the search and filter
                </button>
              }
            />
          ) : view ? (
            <>
              <BulkBar
                selected={selected.size}
                snoozed={selectedInfo.snoozed}
                dismissed={selectedInfo.dismissed}
                busy={busy.size > 0}
                onAction={bulkSelected}
                onClear={() => setSelected(new Set())}
              />
              <ReminderTable
                label="Reminders by week"
                environmentOf={environmentOf}
                clientOf={grouping ? clientOf : undefined}
                rows={view.rows}
                heights={view.heights}
                isSelected={(id) => selected.has(id)}
                isBusy={(id) => busy.has(id)}
                headerCheck={headerCheck}
                onHeaderCheck={() => setSelected(headerCheck === 'all' ? new Set() : new Set(shownTokenIds))}
                focusedIndex={focusedIndex}
                handlers={handlers}
                onSelectAllShown={() => setSelected(new Set(shownTokenIds))}
                onClearSelection={() => setSelected(new Set())}
                onExtend={(from, to) => {
                  const [a, b] = from < to ? [from, to] : [to, from];
                  setSelected((s) => {
                    const next = new Set(s);
                    for (let i = a; i <= b; i++) {
                      const r = view.rows[i];
                      if (r?.kind === 'token') next.add(r.token.rowId);
                    }
                    return next;
                  });
                }}
                onRotate={(t) => {
                  window.location.hash = `#/inventory?rotate=${t.rowId}`;
                }}
                weekStartsOn={weekStartsOn}
              />
            </>
          ) : null
        }
      </LoadState>
    </section>
  );
}
