/**
 * The virtual token table: an ARIA grid whose rows are drawn only while in
 * view (TanStack Virtual), fed page by page from main (lib/inventory-source).
 * 100,000 rows cost the same as 50: the scroller's height is total × 32 px and
 * only the ~40 rows on screen exist in the DOM.
 */
import { useEffect, useLayoutEffect, useRef, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { InventorySortColumn, TokenRow } from '../../../shared/tokens';
import { MAX_ACTIVE_TOKENS_PER_USER } from '../../../shared/tokens';
import { StatusPill } from '../components/StatusPill';
import { count, expiryText, relative, utc } from '../lib/format';

export const ROW_HEIGHT = 32;

export interface GridSource {
  total: number | null;
  rowAt(index: number): TokenRow | undefined;
  ensureRange(start: number, end: number): void;
  version: number;
}

/** replace: plain click; toggle: ctrl/cmd-click or checkbox; range: shift-click; range-add: ctrl+shift-click or shift-click on a checkbox. */
export type ClickMode = 'replace' | 'toggle' | 'range' | 'range-add';

export type SortState = { column: InventorySortColumn; direction: 'asc' | 'desc' } | null;

interface Column {
  id: InventorySortColumn;
  label: string;
  cell: (row: TokenRow) => ReactNode;
  title?: (row: TokenRow) => string | undefined;
  className?: string;
}

function UserCell({ row }: { row: TokenRow }) {
  const n = row.userActiveCount;
  const label = row.userName ?? row.userId;
  return (
    <>
      <span className="cell-text">{label}</span>
      {n >= 20 && !row.readOnly ? (
        <span
          className={`pill ${n >= MAX_ACTIVE_TOKENS_PER_USER ? 'pill--danger' : 'pill--warn'} pill--count`}
          title={
            n >= MAX_ACTIVE_TOKENS_PER_USER
              ? `At Vault’s limit: ${label} holds ${n} active tokens and cannot get another`
              : `${label} holds ${n} of at most ${MAX_ACTIVE_TOKENS_PER_USER} active tokens`
          }
        >
          {n}/{MAX_ACTIVE_TOKENS_PER_USER}
          <span className="sr-only"> active tokens</span>
        </span>
      ) : null}
    </>
  );
}

export const COLUMNS: Column[] = [
  {
    id: 'connection',
    label: 'Vault',
    cell: (r) => <span className="cell-text">{r.connectionName}</span>,
    title: (r) =>
      `${r.connectionName} — ${r.vaultDns}${r.vaultId ? ` (Vault ${r.vaultId})` : ''}${r.sandboxName ? ` — sandbox ${r.sandboxName}` : ''}`,
  },
  {
    id: 'user',
    label: 'User',
    cell: (r) => <UserCell row={r} />,
    title: (r) => `${r.userName ?? ''} (user id ${r.userId})`,
  },
  { id: 'name', label: 'Name', cell: (r) => <span className="cell-text">{r.name}</span>, title: (r) => r.name },
  {
    id: 'tokenId',
    label: 'Token id',
    cell: (r) => <span className="cell-text mono">{r.tokenId}</span>,
    title: (r) => r.tokenId,
  },
  { id: 'status', label: 'Status', cell: (r) => <StatusPill row={r} /> },
  {
    id: 'expiresAt',
    label: 'Expires',
    cell: (r) => (
      <span
        className={`cell-text${r.status === 'expired' ? ' text-danger' : r.status === 'expiring' ? ' text-warn' : ''}`}
      >
        {expiryText(r)}
      </span>
    ),
    title: (r) => (r.expiresAt ? `Expires ${utc(r.expiresAt)}` : 'This token never expires'),
  },
  {
    id: 'lastUsedAt',
    label: 'Last used',
    cell: (r) => <span className="cell-text">{relative(r.lastUsedAt, 'never')}</span>,
    title: (r) => (r.lastUsedAt ? utc(r.lastUsedAt) : 'Not used since it was created (as far as Vault reports)'),
  },
  {
    id: 'secretStored',
    label: 'Secret',
    cell: (r) =>
      r.secretStored ? <span className="cell-text">yes</span> : <span className="cell-text muted">not stored</span>,
    title: (r) =>
      r.secretStored
        ? 'The value is in this computer’s keychain'
        : 'This computer does not hold the value (created elsewhere, or not saved)',
  },
  {
    id: 'lastSyncedAt',
    label: 'Last synced',
    cell: (r) => <span className="cell-text">{relative(r.lastSyncedAt, '—')}</span>,
    title: (r) => (r.lastSyncedAt ? utc(r.lastSyncedAt) : 'Not seen by a sync yet'),
  },
];

export interface InventoryGridProps {
  source: GridSource;
  label: string;
  sort: SortState;
  onSort: (column: InventorySortColumn) => void;
  isSelected: (row: TokenRow) => boolean;
  headerCheck: 'all' | 'some' | 'none';
  onHeaderCheck: () => void;
  focusedIndex: number;
  onFocusIndex: (index: number) => void;
  onRowClick: (index: number, row: TokenRow, mode: ClickMode) => void;
  onToggleKey: (index: number, row: TokenRow) => void;
  onExtendKey: (fromIndex: number, toIndex: number) => void;
  onOpen: (row: TokenRow) => void;
  onSelectAllKey: () => void;
  /** Escape: close the details, else clear the selection. */
  onEscape: () => void;
  busy: boolean;
}

export function InventoryGrid(props: InventoryGridProps) {
  const { source } = props;
  const total = source.total ?? 0;
  const scrollRef = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: ROW_HEIGHT,
    initialRect: { width: 1000, height: 600 },
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (total > 0) source.ensureRange(first, last);
    // source.version: re-check after each page lands (a refresh drops stale pages).
    // eslint-disable-next-line react-hooks/exhaustive-deps -- source.version is the trigger (re-check after each page lands); the lint cannot see it is read by ensureRange
  }, [first, last, total, source.version, source.ensureRange]);

  // Keep the focused row in view (below the sticky header).
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || props.focusedIndex < 0 || props.focusedIndex >= total) return;
    const top = ROW_HEIGHT + props.focusedIndex * ROW_HEIGHT;
    if (top - ROW_HEIGHT < el.scrollTop) el.scrollTop = top - ROW_HEIGHT;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  }, [props.focusedIndex, total]);

  const pageRows = () => Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 320) / ROW_HEIGHT) - 2);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget || total === 0) return;
    const current = Math.min(Math.max(props.focusedIndex, 0), total - 1);
    let next: number | null = null;
    switch (e.key) {
      case 'ArrowDown':
        next = Math.min(total - 1, props.focusedIndex < 0 ? 0 : current + 1);
        break;
      case 'ArrowUp':
        next = Math.max(0, current - 1);
        break;
      case 'PageDown':
        next = Math.min(total - 1, current + pageRows());
        break;
      case 'PageUp':
        next = Math.max(0, current - pageRows());
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = total - 1;
        break;
      case ' ':
      case 'Spacebar': {
        e.preventDefault();
        const row = source.rowAt(current);
        if (row) props.onToggleKey(current, row);
        return;
      }
      case 'Enter': {
        e.preventDefault();
        const row = source.rowAt(current);
        if (row) props.onOpen(row);
        return;
      }
      case 'Escape':
        e.preventDefault();
        props.onEscape();
        return;
      case 'a':
      case 'A':
        if (e.ctrlKey || e.metaKey) {
          e.preventDefault();
          props.onSelectAllKey();
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    if (e.shiftKey) props.onExtendKey(current, next);
    props.onFocusIndex(next);
  };

  const onRowMouse = (index: number, row: TokenRow, e: MouseEvent) => {
    scrollRef.current?.focus({ preventScroll: true });
    props.onFocusIndex(index);
    props.onRowClick(
      index,
      row,
      e.shiftKey ? (e.ctrlKey || e.metaKey ? 'range-add' : 'range') : e.ctrlKey || e.metaKey ? 'toggle' : 'replace',
    );
  };

  const ariaSort = (id: InventorySortColumn) =>
    props.sort?.column === id ? (props.sort.direction === 'asc' ? 'ascending' : 'descending') : 'none';

  return (
    <div
      ref={scrollRef}
      className="vgrid"
      role="grid"
      aria-label={props.label}
      aria-rowcount={total + 1}
      aria-colcount={COLUMNS.length + 1}
      aria-multiselectable="true"
      aria-busy={props.busy}
      aria-activedescendant={
        props.focusedIndex >= 0 && props.focusedIndex < total ? `inv-row-${props.focusedIndex}` : undefined
      }
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="vgrid__inner" style={{ height: ROW_HEIGHT + virtualizer.getTotalSize() }}>
        <div role="rowgroup" className="vgrid__head">
          <div role="row" aria-rowindex={1} className="vrow vrow--head">
            <div role="columnheader" className="vcell vcell--check">
              <input
                type="checkbox"
                aria-label="Select all matching"
                checked={props.headerCheck === 'all'}
                ref={(el) => {
                  if (el) el.indeterminate = props.headerCheck === 'some';
                }}
                onChange={props.onHeaderCheck}
                disabled={total === 0}
              />
            </div>
            {COLUMNS.map((c) => (
              <div key={c.id} role="columnheader" aria-sort={ariaSort(c.id)} className="vcell">
                <button
                  type="button"
                  className="sort-btn"
                  onClick={() => props.onSort(c.id)}
                  title={`Sort by ${c.label.toLowerCase()}`}
                >
                  {c.label}
                  <span className="sort-btn__mark" aria-hidden="true">
                    {props.sort?.column === c.id ? (props.sort.direction === 'asc' ? '▲' : '▼') : ''}
                  </span>
                </button>
              </div>
            ))}
          </div>
        </div>
        <div role="rowgroup" className="vgrid__body">
          {items.map((item) => {
            const row = source.rowAt(item.index);
            const focused = item.index === props.focusedIndex;
            const y = item.start - ROW_HEIGHT;
            if (!row) {
              return (
                <div
                  key={`p${item.index}`}
                  id={`inv-row-${item.index}`}
                  role="row"
                  aria-rowindex={item.index + 2}
                  className={`vrow vrow--placeholder${focused ? ' vrow--focused' : ''}`}
                  style={{ transform: `translateY(${y}px)` }}
                >
                  <div role="gridcell" className="vcell vcell--check" />
                  <div role="gridcell" className="vcell vcell--loading" aria-colspan={COLUMNS.length}>
                    <span className="skeleton" aria-hidden="true" />
                    <span className="sr-only">Loading row {count(item.index + 1)}</span>
                  </div>
                </div>
              );
            }
            const selected = props.isSelected(row);
            return (
              <div
                key={row.rowId}
                id={`inv-row-${item.index}`}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={selected}
                data-row-id={row.rowId}
                className={`vrow${selected ? ' vrow--selected' : ''}${focused ? ' vrow--focused' : ''}${row.status === 'revoked' ? ' vrow--revoked' : ''}`}
                style={{ transform: `translateY(${y}px)` }}
                onClick={(e) => onRowMouse(item.index, row, e)}
                onDoubleClick={() => props.onOpen(row)}
                onMouseDown={(e) => {
                  if (e.shiftKey) e.preventDefault(); // no text selection on shift-click
                }}
              >
                <div role="gridcell" className="vcell vcell--check">
                  <input
                    type="checkbox"
                    tabIndex={-1}
                    aria-label={`Select ${row.name}`}
                    checked={selected}
                    onClick={(e) => {
                      e.stopPropagation();
                      scrollRef.current?.focus({ preventScroll: true });
                      props.onFocusIndex(item.index);
                      props.onRowClick(item.index, row, e.shiftKey ? 'range-add' : 'toggle');
                    }}
                    onChange={() => undefined}
                  />
                </div>
                {COLUMNS.map((c) => (
                  <div
                    key={c.id}
                    role="gridcell"
                    className={`vcell${c.className ? ` ${c.className}` : ''}`}
                    title={c.title?.(row)}
                  >
                    {c.cell(row)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
