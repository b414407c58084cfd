/**
 * The token inventory: every token across every connection in one virtual
 * table, from the local SQLite inventory (so it works offline), with sync,
 * generate, rotate, revoke, export and import around it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { InventorySortColumn, TokenRow } from '../../../shared/tokens';
import { errorInfo, on } from '../lib/api';
import {
  collectRows,
  findRowsById,
  prefetchFirstPage,
  refetchRow,
  useInventorySource,
  type InventoryFilters,
} from '../lib/inventory-source';
import { parseHash, parseRowIds, replaceHashParams, useHashRoute } from '../lib/hash-route';
import { prefetchVaults, useVaults } from '../lib/use-vaults';
import { useStartWait, waitAtStart } from '../lib/early-answers';
import { useSelection } from '../lib/selection';
import { useAskSecret, useWithUnlock } from '../lib/unlock';
import { count, plural, relative } from '../lib/format';
import { Banner } from '../components/Banner';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { EmptyState } from '../components/EmptyState';
import { LoadState } from '../components/LoadState';
import { ConnectionsStrip } from './ConnectionsStrip';
import {
  clearedFilters,
  EMPTY_FILTERS,
  filtersActive,
  nudgeFilters,
  InventoryToolbar,
  parseWithinDays,
  statusQuery,
  type ToolbarFilters,
} from './InventoryToolbar';
import { InventoryGrid, type ClickMode, type SortState } from './InventoryGrid';
import { GenerateDialog } from './GenerateDialog';
import { TokenResultDialog } from './NewTokenPanel';
import { GenerateResultsDialog } from './generate/GenerateResults';
import { RevokeDialog } from './RevokeDialog';
import { RotateDialog } from './RotateDialog';
import { BulkRotateDialog } from './BulkRotateDialog';
import { MAX_ROTATION_TOKENS } from '../../../shared/contract/rotation';
import { ImportProgressBanner } from './ImportProgress';
import { TokenDrawer } from './TokenDrawer';
import { ExportDialog, type ExportScope } from './ExportDialog';

import { useInventoryActions, type InventoryDialog as Dialog, type Notice } from './use-inventory-actions';
import { useColumnLayout } from './inventory/use-column-layout';
import { resolveLayout } from '../lib/column-layout';
import { useRetryFailed } from './inventory/use-retry-failed';
import { connectionEnvironment } from '../lib/environment';
import type { GroupChoice } from '../components/GroupFilterFields';
import '../styles/inventory.css';

const MAX_BULK = 10_000;
/** Failures a sync notice spells out; the rest are in the Vault summary's list (one message, not two). */
const NOTICE_LINES = 3;
const DEFAULT_SORT: SortState = { column: 'expiresAt', direction: 'asc' };

/** What main is asked for: the toolbar's filters, the sort, and the rows a deep link pins. */
function inventoryFilters(tf: ToolbarFilters, sort: SortState, pinnedIds: number[] | null): InventoryFilters {
  const search = tf.searchText.trim();
  const within = parseWithinDays(tf.withinDays);
  return {
    ...(search ? { search } : {}),
    ...(tf.connectionIds.length ? { connectionIds: tf.connectionIds } : {}),
    ...(tf.group.client !== null ? { clients: [tf.group.client] } : {}),
    ...(tf.group.environment !== null ? { environments: [tf.group.environment] } : {}),
    ...statusQuery(tf, pinnedIds !== null),
    ...(within !== null ? { expiresWithinDays: within } : {}),
    ...(tf.secretNotStored ? { secretNotStored: true } : {}),
    // Main takes the Settings' "stale after" days (tokens-methods.ts), here and in exports alike.
    ...(tf.stale ? { stale: true } : {}),
    ...(tf.neverExpires ? { neverExpires: true } : {}),
    ...(tf.includeImported || pinnedIds ? { includeImported: true } : {}),
    ...(sort ? { sort } : {}),
    ...(pinnedIds ? { rowIds: pinnedIds } : {}),
  };
}

/** How long the first render may wait for the first page and the Vaults asked for at start. */
const START_WAIT_MAX_MS = 250;

// The app opens on the inventory: ask for its first page and the Vaults now, while React is still
// starting, rather than after a first render of a loading state; that render waits for them
// (useStartWait) and shows the rows at once.
if (typeof window !== 'undefined' && window.vaultDesk) {
  const { screen, params } = parseHash();
  if ((screen === '' || screen === 'inventory') && !params.has('tokens') && !params.has('nudge')) {
    const firstPage = prefetchFirstPage(inventoryFilters(EMPTY_FILTERS, DEFAULT_SORT, null));
    waitAtStart([firstPage, prefetchVaults()], START_WAIT_MAX_MS);
  }
}

export function InventoryScreen() {
  useStartWait();
  const route = useHashRoute();
  const vaults = useVaults();
  const withUnlock = useWithUnlock();
  const askSecret = useAskSecret();
  const connections = vaults.connections ?? [];

  // ---- filters, sort, deep links -------------------------------------------------
  const [tf, setTf] = useState<ToolbarFilters>(() => nudgeFilters(route.params.get('nudge')) ?? EMPTY_FILTERS);
  const [sort, setSort] = useState<SortState>(DEFAULT_SORT);
  // No debounce: every keystroke queries at once and older answers are discarded (inventory-source.ts)
  // (target: filtered rows < 50 ms after a keystroke).
  const pinnedIds = useMemo(() => parseRowIds(route.params.get('tokens')), [route.params]);
  const filters = useMemo(() => inventoryFilters(tf, sort, pinnedIds), [tf, sort, pinnedIds]);

  const source = useInventorySource(filters);
  const total = source.total ?? 0;

  // ---- selection and focus -------------------------------------------------------
  const selection = useSelection(total);
  const { selection: sel, dispatch: select, isSelected, count: selectedCount, headerCheck } = selection;
  const [focused, setFocused] = useState(-1);
  const anchor = useRef<number | null>(null);
  const filterKey = JSON.stringify(filters);
  useEffect(() => {
    select({ type: 'filter-changed' });
    setFocused(-1);
    anchor.current = null;
  }, [filterKey, select]);

  const onFilters = (patch: Partial<ToolbarFilters>) => {
    // Ask main for the new first page at once, before React renders the keystroke: the query runs
    // while the screen updates, and useInventorySource takes this answer (no debounce either way).
    const next = inventoryFilters({ ...tf, ...patch }, sort, pinnedIds);
    if (JSON.stringify(next) !== filterKey) prefetchFirstPage(next);
    setTf((f) => ({ ...f, ...patch }));
  };

  const onFiltersRef = useRef(onFilters);
  onFiltersRef.current = onFilters;

  const selectRange = async (from: number, to: number, add: boolean) =>
    select({ type: 'range', rows: await source.loadRange(from, to), add });

  const onRowClick = (index: number, row: TokenRow, mode: ClickMode) => {
    if ((mode === 'range' || mode === 'range-add') && anchor.current !== null) {
      void selectRange(anchor.current, index, mode === 'range-add');
      return;
    }
    anchor.current = index;
    select(mode === 'toggle' || mode === 'range-add' ? { type: 'toggle', row } : { type: 'only', row });
  };

  const selectAllMatching = () => select({ type: 'all' });
  const clearSelection = () => select({ type: 'clear' });

  /** The selected rows themselves (for revoke and export), fetched when "all matching". */
  const selectedRows = async (): Promise<TokenRow[]> => {
    if (!sel.all) return [...sel.ids.values()];
    return collectRows(filters, MAX_BULK, (r) => !sel.except.has(r.rowId));
  };

  // ---- notices, dialogs, drawer ---------------------------------------------------
  const [notice, setNotice] = useState<Notice | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [drawer, setDrawer] = useState<TokenRow | null>(null);
  const importRef = useRef<HTMLInputElement>(null);
  const gridWrap = useRef<HTMLDivElement>(null);
  /** What opened Generate (GenerateDialog sets it); focus goes back there after the token panel. */
  const generateOpener = useRef<HTMLElement | null>(null);

  /** "Rotate…" on the selection: the rows themselves (fetched when "all matching"). */
  const openBulkRotate = async () => {
    try {
      setDialog({ kind: 'bulkRotate', source: { kind: 'rows', rows: await selectedRows() } });
    } catch (e) {
      setNotice({ tone: 'error', title: 'Could not prepare the rotation', text: errorInfo(e).message });
    }
  };

  /** After a bulk revoke or rotation: the selection is spent, and the rows changed. */
  const closeBulkDialog = (changed: boolean) => {
    setDialog(null);
    if (changed) {
      clearSelection();
      refreshAll();
    }
  };

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

  // #/inventory?nudge=stale|never-expires (the Reminders screen's line): those filters, nothing else.
  const nudgeParam = route.params.get('nudge');
  useEffect(() => {
    if (!nudgeParam) return;
    replaceHashParams('inventory', { nudge: null });
    const next = nudgeFilters(nudgeParam);
    if (next) onFiltersRef.current({ ...next, includeImported: false, showRevoked: false });
  }, [nudgeParam]);

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
        else
          setNotice({
            tone: 'error',
            title: 'Token not found',
            text: `There is no token row ${id} in the inventory; it may have been cleared.`,
          });
      })
      .catch((e) => setNotice({ tone: 'error', title: 'Could not open the rotation', text: errorInfo(e).message }));
  }, [rotateParam]);

  // ---- actions --------------------------------------------------------------------
  const columnLayout = useColumnLayout();
  const { retry: retryFailed, retrying } = useRetryFailed({ vaults, setNotice, refreshAll });
  const onFilterVaults = useCallback((ids: string[] | null) => onFiltersRef.current({ connectionIds: ids ?? [] }), []);
  const onFilterGroup = useCallback((group: GroupChoice) => onFiltersRef.current({ group }), []);

  const { sync, onSyncOne, syncing, openRevoke, preparing, onImportFile, importing, clearImported, clearRevoked } =
    useInventoryActions({
      connections,
      vaults,
      withUnlock,
      askSecret,
      setNotice,
      setDialog,
      setTf,
      refreshAll,
      clearSelection,
      selectedRows,
    });

  const onSort = (column: InventorySortColumn) => {
    setSort((s) =>
      s?.column === column
        ? { column, direction: s.direction === 'asc' ? 'desc' : 'asc' }
        : { column, direction: 'asc' },
    );
    gridWrap.current?.querySelector('.vgrid')?.scrollTo({ top: 0 });
  };

  const exportScopes = (): ExportScope[] => {
    const viewLabel = pinnedIds
      ? 'The linked tokens'
      : filtersActive(tf)
        ? 'Tokens matching the current filters'
        : 'All tokens in the list';
    const scopes: ExportScope[] = [{ label: viewLabel, count: total, filters }];
    if (selectedCount > 0) {
      if (sel.all && sel.except.size === 0)
        scopes.push({ label: 'The selected tokens', count: selectedCount, filters });
      else if (!sel.all)
        scopes.push({
          label: 'The selected tokens',
          count: selectedCount,
          filters: { includeImported: true, rowIds: [...sel.ids.keys()], ...(sort ? { sort } : {}) },
        });
      else scopes.push({ label: 'The selected tokens', count: selectedCount, rows: selectedRows });
    }
    return scopes;
  };

  // ---- state of the world ------------------------------------------------------------
  const noConnections = vaults.connections !== undefined && connections.length === 0;
  const anyFilter = filtersActive(tf);
  const firstLoad = source.total === null && !source.error;
  const emptyInventory = source.total === 0 && !anyFilter && !pinnedIds && !source.pending;
  const revokedCount = source.statusCounts?.revoked ?? 0;
  const drawerOffline = drawer?.connectionId ? vaults.health.get(drawer.connectionId)?.reachable === false : false;
  const connectionFor = (row: TokenRow) => (row.connectionId ? vaults.byId.get(row.connectionId) : undefined);
  const byId = vaults.byId;
  const environmentOf = useCallback(
    (row: TokenRow) => (row.connectionId ? connectionEnvironment(byId.get(row.connectionId)) : null),
    [byId],
  );
  const clientOf = useCallback(
    (row: TokenRow) => (row.connectionId ? (byId.get(row.connectionId)?.client ?? null) : null),
    [byId],
  );
  // The Client column shows by default only once some connection has a client (issue 15).
  const anyClient = connections.some((c) => c.client !== null);
  const layout = useMemo(() => resolveLayout(columnLayout.layout, { anyClient }), [columnLayout.layout, anyClient]);
  const lastSync = useMemo(
    () =>
      [...vaults.health.values()]
        .map((h) => h.lastSyncedAt)
        .filter((x): x is string => Boolean(x))
        .sort()
        .pop(),
    [vaults.health],
  );

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
            <button
              type="button"
              className="btn"
              onClick={() => void sync()}
              disabled={syncing || retrying || connections.length === 0}
            >
              {syncing ? 'Syncing…' : 'Sync all'}
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => setDialog({ kind: 'bulkRotate', source: { kind: 'expiring' } })}
              disabled={connections.length === 0}
            >
              Rotate expiring…
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => importRef.current?.click()}
              disabled={importing !== null}
            >
              {importing ? 'Importing…' : 'Import…'}
            </button>
            <input
              ref={importRef}
              type="file"
              accept=".json,application/json"
              className="sr-only"
              tabIndex={-1}
              aria-hidden="true"
              onChange={(e) => void onImportFile(e)}
              data-testid="import-file"
            />
            <button type="button" className="btn" onClick={() => setDialog({ kind: 'export' })} disabled={total === 0}>
              Export…
            </button>
            <button
              type="button"
              className="btn btn--primary"
              onClick={() => setDialog({ kind: 'generate' })}
              disabled={connections.length === 0}
            >
              Generate token
            </button>
          </div>
        </header>

        {importing ? <ImportProgressBanner progress={importing} /> : null}
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
                      {notice.lines.slice(0, NOTICE_LINES).map((l) => (
                        <li key={l}>{l}</li>
                      ))}
                      {notice.lines.length > NOTICE_LINES ? (
                        <li className="muted">
                          and {count(notice.lines.length - NOTICE_LINES)} more: open the Vaults line above for each
                          error
                        </li>
                      ) : null}
                    </ul>
                  ) : null}
                </>
              ) : null}
            </Banner>
          ) : null}
        </div>
        {vaults.error ? (
          <Banner tone="error" title="Could not load connections">
            {vaults.error.message}
          </Banner>
        ) : null}

        {connections.length ? (
          <ConnectionsStrip
            connections={connections}
            health={vaults.health}
            progress={vaults.progress}
            onSync={onSyncOne}
            onRetryFailed={retryFailed}
            retrying={retrying || syncing}
            filteredConnectionIds={tf.connectionIds}
            onFilterVaults={onFilterVaults}
            group={tf.group}
            onFilterGroup={onFilterGroup}
          />
        ) : null}

        {noConnections && emptyInventory ? (
          <EmptyState
            title="No Vault connections yet"
            action={
              <button
                type="button"
                className="btn btn--primary"
                onClick={() => (window.location.hash = '#/connections?add=1')}
              >
                Add your first connection
              </button>
            }
          >
            The inventory lists the API access tokens of every Vault you connect. Add a Vault first, then sync it or
            generate a token. You can also import an export file for offline review.
          </EmptyState>
        ) : (
          <>
            <InventoryToolbar
              filters={tf}
              onChange={onFilters}
              connections={connections}
              statusCounts={source.statusCounts}
              searching={source.pending}
              columns={{ ...columnLayout, layout }}
            />
            {pinnedIds ? (
              <Banner
                tone="info"
                title={`Showing ${plural(pinnedIds.length, 'linked token')}`}
                action={
                  <a className="btn" href="#/inventory">
                    Show all tokens
                  </a>
                }
              >
                Opened from a link to specific tokens; the filters above narrow them further.
                {source.total !== null && source.total < pinnedIds.length
                  ? ` ${pinnedIds.length - source.total} of them are no longer in the inventory.`
                  : ''}
              </Banner>
            ) : null}

            <div className="selection-bar" aria-live="polite">
              {selectedCount > 0 ? (
                <>
                  <strong>
                    {sel.all && sel.except.size === 0
                      ? `All ${count(selectedCount)} matching selected`
                      : `${count(selectedCount)} of ${count(total)} selected`}
                  </strong>
                  {!sel.all && selectedCount < total ? (
                    <button type="button" className="btn btn--small btn--ghost" onClick={selectAllMatching}>
                      Select all {count(total)} matching
                    </button>
                  ) : null}
                  <span className="selection-bar__spacer" />
                  <button
                    type="button"
                    className="btn btn--small btn--ghost-danger"
                    onClick={() => void openRevoke()}
                    disabled={preparing || selectedCount > MAX_BULK}
                  >
                    {preparing ? 'Preparing…' : 'Revoke…'}
                  </button>
                  <button
                    type="button"
                    className="btn btn--small"
                    onClick={() => void openBulkRotate()}
                    disabled={preparing || selectedCount > MAX_ROTATION_TOKENS}
                    title={
                      selectedCount > MAX_ROTATION_TOKENS
                        ? `Rotate at most ${count(MAX_ROTATION_TOKENS)} tokens at once.`
                        : 'Rotate the selected tokens, each checked with Vault before its old token is revoked'
                    }
                  >
                    Rotate…
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
                  {source.total
                    ? ' · click to select, shift-click for a range, ctrl/⌘-click to add · Enter or double-click for details'
                    : ''}
                </span>
              )}
            </div>

            <LoadState
              resource={{
                data: source.total ?? undefined,
                error: source.error,
                loading: firstLoad,
                reload: source.refresh,
              }}
              what="the inventory"
              isEmpty={(n) => n === 0 && !source.pending}
              empty={
                emptyInventory ? (
                  <EmptyState
                    title="No tokens in the inventory yet"
                    action={
                      <div className="empty__actions">
                        <button
                          type="button"
                          className="btn btn--primary"
                          onClick={() => void sync()}
                          disabled={syncing || connections.length === 0}
                        >
                          Sync all Vaults
                        </button>
                        <button
                          type="button"
                          className="btn"
                          onClick={() => setDialog({ kind: 'generate' })}
                          disabled={connections.length === 0}
                        >
                          Generate a token
                        </button>
                      </div>
                    }
                  >
                    Sync to list the tokens that already exist in your Vaults, or generate a new one.
                    {tf.includeImported ? '' : ' Imported rows are hidden; tick “Show imported” to see them.'}
                  </EmptyState>
                ) : (
                  <EmptyState
                    title="No tokens match"
                    action={
                      <button type="button" className="btn" onClick={() => setTf(clearedFilters)}>
                        Clear filters
                      </button>
                    }
                  >
                    Nothing in the inventory matches these filters
                    {tf.includeImported ? '' : ' (imported rows are hidden)'}.
                  </EmptyState>
                )
              }
            >
              {() => (
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
                      select({ type: 'toggle', row });
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
                    layout={layout}
                    onResizeColumn={columnLayout.setWidth}
                    environmentOf={environmentOf}
                    clientOf={clientOf}
                  />
                </div>
              )}
            </LoadState>

            <footer className="inventory-footer">
              <span className="muted">{source.pending || source.loading ? 'Loading…' : ''}</span>
              <span className="selection-bar__spacer" />
              {revokedCount > 0 ? (
                <button
                  type="button"
                  className="btn btn--small btn--ghost"
                  onClick={() => setDialog({ kind: 'clearRevoked' })}
                >
                  Clear revoked…
                </button>
              ) : null}
              {tf.includeImported ? (
                <button
                  type="button"
                  className="btn btn--small btn--ghost"
                  onClick={() => setDialog({ kind: 'clearImported' })}
                >
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
          onOpenRow={setDrawer}
        />
      ) : null}

      {dialog?.kind === 'generate' ? (
        <GenerateDialog
          connections={connections}
          health={vaults.health}
          selectedConnectionIds={sel.all ? [] : [...sel.ids.values()].map((r) => r.connectionId)}
          filteredConnectionIds={tf.connectionIds}
          openerRef={generateOpener}
          onClose={() => setDialog(null)}
          onRecheck={vaults.reload}
          onGenerated={(result, ownerLabel) => {
            setDialog({ kind: 'result', result, ownerLabel });
            refreshAll();
          }}
          onGeneratedMany={(outcomes, name) => {
            setDialog({ kind: 'results', outcomes, name });
            refreshAll();
          }}
        />
      ) : null}
      {dialog?.kind === 'results' ? (
        <GenerateResultsDialog
          outcomes={dialog.outcomes}
          name={dialog.name}
          connections={connections}
          returnFocusTo={generateOpener}
          onClose={() => {
            const made = dialog.outcomes.filter((o) => o.ok).length;
            setNotice({
              tone: made === dialog.outcomes.length ? 'success' : 'info',
              title: `Generated “${dialog.name}” in ${made} of ${dialog.outcomes.length} Vaults`,
              text: dialog.outcomes
                .filter((o) => !o.ok)
                .map((o) => `${o.connectionName}: ${o.error?.message ?? 'not generated'}`)
                .join(' '),
            });
            setDialog(null);
            refreshAll();
          }}
        />
      ) : null}
      {dialog?.kind === 'result' ? (
        <TokenResultDialog
          result={dialog.result}
          ownerLabel={dialog.ownerLabel}
          returnFocusTo={generateOpener}
          onClose={() => {
            const t = dialog.result.token;
            setNotice({
              tone: 'success',
              title: `Generated “${t.name}”`,
              text: `Token ${t.tokenId} for ${t.userName ?? dialog.ownerLabel} in ${t.connectionName}.`,
            });
            setDialog(null);
            refreshAll();
          }}
        />
      ) : null}
      {dialog?.kind === 'revoke' ? (
        <RevokeDialog rows={dialog.rows} environmentOf={environmentOf} onClose={closeBulkDialog} />
      ) : null}
      {dialog?.kind === 'rotate' ? (
        <RotateDialog
          row={dialog.row}
          connection={connectionFor(dialog.row)}
          onClose={(message) => {
            setDialog(null);
            if (message) {
              setNotice({
                tone: message.startsWith('Rotated') ? 'success' : 'warn',
                title: message.startsWith('Rotated') ? 'Rotation complete' : 'Rotation not finished',
                text: message,
              });
              refreshAll();
            }
          }}
        />
      ) : null}
      {dialog?.kind === 'bulkRotate' ? <BulkRotateDialog source={dialog.source} onClose={closeBulkDialog} /> : null}
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
        <ConfirmDialog
          title="Clear imported tokens?"
          confirmLabel="Clear imported"
          danger
          onConfirm={() => void clearImported()}
          onCancel={() => setDialog(null)}
        >
          <p>
            Removes every imported (read-only) row from this computer’s inventory. Nothing changes in any Vault, and
            tokens you synced or generated stay.
          </p>
        </ConfirmDialog>
      ) : null}
      {dialog?.kind === 'clearRevoked' ? (
        <ConfirmDialog
          title="Clear revoked tokens?"
          confirmLabel="Clear revoked"
          danger
          onConfirm={() => void clearRevoked()}
          onCancel={() => setDialog(null)}
        >
          <p>
            Removes revoked tokens from this computer’s inventory. They are already revoked in Vault; nothing changes
            there.
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
