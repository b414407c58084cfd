/** The inventory's selection reducer (renderer/src/lib/selection.ts): the rules behind click, Ctrl-click, Shift-click and "select all matching". */
import { describe, expect, it } from 'vitest';
import {
  headerCheck,
  isSelected,
  NO_SELECTION,
  selectedCount,
  selectionReducer,
  type Selection,
  type SelectionAction,
} from '../../renderer/src/lib/selection';
import type { TokenRow } from '../../shared/tokens';

const row = (rowId: number) => ({ rowId, tokenId: `0PI${String(rowId).padStart(12, '0')}` }) as TokenRow;
const run = (...actions: SelectionAction[]): Selection => actions.reduce(selectionReducer, NO_SELECTION);
const ids = (s: Selection) => [...s.ids.keys()].sort((a, b) => a - b);

describe('selection reducer', () => {
  it('a plain click selects that row only', () => {
    const s = run({ type: 'toggle', row: row(1) }, { type: 'toggle', row: row(2) }, { type: 'only', row: row(3) });
    expect(ids(s)).toEqual([3]);
    expect(s.ids.get(3)).toEqual(row(3));
  });

  it('toggle adds and removes one row, keeping the others', () => {
    const s = run({ type: 'toggle', row: row(1) }, { type: 'toggle', row: row(2) }, { type: 'toggle', row: row(1) });
    expect(ids(s)).toEqual([2]);
    expect(isSelected(s, row(2))).toBe(true);
    expect(isSelected(s, row(1))).toBe(false);
  });

  it('a range replaces the selection, or adds to it', () => {
    const start = run({ type: 'toggle', row: row(9) });
    expect(ids(selectionReducer(start, { type: 'range', rows: [row(1), row(2), row(3)], add: false }))).toEqual([
      1, 2, 3,
    ]);
    expect(ids(selectionReducer(start, { type: 'range', rows: [row(1), row(2)], add: true }))).toEqual([1, 2, 9]);
  });

  it('"all matching" counts from the total; unticked rows are exceptions', () => {
    const s = run({ type: 'all' }, { type: 'toggle', row: row(4) }, { type: 'toggle', row: row(5) });
    expect(s.all).toBe(true);
    expect(selectedCount(s, 100)).toBe(98);
    expect(isSelected(s, row(4))).toBe(false);
    expect(isSelected(s, row(6))).toBe(true);
    // Ticking an exception again, or a range over it, takes it back in.
    expect(selectedCount(selectionReducer(s, { type: 'toggle', row: row(4) }), 100)).toBe(99);
    expect(selectedCount(selectionReducer(s, { type: 'range', rows: [row(4), row(5)], add: true }), 100)).toBe(100);
    // A plain range after "all" starts over with just those rows.
    const replaced = selectionReducer(s, { type: 'range', rows: [row(1)], add: false });
    expect(replaced.all).toBe(false);
    expect(ids(replaced)).toEqual([1]);
  });

  it('a new filter ends "all matching" but keeps explicit picks', () => {
    expect(run({ type: 'all' }, { type: 'filter-changed' })).toEqual(NO_SELECTION);
    const picks = run({ type: 'toggle', row: row(7) });
    expect(selectionReducer(picks, { type: 'filter-changed' })).toBe(picks);
  });

  it('clear empties it; the header checkbox says none, some or all', () => {
    expect(run({ type: 'toggle', row: row(1) }, { type: 'clear' })).toEqual(NO_SELECTION);
    expect(headerCheck(NO_SELECTION, 10)).toBe('none');
    expect(headerCheck(run({ type: 'toggle', row: row(1) }), 10)).toBe('some');
    expect(headerCheck(run({ type: 'all' }), 10)).toBe('all');
    expect(headerCheck(run({ type: 'all' }), 0)).toBe('none');
    expect(headerCheck(run({ type: 'all' }, { type: 'toggle', row: row(1) }), 10)).toBe('some');
  });

  it('never mutates the state it is given', () => {
    const before = run({ type: 'toggle', row: row(1) });
    const snapshot = ids(before);
    selectionReducer(before, { type: 'toggle', row: row(2) });
    selectionReducer(before, { type: 'range', rows: [row(3)], add: true });
    expect(ids(before)).toEqual(snapshot);
  });
});
