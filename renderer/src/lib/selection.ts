/**
 * Row selection in the inventory, as a pure reducer (unit-tested in
 * test/unit/selection.test.ts) and the hook the screen uses. Two shapes:
 * explicit picks (`ids`, which keeps the rows for revoke and export), or
 * "every row matching the filter" (`all`) minus the rows unticked since.
 */
import { useCallback, useReducer } from 'react';
import type { TokenRow } from '../../../shared/tokens';

export interface Selection {
  /** "Select all matching": every row of the current filter except `except`. */
  all: boolean;
  ids: Map<number, TokenRow>;
  except: Set<number>;
}

export const NO_SELECTION: Selection = { all: false, ids: new Map(), except: new Set() };

export type SelectionAction =
  /** A plain click: this row only. */
  | { type: 'only'; row: TokenRow }
  /** Ctrl/Cmd-click or Space: flip one row. */
  | { type: 'toggle'; row: TokenRow }
  /** Shift-click: the rows between the anchor and the click; `add` keeps what was selected (Ctrl+Shift). */
  | { type: 'range'; rows: readonly TokenRow[]; add: boolean }
  | { type: 'all' }
  | { type: 'clear' }
  /** A new filter or search: "all matching" would mean other rows, so it ends; explicit picks survive. */
  | { type: 'filter-changed' };

export function selectionReducer(s: Selection, action: SelectionAction): Selection {
  switch (action.type) {
    case 'only':
      return { all: false, ids: new Map([[action.row.rowId, action.row]]), except: new Set() };
    case 'toggle': {
      const id = action.row.rowId;
      if (s.all) {
        const except = new Set(s.except);
        if (except.has(id)) except.delete(id);
        else except.add(id);
        return { ...s, except };
      }
      const ids = new Map(s.ids);
      if (ids.has(id)) ids.delete(id);
      else ids.set(id, action.row);
      return { ...s, ids };
    }
    case 'range': {
      if (s.all && action.add) {
        const except = new Set(s.except);
        for (const r of action.rows) except.delete(r.rowId);
        return { ...s, except };
      }
      const ids = new Map(action.add ? s.ids : undefined);
      for (const r of action.rows) ids.set(r.rowId, r);
      return { all: false, ids, except: new Set() };
    }
    case 'all':
      return { all: true, ids: new Map(), except: new Set() };
    case 'clear':
      return NO_SELECTION;
    case 'filter-changed':
      return s.all ? NO_SELECTION : s;
  }
}

export function isSelected(s: Selection, row: Pick<TokenRow, 'rowId'>): boolean {
  return s.all ? !s.except.has(row.rowId) : s.ids.has(row.rowId);
}

/** How many rows are selected, given how many match the filter. */
export function selectedCount(s: Selection, total: number): number {
  return s.all ? Math.max(0, total - s.except.size) : s.ids.size;
}

/** The header checkbox: all, some or none of the matching rows. */
export function headerCheck(s: Selection, total: number): 'all' | 'some' | 'none' {
  const n = selectedCount(s, total);
  return n === 0 ? 'none' : n >= total && total > 0 ? 'all' : 'some';
}

export function useSelection(total: number) {
  const [selection, dispatch] = useReducer(selectionReducer, NO_SELECTION);
  const selected = useCallback((row: Pick<TokenRow, 'rowId'>) => isSelected(selection, row), [selection]);
  return {
    selection,
    dispatch,
    isSelected: selected,
    count: selectedCount(selection, total),
    headerCheck: headerCheck(selection, total),
  };
}
