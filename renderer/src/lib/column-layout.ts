/**
 * The inventory grid's columns as a person arranges them (issue 13, item 2): which show, and how
 * wide each is. Pure functions over a small plain object, so the rules are unit tested
 * (test/unit/column-layout.test.ts) and the object can be kept in localStorage (it holds no
 * secret: column ids and pixel widths only).
 *
 * A column nobody has resized shares the grid's width with the others (`minmax(fit, flex fr)`),
 * so by default the visible columns fit a 1024 px window without a sideways scroll; a column
 * that was resized keeps its exact width.
 */
import type { InventorySortColumn } from '../../../shared/tokens';

export type ColumnId = InventorySortColumn;

export interface ColumnSpec {
  id: ColumnId;
  label: string;
  /** Width (px) an unresized column never shrinks below: the defaults' minimums add up to fit 1024 px. */
  fit: number;
  /** Share of the spare width an unresized column takes. */
  flex: number;
  /** Narrowest a person can make it (px). */
  floor: number;
  /** Always shown: the columns that say which token a row is. */
  required?: boolean;
  hiddenByDefault?: boolean;
  /** Shown by default only when some connection has a client (client groups, issue 15). */
  shownWhenClients?: boolean;
  /** Hidden by default while some connection has a client, to make room for the Client column. */
  hiddenWhenClients?: boolean;
}

/**
 * In display order, Vault first (after the Client, when that shows): it is what tells two otherwise
 * alike rows apart. The default `fit` widths add up to 742 px (+ the 28 px check column): a 1024 px
 * window leaves the grid about 790 px, less its scrollbar; each also holds its header (label, sort
 * mark and resize handle). With clients, the Client column (72 px) takes the place of Token id (84 px,
 * also in the details drawer and found by search), so the defaults still fit (issue 13, item 2).
 * "Last synced" is in the details drawer instead, unless chosen here.
 */
export const COLUMN_SPECS: readonly ColumnSpec[] = [
  // Client groups (issue 15). Sorting by it is the inventory's "group by client": rows of one
  // client (then environment, then Vault) come together. Headings between groups would make the
  // virtual grid's rows uneven, and its scroll arithmetic (one ROW_HEIGHT each) is what keeps
  // 100,000 rows cheap; so a sort, not headings.
  { id: 'client', label: 'Client', fit: 72, flex: 1.2, floor: 56, shownWhenClients: true },
  { id: 'connection', label: 'Vault', fit: 128, flex: 2.4, floor: 72, required: true },
  { id: 'user', label: 'User', fit: 78, flex: 1.4, floor: 56 },
  { id: 'name', label: 'Name', fit: 92, flex: 2, floor: 64, required: true },
  { id: 'tokenId', label: 'Token id', fit: 84, flex: 1.5, floor: 56, hiddenWhenClients: true },
  { id: 'status', label: 'Status', fit: 104, flex: 0.9, floor: 64 },
  { id: 'expiresAt', label: 'Expires', fit: 90, flex: 2, floor: 64 },
  { id: 'lastUsedAt', label: 'Last used', fit: 92, flex: 1.2, floor: 56 },
  { id: 'secretStored', label: 'Secret', fit: 74, flex: 0.6, floor: 56 },
  { id: 'lastSyncedAt', label: 'Last synced', fit: 108, flex: 0.8, floor: 56, hiddenByDefault: true },
];

export const CHECK_COLUMN_PX = 28;
/** Widest a column can be made (px). */
export const COLUMN_MAX_PX = 720;
/** Arrow keys move a column edge by this much; with Shift, by the big step (WAI-ARIA APG window splitter). */
export const RESIZE_STEP_PX = 8;
export const RESIZE_BIG_STEP_PX = 40;

export interface ColumnLayout {
  /** Pixel widths of the columns a person resized; the others share the width. */
  widths: Partial<Record<ColumnId, number>>;
  /** Columns turned off in the Columns menu. */
  hidden: ColumnId[];
  /** Columns whose default depends on clients (`shownWhenClients`, `hiddenWhenClients`), turned on in the menu. */
  shown: ColumnId[];
}

export const DEFAULT_LAYOUT: ColumnLayout = {
  widths: {},
  hidden: COLUMN_SPECS.filter((c) => c.hiddenByDefault).map((c) => c.id),
  shown: [],
};

/** What a default depends on: whether any connection has a client. */
export interface LayoutContext {
  anyClient: boolean;
}

/**
 * The layout as drawn: a `shownWhenClients` column nobody chose shows only while some connection
 * has a client, and a `hiddenWhenClients` one only while none has; one turned on or off in the
 * menu stays so.
 */
export function resolveLayout(layout: ColumnLayout, context: LayoutContext): ColumnLayout {
  const off = COLUMN_SPECS.filter(
    (c) =>
      (context.anyClient ? c.hiddenWhenClients : c.shownWhenClients) &&
      !layout.shown.includes(c.id) &&
      !layout.hidden.includes(c.id),
  ).map((c) => c.id);
  return off.length > 0 ? { ...layout, hidden: [...layout.hidden, ...off] } : layout;
}

const dependsOnClients = (c: ColumnSpec): boolean => Boolean(c.shownWhenClients || c.hiddenWhenClients);

const SPEC_BY_ID = new Map(COLUMN_SPECS.map((c) => [c.id, c]));

export function columnSpec(id: ColumnId): ColumnSpec {
  const spec = SPEC_BY_ID.get(id);
  if (!spec) throw new Error(`unknown column ${id}`);
  return spec;
}

function isColumnId(value: unknown): value is ColumnId {
  return typeof value === 'string' && SPEC_BY_ID.has(value as ColumnId);
}

export function clampWidth(id: ColumnId, px: number): number {
  return Math.round(Math.min(COLUMN_MAX_PX, Math.max(columnSpec(id).floor, px)));
}

/**
 * Reads a stored layout. Anything unexpected (another version, hand edits, a column that no
 * longer exists) falls back to the default for that part rather than failing.
 */
export function parseLayout(stored: string | null): ColumnLayout {
  if (!stored) return DEFAULT_LAYOUT;
  let raw: unknown;
  try {
    raw = JSON.parse(stored);
  } catch {
    return DEFAULT_LAYOUT;
  }
  if (!raw || typeof raw !== 'object') return DEFAULT_LAYOUT;
  const { widths, hidden, shown } = raw as { widths?: unknown; hidden?: unknown; shown?: unknown };
  const layout: ColumnLayout = { widths: {}, hidden: DEFAULT_LAYOUT.hidden, shown: [] };
  if (widths && typeof widths === 'object') {
    for (const [id, px] of Object.entries(widths)) {
      if (isColumnId(id) && typeof px === 'number' && Number.isFinite(px)) layout.widths[id] = clampWidth(id, px);
    }
  }
  if (Array.isArray(hidden)) {
    layout.hidden = [...new Set(hidden.filter(isColumnId))].filter((id) => !columnSpec(id).required);
  }
  if (Array.isArray(shown)) {
    layout.shown = [...new Set(shown.filter(isColumnId))].filter(
      (id) => dependsOnClients(columnSpec(id)) && !layout.hidden.includes(id),
    );
  }
  return layout;
}

export function serializeLayout(layout: ColumnLayout): string {
  return JSON.stringify({ widths: layout.widths, hidden: layout.hidden, shown: layout.shown });
}

export function visibleColumns(layout: ColumnLayout): ColumnSpec[] {
  const hidden = new Set(layout.hidden);
  return COLUMN_SPECS.filter((c) => !hidden.has(c.id));
}

export function setColumnWidth(layout: ColumnLayout, id: ColumnId, px: number): ColumnLayout {
  return { ...layout, widths: { ...layout.widths, [id]: clampWidth(id, px) } };
}

export function setColumnVisible(layout: ColumnLayout, id: ColumnId, visible: boolean): ColumnLayout {
  const spec = columnSpec(id);
  if (spec.required) return layout;
  const hidden = layout.hidden.filter((h) => h !== id);
  const shown = layout.shown.filter((s) => s !== id);
  return {
    ...layout,
    hidden: visible ? hidden : [...hidden, id],
    shown: visible && dependsOnClients(spec) ? [...shown, id] : shown,
  };
}

/** The CSS grid-template-columns of every row: the check column, then each visible column. */
export function gridTemplate(layout: ColumnLayout): string {
  const columns = visibleColumns(layout);
  const tracks = columns.map((c) => {
    const px = layout.widths[c.id];
    return px === undefined ? `minmax(${c.fit}px, ${c.flex}fr)` : `${px}px`;
  });
  // Every column resized: an empty last track takes the spare width, so none is stretched.
  const filler = columns.every((c) => layout.widths[c.id] !== undefined) ? ' minmax(0, 1fr)' : '';
  return `${CHECK_COLUMN_PX}px ${tracks.join(' ')}${filler}`;
}

/** The narrowest the rows can be before the grid scrolls sideways (px). */
export function minimumRowWidth(layout: ColumnLayout): number {
  return visibleColumns(layout).reduce((sum, c) => sum + (layout.widths[c.id] ?? c.fit), CHECK_COLUMN_PX);
}

/**
 * The new width for a key pressed on a column's resize handle, or null for other keys:
 * ←/→ by RESIZE_STEP_PX (Shift: RESIZE_BIG_STEP_PX), Home to the floor, End to the maximum.
 */
export function widthForKey(id: ColumnId, current: number, key: string, shift: boolean): number | null {
  const step = shift ? RESIZE_BIG_STEP_PX : RESIZE_STEP_PX;
  switch (key) {
    case 'ArrowRight':
      return clampWidth(id, current + step);
    case 'ArrowLeft':
      return clampWidth(id, current - step);
    case 'Home':
      return columnSpec(id).floor;
    case 'End':
      return COLUMN_MAX_PX;
    default:
      return null;
  }
}
