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

/**
 * One chip per connection: reachability (as a word, not only a colour), last
 * sync, live progress, and a per-connection Sync button.
 */
export function ConnectionsStrip(props: {
  connections: Connection[];
  health: Map<string, ConnectionHealth>;
  progress: Map<string, SyncProgress>;
  onSync: (connection: Connection) => void;
}) {
  return (
    <section className="vault-strip" aria-label="Vaults and sync status">
      <ul>
        {props.connections.map((c) => {
          const h = props.health.get(c.id);
          const p = props.progress.get(c.id);
          const busy = p?.phase === 'queued' || p?.phase === 'running';
          const reach = h?.reachable === true ? 'reachable' : h?.reachable === false ? 'offline' : 'not checked';
          const failed = p?.phase === 'failed' ? p.message : (h?.lastSyncError ?? null);
          const meta = p && (busy || p.phase === 'failed') ? progressText(p) : h?.lastSyncedAt ? `synced ${relative(h.lastSyncedAt)}` : 'never synced';
          return (
            <li key={c.id} className={`vault-chip${h?.reachable === false ? ' vault-chip--offline' : ''}${failed && !busy ? ' vault-chip--failed' : ''}`} data-connection-id={c.id}>
              <span className={`dot dot--${h?.reachable === true ? 'ok' : h?.reachable === false ? 'off' : 'unknown'}${busy ? ' dot--busy' : ''}`} aria-hidden="true" />
              <span className="vault-chip__name" title={`${c.dns}${h?.vaultName ? ` — ${h.vaultName}` : ''}`}>
                {c.name}
              </span>
              {h?.reachable === false ? <span className="vault-chip__state">offline</span> : <span className="sr-only">{reach}</span>}
              <span
                className="vault-chip__meta"
                title={[h?.lastSyncedAt ? `Last synced ${utc(h.lastSyncedAt)}` : 'Never synced', failed ? `Last error: ${failed}` : null].filter(Boolean).join('\n')}
              >
                {meta}
              </span>
              <button type="button" className="btn btn--small btn--ghost" onClick={() => props.onSync(c)} disabled={busy} aria-label={`Sync ${c.name}`}>
                {busy ? '…' : 'Sync'}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
