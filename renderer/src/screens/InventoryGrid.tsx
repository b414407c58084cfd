/**
 * The virtual token table: an ARIA grid whose rows are drawn only while in
 * view (useRowWindow below), fed page by page from main (lib/inventory-source).
 * 100,000 rows cost the same as 50: the scroller's height is total × 32 px and
 * only the ~20 rows on screen (and a few beyond) exist in the DOM.
 */
import { nextRowIndex } from '../lib/grid-navigation';
import {
  memo,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { flushSync } from 'react-dom';
import type { InventorySortColumn, TokenRow } from '../../../shared/tokens';
import { MAX_ACTIVE_TOKENS_PER_USER } from '../../../shared/tokens';
import { StatusPill } from '../components/StatusPill';
import { count, daysText, expiryText, localDate, relative, utc } from '../lib/format';
import { compactRelative } from '../lib/compact-time';
import {
  columnSpec,
  gridTemplate,
  minimumRowWidth,
  visibleColumns,
  type ColumnId,
  type ColumnLayout,
} from '../lib/column-layout';
import type { Environment } from '../lib/environment';
import { ColumnResizeHandle } from './inventory/ColumnResizeHandle';
import { EnvironmentTag } from './inventory/EnvironmentTag';
import { MiddleTruncate } from './inventory/MiddleTruncate';

export const ROW_HEIGHT = 32;
/** Rows drawn beyond each edge of the view, so scrolling rarely shows a row being built. */
const OVERSCAN = 4;

export interface GridSource {
  total: number | null;
  rowAt(index: number): TokenRow | undefined;
  ensureRange(start: number, end: number): void;
  version: number;
}

/** replace: plain click; toggle: ctrl/cmd-click or checkbox; range: shift-click; range-add: ctrl+shift-click or shift-click on a checkbox. */
export type ClickMode = 'replace' | 'toggle' | 'range' | 'range-add';

export type SortState = { column: InventorySortColumn; direction: 'asc' | 'desc' } | null;

/** What a row's cells show of its connection's client group (issue 15). */
interface RowGroup {
  environment: Environment | null;
  client: string | null;
}

interface ColumnCell {
  cell: (row: TokenRow, group: RowGroup) => ReactNode;
  title?: (row: TokenRow, group: RowGroup) => string | undefined;
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

/** The Vault as a person names it, then where it is: the hover title and the focus tooltip. */
export function vaultTitle(r: TokenRow): string {
  return `${r.connectionName} — ${r.vaultDns}${r.vaultId ? ` (Vault ${r.vaultId})` : ''}${r.sandboxName ? ` — sandbox ${r.sandboxName}` : ''}`;
}

/** Token record ids share their first digits: the last six tell them apart (docs/vault-api.md §1.2). */
const TOKEN_ID_TAIL = 6;

/** What each column draws; which columns show, in what order and how wide, is lib/column-layout.ts. */
const CELLS: Record<ColumnId, ColumnCell> = {
  client: {
    cell: (_r, { client }) =>
      client ? <span className="cell-text">{client}</span> : <span className="cell-text muted">none</span>,
    title: (_r, { client }) => (client ? `Client ${client}` : 'No client set for this Vault'),
  },
  connection: {
    cell: (r, { environment }) => (
      <>
        <EnvironmentTag environment={environment} />
        <MiddleTruncate text={r.connectionName} />
      </>
    ),
    title: vaultTitle,
    className: 'vcell--vault',
  },
  user: {
    cell: (r) => <UserCell row={r} />,
    title: (r) => `${r.userName ?? ''} (user id ${r.userId})`,
  },
  name: { cell: (r) => <span className="cell-text">{r.name}</span>, title: (r) => r.name },
  tokenId: {
    cell: (r) => <MiddleTruncate className="mono" text={r.tokenId} maxTail={TOKEN_ID_TAIL} />,
    title: (r) => r.tokenId,
  },
  status: { cell: (r) => <StatusPill row={r} /> },
  expiresAt: {
    // Date and days left; in a narrow column the days go to a second line (inventory.css).
    cell: (r) => {
      const tone = r.status === 'expired' ? ' text-danger' : r.status === 'expiring' ? ' text-warn' : '';
      // A revoked token never counts down (issue 13, item 9): "revoked · was to expire …".
      if (r.status === 'revoked' || !r.expiresAt || r.daysLeft === null)
        return <span className={`cell-text${tone}`}>{expiryText(r)}</span>;
      return (
        <span className={`expiry${tone}`}>
          <span>{localDate(r.expiresAt)}</span>
          <span className="expiry__sep"> · </span>
          <span className="expiry__days">{daysText(r.daysLeft)}</span>
        </span>
      );
    },
    title: (r) => (r.expiresAt ? `Expires ${utc(r.expiresAt)}` : 'This token never expires'),
    className: 'vcell--expires',
  },
  lastUsedAt: {
    cell: (r) => <span className="cell-text">{compactRelative(r.lastUsedAt, 'never')}</span>,
    title: (r) =>
      r.lastUsedAt
        ? `Last used ${relative(r.lastUsedAt)}, ${utc(r.lastUsedAt)}`
        : 'Not used since it was created (as far as Vault reports)',
  },
  secretStored: {
    cell: (r) =>
      r.secretStored ? <span className="cell-text">stored</span> : <span className="cell-text muted">not stored</span>,
    title: (r) =>
      r.secretStored
        ? 'The value is in this computer’s keychain'
        : 'This computer does not hold the value (created elsewhere, or not saved)',
  },
  lastSyncedAt: {
    cell: (r) => <span className="cell-text">{compactRelative(r.lastSyncedAt)}</span>,
    title: (r) => (r.lastSyncedAt ? `Last synced ${utc(r.lastSyncedAt)}` : 'Not seen by a sync yet'),
  },
};

/** Shown beside the focused row while the grid has focus: the full Vault name for keyboard users. */
const VAULT_TIP_ID = 'inv-vault-tip';

/** What a row does when clicked; one object for the grid's lifetime, so rows can skip re-rendering. */
interface RowActions {
  click(index: number, row: TokenRow, e: MouseEvent): void;
  check(index: number, row: TokenRow, e: MouseEvent): void;
  open(row: TokenRow): void;
}

/**
 * One row, or its placeholder while its page loads. Keyed by position: a new search or sort
 * rewrites the rows already on screen instead of building new ones, and a row whose data,
 * selection and focus did not change is not rendered again (memo).
 */
const GridRow = memo(function GridRow(props: {
  index: number;
  row: TokenRow | undefined;
  y: number;
  selected: boolean;
  focused: boolean;
  actions: RowActions;
  columns: readonly ColumnId[];
  environment: Environment | null;
  client: string | null;
  /** The focused row's Vault tooltip: below the row, above it (near the bottom of the view), or none. */
  tip: 'below' | 'above' | null;
}) {
  const { index, row, y, selected, focused, actions, columns, environment, client, tip } = props;
  if (!row) {
    return (
      <div
        id={`inv-row-${index}`}
        role="row"
        aria-rowindex={index + 2}
        className={`vrow vrow--placeholder${focused ? ' vrow--focused' : ''}`}
        style={{ transform: `translateY(${y}px)` }}
      >
        <div role="gridcell" className="vcell vcell--check" />
        <div role="gridcell" className="vcell vcell--loading" aria-colspan={columns.length}>
          <span className="skeleton" aria-hidden="true" />
          <span className="sr-only">Loading row {count(index + 1)}</span>
        </div>
      </div>
    );
  }
  return (
    <div
      id={`inv-row-${index}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-row-id={row.rowId}
      className={`vrow${selected ? ' vrow--selected' : ''}${focused ? ' vrow--focused' : ''}${row.status === 'revoked' ? ' vrow--revoked' : ''}`}
      style={{ transform: `translateY(${y}px)` }}
      aria-describedby={tip ? VAULT_TIP_ID : undefined}
      onClick={(e) => actions.click(index, row, e)}
      onDoubleClick={() => actions.open(row)}
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
          onClick={(e) => actions.check(index, row, e)}
          onChange={() => undefined}
        />
      </div>
      {columns.map((id) => {
        const c = CELLS[id];
        const group = { environment, client };
        return (
          <div
            key={id}
            role="gridcell"
            className={`vcell${c.className ? ` ${c.className}` : ''}`}
            title={c.title?.(row, group)}
          >
            {c.cell(row, group)}
            {id === 'connection' && tip ? (
              <span id={VAULT_TIP_ID} role="tooltip" className={`vault-tip vault-tip--${tip}`}>
                {vaultTitle(row)}
              </span>
            ) : null}
          </div>
        );
      })}
    </div>
  );
});

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
  layout: ColumnLayout;
  onResizeColumn: (id: ColumnId, px: number) => void;
  /** The environment tag of a row's Vault (issue 15 adds it; null until then). */
  environmentOf?: (row: TokenRow) => Environment | null;
  /** The client of a row's Vault (client groups, issue 15), for the Client column. */
  clientOf?: (row: TokenRow) => string | null;
}

/** First and last row index drawn (inclusive); last < first when there are no rows. */
interface RowRange {
  first: number;
  last: number;
}

function rowRange(count: number, scrollTop: number, viewHeight: number): RowRange {
  // Row i spans ROW_HEIGHT × (i + 1) … ROW_HEIGHT × (i + 2) of the scroller (the header row comes first).
  // Fewer rows than the offset reaches (a narrower search): the browser is about to scroll back to
  // the new end, so draw the rows there.
  const top = Math.min(scrollTop, Math.max(0, (count + 1) * ROW_HEIGHT - viewHeight)) - ROW_HEIGHT;
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count - 1, Math.ceil((top + viewHeight) / ROW_HEIGHT) - 1 + OVERSCAN);
  return { first: Math.min(first, Math.max(0, last)), last };
}

/**
 * The rows in view of the scroller, plus OVERSCAN on each side. Every row is ROW_HEIGHT tall, so
 * this is arithmetic on the scroll offset and the view's height: nothing is kept per row, and a
 * new row count (a search) costs nothing whether it is 10 or 100,000.
 */
function useRowWindow(
  scrollRef: RefObject<HTMLDivElement | null>,
  count: number,
): RowRange & { view: { top: number; height: number } } {
  // Until the scroller is measured (before the first paint): a typical view.
  const view = useRef({ top: 0, height: 600 });
  const [, setTick] = useState(0);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    // Re-render only when the rows to draw change, and at once while scrolling (no blank rows).
    const update = (sync: boolean) => {
      const before = rowRange(Infinity, view.current.top, view.current.height);
      view.current = { top: el.scrollTop, height: el.clientHeight };
      const after = rowRange(Infinity, view.current.top, view.current.height);
      if (before.first === after.first && before.last === after.last) return;
      if (sync) flushSync(() => setTick((t) => t + 1));
      else setTick((t) => t + 1);
    };
    update(false);
    const onScroll = () => update(true);
    el.addEventListener('scroll', onScroll, { passive: true });
    const resize = new ResizeObserver(() => update(false));
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      resize.disconnect();
    };
  }, [scrollRef]);

  return { ...rowRange(count, view.current.top, view.current.height), view: view.current };
}

export function InventoryGrid(props: InventoryGridProps) {
  const { source } = props;
  const total = source.total ?? 0;
  const scrollRef = useRef<HTMLDivElement>(null);

  const { first, last, view } = useRowWindow(scrollRef, total);
  const columns = useMemo(() => visibleColumns(props.layout).map((c) => c.id), [props.layout]);
  const template = gridTemplate(props.layout);
  const minWidth = minimumRowWidth(props.layout);
  // The focused row's tooltip goes above it in the lower part of the view, where below would be cut off.
  const tipFor = (index: number): 'below' | 'above' =>
    (index + 2) * ROW_HEIGHT - view.top > view.height - 2 * ROW_HEIGHT ? 'above' : 'below';

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
    const next = nextRowIndex(e.key, props.focusedIndex, total, pageRows());
    if (next !== null) {
      e.preventDefault();
      if (e.shiftKey) props.onExtendKey(current, next);
      props.onFocusIndex(next);
      return;
    }
    switch (e.key) {
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
  };

  // Rows call the latest props through this ref, so the actions object never changes.
  const latest = useRef(props);
  latest.current = props;
  const actions = useRef<RowActions>({
    click(index, row, e) {
      scrollRef.current?.focus({ preventScroll: true });
      latest.current.onFocusIndex(index);
      latest.current.onRowClick(
        index,
        row,
        e.shiftKey ? (e.ctrlKey || e.metaKey ? 'range-add' : 'range') : e.ctrlKey || e.metaKey ? 'toggle' : 'replace',
      );
    },
    check(index, row, e) {
      e.stopPropagation();
      scrollRef.current?.focus({ preventScroll: true });
      latest.current.onFocusIndex(index);
      latest.current.onRowClick(index, row, e.shiftKey ? 'range-add' : 'toggle');
    },
    open(row) {
      latest.current.onOpen(row);
    },
  }).current;

  const ariaSort = (id: InventorySortColumn) =>
    props.sort?.column === id ? (props.sort.direction === 'asc' ? 'ascending' : 'descending') : 'none';

  return (
    <div
      ref={scrollRef}
      className="vgrid"
      role="grid"
      aria-label={props.label}
      aria-rowcount={total + 1}
      aria-colcount={columns.length + 1}
      aria-multiselectable="true"
      aria-busy={props.busy}
      aria-activedescendant={
        props.focusedIndex >= 0 && props.focusedIndex < total ? `inv-row-${props.focusedIndex}` : undefined
      }
      tabIndex={0}
      onKeyDown={onKeyDown}
      style={{ '--cols': template } as CSSProperties}
    >
      <div className="vgrid__inner" style={{ height: ROW_HEIGHT + total * ROW_HEIGHT, minWidth }}>
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
            {columns.map((id) => {
              const label = columnSpec(id).label;
              return (
                <div key={id} role="columnheader" aria-sort={ariaSort(id)} className="vcell" data-column={id}>
                  <button
                    type="button"
                    className="sort-btn"
                    onClick={() => props.onSort(id)}
                    title={`Sort by ${label.toLowerCase()}`}
                  >
                    {label}
                    {props.sort?.column === id ? (
                      <span className="sort-btn__mark" aria-hidden="true">
                        {props.sort.direction === 'asc' ? '▲' : '▼'}
                      </span>
                    ) : null}
                  </button>
                  <ColumnResizeHandle id={id} label={label} onResize={props.onResizeColumn} />
                </div>
              );
            })}
          </div>
        </div>
        <div role="rowgroup" className="vgrid__body">
          {Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => {
            const index = first + i;
            const row = source.rowAt(index);
            return (
              <GridRow
                key={index}
                index={index}
                row={row}
                y={index * ROW_HEIGHT}
                selected={row ? props.isSelected(row) : false}
                focused={index === props.focusedIndex}
                actions={actions}
                columns={columns}
                environment={row ? (props.environmentOf?.(row) ?? null) : null}
                client={row ? (props.clientOf?.(row) ?? null) : null}
                tip={index === props.focusedIndex && row ? tipFor(index) : null}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
