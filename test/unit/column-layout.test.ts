/** The inventory's column layout rules (renderer/src/lib/column-layout.ts, issue 13 item 2). */
import { describe, expect, it } from 'vitest';
import {
  CHECK_COLUMN_PX,
  COLUMN_MAX_PX,
  COLUMN_SPECS,
  DEFAULT_LAYOUT,
  columnSpec,
  gridTemplate,
  minimumRowWidth,
  parseLayout,
  resolveLayout,
  serializeLayout,
  setColumnVisible,
  setColumnWidth,
  visibleColumns,
  widthForKey,
} from '../../renderer/src/lib/column-layout';

/** The default as drawn while no connection has a client: no Client column. */
const NO_CLIENTS = resolveLayout(DEFAULT_LAYOUT, { anyClient: false });

describe('column layout', () => {
  it('shows the Vault first and keeps Last synced off by default', () => {
    const ids = visibleColumns(NO_CLIENTS).map((c) => c.id);
    expect(ids[0]).toBe('connection');
    expect(ids).not.toContain('lastSyncedAt');
    expect(ids).toEqual(['connection', 'user', 'name', 'tokenId', 'status', 'expiresAt', 'lastUsedAt', 'secretStored']);
  });

  it('fits the default columns in a 1024 px window (grid about 790 px, less a 15 px scrollbar)', () => {
    expect(minimumRowWidth(NO_CLIENTS)).toBeLessThanOrEqual(775);
    // With clients, Client takes Token id's place: still no sideways scroll.
    expect(minimumRowWidth(resolveLayout(DEFAULT_LAYOUT, { anyClient: true }))).toBeLessThanOrEqual(775);
  });

  it('shares the width until a column is resized, which then keeps its exact width', () => {
    expect(gridTemplate(NO_CLIENTS)).toMatch(new RegExp(`^${CHECK_COLUMN_PX}px minmax\\(128px, 2\\.4fr\\) `));
    const resized = setColumnWidth(NO_CLIENTS, 'connection', 260);
    expect(gridTemplate(resized).split(' ').slice(0, 2)).toEqual([`${CHECK_COLUMN_PX}px`, '260px']);
    expect(minimumRowWidth(resized)).toBe(minimumRowWidth(NO_CLIENTS) - columnSpec('connection').fit + 260);
    // Every visible column resized: a filler track takes the spare width.
    const all = visibleColumns(DEFAULT_LAYOUT).reduce((l, c) => setColumnWidth(l, c.id, 100), DEFAULT_LAYOUT);
    expect(gridTemplate(all)).toMatch(/ minmax\(0, 1fr\)$/);
  });

  it('clamps widths to the column floor and the maximum', () => {
    expect(setColumnWidth(DEFAULT_LAYOUT, 'name', 3).widths.name).toBe(columnSpec('name').floor);
    expect(setColumnWidth(DEFAULT_LAYOUT, 'name', 99_999).widths.name).toBe(COLUMN_MAX_PX);
    expect(setColumnWidth(DEFAULT_LAYOUT, 'name', 120.6).widths.name).toBe(121);
  });

  it('never hides Vault or Name; shows and hides the others', () => {
    expect(setColumnVisible(DEFAULT_LAYOUT, 'connection', false)).toBe(DEFAULT_LAYOUT);
    expect(setColumnVisible(DEFAULT_LAYOUT, 'name', false)).toBe(DEFAULT_LAYOUT);
    const withSynced = setColumnVisible(DEFAULT_LAYOUT, 'lastSyncedAt', true);
    expect(visibleColumns(withSynced).map((c) => c.id)).toContain('lastSyncedAt');
    const noToken = setColumnVisible(withSynced, 'tokenId', false);
    expect(visibleColumns(noToken).map((c) => c.id)).not.toContain('tokenId');
    expect(setColumnVisible(noToken, 'tokenId', false).hidden.filter((h) => h === 'tokenId')).toHaveLength(1);
  });

  it('round-trips through storage and ignores what it does not know', () => {
    const layout = setColumnVisible(setColumnWidth(DEFAULT_LAYOUT, 'user', 150), 'secretStored', false);
    expect(parseLayout(serializeLayout(layout))).toEqual(layout);
    expect(parseLayout(null)).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout('not json')).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout('[1,2]')).toEqual({ widths: {}, hidden: DEFAULT_LAYOUT.hidden, shown: [] });
    expect(
      parseLayout(
        JSON.stringify({
          widths: { user: 'wide', gone: 100, name: 5, status: 130 },
          hidden: ['connection', 'nope', 'user'],
        }),
      ),
    ).toEqual({ widths: { name: columnSpec('name').floor, status: 130 }, hidden: ['user'], shown: [] });
  });

  it('shows the Client column by default only while some connection has a client; a choice sticks', () => {
    const ids = (layout: typeof DEFAULT_LAYOUT) => visibleColumns(layout).map((c) => c.id);
    expect(ids(NO_CLIENTS)).not.toContain('client');
    expect(ids(resolveLayout(DEFAULT_LAYOUT, { anyClient: true }))[0]).toBe('client');
    // Turned on with no clients yet: it shows anyway, and after a reload.
    const on = parseLayout(serializeLayout(setColumnVisible(NO_CLIENTS, 'client', true)));
    expect(on.shown).toEqual(['client']);
    expect(ids(resolveLayout(on, { anyClient: false }))[0]).toBe('client');
    // Turned off with clients: it stays off.
    const off = parseLayout(serializeLayout(setColumnVisible(DEFAULT_LAYOUT, 'client', false)));
    expect(ids(resolveLayout(off, { anyClient: true }))).not.toContain('client');
    expect(off.shown).toEqual([]);
    // Token id gives way to it while there are clients, unless turned on in the menu.
    expect(ids(resolveLayout(DEFAULT_LAYOUT, { anyClient: true }))).not.toContain('tokenId');
    expect(ids(NO_CLIENTS)).toContain('tokenId');
    const tokenIdOn = parseLayout(serializeLayout(setColumnVisible(DEFAULT_LAYOUT, 'tokenId', true)));
    expect(ids(resolveLayout(tokenIdOn, { anyClient: true }))).toContain('tokenId');
    // A stored layout from before the column: the default rule applies.
    const old = parseLayout(JSON.stringify({ widths: {}, hidden: ['lastSyncedAt'] }));
    expect(ids(resolveLayout(old, { anyClient: false }))).not.toContain('client');
    expect(ids(resolveLayout(old, { anyClient: true }))).toContain('client');
  });

  it('moves a column edge with the keyboard: arrows, Shift for bigger steps, Home and End', () => {
    expect(widthForKey('user', 120, 'ArrowRight', false)).toBe(128);
    expect(widthForKey('user', 120, 'ArrowLeft', false)).toBe(112);
    expect(widthForKey('user', 120, 'ArrowRight', true)).toBe(160);
    expect(widthForKey('user', 60, 'ArrowLeft', true)).toBe(columnSpec('user').floor);
    expect(widthForKey('user', 120, 'Home', false)).toBe(columnSpec('user').floor);
    expect(widthForKey('user', 120, 'End', false)).toBe(COLUMN_MAX_PX);
    expect(widthForKey('user', 120, 'Enter', false)).toBeNull();
  });

  it('never sets a default (fit) width below what a person may resize to', () => {
    for (const c of COLUMN_SPECS) expect(c.fit).toBeGreaterThanOrEqual(c.floor);
  });
});
