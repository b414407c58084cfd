import { Fragment, useRef, useState } from 'react';
import type { CsvImportResult, CsvPreview, ConnectionsCsvField } from '../../../../shared/connections-csv';
import { CONNECTIONS_CSV_MAX_CHARS } from '../../../../shared/connections-csv';
import { call, errorInfo } from '../../lib/api';
import { plural } from '../../lib/format';
import { Modal } from '../../components/Modal';
import { Banner } from '../../components/Banner';

const COLUMNS: { field: ConnectionsCsvField; label: string }[] = [
  { field: 'name', label: 'Name' },
  { field: 'dns', label: 'Vault DNS' },
  { field: 'username', label: 'User' },
  { field: 'method', label: 'Sign-in' },
  { field: 'client', label: 'Client' },
  { field: 'environment', label: 'Env' },
];

/**
 * Import connections from a CSV (issue 15, item 4). The file is read here and sent as text; main
 * parses and checks every row and shows them here; nothing is written until the person confirms,
 * and main reads the text again then. Imported connections have no secret: each asks on first use.
 */
export function ImportCsvDialog({ onClose }: { onClose: (result: CsvImportResult | null, fileName: string) => void }) {
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const choose = async (chosen: File | undefined) => {
    setPreview(null);
    setError(null);
    setFile(null);
    if (!chosen) return;
    if (chosen.size > CONNECTIONS_CSV_MAX_CHARS * 4) {
      setError('The file is larger than 2 MB; split it.');
      return;
    }
    setBusy(true);
    try {
      const text = await chosen.text();
      setFile({ name: chosen.name, text });
      setPreview(await call('connections:csv-preview', { text }));
    } catch (e) {
      setError(errorInfo(e).message);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!file || !preview) return;
    setBusy(true);
    setError(null);
    try {
      const result = await call('connections:csv-import', {
        text: file.text,
        skipInvalid: preview.invalidCount > 0,
        fileName: file.name,
      });
      onClose(result, file.name);
    } catch (e) {
      setError(errorInfo(e).message);
      setBusy(false);
    }
  };

  const ready = preview && !preview.fileError ? preview.validCount : 0;
  const bad = preview?.invalidCount ?? 0;
  return (
    <Modal
      title="Import connections from CSV"
      wide
      locked={busy && Boolean(preview)}
      onClose={() => onClose(null, file?.name ?? '')}
      initialFocus={fileInput}
      className="csv-import"
      footer={
        <>
          <button type="button" className="btn" onClick={() => onClose(null, file?.name ?? '')} disabled={busy}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn--primary"
            onClick={() => void confirm()}
            disabled={busy || ready === 0}
          >
            {busy && preview
              ? 'Importing…'
              : ready === 0
                ? 'Import'
                : bad
                  ? `Import ${plural(ready, 'connection')}, skip ${bad}`
                  : `Import ${plural(ready, 'connection')}`}
          </button>
        </>
      }
    >
      <p className="muted">
        Columns: name, dns, username, sign-in method (password, token, sso or session), client, environment (DEV, QA,
        UAT, PROD, sandbox, other), api version, client id — only the first three are required; comma or semicolon. No
        secrets: each imported connection asks for its password or token the first time it is used.
      </p>
      <div className="field">
        <label htmlFor="csv-file">CSV file</label>
        <input
          ref={fileInput}
          id="csv-file"
          type="file"
          accept=".csv,text/csv,text/plain"
          onChange={(e) => void choose(e.target.files?.[0])}
          disabled={busy && !preview}
        />
      </div>
      {error ? (
        <Banner tone="error" title="Nothing was imported">
          {error}
        </Banner>
      ) : null}
      {preview?.fileError ? (
        <Banner tone="error" title={`${file?.name ?? 'The file'} cannot be imported`}>
          {preview.fileError}
        </Banner>
      ) : null}
      {preview && !preview.fileError ? (
        <>
          <p role="status" className="csv-import__summary">
            <strong>{plural(ready, 'connection')}</strong> ready to import
            {bad ? (
              <>
                , <strong className="text-warn">{plural(bad, 'row')} with errors</strong> (left out unless fixed)
              </>
            ) : null}
            . Nothing is saved until you press Import.
            {preview.ignoredColumns.length ? ` Ignored columns: ${preview.ignoredColumns.join(', ')}.` : ''}
          </p>
          {/* Focusable, so the rows can be scrolled from the keyboard (WCAG 2.1.1). */}
          <div className="list-scroll" tabIndex={0} role="region" aria-label="Preview of the file">
            <table className="table table--compact" aria-label="Rows in the file">
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Result</th>
                  {COLUMNS.map((c) => (
                    <th key={c.field} scope="col">
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => {
                  const badFields = new Set(r.errors.map((e) => e.field));
                  const problemId = `csv-line-${r.line}-problem`;
                  // A bad row's messages go on a line of their own under it, full width, so they stay readable.
                  return (
                    <Fragment key={r.line}>
                      <tr
                        className={r.connection ? undefined : 'csv-import__bad'}
                        aria-describedby={r.connection ? undefined : problemId}
                      >
                        <td className="mono">{r.line}</td>
                        <td>
                          {r.connection ? (
                            <span className="pill pill--ok">
                              <span aria-hidden="true">✓ </span>ready
                            </span>
                          ) : (
                            <span className="pill pill--danger">
                              <span aria-hidden="true">⚠ </span>error
                            </span>
                          )}
                        </td>
                        {COLUMNS.map((c) => (
                          <td
                            key={c.field}
                            className={`cell-clip${badFields.has(c.field) ? ' csv-import__cell--bad' : ''}`}
                            title={r.cells[c.field]}
                          >
                            {r.cells[c.field] || <span className="muted">—</span>}
                          </td>
                        ))}
                      </tr>
                      {r.connection ? null : (
                        <tr className="csv-import__bad csv-import__problem">
                          <td />
                          <td colSpan={COLUMNS.length + 1} id={problemId}>
                            {r.errors.map((e) => e.message).join(' ')}
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </Modal>
  );
}
