import '../styles/connections.css';
import { useEffect, useMemo, useState } from 'react';
import { AUTH_SECRET_WORD, type Connection } from '../../../shared/domain';
import type { ConnectionHealth } from '../../../shared/tokens';
import { call, errorInfo } from '../lib/api';
import { useResource } from '../lib/use-resource';
import { relative } from '../lib/format';
import { Banner } from '../components/Banner';
import { CapabilityList } from '../components/CapabilityList';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { EmptyState } from '../components/EmptyState';
import { LoadState } from '../components/LoadState';
import { ConnectionForm } from './ConnectionForm';
import { SecretPrompt } from '../components/SecretPrompt';
import { SsoSignInDialog } from '../components/SsoSignInDialog';
import { rememberOption, secretNeededIn, signInNeededIn } from '../lib/unlock';
import { parseHash, replaceHashParams } from '../lib/hash-route';
import type { ErrorInfo } from '../../../shared/errors';
import type { ResponseOf } from '../../../shared/contract';
import { healthView, matchesSearch, savedView } from './connections/connection-health';
import { useConnectionTests } from './connections/use-test-all';
import { SecretRetry } from './connections/SecretRetry';
import { DiscoverVaultsDialog, addOthersLabel, notAdded } from './connections/DiscoverVaultsDialog';
import type { ReachableVaultInfo } from '../../../shared/contract/connections';
import { signInAccount, signInUsers } from '../../../shared/signin-accounts';

/** Password and single sign-on logins list the Vaults they reach (docs/vault-api.md §3.2); tokens do not. */
const canDiscover = (c: Connection): boolean => c.authMethod === 'password' || c.authMethod === 'sso';
import { ImportCsvDialog } from './connections/ImportCsvDialog';
import {
  ANY_GROUP,
  GroupFilterFields,
  groupFilterOf,
  hasGroups,
  type GroupChoice,
} from '../components/GroupFilterFields';
import { compareByGroup, groupLabel, knownClients, matchesGroup } from '../../../shared/connection-groups';
import { EnvironmentTag } from './inventory/EnvironmentTag';
import { downloadText } from '../lib/download';
import { plural } from '../lib/format';

/**
 * The one notice at the top of the screen. A new one replaces the last (issue 13, item 4: old
 * banners no longer stay after later actions).
 */
type Notice =
  | { kind: 'text'; tone: 'success' | 'error' | 'info'; title: string; text: string }
  | { kind: 'test-ok'; connection: Connection; result: ResponseOf<'connections:test'> }
  | { kind: 'test-failed'; connection: Connection; error: ErrorInfo };

const AUTH_LABEL = {
  password: 'Password',
  token: 'Access token',
  sso: 'Single sign-on',
  session: 'Session id',
} as const;

function NoticeBanner(props: {
  notice: Notice;
  onDismiss: () => void;
  onRetried: (c: Connection) => void;
  /** After a test: the Vaults this login reaches that have no connection yet. */
  others?: number;
  onDiscover?: (c: Connection) => void;
}) {
  const { notice } = props;
  const dismiss = (
    <button className="btn btn--ghost" onClick={props.onDismiss}>
      Dismiss
    </button>
  );
  if (notice.kind === 'text') {
    return (
      <Banner tone={notice.tone} title={notice.title} action={dismiss}>
        {notice.text}
      </Banner>
    );
  }
  const c = notice.connection;
  if (notice.kind === 'test-failed') {
    return (
      <Banner tone="error" title={`${c.name}: the connection test failed`} action={dismiss}>
        <p>{notice.error.message}</p>
        {notice.error.vaultErrorType ? (
          <p>
            Vault error type: <code className="mono">{notice.error.vaultErrorType}</code>
          </p>
        ) : null}
        {secretNeededIn(notice.error) && c.authMethod !== 'sso' ? (
          <SecretRetry connection={c} onUnlocked={() => props.onRetried(c)} />
        ) : null}
      </Banner>
    );
  }
  const r = notice.result;
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
      {props.others && props.onDiscover ? (
        <p>
          <button type="button" className="btn btn--small" onClick={() => props.onDiscover?.(c)}>
            {addOthersLabel(props.others)}
          </button>
        </p>
      ) : null}
    </Banner>
  );
}

export function ConnectionsScreen() {
  const connections = useResource(() => call('connections:list'), [], { refreshOn: ['connections:changed'] });
  const health = useResource(() => call('connections:health'), [], {
    refreshOn: ['connections:changed', 'tokens:changed'],
  });
  const [editing, setEditing] = useState<Connection | 'new' | null>(null);
  const [removing, setRemoving] = useState<Connection | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [asking, setAsking] = useState<Connection | null>(null);
  /** A single sign-on connection whose browser sign-in is running; tested when it succeeds. */
  const [signingIn, setSigningIn] = useState<Connection | null>(null);
  const [search, setSearch] = useState('');
  const [group, setGroup] = useState<GroupChoice>(ANY_GROUP);
  const [groupBy, setGroupBy] = useState(true);
  const [importing, setImporting] = useState(false);
  const { tests, testOne, testAll, runningAll } = useConnectionTests();
  /** What each login reaches, learnt after a successful test (its session is open: no new sign-in). */
  const [reachable, setReachable] = useState<Record<string, ReachableVaultInfo[]>>({});
  const [discovering, setDiscovering] = useState<Connection | null>(null);

  // #/connections?add=1 (from the inventory's empty state) opens the form.
  useEffect(() => {
    if (parseHash().params.get('add')) {
      setEditing('new');
      replaceHashParams('connections', { add: null });
    }
  }, []);

  const healthById = useMemo(
    () => new Map<string, ConnectionHealth>((health.data ?? []).map((h) => [h.connectionId, h])),
    [health.data],
  );

  const runTest = async (c: Connection, secret?: string): Promise<boolean> => {
    const outcome = await testOne(c, secret);
    if (outcome.phase === 'failed' && signInNeededIn(outcome.error)) {
      // Single sign-on that could not renew itself: the browser sign-in, which tests again when done.
      setSigningIn(c);
      return false;
    }
    if (outcome.phase === 'failed') setNotice({ kind: 'test-failed', connection: c, error: outcome.error });
    else if (outcome.phase === 'ok') setNotice({ kind: 'test-ok', connection: c, result: outcome.result });
    if (outcome.phase === 'ok' && canDiscover(c)) {
      call('connections:reachable', { id: c.id })
        .then((found) => setReachable((r) => ({ ...r, [c.id]: found })))
        .catch(() => undefined);
    }
    void health.reload();
    void connections.reload();
    return outcome.phase === 'ok';
  };

  /** After a browser sign-in: test, then sync, like any other new connection. */
  const afterSignIn = async (c: Connection) => {
    if (!(await runTest(c))) return;
    try {
      const [outcome] = await call('tokens:sync', { connectionIds: [c.id] });
      if (outcome?.ok)
        setNotice({
          kind: 'text',
          tone: 'success',
          title: 'Done',
          text: `Signed in to ${c.name} and synced its tokens.`,
        });
      else if (outcome)
        setNotice({
          kind: 'text',
          tone: 'error',
          title: 'Sync failed',
          text: outcome.message ?? `Syncing ${c.name} failed.`,
        });
    } catch (error) {
      setNotice({ kind: 'text', tone: 'error', title: 'Sync failed', text: errorInfo(error).message });
    }
  };

  const remove = async () => {
    if (!removing) return;
    setBusy(true);
    try {
      await call('connections:remove', { id: removing.id });
      setNotice({
        kind: 'text',
        tone: 'success',
        title: 'Done',
        text: `Removed ${removing.name} and its keychain items.`,
      });
      setRemoving(null);
      if (editing !== 'new' && editing?.id === removing.id) setEditing(null);
      await connections.reload();
    } catch (error) {
      setNotice({ kind: 'text', tone: 'error', title: 'That did not work', text: errorInfo(error).message });
      setRemoving(null);
    } finally {
      setBusy(false);
    }
  };

  const startTestAll = async () => {
    const all = connections.data ?? [];
    setNotice({
      kind: 'text',
      tone: 'info',
      title: `Testing ${all.length} connections…`,
      text: 'A read-only check on each; nothing is changed.',
    });
    await testAll(all);
    setNotice(null);
    void health.reload();
  };

  const exportCsv = async () => {
    try {
      const file = await call('connections:csv-export');
      downloadText(file.filename, file.content, file.mimeType);
      setNotice({
        kind: 'text',
        tone: 'success',
        title: 'Done',
        text: `Exported ${plural(file.count, 'connection')} as ${file.filename}. It holds no passwords or tokens.`,
      });
    } catch (error) {
      setNotice({ kind: 'text', tone: 'error', title: 'Not exported', text: errorInfo(error).message });
    }
  };

  const list = useMemo(() => connections.data ?? [], [connections.data]);
  const grouped = hasGroups(list);
  const clients = useMemo(() => knownClients(list), [list]);
  // Connections of one user on one Vault domain share a sign-in and reach the same Vaults: offer
  // "Add other Vaults…" once per sign-in, on the first of them, to keep the rows calm.
  const discoverFrom = new Set<string>();
  const seenSignIns = new Set<string>();
  for (const c of list) {
    const account = canDiscover(c) ? signInAccount(c) : null;
    if (account && !seenSignIns.has(account)) {
      seenSignIns.add(account);
      discoverFrom.add(c.id);
    }
  }
  const shown = list.filter(
    (c) => matchesSearch(c, healthById.get(c.id), search) && matchesGroup(c, groupFilterOf(group)),
  );
  // Each connection's health in words, once per render: the rows, the Problem column and the count use it.
  const views = new Map(list.map((c) => [c.id, healthView(healthById.get(c.id), tests[c.id])]));
  const viewOf = (c: Connection) => views.get(c.id)!;
  // The Problem column only when a shown connection has one: it would be an empty strip of width.
  const anyProblem = shown.some((c) => viewOf(c).detail);
  // Grouped by client, then environment (DEV → PROD), when any connection has a group (issue 15).
  const sections: { label: string | null; rows: Connection[] }[] = [];
  if (grouped && groupBy) {
    for (const c of [...shown].sort(compareByGroup)) {
      const label = groupLabel(c);
      const last = sections[sections.length - 1];
      if (last && last.label === label) last.rows.push(c);
      else sections.push({ label, rows: [c] });
    }
  } else sections.push({ label: null, rows: shown });
  // Grouped, the headings name the client; a flat list says it in its own column.
  const showClientColumn = grouped && !groupBy;
  const attention = list.filter((c) => viewOf(c).tone === 'danger' || savedView(c).tone === 'danger').length;
  const tested = Object.values(tests).filter((t) => t.phase !== 'running').length;

  return (
    <div className="screen-with-panel">
      <section className="screen" aria-labelledby="connections-title">
        <header className="screen__header">
          <div>
            <h1 id="connections-title">Connections</h1>
            <p className="muted">
              {connections.data
                ? `${list.length} Vault${list.length === 1 ? '' : 's'}${attention ? ` · ${attention} need${attention === 1 ? 's' : ''} attention` : ''}`
                : '\u00a0'}
            </p>
          </div>
          <div className="header-actions">
            {list.length > 0 ? (
              <>
                <input
                  type="search"
                  className="connections-search"
                  placeholder="Search name, DNS, user"
                  aria-label="Search connections"
                  value={search}
                  onChange={(e) => setSearch(e.target.value)}
                />
                <button type="button" className="btn" onClick={() => void startTestAll()} disabled={runningAll}>
                  {runningAll ? `Testing… ${tested} of ${list.length}` : 'Test all'}
                </button>
              </>
            ) : null}
            <button type="button" className="btn" onClick={() => setImporting(true)}>
              Import CSV
            </button>
            {list.length > 0 ? (
              <button type="button" className="btn" onClick={() => void exportCsv()}>
                Export CSV
              </button>
            ) : null}
            <button type="button" className="btn btn--primary" onClick={() => setEditing('new')}>
              Add connection
            </button>
          </div>
        </header>
        {grouped ? (
          <div
            className="toolbar__row connections-groups"
            role="search"
            aria-label="Filter connections by client group"
          >
            <GroupFilterFields connections={list} value={group} onChange={setGroup} />
            <label className="check">
              <input type="checkbox" checked={groupBy} onChange={(e) => setGroupBy(e.target.checked)} />
              Group by client and environment
            </label>
          </div>
        ) : null}
        <div aria-live="polite">
          {notice ? (
            <NoticeBanner
              notice={notice}
              onDismiss={() => setNotice(null)}
              onRetried={(c) => void runTest(c)}
              others={notice.kind === 'test-ok' ? notAdded(reachable[notice.connection.id] ?? []).length : 0}
              onDiscover={setDiscovering}
            />
          ) : null}
        </div>
        <LoadState
          resource={connections}
          what="connections"
          isEmpty={(all) => all.length === 0}
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
          {() => (
            <div className="table-scroll">
              {shown.length === 0 ? (
                <p className="muted">
                  {search ? `No connection matches “${search}”` : 'No connection is in this client group'}.
                </p>
              ) : (
                <table className="table connections-table" aria-label="Vault connections">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      {showClientColumn ? <th scope="col">Client</th> : null}
                      <th scope="col" className="col-wide">
                        User
                      </th>
                      <th scope="col">Sign-in</th>
                      <th scope="col">Health</th>
                      <th scope="col" className="col-wide">
                        Last sync
                      </th>
                      {anyProblem ? (
                        <th scope="col" className="col-wide">
                          Problem
                        </th>
                      ) : null}
                      <th scope="col">
                        <span className="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  {sections.map((section) => (
                    <tbody key={section.label ?? 'all'}>
                      {section.label ? (
                        <tr className="connections-table__group">
                          <th scope="rowgroup" colSpan={6 + Number(showClientColumn) + Number(anyProblem)}>
                            {section.label} <span className="muted">· {plural(section.rows.length, 'Vault')}</span>
                          </th>
                        </tr>
                      ) : null}
                      {section.rows.map((c) => {
                        const h = healthById.get(c.id);
                        const view = viewOf(c);
                        const saved = savedView(c);
                        const testing = tests[c.id]?.phase === 'running';
                        return (
                          <tr key={c.id} aria-selected={editing !== 'new' && editing?.id === c.id}>
                            <th scope="row">
                              <span className="connections-table__name">
                                <EnvironmentTag environment={c.environment} />
                                {c.name}
                              </span>
                              {/* The DNS under the name: one column less, so the actions stay in view at 40 Vaults. */}
                              <span className="connections-table__where">
                                <span className="mono connections-table__dns" title={c.dns}>
                                  {c.dns}
                                </span>{' '}
                                <span className="muted mono connections-table__api">{c.apiVersion}</span>
                              </span>
                            </th>
                            {showClientColumn ? <td>{c.client ?? <span className="muted">—</span>}</td> : null}

                            <td className="col-wide connections-table__user" title={c.username}>
                              {c.username}
                            </td>
                            <td>
                              <span className="connections-table__auth">{AUTH_LABEL[c.authMethod]} </span>
                              <span
                                className={`pill ${saved.tone === 'neutral' ? '' : `pill--${saved.tone}`}`}
                                title={saved.title}
                              >
                                {saved.label}
                              </span>
                            </td>
                            <td title={view.detail ?? undefined}>
                              <span className={`health health--${view.tone}`}>
                                <span aria-hidden="true">{view.icon}</span> {view.label}
                              </span>
                            </td>
                            <td className="col-wide" title={h?.lastSyncedAt ?? undefined}>
                              {relative(h?.lastSyncedAt, 'never')}
                            </td>
                            {anyProblem ? (
                              <td className="col-wide connections-table__problem" title={view.detail ?? undefined}>
                                {view.detail ?? ''}
                              </td>
                            ) : null}
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
                                onClick={() =>
                                  c.authMethod === 'sso' || (c.secretStored && !c.secretRefused)
                                    ? void runTest(c)
                                    : setAsking(c)
                                }
                                disabled={testing}
                                aria-label={`Test connection ${c.name}`}
                              >
                                {testing ? 'Testing…' : 'Test'}
                              </button>
                              {discoverFrom.has(c.id) ? (
                                <button
                                  type="button"
                                  className="btn btn--small"
                                  onClick={() => setDiscovering(c)}
                                  aria-label={`Add other Vaults ${c.username} reaches from ${c.name}`}
                                >
                                  Add other Vaults…
                                </button>
                              ) : null}
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
                        );
                      })}
                    </tbody>
                  ))}
                </table>
              )}
            </div>
          )}
        </LoadState>
      </section>
      {editing ? (
        <ConnectionForm
          key={editing === 'new' ? 'new' : editing.id}
          editing={editing === 'new' ? null : editing}
          all={list}
          reachableOthers={editing !== 'new' && reachable[editing.id] ? notAdded(reachable[editing.id]!).length : null}
          {...(editing !== 'new' && canDiscover(editing) ? { onDiscover: setDiscovering } : {})}
          clients={clients}
          onClose={() => setEditing(null)}
          onSaved={(saved, check) => {
            setNotice({
              kind: 'text',
              tone: check === 'failed' ? 'info' : 'success',
              title: check === 'failed' ? 'Saved without a working check' : 'Done',
              text:
                check === 'failed'
                  ? `Saved ${saved.name}, although no Vault answered at ${saved.dns}. Test it when the Vault is reachable.`
                  : `Saved ${saved.name}.`,
            });
            setEditing(null);
            void connections.reload();
            // Single sign-on without a saved renewal: sign in now, then test like any other connection.
            if (saved.authMethod === 'sso' && !saved.secretStored) setSigningIn(saved);
          }}
        />
      ) : null}
      {discovering ? (
        <DiscoverVaultsDialog
          connection={discovering}
          clients={clients}
          {...(reachable[discovering.id] ? { initial: reachable[discovering.id] } : {})}
          onClose={() => setDiscovering(null)}
          onAdded={() => {
            setReachable(({ [discovering.id]: _stale, ...rest }) => rest);
            void connections.reload();
            void health.reload();
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
            setNotice({ kind: 'text', tone: 'success', title: 'Done', text: `Signed in to ${c.name}.` });
            void afterSignIn(c);
          }}
        />
      ) : null}
      {asking ? (
        <SecretPrompt
          title={`Test ${asking.name}`}
          authMethod={asking.authMethod}
          intro={
            asking.secretRefused
              ? `Vault refused the saved ${AUTH_SECRET_WORD[asking.authMethod]} for ${asking.username} on ${asking.dns}, so it is not sent again. Enter the right one to test the connection.`
              : `No ${AUTH_SECRET_WORD[asking.authMethod]} is stored for ${asking.username} on ${asking.dns}. Enter it to test the connection.`
          }
          submitLabel="Test connection"
          remember={rememberOption(asking)}
          onCancel={() => setAsking(null)}
          onSubmit={async (secret, remember) => {
            const c = asking;
            if (remember) await call('connections:unlock', { id: c.id, secret, remember: true });
            setAsking(null);
            await runTest(c, remember ? undefined : secret);
          }}
        />
      ) : null}
      {importing ? (
        <ImportCsvDialog
          onClose={(result, fileName) => {
            setImporting(false);
            if (!result) return;
            const skipped = result.skipped.length
              ? ` ${plural(result.skipped.length, 'row')} with errors ${result.skipped.length === 1 ? 'was' : 'were'} left out.`
              : '';
            setNotice({
              kind: 'text',
              tone: 'success',
              title: 'Done',
              text: `Imported ${plural(result.imported.length, 'connection')} from ${fileName}.${skipped} Each asks for its password or token the first time it is used.`,
            });
            void connections.reload();
            void health.reload();
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
          {removing.secretStored && signInUsers(list, removing).length > 1 ? (
            <p>
              Its saved {AUTH_SECRET_WORD[removing.authMethod]} stays: {signInUsers(list, removing).length - 1} other
              connection(s) use it.
            </p>
          ) : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
