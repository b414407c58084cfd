import { useEffect, useState } from 'react';
import type { Connection } from '../../../shared/domain';
import { call, errorInfo } from '../lib/api';
import { useResource } from '../lib/use-resource';
import { Banner } from '../components/Banner';
import { CapabilityList } from '../components/CapabilityList';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { EmptyState } from '../components/EmptyState';
import { LoadState } from '../components/LoadState';
import { ConnectionForm } from './ConnectionForm';
import { SecretPrompt } from '../components/SecretPrompt';
import { SsoSignInDialog } from '../components/SsoSignInDialog';
import { needsSignIn } from '../lib/unlock';
import { parseHash, replaceHashParams } from '../lib/hash-route';
import type { ErrorInfo } from '../../../shared/errors';
import type { ResponseOf } from '../../../shared/contract';

type TestState =
  | { connection: Connection; phase: 'running' }
  | { connection: Connection; phase: 'ok'; result: ResponseOf<'connections:test'> }
  | { connection: Connection; phase: 'failed'; error: ErrorInfo };

function TestResult({ test, onDismiss }: { test: TestState; onDismiss: () => void }) {
  const c = test.connection;
  if (test.phase === 'running') {
    return (
      <Banner tone="info" title={`Testing ${c.name}…`}>
        Signing in to {c.dns}.
      </Banner>
    );
  }
  const dismiss = (
    <button className="btn btn--ghost" onClick={onDismiss}>
      Dismiss
    </button>
  );
  if (test.phase === 'failed') {
    return (
      <Banner tone="error" title={`${c.name}: the connection test failed`} action={dismiss}>
        <p>{test.error.message}</p>
        {test.error.vaultErrorType ? (
          <p>
            Vault error type: <code className="mono">{test.error.vaultErrorType}</code>
          </p>
        ) : null}
      </Banner>
    );
  }
  const r = test.result;
  const refused = r.checks.filter((check) => check.status === 'no').length;
  return (
    <Banner
      tone={refused ? 'warn' : 'success'}
      title={
        refused ? `${c.name} works, with limits: ${refused} of ${r.checks.length} checks say no` : `${c.name} works`
      }
      action={dismiss}
    >
      <p className="muted">
        {r.user.displayName}
        {r.user.userName ? ` (${r.user.userName})` : ''} on {r.vault.name ?? r.vault.dns}, API{' '}
        <span className="mono">{r.apiVersion}</span>. A read-only check: nothing was created or changed.
      </p>
      <CapabilityList checks={r.checks} />
    </Banner>
  );
}

const AUTH_LABEL = {
  password: 'Password',
  token: 'Access token',
  sso: 'Single sign-on',
  session: 'Session id',
} as const;

export function ConnectionsScreen() {
  const connections = useResource(() => call('connections:list'), [], { refreshOn: ['connections:changed'] });
  const [editing, setEditing] = useState<Connection | 'new' | null>(null);
  const [removing, setRemoving] = useState<Connection | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [test, setTest] = useState<TestState | null>(null);
  const [asking, setAsking] = useState<Connection | null>(null);
  /** A single sign-on connection whose browser sign-in is running; tested when it succeeds. */
  const [signingIn, setSigningIn] = useState<Connection | null>(null);

  // #/connections?add=1 (from the inventory's empty state) opens the form.
  useEffect(() => {
    if (parseHash().params.get('add')) {
      setEditing('new');
      replaceHashParams('connections', { add: null });
    }
  }, []);

  const runTest = async (c: Connection, secret?: string): Promise<boolean> => {
    setTest({ connection: c, phase: 'running' });
    try {
      const result = await call('connections:test', secret ? { id: c.id, secret } : { id: c.id });
      setTest({ connection: c, phase: 'ok', result });
      return true;
    } catch (error) {
      if (needsSignIn(error)) {
        // Single sign-on that could not renew itself: the browser sign-in, which tests again when done.
        setTest(null);
        setSigningIn(c);
        return false;
      }
      setTest({ connection: c, phase: 'failed', error: errorInfo(error) });
      return false;
    }
  };

  /** After a browser sign-in: test, then sync, like any other new connection. */
  const afterSignIn = async (c: Connection) => {
    if (!(await runTest(c))) return;
    try {
      const [outcome] = await call('tokens:sync', { connectionIds: [c.id] });
      if (outcome?.ok) setNotice({ tone: 'success', text: `Signed in to ${c.name} and synced its tokens.` });
      else if (outcome) setNotice({ tone: 'error', text: outcome.message ?? `Syncing ${c.name} failed.` });
    } catch (error) {
      setNotice({ tone: 'error', text: errorInfo(error).message });
    }
  };

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
            <p className="muted">
              {connections.data ? `${list.length} Vault${list.length === 1 ? '' : 's'}` : '\u00a0'}
            </p>
          </div>
          <button type="button" className="btn btn--primary" onClick={() => setEditing('new')}>
            Add connection
          </button>
        </header>
        {notice ? (
          <Banner
            tone={notice.tone}
            title={notice.tone === 'success' ? 'Done' : 'That did not work'}
            action={
              <button className="btn btn--ghost" onClick={() => setNotice(null)}>
                Dismiss
              </button>
            }
          >
            {notice.text}
          </Banner>
        ) : null}
        <div aria-live="polite">{test ? <TestResult test={test} onDismiss={() => setTest(null)} /> : null}</div>
        <LoadState
          resource={connections}
          what="connections"
          isEmpty={(list) => list.length === 0}
          empty={
            <EmptyState
              title="No Vault connections yet"
              action={
                <button type="button" className="btn btn--primary" onClick={() => setEditing('new')}>
                  Add your first connection
                </button>
              }
            >
              Add each Vault you look after — its DNS and the user you sign in as. Passwords and tokens stay in your OS
              keychain.
            </EmptyState>
          }
        >
          {(list) => (
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
                    <td>
                      {c.authMethod === 'sso' ? (
                        c.secretStored ? (
                          <span
                            className="pill pill--ok"
                            title="The identity provider's refresh token is in the keychain"
                          >
                            Renews itself
                          </span>
                        ) : (
                          <span className="pill">Sign in</span>
                        )
                      ) : c.secretStored ? (
                        <span className="pill pill--ok">Stored</span>
                      ) : (
                        <span className="pill">Ask</span>
                      )}
                    </td>
                    <td className="row-actions">
                      {c.authMethod === 'sso' ? (
                        <button
                          type="button"
                          className="btn btn--small"
                          onClick={() => setSigningIn(c)}
                          aria-label={`Sign in to ${c.name}`}
                        >
                          Sign in
                        </button>
                      ) : null}
                      <button
                        type="button"
                        className="btn btn--small"
                        onClick={() => (c.authMethod === 'sso' || c.secretStored ? void runTest(c) : setAsking(c))}
                        disabled={test?.phase === 'running'}
                        aria-label={`Test connection ${c.name}`}
                      >
                        {test?.phase === 'running' && test.connection.id === c.id ? 'Testing…' : 'Test'}
                      </button>
                      <button
                        type="button"
                        className="btn btn--small"
                        onClick={() => setEditing(c)}
                        aria-label={`Edit ${c.name}`}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        className="btn btn--small btn--ghost-danger"
                        onClick={() => setRemoving(c)}
                        aria-label={`Remove ${c.name}`}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </LoadState>
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
            // Single sign-on without a saved renewal: sign in now, then test like any other connection.
            if (saved.authMethod === 'sso' && !saved.secretStored) setSigningIn(saved);
          }}
        />
      ) : null}
      {signingIn ? (
        <SsoSignInDialog
          connection={signingIn}
          onCancel={() => setSigningIn(null)}
          onSignedIn={() => {
            const c = signingIn;
            setSigningIn(null);
            setNotice({ tone: 'success', text: `Signed in to ${c.name}.` });
            void afterSignIn(c);
          }}
        />
      ) : null}
      {asking ? (
        <SecretPrompt
          title={`Test ${asking.name}`}
          authMethod={asking.authMethod}
          intro={`No ${asking.authMethod === 'password' ? 'password' : asking.authMethod === 'token' ? 'API access token' : 'session id'} is stored for ${asking.username} on ${asking.dns}. Enter it to test the connection.`}
          submitLabel="Test connection"
          onCancel={() => setAsking(null)}
          onSubmit={async (secret) => {
            const c = asking;
            setAsking(null);
            await runTest(c, secret);
          }}
        />
      ) : null}
      {removing ? (
        <ConfirmDialog
          title={`Remove ${removing.name}?`}
          confirmLabel="Remove connection"
          danger
          busy={busy}
          onConfirm={() => void remove()}
          onCancel={() => setRemoving(null)}
        >
          <p>
            This forgets <strong>{removing.dns}</strong> and deletes its keychain items from this computer. Nothing
            changes in the Vault itself.
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
