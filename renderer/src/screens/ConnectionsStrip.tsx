import { memo, useId, useMemo, useState } from 'react';
import type { Connection } from '../../../shared/domain';
import type { ConnectionHealth, SyncProgress } from '../../../shared/tokens';
import { count, plural, relative, utc } from '../lib/format';
import { sameIds, summarizeVaults, type VaultStatus, type VaultSyncState } from '../lib/vault-health';
import { compareByGroup, groupLabel } from '../../../shared/connection-groups';
import { hasGroups, type GroupChoice } from '../components/GroupFilterFields';
import { EnvironmentTag } from './inventory/EnvironmentTag';

/** The strip's Vaults by client group (issue 15), in group order; each group keeps failures first. */
function byGroup(ordered: VaultStatus[]): { key: string; label: string; choice: GroupChoice; items: VaultStatus[] }[] {
  const groups = new Map<string, VaultStatus[]>();
  for (const s of ordered) {
    const key = `${(s.connection.client ?? '').toLocaleLowerCase('en')}\u0000${s.connection.environment ?? ''}`;
    const list = groups.get(key);
    if (list) list.push(s);
    else groups.set(key, [s]);
  }
  return [...groups.entries()]
    .sort(([, a], [, b]) => compareByGroup({ ...a[0]!.connection, name: '' }, { ...b[0]!.connection, name: '' }))
    .map(([key, items]) => ({
      key,
      label: groupLabel(items[0]!.connection),
      choice: { client: items[0]!.connection.client ?? '', environment: items[0]!.connection.environment },
      items,
    }));
}

/** Each state as a word and an icon: never colour alone (WCAG 2.2 SC 1.4.1). */
const STATE_ICON: Record<VaultSyncState, string> = {
  failed: '⚠',
  unreachable: '⚠',
  syncing: '↻',
  never: '○',
  synced: '✓',
};

function stateWords(s: VaultStatus, progress: SyncProgress | undefined): string {
  switch (s.state) {
    case 'failed':
      return s.offline ? 'sync failed · offline' : 'sync failed';
    case 'unreachable':
      return 'offline at the last check';
    case 'syncing':
      return progress?.phase === 'running'
        ? progress.pages > 0
          ? `syncing… ${count(progress.tokens)} tokens`
          : 'syncing…'
        : 'queued';
    case 'never':
      return 'never synced';
    case 'synced':
      return s.lastSyncedAt ? `synced ${relative(s.lastSyncedAt)}` : 'synced';
  }
}

/** How many failed names the summary line spells out before "and N more". */
const INLINE_NAMES = 3;

/**
 * Every Vault's sync state in one line: "38 synced · 2 failed", with the failed ones named, a
 * button that filters the inventory to them, and "Retry failed". The line opens into the list
 * of every Vault (failures first, with the error kept from the last sync, so it survives a
 * reload) and a Sync button for each. Issue 13, item 3.
 */
export const ConnectionsStrip = memo(function ConnectionsStrip(props: {
  connections: Connection[];
  health: Map<string, ConnectionHealth>;
  progress: Map<string, SyncProgress>;
  onSync: (connection: Connection) => void;
  onRetryFailed: (connectionIds: string[]) => void;
  retrying: boolean;
  /** The inventory's Vault filter: "failed" is pressed when it is exactly the failed Vaults. */
  filteredConnectionIds: string[];
  /** Filter the inventory to these Vaults, or (null) take that filter off. */
  onFilterVaults: (connectionIds: string[] | null) => void;
  /** The inventory's client-group filter, and setting it (issue 15): each group in the list can filter. */
  group?: GroupChoice;
  onFilterGroup?: (group: GroupChoice) => void;
}) {
  const [expanded, setExpanded] = useState(false);
  const panelId = useId();
  const summary = useMemo(
    () => summarizeVaults(props.connections, props.health, props.progress),
    [props.connections, props.health, props.progress],
  );
  const { counts, failed } = summary;
  const failedIds = failed.map((s) => s.connection.id);
  const failedFilterOn = sameIds(props.filteredConnectionIds, failedIds);
  const total = props.connections.length;
  const offline = summary.ordered.filter((s) => s.offline).length;
  const allOffline = total > 0 && offline === total;
  const busy = counts.syncing > 0;

  const parts: { state: VaultSyncState; text: string }[] = [];
  if (counts.synced) parts.push({ state: 'synced', text: `${count(counts.synced)} synced` });
  if (counts.syncing) parts.push({ state: 'syncing', text: `${count(counts.syncing)} syncing` });
  if (counts.unreachable) parts.push({ state: 'unreachable', text: `${count(counts.unreachable)} offline` });
  if (counts.never) parts.push({ state: 'never', text: `${count(counts.never)} never synced` });

  const named = failed.slice(0, INLINE_NAMES).map((s) => s.connection.name);
  const more = failed.length - named.length;

  const grouped = hasGroups(props.connections);
  const renderItem = (s: VaultStatus) => {
    const c = s.connection;
    const h = props.health.get(c.id);
    const p = props.progress.get(c.id);
    return (
      <li
        key={c.id}
        className={`vault-list__item vault-list__item--${s.state}`}
        data-connection-id={c.id}
        data-state={s.state}
      >
        <span className="vault-list__icon" aria-hidden="true">
          {STATE_ICON[s.state]}
        </span>
        <span className="vault-list__name" title={`${c.dns}${h?.vaultName ? ` — ${h.vaultName}` : ''}`}>
          <EnvironmentTag environment={c.environment} /> {c.name}
        </span>
        <span className="vault-list__state">
          {stateWords(s, p)}
          {s.state === 'failed' && s.lastSyncedAt ? (
            <span className="muted"> · last good sync {relative(s.lastSyncedAt)}</span>
          ) : null}
        </span>
        <button
          type="button"
          className="btn btn--small btn--ghost"
          onClick={() => props.onSync(c)}
          disabled={s.state === 'syncing'}
          aria-label={`Sync ${c.name}`}
        >
          {s.state === 'syncing' ? '…' : 'Sync'}
        </button>
        {s.error ? (
          <span
            className="vault-list__error"
            title={s.lastSyncedAt ? `Last good sync ${utc(s.lastSyncedAt)}` : undefined}
          >
            {s.error}
          </span>
        ) : null}
      </li>
    );
  };
  return (
    <section
      className={`vault-summary${failed.length || offline ? ' vault-summary--attention' : ''}`}
      aria-label="Vaults and sync status"
    >
      <div className="vault-summary__line">
        <button
          type="button"
          className="btn btn--small btn--ghost vault-summary__toggle"
          aria-expanded={expanded}
          aria-controls={panelId}
          onClick={() => setExpanded((e) => !e)}
        >
          <span className="vault-summary__caret" aria-hidden="true">
            {expanded ? '▾' : '▸'}
          </span>
          {plural(total, 'Vault')}
        </button>
        {allOffline ? (
          <strong className="vault-summary__offline">
            <span aria-hidden="true">⚠ </span>Working offline
          </strong>
        ) : null}
        <span className="vault-summary__counts">
          {failed.length ? (
            <button
              type="button"
              className="chip vault-summary__failed"
              aria-pressed={failedFilterOn}
              title={failedFilterOn ? 'Show every Vault’s tokens again' : 'Show only the tokens of these Vaults'}
              onClick={() => props.onFilterVaults(failedFilterOn ? null : failedIds)}
            >
              <span aria-hidden="true">{STATE_ICON.failed}</span>
              {count(failed.length)} failed
            </button>
          ) : null}
          {parts.map((p, i) => (
            <span key={p.state} className={`vault-summary__count vault-summary__count--${p.state}`}>
              {i > 0 || failed.length ? (
                <span className="vault-summary__sep" aria-hidden="true">
                  ·
                </span>
              ) : null}
              <span aria-hidden="true">{STATE_ICON[p.state]}</span> {p.text}
            </span>
          ))}
        </span>
        {failed.length ? (
          <span className="vault-summary__names" title={failed.map((s) => s.connection.name).join(', ')}>
            {named.join(', ')}
            {more > 0 ? ` and ${count(more)} more` : ''}
          </span>
        ) : (
          <span className="vault-summary__names" />
        )}
        {failed.length ? (
          <button
            type="button"
            className="btn btn--small"
            onClick={() => props.onRetryFailed(failedIds)}
            disabled={props.retrying || busy}
          >
            {props.retrying ? 'Retrying…' : failed.length === 1 ? 'Retry the failed Vault' : 'Retry failed'}
          </button>
        ) : null}
      </div>
      {expanded ? (
        <div className="vault-summary__panel" id={panelId}>
          {offline ? (
            <p className="muted vault-summary__note">
              {allOffline ? 'No Vault could be reached. ' : ''}
              For Vaults that are offline the inventory shows what the last sync saw; generating, rotating and revoking
              there need the Vault.
            </p>
          ) : null}
          {grouped
            ? byGroup(summary.ordered).map((g) => {
                const on =
                  props.group?.client?.toLocaleLowerCase('en') === g.choice.client?.toLocaleLowerCase('en') &&
                  props.group?.environment === g.choice.environment;
                return (
                  <div key={g.key} className="vault-group">
                    <h3 className="vault-group__title">
                      {g.label} <span className="muted">· {plural(g.items.length, 'Vault')}</span>
                      {props.onFilterGroup ? (
                        <button
                          type="button"
                          className="btn btn--small btn--ghost"
                          aria-pressed={on}
                          aria-label={on ? 'Show all groups' : `Show only this group: ${g.label}`}
                          onClick={() => props.onFilterGroup!(on ? { client: null, environment: null } : g.choice)}
                        >
                          {on ? 'Show all groups' : 'Show only this group'}
                        </button>
                      ) : null}
                    </h3>
                    <ul className="vault-list" aria-label={`Vaults: ${g.label}`}>
                      {g.items.map(renderItem)}
                    </ul>
                  </div>
                );
              })
            : null}
          {grouped ? null : (
            <ul className="vault-list" aria-label="Vaults">
              {summary.ordered.map(renderItem)}
            </ul>
          )}
        </div>
      ) : null}
    </section>
  );
});
