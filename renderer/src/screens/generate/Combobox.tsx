/**
 * An editable combobox with a grouped listbox, after the WAI-ARIA APG "Editable Combobox With
 * List Autocomplete" pattern (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/): the input keeps
 * DOM focus and points at the active option with aria-activedescendant.
 *  - Typing filters the list (type-ahead) and opens it on the first match.
 *  - ↓ / ↑ open the list, then move through the options (wrapping); Alt+↓ opens, Alt+↑ closes.
 *  - Enter picks the active option (and never submits the form while the list is open).
 *  - Escape closes the list; on a closed list it asks the owner to settle the text (e.g. revert
 *    what was typed) and only then lets the dialog see it.
 *  - A click on an option picks it; the ▾ button (not in the tab order, as in the APG example) opens the list.
 * What "picking" means and what happens to typed text on leaving is the owner's (VaultPicker, SandboxField).
 */
import { useEffect, useId, useMemo, useRef, useState, type ReactNode, type Ref } from 'react';

export interface ComboOption {
  /** Unique within the list. */
  key: string;
  /** What the input shows once it is picked. */
  text: string;
  content: ReactNode;
}

export interface ComboGroup {
  /** A heading for the group; null for a plain list. */
  label: string | null;
  options: ComboOption[];
}

export function Combobox(props: {
  /** The input's id, for the owner's <label htmlFor>. */
  id: string;
  /** The listbox's accessible name. */
  listLabel: string;
  text: string;
  onTextChange: (text: string) => void;
  /** The options for what was typed; '' when nothing was typed since the list opened (all of them). */
  optionsFor: (query: string) => ComboGroup[];
  chosenKey: string | null;
  onPick: (option: ComboOption) => void;
  /** Leaving the field, or Escape on a closed list: true when the owner changed something (Escape stops there). */
  onSettle?: () => boolean;
  /** For the live region: "12 Vaults" when the list shows 12 options. */
  countLabel: (shown: number) => string;
  toggleLabel: string;
  inputRef?: Ref<HTMLInputElement>;
  invalid?: boolean;
  describedBy?: string | undefined;
  placeholder?: string;
  disabled?: boolean;
  className?: string;
}) {
  const uid = useId();
  const listId = `${uid}-list`;
  const optionId = (i: number) => `${uid}-opt-${i}`;
  const [open, setOpen] = useState(false);
  /** What was typed since the list opened; null = nothing, so every option shows. */
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement | null>(null);
  const { optionsFor } = props;

  const groups = useMemo(() => (open ? optionsFor(query ?? '') : []), [open, optionsFor, query]);
  const flat = useMemo(() => groups.flatMap((g) => g.options), [groups]);
  const expanded = open && flat.length > 0;
  const activeOption = expanded ? flat[Math.min(active, flat.length - 1)] : undefined;

  // Keep the active option in view while arrows move through a long list.
  useEffect(() => {
    if (!expanded) return;
    document.getElementById(optionId(Math.min(active, flat.length - 1)))?.scrollIntoView({ block: 'nearest' });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- optionId is derived from uid, which never changes
  }, [expanded, active, flat.length]);

  const openList = (where: 'chosen' | 'last' = 'chosen') => {
    const all = optionsFor('').flatMap((g) => g.options);
    const chosen = all.findIndex((o) => o.key === props.chosenKey);
    setQuery(null);
    setActive(where === 'last' && chosen < 0 ? Math.max(0, all.length - 1) : Math.max(0, chosen));
    setOpen(true);
  };
  const close = () => {
    setOpen(false);
    setQuery(null);
  };
  const pick = (option: ComboOption) => {
    props.onPick(option);
    close();
  };

  const setRefs = (el: HTMLInputElement | null) => {
    input.current = el;
    const r = props.inputRef;
    if (typeof r === 'function') r(el);
    else if (r) (r as { current: HTMLInputElement | null }).current = el;
  };

  return (
    <div className={`combo gen-combo${props.className ? ` ${props.className}` : ''}`}>
      <div className="gen-combo__row">
        <input
          ref={setRefs}
          id={props.id}
          role="combobox"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={activeOption ? optionId(flat.indexOf(activeOption)) : undefined}
          aria-invalid={props.invalid ?? false}
          aria-describedby={props.describedBy}
          placeholder={props.placeholder}
          disabled={props.disabled}
          autoComplete="off"
          spellCheck={false}
          value={props.text}
          onChange={(e) => {
            props.onTextChange(e.target.value);
            setQuery(e.target.value);
            setActive(0);
            setOpen(true);
          }}
          onClick={() => (open ? close() : openList())}
          onBlur={() => {
            close();
            props.onSettle?.();
          }}
          onKeyDown={(e) => {
            const n = flat.length;
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              if (!open) openList();
              else if (!e.altKey && n) setActive((a) => (Math.min(a, n - 1) + 1) % n);
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              if (e.altKey) close();
              else if (!open) openList('last');
              else if (n) setActive((a) => (Math.min(a, n - 1) - 1 + n) % n);
            } else if (e.key === 'Enter') {
              if (!open) return;
              e.preventDefault();
              if (activeOption) pick(activeOption);
              else close();
            } else if (e.key === 'Escape') {
              if (expanded) {
                e.preventDefault();
                e.stopPropagation();
                close();
              } else if (props.onSettle?.()) {
                e.preventDefault();
                e.stopPropagation();
                close();
              }
            } else if (e.key === 'Tab') {
              close();
            }
          }}
        />
        <button
          type="button"
          className="gen-combo__toggle"
          tabIndex={-1}
          aria-label={props.toggleLabel}
          aria-controls={listId}
          aria-expanded={expanded}
          disabled={props.disabled}
          // Keep focus in the input: the list belongs to it.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            input.current?.focus();
            if (open) close();
            else openList();
          }}
        >
          <span aria-hidden="true">▾</span>
        </button>
      </div>
      <p className="sr-only" role="status" aria-live="polite">
        {open ? (flat.length ? props.countLabel(flat.length) : 'Nothing matches.') : ''}
      </p>
      {expanded ? (
        <div className="gen-combo__list" id={listId} role="listbox" aria-label={props.listLabel}>
          {groups.map((g, gi) => {
            const options = g.options.map((o) => {
              const i = flat.indexOf(o);
              const isActive = o === activeOption;
              return (
                <div
                  key={o.key}
                  id={optionId(i)}
                  role="option"
                  aria-selected={isActive}
                  className={`gen-combo__option${isActive ? ' gen-combo__option--active' : ''}${o.key === props.chosenKey ? ' gen-combo__option--chosen' : ''}`}
                  onMouseDown={(e) => e.preventDefault()}
                  onMouseMove={() => i !== active && setActive(i)}
                  onClick={() => pick(o)}
                >
                  <span className="gen-combo__check" aria-hidden="true">
                    {o.key === props.chosenKey ? '✓' : ''}
                  </span>
                  {o.content}
                </div>
              );
            });
            if (g.label === null) return options;
            const headingId = `${uid}-group-${gi}`;
            return (
              <div key={`group-${g.label}`} role="group" aria-labelledby={headingId} className="gen-combo__group">
                <div role="presentation" id={headingId} className="gen-combo__heading">
                  {g.label}
                </div>
                {options}
              </div>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}
