import { useDisclosure } from '../../lib/use-disclosure';
import { COLUMN_SPECS, type ColumnId, type ColumnLayout } from '../../lib/column-layout';

/**
 * "Columns ▾": a checklist of the grid's columns (Vault and Name always show, as they say which
 * token a row is) and a reset of widths and choices. A disclosure button: Tab moves through the
 * boxes, Space ticks, Escape closes and returns to the button.
 */
export function ColumnChooser(props: {
  layout: ColumnLayout;
  onVisible: (id: ColumnId, visible: boolean) => void;
  onReset: () => void;
}) {
  const { open, setOpen, root, button, id, onKeyDown } = useDisclosure();

  const hidden = new Set(props.layout.hidden);
  const shownCount = COLUMN_SPECS.length - hidden.size;
  return (
    <div className="multi column-chooser" ref={root} onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        className="btn multi__button"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => setOpen((o) => !o)}
      >
        Columns <span className="muted">{shownCount}</span> <span aria-hidden="true">▾</span>
      </button>
      {open ? (
        <div className="multi__panel column-chooser__panel" id={`${id}-panel`} role="group" aria-label="Columns shown">
          <ul>
            {COLUMN_SPECS.map((c) => (
              <li key={c.id}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={!hidden.has(c.id)}
                    disabled={c.required}
                    onChange={(e) => props.onVisible(c.id, e.target.checked)}
                  />
                  {c.label}
                  {c.required ? <span className="muted"> (always shown)</span> : null}
                </label>
              </li>
            ))}
          </ul>
          <p className="muted column-chooser__hint">Drag a column’s edge, or focus it and press ← →, to resize it.</p>
          <button type="button" className="btn btn--small btn--ghost" onClick={props.onReset}>
            Reset columns
          </button>
        </div>
      ) : null}
    </div>
  );
}
