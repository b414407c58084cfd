import { useMemo } from 'react';
import type { Connection } from '../../../shared/domain';
import { TOKEN_STATUSES, type TokenStatus } from '../../../shared/tokens';
import { MultiSelect } from '../components/MultiSelect';
import { count, STATUS_LABEL } from '../lib/format';
import { ColumnChooser } from './inventory/ColumnChooser';
import type { ColumnLayoutState } from './inventory/use-column-layout';

export interface ToolbarFilters {
  searchText: string;
  connectionIds: string[];
  statuses: TokenStatus[];
  withinDays: string;
  secretNotStored: boolean;
  includeImported: boolean;
}

export const EMPTY_FILTERS: ToolbarFilters = {
  searchText: '',
  connectionIds: [],
  statuses: [],
  withinDays: '',
  secretNotStored: false,
  includeImported: false,
};

export function filtersActive(f: ToolbarFilters): boolean {
  return Boolean(
    f.searchText.trim() || f.connectionIds.length || f.statuses.length || f.withinDays.trim() || f.secretNotStored,
  );
}

/** "expires within N days": a whole number 0…36500, or null (off / not a number). */
export function parseWithinDays(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,5}$/.test(t)) return null;
  const n = Number(t);
  return n <= 36_500 ? n : null;
}

export function InventoryToolbar(props: {
  filters: ToolbarFilters;
  onChange: (patch: Partial<ToolbarFilters>) => void;
  connections: Connection[];
  statusCounts: Record<TokenStatus, number> | null;
  disabled?: boolean;
  searching: boolean;
  /** The grid's columns, chosen from the "Columns" menu at the end of the status row. */
  columns: ColumnLayoutState;
}) {
  const f = props.filters;
  const vaultOptions = useMemo(
    () => props.connections.map((c) => ({ value: c.id, label: c.name, hint: c.dns })),
    [props.connections],
  );
  const withinInvalid = f.withinDays.trim() !== '' && parseWithinDays(f.withinDays) === null;
  return (
    <div className="toolbar" role="search" aria-label="Filter tokens">
      <div className="toolbar__row">
        <div className="search">
          <label htmlFor="inventory-search" className="sr-only">
            Search tokens
          </label>
          <input
            id="inventory-search"
            type="search"
            placeholder="Search name, token id, user, Vault…"
            value={f.searchText}
            onChange={(e) => props.onChange({ searchText: e.target.value })}
            autoComplete="off"
            spellCheck={false}
            disabled={props.disabled}
          />
          {props.searching ? <span className="search__spinner" aria-hidden="true" /> : null}
        </div>
        <MultiSelect
          label="Vaults"
          allLabel="All"
          options={vaultOptions}
          selected={f.connectionIds}
          onChange={(connectionIds) => props.onChange({ connectionIds })}
        />
        <label className={`inline-field${withinInvalid ? ' field--invalid' : ''}`}>
          <span>Expires within</span>
          <input
            className="input--days"
            inputMode="numeric"
            value={f.withinDays}
            onChange={(e) => props.onChange({ withinDays: e.target.value })}
            placeholder="any"
            aria-invalid={withinInvalid}
            aria-describedby={withinInvalid ? 'within-error' : undefined}
            disabled={props.disabled}
          />
          <span>days</span>
        </label>
        {withinInvalid ? (
          <span className="field__error" id="within-error" role="alert">
            Enter whole days, 0–36500.
          </span>
        ) : null}
        <label className="check">
          <input
            type="checkbox"
            checked={f.secretNotStored}
            onChange={(e) => props.onChange({ secretNotStored: e.target.checked })}
            disabled={props.disabled}
          />
          Secret not stored
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={f.includeImported}
            onChange={(e) => props.onChange({ includeImported: e.target.checked })}
            disabled={props.disabled}
          />
          Show imported
        </label>
      </div>
      <div className="toolbar__row">
        <div className="toolbar__chips" role="group" aria-label="Status">
          {TOKEN_STATUSES.map((s) => {
            const on = f.statuses.includes(s);
            const n = props.statusCounts?.[s];
            return (
              <button
                key={s}
                type="button"
                className={`chip chip--${s}${on ? ' chip--on' : ''}`}
                aria-pressed={on}
                disabled={props.disabled}
                onClick={() =>
                  props.onChange({ statuses: on ? f.statuses.filter((x) => x !== s) : [...f.statuses, s] })
                }
              >
                {STATUS_LABEL[s]}
                <span className="chip__count">{n === undefined ? '' : count(n)}</span>
              </button>
            );
          })}
          {filtersActive(f) ? (
            <button
              type="button"
              className="btn btn--small btn--ghost"
              onClick={() => props.onChange({ ...EMPTY_FILTERS, includeImported: f.includeImported })}
            >
              Clear filters
            </button>
          ) : null}
        </div>
        <span className="toolbar__spacer" />
        <ColumnChooser
          layout={props.columns.layout}
          onVisible={props.columns.setVisible}
          onReset={props.columns.reset}
        />
      </div>
    </div>
  );
}
