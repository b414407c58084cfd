import { useMemo } from 'react';
import type { Connection } from '../../../shared/domain';
import { DEFAULT_EXPIRING_SOON_DAYS, TOKEN_STATUSES, type TokenStatus } from '../../../shared/tokens';
import { DEFAULT_STALE_AFTER_DAYS } from '../../../shared/nudges';
import { MultiSelect } from '../components/MultiSelect';
import { GroupFilterFields, hasGroups, type GroupChoice } from '../components/GroupFilterFields';
import { groupLabel } from '../../../shared/connection-groups';
import { count, expiringLabel, STATUS_LABEL } from '../lib/format';
import { call } from '../lib/api';
import { useResource } from '../lib/use-resource';
import { ColumnChooser } from './inventory/ColumnChooser';
import type { ColumnLayoutState } from './inventory/use-column-layout';

export interface ToolbarFilters {
  searchText: string;
  connectionIds: string[];
  /** Client groups (issue 15): one client ('' = none) and one environment, or null for any. */
  group: GroupChoice;
  statuses: TokenStatus[];
  withinDays: string;
  secretNotStored: boolean;
  includeImported: boolean;
  /** Revoked tokens are out of the list unless this is on or the "revoked" chip is pressed. */
  showRevoked: boolean;
  /** The nudges (shared/nudges.ts): only live tokens not used for the Settings' days. */
  stale: boolean;
  /** Only live tokens without an expiry. */
  neverExpires: boolean;
}

export const EMPTY_FILTERS: ToolbarFilters = {
  searchText: '',
  connectionIds: [],
  group: { client: null, environment: null },
  statuses: [],
  withinDays: '',
  secretNotStored: false,
  includeImported: false,
  showRevoked: false,
  stale: false,
  neverExpires: false,
};

/** `#/inventory?nudge=stale` / `?nudge=never-expires` (the Reminders screen's links): the filters they open with. */
export function nudgeFilters(nudge: string | null): ToolbarFilters | null {
  if (nudge === 'stale') return { ...EMPTY_FILTERS, stale: true };
  if (nudge === 'never-expires') return { ...EMPTY_FILTERS, neverExpires: true };
  return null;
}

/** The statuses a revoked token is hidden behind in the default list: every other one. */
const LIVE_STATUSES: TokenStatus[] = TOKEN_STATUSES.filter((s) => s !== 'revoked');

/**
 * The status part of the inventory query. A revoked token no longer works, so it leaves the list
 * (issue 13, item 9) unless "Show revoked" is ticked, a status chip asks for it, or a link names the
 * rows (`pinned`). The chips still count revoked tokens (counts ignore the status filter).
 */
export function statusQuery(
  f: Pick<ToolbarFilters, 'statuses' | 'showRevoked'>,
  pinned = false,
): { statuses?: TokenStatus[] } {
  if (f.statuses.length) return { statuses: f.statuses };
  return f.showRevoked || pinned ? {} : { statuses: LIVE_STATUSES };
}

/** The filters "Clear filters" leaves: the view toggles, which hide nothing by themselves being on. */
export function clearedFilters(f: ToolbarFilters): ToolbarFilters {
  return { ...EMPTY_FILTERS, includeImported: f.includeImported, showRevoked: f.showRevoked };
}

export function filtersActive(f: ToolbarFilters): boolean {
  return Boolean(
    f.searchText.trim() ||
    f.connectionIds.length ||
    f.group.client !== null ||
    f.group.environment !== null ||
    f.statuses.length ||
    f.withinDays.trim() ||
    f.secretNotStored ||
    f.stale ||
    f.neverExpires,
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
    () =>
      props.connections.map((c) => ({
        value: c.id,
        label: c.name,
        hint: c.client || c.environment ? `${groupLabel(c)} · ${c.dns}` : c.dns,
      })),
    [props.connections],
  );
  const withinInvalid = f.withinDays.trim() !== '' && parseWithinDays(f.withinDays) === null;
  // What "soon" means is a setting (Settings > “Expiring soon” means within); the chip says it.
  const settings = useResource(() => call('settings:get'));
  const soonDays = settings.data?.settings.expiringSoonDays ?? DEFAULT_EXPIRING_SOON_DAYS;
  const staleDays = settings.data?.settings.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS;
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
        {hasGroups(props.connections) || f.group.client !== null || f.group.environment !== null ? (
          <GroupFilterFields
            connections={props.connections}
            value={f.group}
            onChange={(group) => props.onChange({ group })}
            disabled={props.disabled}
          />
        ) : null}
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
        <label className="check">
          <input
            type="checkbox"
            checked={f.showRevoked}
            onChange={(e) => props.onChange({ showRevoked: e.target.checked })}
            disabled={props.disabled}
          />
          Show revoked
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
                {s === 'expiring' ? expiringLabel(soonDays) : STATUS_LABEL[s]}
                <span className="chip__count">{n === undefined ? '' : count(n)}</span>
              </button>
            );
          })}
        </div>
        <div className="toolbar__chips" role="group" aria-label="Nudges">
          <NudgeChip
            label={`Not used in ${staleDays} days`}
            title={`Live tokens last used ${staleDays} or more days ago, or never used and older than that (Settings)`}
            on={f.stale}
            disabled={props.disabled}
            onToggle={() => props.onChange({ stale: !f.stale })}
          />
          <NudgeChip
            label="Never expires"
            title="Live tokens without an expiry date"
            on={f.neverExpires}
            disabled={props.disabled}
            onToggle={() => props.onChange({ neverExpires: !f.neverExpires })}
          />
        </div>
        {filtersActive(f) ? (
          <button type="button" className="btn btn--small btn--ghost" onClick={() => props.onChange(clearedFilters(f))}>
            Clear filters
          </button>
        ) : null}
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

function NudgeChip(props: { label: string; title: string; on: boolean; disabled?: boolean; onToggle: () => void }) {
  return (
    <button
      type="button"
      className={`chip chip--nudge${props.on ? ' chip--on' : ''}`}
      aria-pressed={props.on}
      title={props.title}
      disabled={props.disabled}
      onClick={props.onToggle}
    >
      {props.label}
    </button>
  );
}
