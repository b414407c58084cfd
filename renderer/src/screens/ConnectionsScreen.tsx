import { useEffect, useState } from 'react';
import type { Connection } from '../../../shared/domain';
import { call, errorInfo } from '../lib/api';
import { useResource } from '../lib/use-resource';
import { Banner } from '../components/Banner';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { EmptyState } from '../components/EmptyState';
import { ConnectionForm } from './ConnectionForm';

const AUTH_LABEL = { password: 'Password', token: 'Access token', session: 'Session id' } as const;

export function ConnectionsScreen() {
  const connections = useResource(() => call('connections:list'));
  const [editing, setEditing] = useState<Connection | 'new' | null>(null);
  const [removing, setRemoving] = useState<Connection | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  useEffect(() => window.vaultDesk.on('connections:changed', () => void connections.reload()), [connections.reload]);

  const remove = async () => {
    if (!removing) return;
    setBusy(true);
    try {
      await call('connections:remove', { id: removing.id });
      setNotice({ tone: 'success', text: `Removed ${removing.name} and its keychain items.` });
      setRemoving(null);
      if (editing !== 'new' && editing?.id === removing.id) setEditing(null);
      await connections.reload();
    } catch (error) {
      setNotice({ tone: 'error', text: errorInfo(error).message });
      setRemoving(null);
    } finally {
      setBusy(false);
    }
  };

  const list = connections.data ?? [];
  return (
    <div className="screen-with-panel">
      <section className="screen" aria-labelledby="connections-title">
        <header className="screen__header">
          <div>
            <h1 id="connections-title">Connections</h1>
            <p className="muted">{connections.data ? `${list.length} Vault${list.length === 1 ? '' : 's'}` : '\u00a0'}</p>
          </div>
          <button type="button" className="btn btn--primary" onClick={() => setEditing('new')}>
            Add connection
          </button>
        </header>
        {notice ? (
          <Banner tone={notice.tone} title={notice.tone === 'success' ? 'Done' : 'That did not work'} action={<button className="btn btn--ghost" onClick={() => setNotice(null)}>Dismiss</button>}>
            {notice.text}
          </Banner>
        ) : null}
        {connections.error ? (
          <Banner tone="error" title="Could not load connections" action={<button className="btn" onClick={() => void connections.reload()}>Retry</button>}>
            {connections.error.message}
          </Banner>
        ) : null}
        {connections.loading && !connections.data ? (
          <p className="muted" role="status">
            Loading connections…
          </p>
        ) : list.length === 0 && !connections.error ? (
          <EmptyState
            title="No Vault connections yet"
            action={
              <button type="button" className="btn btn--primary" onClick={() => setEditing('new')}>
                Add your first connection
              </button>
            }
          >
            Add each Vault you look after — its DNS and the user you sign in as. Passwords and tokens stay in your OS keychain.
          </EmptyState>
        ) : (
          <table className="table" aria-label="Vault connections">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Vault DNS</th>
                <th scope="col">User</th>
                <th scope="col">Sign-in</th>
                <th scope="col">API</th>
                <th scope="col">Keychain</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((c) => (
                <tr key={c.id} aria-selected={editing !== 'new' && editing?.id === c.id}>
                  <th scope="row">{c.name}</th>
                  <td className="mono">{c.dns}</td>
                  <td>{c.username}</td>
                  <td>{AUTH_LABEL[c.authMethod]}</td>
                  <td className="mono">{c.apiVersion}</td>
                  <td>{c.secretStored ? <span className="pill pill--ok">Stored</span> : <span className="pill">Ask</span>}</td>
                  <td className="row-actions">
                    <button type="button" className="btn btn--small" onClick={() => setEditing(c)} aria-label={`Edit ${c.name}`}>
                      Edit
                    </button>
                    <button type="button" className="btn btn--small btn--ghost-danger" onClick={() => setRemoving(c)} aria-label={`Remove ${c.name}`}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {editing ? (
        <ConnectionForm
          key={editing === 'new' ? 'new' : editing.id}
          editing={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setNotice({ tone: 'success', text: `Saved ${saved.name}.` });
            setEditing(null);
            void connections.reload();
          }}
        />
      ) : null}
      {removing ? (
        <ConfirmDialog title={`Remove ${removing.name}?`} confirmLabel="Remove connection" danger busy={busy} onConfirm={() => void remove()} onCancel={() => setRemoving(null)}>
          <p>
            This forgets <strong>{removing.dns}</strong> and deletes its keychain items from this computer. Nothing changes in the Vault itself.
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
