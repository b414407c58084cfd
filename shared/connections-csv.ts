/**
 * Connections as CSV (issue 15, item 4): the columns, reading a file into a preview with one clear
 * message per bad cell, and writing the same columns back. Never a secret: there is no column for
 * one, and imported connections ask for theirs on first use. Pure: main validates here again
 * (with the zod schemas) what the renderer previewed.
 */
import { z } from 'zod';
import { AUTH_METHODS, DEFAULT_API_VERSION, DEFAULT_CLIENT_ID, type AuthMethod, type Connection } from './domain';
import { ENVIRONMENT_HINT, parseEnvironment } from './connection-groups';
import { parseCsv, toCsvText, unguardCell, type CsvDelimiter } from './csv';
import {
  ApiVersion,
  ClientId,
  ClientName,
  ConnectionEnvironmentSchema,
  ConnectionName,
  Username,
  VaultDns,
} from './schemas';

/** What a preview or import accepts; a larger file is refused as a whole, with this reason. */
export const CONNECTIONS_CSV_MAX_CHARS = 2 * 1024 * 1024;
export const CONNECTIONS_CSV_MAX_ROWS = 5000;

/** Column order of the export, and the header names it writes. */
export const CONNECTIONS_CSV_FIELDS = [
  'name',
  'dns',
  'username',
  'method',
  'client',
  'environment',
  'apiVersion',
  'clientId',
] as const;
export type ConnectionsCsvField = (typeof CONNECTIONS_CSV_FIELDS)[number];

const HEADER: Record<ConnectionsCsvField, string> = {
  name: 'name',
  dns: 'dns',
  username: 'username',
  method: 'sign-in method',
  client: 'client',
  environment: 'environment',
  apiVersion: 'api version',
  clientId: 'client id',
};

/** Header spellings read, compared without case, spaces, `_` or `-`. */
const HEADER_ALIASES: Record<string, ConnectionsCsvField> = {
  name: 'name',
  connection: 'name',
  dns: 'dns',
  vaultdns: 'dns',
  host: 'dns',
  username: 'username',
  user: 'username',
  signinmethod: 'method',
  method: 'method',
  authmethod: 'method',
  login: 'method',
  client: 'client',
  environment: 'environment',
  env: 'environment',
  apiversion: 'apiVersion',
  clientid: 'clientId',
};
const REQUIRED: readonly ConnectionsCsvField[] = ['name', 'dns', 'username'];

const METHOD_WORDS: Record<string, AuthMethod> = {
  password: 'password',
  token: 'token',
  apitoken: 'token',
  apiaccesstoken: 'token',
  sso: 'sso',
  singlesignon: 'sso',
  oauth: 'sso',
  session: 'session',
  sessionid: 'session',
};
const squash = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');

/** "Single sign-on", "API access token", "password" → the method; empty → password; else null. */
export function parseAuthMethod(value: string): AuthMethod | null {
  if (value.trim() === '') return 'password';
  return METHOD_WORDS[squash(value)] ?? null;
}

/** One valid row, ready for `connections:create` without a secret. */
export const CsvConnection = z.strictObject({
  name: ConnectionName,
  dns: VaultDns,
  username: Username,
  authMethod: z.enum(AUTH_METHODS),
  client: ClientName,
  environment: ConnectionEnvironmentSchema.nullable(),
  apiVersion: ApiVersion,
  clientId: ClientId,
});
export type CsvConnection = z.output<typeof CsvConnection>;

export interface CsvPreviewRow {
  /** 1-based line in the file. */
  line: number;
  /** The cells as read (formula guard removed), by column, for the preview table. */
  cells: Record<ConnectionsCsvField, string>;
  /** Set when the row is valid. */
  connection: CsvConnection | null;
  /** One message per bad column ('row' for the row as a whole); empty when valid. */
  errors: { field: ConnectionsCsvField | 'row'; message: string }[];
}

export interface CsvPreview {
  delimiter: CsvDelimiter;
  rows: CsvPreviewRow[];
  validCount: number;
  invalidCount: number;
  /** Why the file as a whole cannot be read (no header, a missing column, too large); rows is then empty. */
  fileError: string | null;
  /** Header cells that are not a known column: read past, named so nobody wonders where they went. */
  ignoredColumns: string[];
}

export interface CsvImportResult {
  imported: { id: string; name: string; line: number }[];
  /** Rows left out (only with skipInvalid), each with its messages. */
  skipped: { line: number; errors: string[] }[];
}

const emptyPreview = (fileError: string, delimiter: CsvDelimiter = ','): CsvPreview => ({
  delimiter,
  rows: [],
  validCount: 0,
  invalidCount: 0,
  fileError,
  ignoredColumns: [],
});

/**
 * Reads a connections CSV against the names already in use (compared without case). Every row is
 * checked: DNS, user name, sign-in method, environment, API version, client id, and duplicate
 * names within the file and against `existingNames`.
 */
/**
 * The file is read as UTF-8 (with or without a BOM), as Excel's "CSV UTF-8" saves it. Another
 * encoding read that way shows itself: UTF-16 as NUL characters between the letters, Windows-1252
 * accents as U+FFFD replacement characters. Refuse it whole rather than import mangled names.
 */
function notUtf8(text: string): string | null {
  if (text.includes('\u0000'))
    return 'The file looks like UTF-16 text (as Excel\'s "Unicode Text" saves it): save it as "CSV UTF-8" and import it again; nothing was read.';
  const line = text.split(/\r\n|\r|\n/).findIndex((l) => l.includes('\uFFFD'));
  if (line >= 0)
    return `Line ${line + 1} has characters that are not UTF-8 (perhaps Windows-1252 accents): save the file as "CSV UTF-8" and import it again; nothing was read.`;
  return null;
}

export function previewConnectionsCsv(text: string, existingNames: readonly string[]): CsvPreview {
  if (text.length > CONNECTIONS_CSV_MAX_CHARS)
    return emptyPreview(`The file is larger than ${CONNECTIONS_CSV_MAX_CHARS / 1024 / 1024} MB; split it.`);
  const encoding = notUtf8(text);
  if (encoding) return emptyPreview(encoding);
  const parsed = parseCsv(text);
  if (parsed.error)
    return emptyPreview(`Line ${parsed.error.line}: ${parsed.error.message}; nothing was read.`, parsed.delimiter);
  const [header, ...body] = parsed.records;
  if (!header) return emptyPreview('The file is empty: it needs a header line such as name,dns,username.');
  if (body.length > CONNECTIONS_CSV_MAX_ROWS)
    return emptyPreview(`The file has ${body.length} rows; at most ${CONNECTIONS_CSV_MAX_ROWS} at a time.`);

  const columnOf = new Map<ConnectionsCsvField, number>();
  const ignoredColumns: string[] = [];
  header.cells.forEach((raw, index) => {
    const field = HEADER_ALIASES[squash(unguardCell(raw))];
    if (field && !columnOf.has(field)) columnOf.set(field, index);
    else if (raw.trim()) ignoredColumns.push(raw.trim());
  });
  const missing = REQUIRED.filter((f) => !columnOf.has(f));
  if (missing.length)
    return emptyPreview(
      `The header line has no ${missing.map((f) => `“${HEADER[f]}”`).join(', ')} column. Expected: ${CONNECTIONS_CSV_FIELDS.map((f) => HEADER[f]).join(', ')}.`,
      parsed.delimiter,
    );

  const taken = new Map(existingNames.map((n) => [n.trim().toLocaleLowerCase('en'), n]));
  const firstLineOf = new Map<string, number>();
  const rows = body.map((record): CsvPreviewRow => {
    const cells = Object.fromEntries(
      CONNECTIONS_CSV_FIELDS.map((f) => {
        const index = columnOf.get(f);
        return [f, index === undefined ? '' : unguardCell(record.cells[index] ?? '')];
      }),
    ) as Record<ConnectionsCsvField, string>;
    return checkRow(record.line, cells, record.cells.length > header.cells.length, taken, firstLineOf);
  });
  const validCount = rows.filter((r) => r.connection).length;
  return {
    delimiter: parsed.delimiter,
    rows,
    validCount,
    invalidCount: rows.length - validCount,
    fileError: rows.length ? null : 'The file has a header line but no connections.',
    ignoredColumns,
  };
}

function checkRow(
  line: number,
  cells: Record<ConnectionsCsvField, string>,
  extraCells: boolean,
  taken: Map<string, string>,
  firstLineOf: Map<string, number>,
): CsvPreviewRow {
  const errors: CsvPreviewRow['errors'] = [];
  const authMethod = parseAuthMethod(cells.method);
  if (!authMethod)
    errors.push({
      field: 'method',
      message: `Unknown sign-in method “${cells.method.trim()}”: use password, token, sso or session.`,
    });
  const environment = parseEnvironment(cells.environment);
  if (cells.environment.trim() && !environment)
    errors.push({
      field: 'environment',
      message: `Unknown environment “${cells.environment.trim()}”: use ${ENVIRONMENT_HINT}, or leave it empty.`,
    });
  if (extraCells) errors.push({ field: 'row', message: 'This row has more cells than the header line.' });
  const result = CsvConnection.safeParse({
    name: cells.name,
    dns: cells.dns,
    username: cells.username,
    authMethod: authMethod ?? 'password',
    client: cells.client,
    environment,
    apiVersion: cells.apiVersion.trim() || DEFAULT_API_VERSION,
    clientId: cells.clientId.trim() || DEFAULT_CLIENT_ID,
  });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = FIELD_OF[String(issue.path[0])] ?? 'row';
      if (!errors.some((e) => e.field === field)) errors.push({ field, message: issue.message });
    }
  }
  const key = cells.name.trim().toLocaleLowerCase('en');
  if (key) {
    const existing = taken.get(key);
    const earlier = firstLineOf.get(key);
    if (existing !== undefined)
      errors.push({ field: 'name', message: `A connection named “${existing}” already exists.` });
    else if (earlier !== undefined)
      errors.push({ field: 'name', message: `Line ${earlier} has the same name; names must be unique.` });
    else firstLineOf.set(key, line);
  }
  return { line, cells, connection: errors.length === 0 && result.success ? result.data : null, errors };
}

const FIELD_OF: Record<string, ConnectionsCsvField> = {
  name: 'name',
  dns: 'dns',
  username: 'username',
  authMethod: 'method',
  client: 'client',
  environment: 'environment',
  apiVersion: 'apiVersion',
  clientId: 'clientId',
};

/**
 * The connections as CSV, same columns as the import reads. Fields are copied one by one from an
 * explicit list, so nothing else (no secret, no keychain state) can reach the file; formula-looking
 * cells get a leading `'` (csvCell).
 */
export function connectionsToCsv(connections: readonly Connection[], options: { bom?: boolean } = {}): string {
  const rows = connections.map((c) => [
    c.name,
    c.dns,
    c.username,
    c.authMethod,
    c.client ?? '',
    c.environment ?? '',
    c.apiVersion,
    c.clientId,
  ]);
  return toCsvText(
    CONNECTIONS_CSV_FIELDS.map((f) => HEADER[f]),
    rows,
    options,
  );
}
