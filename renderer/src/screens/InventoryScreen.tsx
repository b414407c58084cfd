/**
 * The token inventory: every token across every connection in one virtual
 * table, from the local SQLite inventory (so it works offline), with sync,
 * generate, rotate, revoke, export and import around it.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ChangeEvent } from 'react';
import type { Connection } from '../../../shared/domain';
import type { GenerateResult, InventorySortColumn, SyncOutcome, TokenRow } from '../../../shared/tokens';
import { call, errorInfo, on } from '../lib/api';
import { collectRows, findRowsById, refetchRow, useInventorySource, type InventoryFilters } from '../lib/inventory-source';
import { parseRowIds, replaceHashParams, useHashRoute } from '../lib/hash-route';
import { useVaults } from '../lib/use-vaults';
import { useAskSecret, useWithUnlock } from '../lib/unlock';
import { count, plural, relative } from '../lib/format';
import { Banner } from '../components/Banner';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { EmptyState } from '../components/EmptyState';
import { ConnectionsStrip } from './ConnectionsStrip';
import { EMPTY_FILTERS, filtersActive, InventoryToolbar, parseWithinDays, type ToolbarFilters } from './InventoryToolbar';
import { InventoryGrid, type ClickMode, type SortState } from './InventoryGrid';
import { GenerateDialog } from './GenerateDialog';
import { TokenResultDialog } from './NewTokenPanel';
import { RevokeDialog } from './RevokeDialog';
import { RotateDialog } from './RotateDialog';
import { TokenDrawer } from './TokenDrawer';
import { ExportDialog, type ExportScope } from './ExportDialog';

const MAX_BULK = 10_000;
const DEFAULT_SORT: SortState = { column: 'expiresAt', direction: 'asc' };

type Notice = { tone: 'success' | 'error' | 'info' | 'warn'; title: string; text?: string; lines?: string[]; retry?: { label: string; run: () => void } };
type Dialog =
  | { kind: 'generate' }
  | { kind: 'result'; result: GenerateResult; ownerLabel: string }
  | { kind: 'revoke'; rows: TokenRow[] }
  | { kind: 'rotate'; row: TokenRow }
  | { kind: 'export' }
  | { kind: 'clearImported' }
  | { kind: 'clearRevoked' };

interface Selection {
  /** "Select all matching": every row of the current filter except `except`. */
  all: boolean;
  ids: Map<number, TokenRow>;
  except: Set<number>;
}
const NO_SELECTION: Selection = { all: false, ids: new Map(), except: new Set() };

function syncSummary(outcomes: SyncOutcome[]): Notice {
  const ok = outcomes.filter((o) => o.ok);
  const failed = outcomes.filter((o) => !o.ok);
  const added = ok.reduce((n, o) => n + o.added, 0);
  const updated = ok.reduce((n, o) => n + o.updated, 0);
  const revoked = ok.reduce((n, o) => n + o.revoked, 0);
  const text = ok.length ? `${plural(ok.length, 'Vault')} synced: ${count(added)} new, ${count(updated)} updated, ${count(revoked)} newly revoked.` : undefined;
  return {
    tone: failed.length ? (ok.length ? 'warn' : 'error') : 'success',
    title: failed.length ? `Sync failed for ${plural(failed.length, 'Vault')}` : 'Sync complete',
    ...(text ? { text } : {}),
    lines: failed.map((o) => (o.message?.includes(o.connectionName) ? o.message : `${o.connectionName}: ${o.message ?? 'failed'}`)),
  };
}

export function InventoryScreen() {
  const route = useHashRoute();
  const vaults = useVaults();
  const withUnlock = useWithUnlock();
  const askSecret = useAskSecret();
  const connections = vaults.connections ?? [];

  // ---- filters, sort, deep links -------------------------------------------------
  const [tf, setTf] = useState<ToolbarFilters>(EMPTY_FILTERS);
  const [sort, setSort] = useState<SortState>(DEFAULT_SORT);
  // No debounce: a 100k-row search answers in ~10 ms and older answers are discarded (inventory-source.ts),
  // so every keystroke can query at once (target: filtered rows < 50 ms after a keystroke).
  const search = tf.searchText;
  const pinnedIds = useMemo(() => parseRowIds(route.params.get('tokens')), [route.params]);

  const filters = useMemo<InventoryFilters>(() => {
    const within = parseWithinDays(tf.withinDays);
    return {
      ...(search.trim() ? { search: search.trim() } : {}),
      ...(tf.connectionIds.length ? { connectionIds: tf.connectionIds } : {}),
      ...(tf.statuses.length ? { statuses: tf.statuses } : {}),
      ...(within !== null ? { expiresWithinDays: within } : {}),
      ...(tf.secretNotStored ? { secretNotStored: true } : {}),
      ...(tf.includeImported || pinnedIds ? { includeImported: true } : {}),
      ...(sort ? { sort } : {}),
      ...(pinnedIds ? { rowIds: pinnedIds } : {}),
    };
  }, [search, tf.connectionIds, tf.statuses, tf.withinDays, tf.secretNotStored, tf.includeImported, sort, pinnedIds]);

  const source = useInventorySource(filters);
  const total = source.total ?? 0;

  // ---- selection and focus -------------------------------------------------------
  const [sel, setSel] = useState<Selection>(NO_SELECTION);
  const [focused, setFocused] = useState(-1);
  const anchor = useRef<number | null>(null);
  const filterKey = JSON.stringify(filters);
  useEffect(() => {
    // "All matching" means something else under a new filter; explicit picks survive.
    setSel((s) => (s.all ? NO_SELECTION : s));
    setFocused(-1);
    anchor.current = null;
  }, [filterKey]);

  const isSelected = useCallback((row: TokenRow) => (sel.all ? !sel.except.has(row.rowId) : sel.ids.has(row.rowId)), [sel]);
  const selectedCount = sel.all ? Math.max(0, total - sel.except.size) : sel.ids.size;

  const toggle = (row: TokenRow) =>
    setSel((s) => {
      if (s.all) {
        const except = new Set(s.except);
        if (except.has(row.rowId)) except.delete(row.rowId);
        else except.add(row.rowId);
        return { ...s, except };
      }
      const ids = new Map(s.ids);
      if (ids.has(row.rowId)) ids.delete(row.rowId);
      else ids.set(row.rowId, row);
      return { ...s, ids };
    });

  const selectRange = async (from: number, to: number, add: boolean) => {
    const rows = await source.loadRange(from, to);
    setSel((s) => {
      if (s.all && add) {
        const except = new Set(s.except);
        for (const r of rows) except.delete(r.rowId);
        return { ...s, except };
      }
      const ids = new Map(add ? s.ids : undefined);
      for (const r of rows) ids.set(r.rowId, r);
      return { all: false, ids, except: new Set() };
    });
  };

  const onRowClick = (index: number, row: TokenRow, mode: ClickMode) => {
    if ((mode === 'range' || mode === 'range-add') && anchor.current !== null) {
      void selectRange(anchor.current, index, mode === 'range-add');
      return;
    }
    anchor.current = index;
    if (mode === 'toggle' || mode === 'range-add') toggle(row);
    else setSel({ all: false, ids: new Map([[row.rowId, row]]), except: new Set() });
  };

  const selectAllMatching = () => setSel({ all: true, ids: new Map(), except: new Set() });
  const clearSelection = () => setSel(NO_SELECTION);
  const headerCheck: 'all' | 'some' | 'none' = selectedCount === 0 ? 'none' : selectedCount >= total && total > 0 ? 'all' : 'some';

  /** The selected rows themselves (for revoke and export), fetched when "all matching". */
  const selectedRows = async (): Promise<TokenRow[]> => {
    if (!sel.all) return [...sel.ids.values()];
    return collectRows(filters, MAX_BULK, (r) => !sel.except.has(r.rowId));
  };

  // ---- notices, dialogs, drawer ---------------------------------------------------
  const [notice, setNotice] = useState<Notice | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [drawer, setDrawer] = useState<TokenRow | null>(null);
  const [syncing, setSyncing] = useState(false);
  const [preparing, setPreparing] = useState(false);
  const importRef = useRef<HTMLInputElement>(null);
  const gridWrap = useRef<HTMLDivElement>(null);

  const refreshDrawerRef = useRef<() => Promise<void>>(async () => undefined);
  const refreshAll = useCallback(() => {
    source.refresh();
    void vaults.reload();
    void refreshDrawerRef.current();
  }, [source, vaults]);

  // The drawer shows the row as it is now, after any change.
  const drawerRef = useRef<TokenRow | null>(null);
  drawerRef.current = drawer;
  const refreshDrawer = useCallback(async () => {
    const current = drawerRef.current;
    if (!current) return;
    const row = await refetchRow(current).catch(() => current);
    setDrawer((d) => (d && d.rowId === current.rowId ? row : d));
  }, []);

  refreshDrawerRef.current = refreshDrawer;
  const sourceRefresh = source.refresh;
  useEffect(
    () =>
      on('tokens:changed', () => {
        sourceRefresh();
        void refreshDrawer();
      }),
    [sourceRefresh, refreshDrawer],
  );

  // #/inventory?rotate=<rowId>
  const rotateParam = route.params.get('rotate');
  useEffect(() => {
    if (!rotateParam) return;
    replaceHashParams('inventory', { rotate: null });
    const id = Number(rotateParam);
    if (!Number.isInteger(id) || id <= 0) return;
    findRowsById([id])
      .then(([row]) => {
        if (row) setDialog({ kind: 'rotate', row });
        else setNotice({ tone: 'error', title: 'Token not found', text: `There is no token row ${id} in the inventory; it may have been cleared.` });
      })
      .catch((e) => setNotice({ tone: 'error', title: 'Could not open the rotation', text: errorInfo(e).message }));
  }, [rotateParam]);

  // ---- actions --------------------------------------------------------------------
  const sync = async (connection?: Connection) => {
    const ids = connection ? [connection.id] : connections.map((c) => c.id);
    if (!ids.length) return;
    vaults.markQueued(ids);
    setSyncing(true);
    setNotice({ tone: 'info', title: connection ? `Syncing ${connection.name}…` : `Syncing ${plural(ids.length, 'Vault')}…` });
    try {
      const outcomes = await withUnlock(connection, () => call('tokens:sync', connection ? { connectionIds: [connection.id] } : {}));
      const summary = syncSummary(outcomes);
      // A connection without a stored secret cannot sync until it is given one for this run.
      const needsSecret = outcomes.find((o) => o.errorCode === 'NEEDS_SECRET');
      const locked = needsSecret ? connections.find((c) => c.id === needsSecret.connectionId) : undefined;
      if (locked) {
        const word = locked.authMethod === 'password' ? 'password' : locked.authMethod === 'token' ? 'access token' : 'session id';
        summary.retry = {
          label: `Enter the ${word} and sync again`,
          run: () =>
            void askSecret(locked, `Enter the ${word} for ${locked.username} on ${locked.dns}. It is kept in memory for this run only.`).then((ok) => {
              if (ok) void sync(locked);
            }),
        };
      }
      setNotice(summary);
    } catch (e) {
      const info = errorInfo(e);
      setNotice({ tone: 'error', title: 'Sync failed', text: info.vaultErrorType ? `${info.message} (Vault error type ${info.vaultErrorType})` : info.message });
    } finally {
      setSyncing(false);
      refreshAll();
    }
  };
  // Stable across renders so the memoised strip does not re-render on every keystroke.
  const syncRef = useRef(sync);
  syncRef.current = sync;
  const onSyncOne = useCallback((c: Connection) => void syncRef.current(c), []);

  const openRevoke = async (rows?: TokenRow[]) => {
    setPreparing(true);
    try {
      const list = rows ?? (await selectedRows());
      setDialog({ kind: 'revoke', rows: list });
    } catch (e) {
      setNotice({ tone: 'error', title: 'Could not prepare the revoke', text: errorInfo(e).message });
    } finally {
      setPreparing(false);
    }
  };

  const onImportFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    if (file.size > 50_000_000) {
      setNotice({ tone: 'error', title: 'Not imported', text: `${file.name} is larger than 50 MB.` });
      return;
    }
    try {
      const res = await call('tokens:import', { content: await file.text(), fileName: file.name });
      setTf((f) => ({ ...f, includeImported: true }));
      setNotice({
        tone: 'success',
        title: `Imported ${plural(res.imported, 'token')} from ${file.name}`,
        text: `${res.replaced ? `${count(res.replaced)} earlier imported rows were replaced. ` : ''}Imported rows are read-only and marked as such; “Show imported” is now on.`,
      });
      refreshAll();
    } catch (err) {
      const info = errorInfo(err);
      setNotice({ tone: 'error', title: `Could not import ${file.name}`, text: info.message });
    }
  };

  const clearImported = async () => {
    try {
      const res = await call('tokens:clearImported');
      setNotice({ tone: 'success', title: `Cleared ${plural(res.cleared, 'imported token')}` });
      refreshAll();
    } catch (e) {
      setNotice({ tone: 'error', title: 'Could not clear imported tokens', text: errorInfo(e).message });
    }
    setDialog(null);
  };

  const clearRevoked = async () => {
    try {
      const res = await call('tokens:clearRevoked', {});
      setNotice({ tone: 'success', title: `Removed ${plural(res.cleared, 'revoked token')} from the list` });
      clearSelection();
      refreshAll();
    } catch (e) {
      setNotice({ tone: 'error', title: 'Could not clear revoked tokens', text: errorInfo(e).message });
    }
    setDialog(null);
  };

  const onSort = (column: InventorySortColumn) => {
    setSort((s) => (s?.column === column ? { column, direction: s.direction === 'asc' ? 'desc' : 'asc' } : { column, direction: 'asc' }));
    gridWrap.current?.querySelector('.vgrid')?.scrollTo({ top: 0 });
  };

  const exportScopes = (): ExportScope[] => {
    const viewLabel = pinnedIds ? 'The linked tokens' : filtersActive(tf) ? 'Tokens matching the current filters' : 'All tokens in the list';
    const scopes: ExportScope[] = [{ label: viewLabel, count: total, filters }];
    if (selectedCount > 0) {
      if (sel.all && sel.except.size === 0) scopes.push({ label: 'The selected tokens', count: selectedCount, filters });
      else if (!sel.all) scopes.push({ label: 'The selected tokens', count: selectedCount, filters: { includeImported: true, rowIds: [...sel.ids.keys()], ...(sort ? { sort } : {}) } });
      else scopes.push({ label: 'The selected tokens', count: selectedCount, rows: selectedRows });
    }
    return scopes;
  };

  // ---- state of the world ------------------------------------------------------------
  const offline = connections.filter((c) => vaults.health.get(c.id)?.reachable === false);
  const noConnections = vaults.connections !== undefined && connections.length === 0;
  const anyFilter = filtersActive(tf);
  const firstLoad = source.total === null && !source.error;
  const emptyInventory = source.total === 0 && !anyFilter && !pinnedIds && !source.pending;
  const revokedCount = source.statusCounts?.revoked ?? 0;
  const drawerOffline = drawer?.connectionId ? vaults.health.get(drawer.connectionId)?.reachable === false : false;
  const connectionFor = (row: TokenRow) => (row.connectionId ? vaults.byId.get(row.connectionId) : undefined);
  const lastSync = [...vaults.health.values()].map((h) => h.lastSyncedAt).filter((x): x is string => Boolean(x)).sort().pop();

  return (
    <div className="screen-with-panel">
      <section className="screen screen--fill" aria-labelledby="inventory-title">
        <header className="screen__header">
          <div>
            <h1 id="inventory-title">Token inventory</h1>
            <p className="muted">
              {source.total === null
                ? '\u00a0'
                : `${plural(total, 'token')}${anyFilter || pinnedIds ? (total === 1 ? ' matches' : ' match') : ''} · ${plural(connections.length, 'Vault')}${lastSync ? ` · last sync ${relative(lastSync)}` : ''}`}
            </p>
          </div>
          <div className="header-actions">
            <button type="button" className="btn" onClick={() => void sync()} disabled={syncing || connections.length === 0}>
              {syncing ? 'Syncing…' : 'Sync all'}
            </button>
            <button type="button" className="btn" onClick={() => importRef.current?.click()}>
              Import…
            </button>
            <input ref={importRef} type="file" accept=".json,application/json" className="sr-only" tabIndex={-1} aria-hidden="true" onChange={(e) => void onImportFile(e)} data-testid="import-file" />
            <button type="button" className="btn" onClick={() => setDialog({ kind: 'export' })} disabled={total === 0}>
              Export…
            </button>
            <button type="button" className="btn btn--primary" onClick={() => setDialog({ kind: 'generate' })} disabled={connections.length === 0}>
              Generate token
            </button>
          </div>
        </header>

        <div aria-live="polite" className="notices">
          {notice ? (
            <Banner
              tone={notice.tone}
              title={notice.title}
              action={
                <>
                  {notice.retry ? (
                    <button className="btn" onClick={notice.retry.run}>
                      {notice.retry.label}
                    </button>
                  ) : null}
                  <button className="btn btn--ghost" onClick={() => setNotice(null)}>
                    Dismiss
                  </button>
                </>
              }
            >
              {notice.text || notice.lines?.length ? (
                <>
                  {notice.text ? <p>{notice.text}</p> : null}
                  {notice.lines?.length ? (
                    <ul className="notice-lines">
                      {notice.lines.map((l) => (
                        <li key={l}>{l}</li>
                      ))}
                    </ul>
                  ) : null}
                </>
              ) : null}
            </Banner>
          ) : null}
        </div>
        {offline.length ? (
          <Banner tone="warn" title={offline.length === connections.length ? 'Working offline' : `${plural(offline.length, 'Vault')} unreachable`}>
            {offline.map((c) => c.name).join(', ')} could not be reached. The inventory shows what the last sync saw; generating, rotating and revoking there need the Vault.
          </Banner>
        ) : null}
        {vaults.error ? <Banner tone="error" title="Could not load connections">{vaults.error.message}</Banner> : null}

        {connections.length ? <ConnectionsStrip connections={connections} health={vaults.health} progress={vaults.progress} onSync={onSyncOne} /> : null}

        {noConnections && emptyInventory ? (
          <EmptyState
            title="No Vault connections yet"
            action={
              <button type="button" className="btn btn--primary" onClick={() => (window.location.hash = '#/connections?add=1')}>
                Add your first connection
              </button>
            }
          >
            The inventory lists the API access tokens of every Vault you connect. Add a Vault first, then sync it or generate a token. You can also import an export file for offline review.
          </EmptyState>
        ) : (
          <>
            <InventoryToolbar
              filters={tf}
              onChange={(patch) => setTf((f) => ({ ...f, ...patch }))}
              connections={connections}
              statusCounts={source.statusCounts}
              searching={tf.searchText !== search || source.pending}
            />
            {pinnedIds ? (
              <Banner tone="info" title={`Showing ${plural(pinnedIds.length, 'linked token')}`} action={<a className="btn" href="#/inventory">Show all tokens</a>}>
                Opened from a link to specific tokens; the filters above narrow them further.
                {source.total !== null && source.total < pinnedIds.length ? ` ${pinnedIds.length - source.total} of them are no longer in the inventory.` : ''}
              </Banner>
            ) : null}

            <div className="selection-bar" aria-live="polite">
              {selectedCount > 0 ? (
                <>
                  <strong>
                    {sel.all && sel.except.size === 0 ? `All ${count(selectedCount)} matching selected` : `${count(selectedCount)} of ${count(total)} selected`}
                  </strong>
                  {!sel.all && selectedCount < total ? (
                    <button type="button" className="btn btn--small btn--ghost" onClick={selectAllMatching}>
                      Select all {count(total)} matching
                    </button>
                  ) : null}
                  <span className="selection-bar__spacer" />
                  <button type="button" className="btn btn--small btn--ghost-danger" onClick={() => void openRevoke()} disabled={preparing || selectedCount > MAX_BULK}>
                    {preparing ? 'Preparing…' : 'Revoke…'}
                  </button>
                  <button type="button" className="btn btn--small" onClick={() => setDialog({ kind: 'export' })}>
                    Export selection
                  </button>
                  <button type="button" className="btn btn--small btn--ghost" onClick={clearSelection}>
                    Clear selection
                  </button>
                </>
              ) : (
                <span className="muted">
                  {source.total === null ? '' : `${plural(total, 'token')}`}
                  {source.total ? ' · click to select, shift-click for a range, ctrl/⌘-click to add · Enter or double-click for details' : ''}
                </span>
              )}
            </div>

            {source.error ? (
              <Banner tone="error" title="Could not load the inventory" action={<button className="btn" onClick={() => source.refresh()}>Retry</button>}>
                {source.error.message}
              </Banner>
            ) : null}

            {firstLoad ? (
              <p className="muted" role="status">
                Loading inventory…
              </p>
            ) : emptyInventory ? (
              <EmptyState
                title="No tokens in the inventory yet"
                action={
                  <div className="empty__actions">
                    <button type="button" className="btn btn--primary" onClick={() => void sync()} disabled={syncing || connections.length === 0}>
                      Sync all Vaults
                    </button>
                    <button type="button" className="btn" onClick={() => setDialog({ kind: 'generate' })} disabled={connections.length === 0}>
                      Generate a token
                    </button>
                  </div>
                }
              >
                Sync to list the tokens that already exist in your Vaults, or generate a new one.
                {tf.includeImported ? '' : ' Imported rows are hidden; tick “Show imported” to see them.'}
              </EmptyState>
            ) : source.total === 0 && !source.pending ? (
              <EmptyState
                title="No tokens match"
                action={
                  <button type="button" className="btn" onClick={() => setTf((f) => ({ ...EMPTY_FILTERS, includeImported: f.includeImported }))}>
                    Clear filters
                  </button>
                }
              >
                Nothing in the inventory matches these filters{tf.includeImported ? '' : ' (imported rows are hidden)'}.
              </EmptyState>
            ) : (
              <div className="grid-wrap" ref={gridWrap}>
                <InventoryGrid
                  source={source}
                  label="Tokens"
                  sort={sort}
                  onSort={onSort}
                  isSelected={isSelected}
                  headerCheck={headerCheck}
                  onHeaderCheck={() => (headerCheck === 'all' ? clearSelection() : selectAllMatching())}
                  focusedIndex={focused}
                  onFocusIndex={setFocused}
                  onRowClick={onRowClick}
                  onToggleKey={(index, row) => {
                    anchor.current = index;
                    toggle(row);
                  }}
                  onExtendKey={(from, to) => {
                    const start = anchor.current ?? from;
                    anchor.current = start;
                    void selectRange(start, to, false);
                  }}
                  onOpen={(row) => setDrawer(row)}
                  onSelectAllKey={selectAllMatching}
                  onEscape={() => (drawer ? setDrawer(null) : clearSelection())}
                  busy={source.loading}
                />
              </div>
            )}

            <footer className="inventory-footer">
              <span className="muted">{source.pending || source.loading ? 'Loading…' : ''}</span>
              <span className="selection-bar__spacer" />
              {revokedCount > 0 ? (
                <button type="button" className="btn btn--small btn--ghost" onClick={() => setDialog({ kind: 'clearRevoked' })}>
                  Clear revoked…
                </button>
              ) : null}
              {tf.includeImported ? (
                <button type="button" className="btn btn--small btn--ghost" onClick={() => setDialog({ kind: 'clearImported' })}>
                  Clear imported…
                </button>
              ) : null}
            </footer>
          </>
        )}
      </section>

      {drawer ? (
        <TokenDrawer
          row={drawer}
          offline={drawerOffline}
          onClose={() => {
            setDrawer(null);
            gridWrap.current?.querySelector<HTMLElement>('.vgrid')?.focus();
          }}
          onRotate={(row) => setDialog({ kind: 'rotate', row })}
          onRevoke={(row) => void openRevoke([row])}
        />
      ) : null}

      {dialog?.kind === 'generate' ? (
        <GenerateDialog
          connections={connections}
          health={vaults.health}
          initialConnectionId={tf.connectionIds[0]}
          onClose={() => setDialog(null)}
          onRecheck={vaults.reload}
          onGenerated={(result, ownerLabel) => {
            setDialog({ kind: 'result', result, ownerLabel });
            refreshAll();
          }}
        />
      ) : null}
      {dialog?.kind === 'result' ? (
        <TokenResultDialog
          result={dialog.result}
          ownerLabel={dialog.ownerLabel}
          onClose={() => {
            const t = dialog.result.token;
            setNotice({ tone: 'success', title: `Generated “${t.name}”`, text: `Token ${t.tokenId} for ${t.userName ?? dialog.ownerLabel} in ${t.connectionName}.` });
            setDialog(null);
            refreshAll();
          }}
        />
      ) : null}
      {dialog?.kind === 'revoke' ? (
        <RevokeDialog
          rows={dialog.rows}
          onClose={(changed) => {
            setDialog(null);
            if (changed) {
              clearSelection();
              refreshAll();
            }
          }}
        />
      ) : null}
      {dialog?.kind === 'rotate' ? (
        <RotateDialog
          row={dialog.row}
          connection={connectionFor(dialog.row)}
          onClose={(message) => {
            setDialog(null);
            if (message) {
              setNotice({ tone: message.startsWith('Rotated') ? 'success' : 'warn', title: message.startsWith('Rotated') ? 'Rotation complete' : 'Rotation not finished', text: message });
              refreshAll();
            }
          }}
        />
      ) : null}
      {dialog?.kind === 'export' ? (
        <ExportDialog
          scopes={exportScopes()}
          onClose={(message) => {
            setDialog(null);
            if (message) setNotice({ tone: 'success', title: 'Exported', text: message });
          }}
        />
      ) : null}
      {dialog?.kind === 'clearImported' ? (
        <ConfirmDialog title="Clear imported tokens?" confirmLabel="Clear imported" danger onConfirm={() => void clearImported()} onCancel={() => setDialog(null)}>
          <p>Removes every imported (read-only) row from this computer’s inventory. Nothing changes in any Vault, and tokens you synced or generated stay.</p>
        </ConfirmDialog>
      ) : null}
      {dialog?.kind === 'clearRevoked' ? (
        <ConfirmDialog title="Clear revoked tokens?" confirmLabel="Clear revoked" danger onConfirm={() => void clearRevoked()} onCancel={() => setDialog(null)}>
          <p>Removes revoked tokens from this computer’s inventory. They are already revoked in Vault; nothing changes there.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
