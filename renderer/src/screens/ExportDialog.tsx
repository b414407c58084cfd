import { useRef, useState } from 'react';
import type { TokenRow } from '../../../shared/tokens';
import { call, errorInfo } from '../lib/api';
import { downloadText } from '../lib/download';
import { exportRowsLocally } from '../lib/export-fallback';
import { plural } from '../lib/format';
import type { InventoryFilters } from '../lib/inventory-source';
import { Modal } from '../components/Modal';

export interface ExportScope {
  label: string;
  count: number;
  /** Exported by main with this filter… */
  filters?: InventoryFilters;
  /** …or built here from these rows (an explicit selection, see export-fallback.ts). */
  rows?: () => Promise<TokenRow[]>;
}

/** Export the current view or the selection as CSV or JSON: metadata only, never a token value. */
export function ExportDialog({
  scopes,
  onClose,
}: {
  scopes: ExportScope[];
  onClose: (message: string | null) => void;
}) {
  const [scopeIndex, setScopeIndex] = useState(scopes.length - 1);
  const [format, setFormat] = useState<'csv' | 'json'>('csv');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const okRef = useRef<HTMLButtonElement>(null);
  const scope = scopes[scopeIndex] ?? scopes[0];

  const run = async () => {
    if (!scope) return;
    setBusy(true);
    setError(null);
    try {
      let file: { filename: string; content: string; mimeType: string };
      if (scope.rows) {
        file = exportRowsLocally(await scope.rows(), format);
      } else {
        const { rowIds: _ids, ...query } = scope.filters ?? {};
        file = await call('tokens:export', {
          format,
          query: scope.filters?.rowIds ? ({ ...query, rowIds: scope.filters.rowIds } as typeof query) : query,
        });
      }
      downloadText(file.filename, file.content, file.mimeType);
      onClose(`Exported ${plural(scope.count, 'token')} to ${file.filename}.`);
    } catch (e) {
      setError(errorInfo(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title="Export tokens"
      onClose={() => onClose(null)}
      initialFocus={okRef}
      footer={
        <>
          <button type="button" className="btn" onClick={() => onClose(null)} disabled={busy}>
            Cancel
          </button>
          <button
            ref={okRef}
            type="button"
            className="btn btn--primary"
            onClick={() => void run()}
            disabled={busy || !scope || scope.count === 0}
          >
            {busy ? 'Exporting…' : `Export ${format.toUpperCase()}`}
          </button>
        </>
      }
    >
      <fieldset className="fieldset">
        <legend>What</legend>
        {scopes.map((s, i) => (
          <label className="check" key={s.label}>
            <input type="radio" name="export-scope" checked={i === scopeIndex} onChange={() => setScopeIndex(i)} />
            {s.label} ({plural(s.count, 'token')})
          </label>
        ))}
      </fieldset>
      <fieldset className="fieldset">
        <legend>Format</legend>
        <div className="choice-row">
          <label className="check">
            <input type="radio" name="export-format" checked={format === 'csv'} onChange={() => setFormat('csv')} />
            CSV (spreadsheets)
          </label>
          <label className="check">
            <input type="radio" name="export-format" checked={format === 'json'} onChange={() => setFormat('json')} />
            JSON (can be imported for offline review)
          </label>
        </div>
      </fieldset>
      <p className="muted">Exports hold metadata only: names, ids, users, dates. Token values are never exported.</p>
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </Modal>
  );
}
