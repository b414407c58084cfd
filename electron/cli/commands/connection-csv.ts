/** `connection import FILE [--dry-run] [--skip-invalid]`, `connection export [--output FILE]` (issue 15, item 4). */
import { basename } from 'node:path';
import { CONNECTIONS_CSV_MAX_CHARS, type CsvPreview } from '../../../shared/connections-csv';
import { call } from '../call';
import { CliError, EXIT, UsageError, type ExitCode } from '../errors';
import { readInputFile, writeOutputFile } from '../files';
import { plural, table, type Cell } from '../format';
import { jsonDocument } from '../json';
import { boolFlag, requiredFlag, type Runtime } from '../runtime';

function previewRowsJson(preview: CsvPreview) {
  return preview.rows.map((r) => ({
    line: r.line,
    name: r.cells.name,
    ok: r.connection !== null,
    errors: r.errors.map((e) => e.message),
  }));
}

function previewTable(rt: Runtime, preview: CsvPreview): string {
  const p = rt.paint.out;
  const rows: Cell[][] = preview.rows.map((r) => [
    String(r.line),
    r.cells.name || '—',
    r.connection?.dns ?? (r.cells.dns || '—'),
    r.connection ? { text: 'ok', paint: p.green } : { text: 'error', paint: p.red },
    r.errors.map((e) => e.message).join(' '),
  ]);
  return table(['LINE', 'NAME', 'DNS', 'RESULT', 'PROBLEM'], rows, p.bold);
}

/**
 * Checks every row first (main does it again on import). A bad row means nothing is written, unless
 * `--skip-invalid` imports the good ones; `--dry-run` writes nothing at all.
 */
export async function connectionImport(rt: Runtime): Promise<ExitCode> {
  const { path, content } = readInputFile(rt.positionals[0]!, CONNECTIONS_CSV_MAX_CHARS);
  const dryRun = boolFlag(rt, 'dry-run');
  const skipInvalid = boolFlag(rt, 'skip-invalid');
  const preview = await call(rt, 'connections:csv-preview', { text: content });
  if (preview.fileError) throw new CliError(`${path}: ${preview.fileError}`);
  for (const column of preview.ignoredColumns) rt.note(`note: column “${column}” is not a connection field; ignored`);
  const blocked = preview.invalidCount > 0 && !skipInvalid;
  if (dryRun || blocked) {
    if (rt.json)
      rt.out(
        jsonDocument({
          file: path,
          dryRun,
          imported: 0,
          valid: preview.validCount,
          invalid: preview.invalidCount,
          rows: previewRowsJson(preview),
        }),
      );
    else rt.out(previewTable(rt, preview));
    if (preview.invalidCount > 0)
      throw new CliError(
        `${plural(preview.invalidCount, 'row')} of ${preview.rows.length} in ${path} have errors (see above); nothing was imported${dryRun ? '' : ' — fix them, or add --skip-invalid to import the other rows'}`,
      );
    if (!rt.json)
      rt.out(`Dry run: ${plural(preview.validCount, 'connection')} would be imported; nothing was written.\n`);
    return EXIT.ok;
  }
  const result = await call(rt, 'connections:csv-import', { text: content, skipInvalid, fileName: basename(path) });
  const bad = new Set(result.skipped.map((s) => s.line));
  if (rt.json)
    rt.out(
      jsonDocument({
        file: path,
        dryRun: false,
        imported: result.imported.length,
        valid: preview.validCount,
        invalid: result.skipped.length,
        rows: previewRowsJson(preview).map((r) => ({ ...r, ok: !bad.has(r.line) })),
      }),
    );
  else {
    for (const s of result.skipped) rt.note(`skipped line ${s.line}: ${s.errors.join(' ')}`);
    rt.out(
      `Imported ${plural(result.imported.length, 'connection')} from ${path}${result.skipped.length ? ` (${plural(result.skipped.length, 'row')} skipped)` : ''}. None has a secret yet: each asks for it on first use (or remember one with \`connection add NAME … --password-stdin\`).\n`,
    );
  }
  return EXIT.ok;
}

export async function connectionExport(rt: Runtime): Promise<ExitCode> {
  const output = rt.values.output === undefined ? undefined : requiredFlag(rt, 'output', 'FILE');
  if (rt.json && (output === undefined || output === '-'))
    throw new UsageError(
      '--json prints JSON on stdout: write the CSV with --output FILE, or leave out --json',
      rt.command,
    );
  const exported = await call(rt, 'connections:csv-export', undefined);
  if (output === undefined || output === '-') {
    // A pipe gets no byte-order mark (that is for spreadsheets opening a file).
    rt.out(exported.content.replace(/^\uFEFF/, ''));
    return EXIT.ok;
  }
  const path = writeOutputFile(output, exported.content);
  if (rt.json) rt.out(jsonDocument({ file: path, connections: exported.count }));
  else rt.out(`Exported ${plural(exported.count, 'connection')} (no secrets) to ${path}\n`);
  return EXIT.ok;
}
