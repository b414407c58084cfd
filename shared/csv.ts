/**
 * A small CSV reader and writer (RFC 4180), pure: no Node, no DOM. No CSV library is a dependency,
 * so this covers what spreadsheets actually write: quoted fields with "" escapes and line breaks,
 * CRLF, LF or CR line ends, a UTF-8 byte-order mark, and `;` (or tab) as the delimiter where the
 * locale's decimal comma makes Excel use it. The delimiter is detected from the header line.
 */

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvRecord {
  /** 1-based line where this record starts in the file (a quoted line break spans lines). */
  line: number;
  cells: string[];
}

export interface CsvParseResult {
  delimiter: CsvDelimiter;
  records: CsvRecord[];
  /** A quote that never closes: the file ends inside a field (its line is given). */
  error: { line: number; message: string } | null;
}

const BOM = '\uFEFF';

/** The delimiter the header line uses most, outside quotes: `,` unless `;` or tab wins. */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text.startsWith(BOM) ? text.slice(1) : text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

/**
 * Every record, blank lines left out. A quote only opens a quoted field at the start of a field;
 * elsewhere it is kept as text (lenient, as spreadsheets are). Cells are not trimmed here.
 */
export function parseCsv(input: string, options: { delimiter?: CsvDelimiter } = {}): CsvParseResult {
  const text = input.startsWith(BOM) ? input.slice(1) : input;
  const delimiter = options.delimiter ?? detectDelimiter(text);
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let fieldStart = true;
  const endRecord = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0] !== '') records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
    fieldStart = true;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && fieldStart) {
      quoted = true;
      quoteLine = line;
      fieldStart = false;
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
      fieldStart = true;
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      cell += ch;
      fieldStart = false;
    }
  }
  if (quoted) return { delimiter, records, error: { line: quoteLine, message: 'a quoted field is never closed' } };
  if (cell !== '' || cells.length) endRecord();
  return { delimiter, records, error: null };
}

/** Cells a spreadsheet would run as a formula (OWASP "CSV injection"): = + - @, tab, CR, also after spaces. */
const FORMULA_START = /^(?:[=+\-@\t\r]|\s+[=+\-@])/;

/**
 * One cell for a CSV file: text a spreadsheet would run as a formula gets a leading `'`, and the
 * cell is quoted when it holds the delimiter, a quote, a line break or edge whitespace.
 */
export function csvCell(value: string | number | boolean | null, delimiter: CsvDelimiter = ','): string {
  if (value === null) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  const special = text.includes(delimiter) || /["\r\n]/.test(text) || text !== text.trim();
  return special ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The other half of csvCell's guard, for reading: `'=SUM(A1)` (as written by an export) reads as
 * the text `=SUM(A1)`. A cell that starts with = + - @ is plain text either way: nothing here, or
 * anywhere in the app, evaluates it.
 */
export function unguardCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** Header plus rows, CRLF line ends (RFC 4180 §2.1); `bom` for Excel, which needs it to read accents. */
export function toCsvText(
  header: readonly string[],
  rows: readonly (readonly (string | number | boolean | null)[])[],
  options: { bom?: boolean } = {},
): string {
  const lines = [header.map((h) => csvCell(h)).join(','), ...rows.map((r) => r.map((v) => csvCell(v)).join(','))];
  return `${options.bom ? BOM : ''}${lines.join('\r\n')}\r\n`;
}
