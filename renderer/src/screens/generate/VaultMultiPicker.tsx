/**
 * Generate's "Several Vaults" field (issue 16, item 1): a searchable checklist of connections,
 * grouped by client with production Vaults marked PROD, as the single picker shows them
 * (vault-choices.ts decides both). Keyboard, after the WAI-ARIA APG checkbox and roving-tabindex
 * patterns: one Tab stop for the filter and one for the list; in the list ↑/↓ (and Home/End) move,
 * Space ticks; ↓ from the filter enters the list and ↑ from its top goes back. "Select all visible"
 * ticks what the filter shows, and Enter in the filter never submits (it would mint in many Vaults).
 */
import { useId, useMemo, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import type { Connection } from '../../../../shared/domain';
import type { ConnectionHealth } from '../../../../shared/tokens';
import { plural } from '../../lib/format';
import { VaultOption } from './VaultPicker';
import { groupByClient, vaultMatches } from './vault-choices';
import '../../styles/generate.css';

export function VaultMultiPicker(props: {
  connections: Connection[];
  health: Map<string, ConnectionHealth>;
  value: readonly string[];
  onChange: (connectionIds: string[]) => void;
  error?: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const id = useId();
  const { connections, health, value, onChange } = props;
  const [filter, setFilter] = useState('');
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);
  const chosen = useMemo(() => new Set(value), [value]);

  const groups = useMemo(
    () => groupByClient(connections.filter((c) => vaultMatches(c, filter))),
    [connections, filter],
  );
  const visible = useMemo(() => groups.flatMap((g) => g.connections), [groups]);
  const activeIndex = Math.min(active, Math.max(0, visible.length - 1));
  const hiddenChosen = value.filter((v) => !visible.some((c) => c.id === v)).length;
  const allVisibleChosen = visible.length > 0 && visible.every((c) => chosen.has(c.id));

  const toggle = (connectionId: string, on: boolean) => {
    // Keep the order people see (by client, then name), whatever order they ticked in.
    const next = new Set(value);
    if (on) next.add(connectionId);
    else next.delete(connectionId);
    onChange(connections.filter((c) => next.has(c.id)).map((c) => c.id));
  };
  const selectAll = (more: readonly Connection[]) => {
    const next = new Set([...value, ...more.map((c) => c.id)]);
    onChange(connections.filter((c) => next.has(c.id)).map((c) => c.id));
  };

  const boxes = () => [...(listRef.current?.querySelectorAll<HTMLInputElement>('input[type="checkbox"]') ?? [])];
  const focusBox = (i: number) => {
    const all = boxes();
    if (!all.length) return;
    const next = Math.max(0, Math.min(i, all.length - 1));
    setActive(next);
    all[next]!.focus();
  };

  const onFilterKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      focusBox(activeIndex);
    } else if (e.key === 'Enter') {
      e.preventDefault();
    } else if (e.key === 'Escape' && filter) {
      // Clears the filter; the dialog only closes on an empty one.
      e.preventDefault();
      e.stopPropagation();
      setFilter('');
    }
  };
  const onListKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = boxes().findIndex((b) => b === document.activeElement);
    if (i < 0) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      focusBox(i + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (i === 0) (document.getElementById(`${id}-filter`) as HTMLInputElement | null)?.focus();
      else focusBox(i - 1);
    } else if (e.key === 'Home') {
      e.preventDefault();
      focusBox(0);
    } else if (e.key === 'End') {
      e.preventDefault();
      focusBox(visible.length - 1);
    } else if (e.key === 'Enter') {
      // Enter on a checkbox never submits (enterSubmitsOnlyFromTextFields); here it ticks, like Space.
      e.preventDefault();
      const c = visible[i];
      if (c) toggle(c.id, !chosen.has(c.id));
    }
  };

  const errorId = `${id}-error`;
  const countId = `${id}-count`;
  return (
    <fieldset
      className={`fieldset vault-multi${props.error ? ' field--invalid' : ''}`}
      aria-describedby={props.error ? `${errorId} ${countId}` : countId}
    >
      <legend>Vault connections</legend>
      <div className="vault-multi__bar">
        <input
          ref={props.inputRef}
          id={`${id}-filter`}
          type="search"
          className="vault-multi__filter"
          aria-label="Filter Vaults"
          aria-controls={`${id}-list`}
          aria-invalid={Boolean(props.error)}
          aria-describedby={props.error ? errorId : undefined}
          placeholder={`Type to filter ${plural(connections.length, 'Vault')}; ↓ enters the list`}
          autoComplete="off"
          spellCheck={false}
          value={filter}
          onChange={(e) => {
            setFilter(e.target.value);
            setActive(0);
          }}
          onKeyDown={onFilterKey}
        />
        <button
          type="button"
          className="btn btn--small"
          onClick={() => selectAll(visible)}
          disabled={allVisibleChosen || visible.length === 0}
        >
          {filter.trim() ? `Select all ${visible.length} shown` : 'Select all'}
        </button>
        <button
          type="button"
          className="btn btn--small btn--ghost"
          onClick={() => onChange([])}
          disabled={!value.length}
        >
          Clear
        </button>
      </div>
      <div
        ref={listRef}
        id={`${id}-list`}
        className="vault-multi__list"
        role="group"
        aria-label="Vaults to generate in"
        onKeyDown={onListKey}
      >
        {visible.length === 0 ? <p className="muted vault-multi__empty">No Vault matches “{filter}”.</p> : null}
        {groups.map((g, gi) => {
          const items = g.connections.map((c) => {
            const i = visible.indexOf(c);
            const offline = health.get(c.id)?.reachable === false;
            return (
              <label key={c.id} className="vault-multi__option">
                <input
                  type="checkbox"
                  checked={chosen.has(c.id)}
                  tabIndex={i === activeIndex ? 0 : -1}
                  onFocus={() => setActive(i)}
                  onChange={(e) => toggle(c.id, e.target.checked)}
                />
                <VaultOption connection={c} offline={offline} />
              </label>
            );
          });
          if (g.label === null) return items;
          const headingId = `${id}-group-${gi}`;
          return (
            <div key={g.label} role="group" aria-labelledby={headingId} className="vault-multi__group">
              <div className="vault-multi__heading">
                <span id={headingId} className="gen-combo__heading">
                  {g.label}
                </span>
                {/* A client group in one click (issue 16 item 1: "several connections, or a client group").
                    Out of the Tab order, so the list stays one Tab stop: from the keyboard, type the
                    client in the filter and use "Select all N shown". */}
                <button
                  type="button"
                  tabIndex={-1}
                  className="btn btn--small btn--ghost"
                  onClick={() => selectAll(g.connections)}
                  disabled={g.connections.every((c) => chosen.has(c.id))}
                  aria-label={`Select ${g.connections.length} ${g.label} Vaults`}
                >
                  Select {g.connections.length}
                </button>
              </div>
              {items}
            </div>
          );
        })}
      </div>
      <p className="field__hint" id={countId} role="status" aria-live="polite">
        {value.length ? `${plural(value.length, 'Vault')} chosen` : 'No Vault chosen yet'}
        {hiddenChosen ? ` (${hiddenChosen} not shown by the filter)` : ''}
        {filter.trim() ? ` · ${visible.length} shown` : ''}
      </p>
      {props.error ? (
        <p className="field__error" id={errorId} role="alert">
          {props.error}
        </p>
      ) : null}
    </fieldset>
  );
}
