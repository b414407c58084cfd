import { useState } from 'react';
import { useDisclosure } from '../lib/use-disclosure';

/**
 * A button that opens a checklist (for picking a few of dozens of Vaults),
 * with a filter box. Escape or a click outside closes it.
 */
export function MultiSelect(props: {
  label: string;
  options: { value: string; label: string; hint?: string }[];
  selected: string[];
  onChange: (values: string[]) => void;
  allLabel: string;
}) {
  const { open, setOpen, root, button, id, onKeyDown } = useDisclosure();
  const [filter, setFilter] = useState('');

  const chosen = new Set(props.selected);
  // Only an open list is filtered (the closed button renders on every keystroke in the inventory's search).
  const shown = open
    ? props.options.filter((o) => !filter || `${o.label} ${o.hint ?? ''}`.toLowerCase().includes(filter.toLowerCase()))
    : [];
  const summary =
    props.selected.length === 0
      ? props.allLabel
      : props.selected.length === 1
        ? (props.options.find((o) => o.value === props.selected[0])?.label ?? '1 selected')
        : `${props.selected.length} selected`;

  return (
    <div className="multi" ref={root} onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        className={`btn multi__button${props.selected.length ? ' multi__button--active' : ''}`}
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="muted">{props.label}:</span> {summary} <span aria-hidden="true">▾</span>
      </button>
      {open ? (
        <div className="multi__panel" id={`${id}-panel`} role="group" aria-label={props.label}>
          {props.options.length > 8 ? (
            <input
              className="multi__filter"
              type="search"
              placeholder="Filter…"
              aria-label={`Filter ${props.label.toLowerCase()}`}
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              autoFocus
            />
          ) : null}
          <ul>
            {shown.map((o) => (
              <li key={o.value}>
                <label className="check" title={o.hint}>
                  <input
                    type="checkbox"
                    checked={chosen.has(o.value)}
                    onChange={(e) =>
                      props.onChange(
                        e.target.checked ? [...props.selected, o.value] : props.selected.filter((v) => v !== o.value),
                      )
                    }
                  />
                  <span className="cell-text">{o.label}</span>
                </label>
              </li>
            ))}
            {shown.length === 0 ? <li className="muted">No match.</li> : null}
          </ul>
          {props.selected.length ? (
            <button type="button" className="btn btn--small btn--ghost" onClick={() => props.onChange([])}>
              Show all
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
