import { memo, useState } from 'react';
import type { Connection } from '../../../shared/domain';
import type { ConnectionHealth, SyncProgress } from '../../../shared/tokens';
import { count, relative, utc } from '../lib/format';

function progressText(p: SyncProgress): string {
  switch (p.phase) {
    case 'queued':
      return 'queued';
    case 'running':
      return p.pages > 0 ? `syncing… ${count(p.tokens)} tokens` : 'syncing…';
    case 'done':
      return `synced ${count(p.tokens)} tokens`;
    case 'failed':
      return 'sync failed';
  }
}

/** Chips shown before "Show all": enough for a glance, few enough to render on every keystroke. */
const COLLAPSED_CHIPS = 12;

/** Offline, failed and syncing connections first: those are the ones a person needs to see. */
function attention(c: Connection, health: Map<string, ConnectionHealth>, progress: Map<string, SyncProgress>): number {
  const h = health.get(c.id);
  const p = progress.get(c.id);
  if (p?.phase === 'failed' || (h?.lastSyncError && p?.phase !== 'done')) return 0;
  if (h?.reachable === false) return 1;
  if (p?.phase === 'running' || p?.phase === 'queued') return 2;
  if (!h?.lastSyncedAt) return 3;
  return 4;
}

/**
 * One chip per connection: reachability (as a word, not only a colour), last
 * sync, live progress, and a per-connection Sync button. With many Vaults the
 * strip leads with the ones needing attention and collapses the rest.
 */
export const ConnectionsStrip = memo(function ConnectionsStrip(props: {
  connections: Connection[];
  health: Map<string, ConnectionHealth>;
  progress: Map<string, SyncProgress>;
  onSync: (connection: Connection) => void;
}) {
  const [expanded, setExpanded] = useState(false);
  const ordered = [...props.connections].sort(
    (a, b) => attention(a, props.health, props.progress) - attention(b, props.health, props.progress),
  );
  const shown = expanded ? ordered : ordered.slice(0, COLLAPSED_CHIPS);
  const hidden = ordered.length - shown.length;
  const offline = props.connections.filter((c) => props.health.get(c.id)?.reachable === false).length;
  return (
    <section className="vault-strip" aria-label="Vaults and sync status">
      {props.connections.length > COLLAPSED_CHIPS ? (
        <p className="vault-strip__summary muted">
          {props.connections.length} Vaults{offline ? ` · ${offline} offline` : ''}
        </p>
      ) : null}
      <ul>
        {shown.map((c) => {
          const h = props.health.get(c.id);
          const p = props.progress.get(c.id);
          const busy = p?.phase === 'queued' || p?.phase === 'running';
          const reach = h?.reachable === true ? 'reachable' : h?.reachable === false ? 'offline' : 'not checked';
          const failed = p?.phase === 'failed' ? p.message : (h?.lastSyncError ?? null);
          const meta =
            p && (busy || p.phase === 'failed')
              ? progressText(p)
              : h?.lastSyncedAt
                ? `synced ${relative(h.lastSyncedAt)}`
                : 'never synced';
          return (
            <li
              key={c.id}
              className={`vault-chip${h?.reachable === false ? ' vault-chip--offline' : ''}${failed && !busy ? ' vault-chip--failed' : ''}`}
              data-connection-id={c.id}
            >
              <span
                className={`dot dot--${h?.reachable === true ? 'ok' : h?.reachable === false ? 'off' : 'unknown'}${busy ? ' dot--busy' : ''}`}
                aria-hidden="true"
              />
              <span className="vault-chip__name" title={`${c.dns}${h?.vaultName ? ` — ${h.vaultName}` : ''}`}>
                {c.name}
              </span>
              {h?.reachable === false ? (
                <span className="vault-chip__state">offline</span>
              ) : (
                <span className="sr-only">{reach}</span>
              )}
              <span
                className="vault-chip__meta"
                title={[
                  h?.lastSyncedAt ? `Last synced ${utc(h.lastSyncedAt)}` : 'Never synced',
                  failed ? `Last error: ${failed}` : null,
                ]
                  .filter(Boolean)
                  .join('\n')}
              >
                {meta}
              </span>
              <button
                type="button"
                className="btn btn--small btn--ghost"
                onClick={() => props.onSync(c)}
                disabled={busy}
                aria-label={`Sync ${c.name}`}
              >
                {busy ? '…' : 'Sync'}
              </button>
            </li>
          );
        })}
        {hidden > 0 || expanded ? (
          <li>
            <button
              type="button"
              className="btn btn--small btn--ghost"
              aria-expanded={expanded}
              onClick={() => setExpanded(!expanded)}
            >
              {expanded ? 'Show fewer' : `Show all (${hidden} more)`}
            </button>
          </li>
        ) : null}
      </ul>
    </section>
  );
});
