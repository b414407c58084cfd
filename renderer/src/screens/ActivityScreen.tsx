import { useEffect, useMemo, useState } from 'react';
import { format } from 'date-fns';
import type { RequestIn } from '../../../shared/contract';
import type { AuditListEntry } from '../../../shared/contract/app';
import { auditActionsByCategory, auditLabel, readableDetail, type AuditCategory } from '../../../shared/audit-labels';
import { call, errorInfo } from '../lib/api';
import { useResource } from '../lib/use-resource';
import { useDebounced } from '../lib/use-debounced';
import { replaceHashParams, useHashRoute } from '../lib/hash-route';
import { Banner } from '../components/Banner';
import { EmptyState } from '../components/EmptyState';
import { LoadState } from '../components/LoadState';
import { ActivityTable } from './activity/ActivityTable';
import '../styles/reminders-activity.css';

const PAGE = 200;
const CATEGORY_PREFIX = 'category:';

/** `yyyy-MM-dd` (a local calendar day) → the ISO instant it starts; `plusDays` 1 for the day after. */
function dayStart(day: string, plusDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The action select's value → the actions to ask for (one action, or every action of a category). */
function actionsFor(value: string): string[] | undefined {
  if (!value) return undefined;
  if (value.startsWith(CATEGORY_PREFIX)) {
    const category = value.slice(CATEGORY_PREFIX.length) as AuditCategory;
    return auditActionsByCategory().find((g) => g.category === category)?.actions;
  }
  return [value];
}

/**
 * The audit log (issue 13 item 8): labels people read, owners by name, filters by connection,
 * action and date plus a search (all applied in SQL by main), newest first, paged. Opened as
 * `#/activity?token=<id>&connection=<id>` it shows one token's history (the token drawer's link).
 */
export function ActivityScreen() {
  const route = useHashRoute();
  const tokenId = route.screen === 'activity' ? route.params.get('token') : null;
  const routeConnection = route.screen === 'activity' ? route.params.get('connection') : null;
  const [search, setSearch] = useState('');
  const [connectionId, setConnectionId] = useState(routeConnection ?? '');
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const debouncedSearch = useDebounced(search.trim(), 200);
  const connections = useResource(() => call('connections:list'), [], { refreshOn: ['connections:changed'] });

  // A new route (the drawer's link, or "Show all activity") sets the connection filter it carries.
  useEffect(() => {
    setConnectionId(routeConnection ?? '');
  }, [routeConnection, tokenId]);

  const rangeError = from && to && to < from ? 'The end date is before the start date.' : null;
  const query = useMemo((): RequestIn<'audit:list'> => {
    const actions = actionsFor(action);
    const fromIso = from ? dayStart(from) : undefined;
    const toIso = to && !rangeError ? dayStart(to, 1) : undefined;
    return {
      limit: PAGE,
      ...(debouncedSearch ? { search: debouncedSearch } : {}),
      ...(connectionId ? { connectionId } : {}),
      ...(actions ? { actions } : {}),
      ...(tokenId ? { tokenId } : {}),
      ...(fromIso ? { from: fromIso } : {}),
      ...(toIso ? { to: toIso } : {}),
    };
  }, [debouncedSearch, connectionId, action, tokenId, from, to, rangeError]);

  const audit = useResource(() => call('audit:list', query), [query]);
  const [older, setOlder] = useState<AuditListEntry[]>([]);
  const [more, setMore] = useState<{ loading: boolean; done: boolean; error: string | null }>({
    loading: false,
    done: false,
    error: null,
  });
  useEffect(() => {
    setOlder([]);
    setMore({ loading: false, done: false, error: null });
  }, [audit.data]);

  const rows = useMemo(() => [...(audit.data ?? []), ...older], [audit.data, older]);
  const hasMore = !more.done && (audit.data?.length ?? 0) === PAGE && (older.length === 0 || older.length % PAGE === 0);

  const loadOlder = async () => {
    const last = rows.at(-1);
    if (!last) return;
    setMore((m) => ({ ...m, loading: true, error: null }));
    try {
      const page = await call('audit:list', { ...query, beforeId: last.id });
      setOlder((o) => [...o, ...page]);
      setMore({ loading: false, done: page.length < PAGE, error: null });
    } catch (error) {
      setMore({ loading: false, done: false, error: errorInfo(error).message });
    }
  };

  const filtered = Boolean(debouncedSearch || connectionId || action || from || to || tokenId);
  const tokenName = tokenId ? rows.find((r) => r.tokenId === tokenId && r.tokenName)?.tokenName : undefined;
  const connectionList = connections.data ?? [];

  return (
    <section className="screen" aria-labelledby="activity-title">
      <header className="screen__header">
        <div>
          <h1 id="activity-title">Activity</h1>
          <p className="muted">Everything this app changed, newest first. Secrets are never recorded.</p>
        </div>
        <button type="button" className="btn" onClick={() => void audit.reload()}>
          Refresh
        </button>
      </header>

      <div className="act-filters" role="search" aria-label="Filter activity">
        <input
          type="search"
          className="rem-input rem-search"
          placeholder="Search action, token, user, detail"
          aria-label="Search activity"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <label className="rem-inline">
          <span>Connection</span>
          <select
            className="rem-input"
            aria-label="Connection"
            value={connectionId}
            onChange={(e) => setConnectionId(e.target.value)}
          >
            <option value="">All connections</option>
            {connectionList.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
            {connectionId && !connectionList.some((c) => c.id === connectionId) ? (
              <option value={connectionId}>A removed connection</option>
            ) : null}
          </select>
        </label>
        <label className="rem-inline">
          <span>Action</span>
          <select className="rem-input" aria-label="Action" value={action} onChange={(e) => setAction(e.target.value)}>
            <option value="">All actions</option>
            {auditActionsByCategory().map((g) => (
              <optgroup key={g.category} label={g.label}>
                <option value={`${CATEGORY_PREFIX}${g.category}`}>Any {g.label.toLowerCase()} action</option>
                {g.actions.map((a) => (
                  <option key={a} value={a}>
                    {auditLabel(a).label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label className="rem-inline">
          <span>From</span>
          <input
            type="date"
            className="rem-input"
            aria-label="From"
            value={from}
            max={to || undefined}
            onChange={(e) => setFrom(e.target.value)}
          />
        </label>
        <label className="rem-inline">
          <span>To</span>
          <input
            type="date"
            className="rem-input"
            aria-label="To"
            value={to}
            min={from || undefined}
            onChange={(e) => setTo(e.target.value)}
            aria-invalid={rangeError ? true : undefined}
            aria-describedby={rangeError ? 'activity-range-error' : undefined}
          />
        </label>
        {filtered ? (
          <button
            type="button"
            className="btn btn--small btn--ghost"
            onClick={() => {
              setSearch('');
              setConnectionId('');
              setAction('');
              setFrom('');
              setTo('');
              if (tokenId) replaceHashParams('activity', { token: null, connection: null });
            }}
          >
            Clear filters
          </button>
        ) : null}
      </div>
      {rangeError ? (
        <p id="activity-range-error" className="field__error" role="alert">
          {rangeError}
        </p>
      ) : null}
      {tokenId ? (
        <p className="act-filter-note" role="status">
          <span>
            Showing the history of token <strong>{tokenName ?? tokenId}</strong>
            {tokenName ? <span className="mono muted"> ({tokenId})</span> : null}.
          </span>
          <a href="#/activity" className="btn btn--small">
            Show all activity
          </a>
        </p>
      ) : null}

      <LoadState
        resource={audit}
        what="the activity log"
        isEmpty={(r) => r.length === 0}
        empty={
          filtered ? (
            <EmptyState title="Nothing matches these filters">Try a wider date range or another action.</EmptyState>
          ) : (
            <EmptyState title="Nothing recorded yet">
              Adding connections, generating, syncing and revoking tokens all appear here.
            </EmptyState>
          )
        }
      >
        {() => (
          <>
            <ActivityTable
              rows={rows}
              formatAt={(iso) => format(new Date(iso), 'yyyy-MM-dd HH:mm:ss')}
              label={auditLabel}
              detail={readableDetail}
            />
            {more.error ? (
              <Banner tone="error" title="Could not load older entries">
                {more.error}
              </Banner>
            ) : null}
            {hasMore ? (
              <button type="button" className="btn act-more" disabled={more.loading} onClick={() => void loadOlder()}>
                {more.loading ? 'Loading…' : `Show older entries`}
              </button>
            ) : null}
          </>
        )}
      </LoadState>
    </section>
  );
}
