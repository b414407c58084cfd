import { format } from 'date-fns';
import { call } from '../lib/api';
import { useResource } from '../lib/use-resource';
import { EmptyState } from '../components/EmptyState';
import { LoadState } from '../components/LoadState';

/** The audit log: what was done, when, by whom, to which connection or token. Never a secret. */
export function ActivityScreen() {
  const audit = useResource(() => call('audit:list', { limit: 500 }));
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
      <LoadState
        resource={audit}
        what="the activity log"
        isEmpty={(rows) => rows.length === 0}
        empty={
          <EmptyState title="Nothing recorded yet">
            Adding connections, generating, syncing and revoking tokens all appear here.
          </EmptyState>
        }
      >
        {(rows) => (
          <table className="table" aria-label="Activity log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Connection</th>
                <th scope="col">Token id</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td className="mono nowrap">{format(new Date(r.at), 'yyyy-MM-dd HH:mm:ss')}</td>
                  <td>{r.actor}</td>
                  <td className="mono">{r.action}</td>
                  <td>{r.connectionName ?? '—'}</td>
                  <td className="mono">{r.tokenId ?? '—'}</td>
                  <td>{r.detail ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </LoadState>
    </section>
  );
}
