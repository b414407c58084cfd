/**
 * Replacing or adding `NAME=value` in the text of a dotenv file, keeping every other line as it
 * is: comments, blank lines, `export` prefixes, other variables (multi-line quoted values
 * included), the line ending the file uses (CRLF or LF) and whether it ends with one.
 *
 * Quoting follows the conventions the common parsers share (motdotla/dotenv, python-dotenv,
 * Docker Compose's env_file, shells sourcing the file): a value of safe characters is written as
 * it is; otherwise single quotes, which every one of them reads literally (no `$` expansion, no
 * escapes); a value containing `'` but nothing a double quote treats specially gets plain double
 * quotes. Anything else (a line break, or `'` with `"`, `\\`, `$` or `` ` ``) has no form all
 * parsers read alike: it gets double quotes with `\\`, `"`, `$`, `` ` `` and line breaks escaped,
 * as python-dotenv and Docker Compose read them (motdotla/dotenv reads `\n` but keeps the other
 * backslashes). Vault token values (`veeva-vault-…`, docs/vault-api.md §1.1) are always bare.
 */
import { DOTENV_KEY_RE } from '../../shared/contract/deliveries';

/** Characters no dotenv parser or shell treats specially in a bare value. */
const BARE_VALUE = /^[A-Za-z0-9_.,:/@%+=-]*$/;

export function isDotenvKey(key: string): boolean {
  return DOTENV_KEY_RE.test(key);
}

export function formatDotenvValue(value: string): string {
  if (BARE_VALUE.test(value)) return value;
  if (!/['\r\n]/.test(value)) return `'${value}'`;
  if (!/["\\$`\r\n]/.test(value)) return `"${value}"`;
  const escaped = value
    .replace(/[\\"$`]/g, (c) => `\\${c}`)
    .replace(/\r/g, '\\r')
    .replace(/\n/g, '\\n');
  return `"${escaped}"`;
}

/** `[export ]NAME=` at the start of a line (leading blanks, and a BOM on the first line, allowed). */
const ASSIGNMENT = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/** Whether a quoted value that opens on this line is still open at its end (it continues below). */
function opensMultiline(rest: string): '"' | "'" | '`' | null {
  const quote = rest[0];
  if (quote !== '"' && quote !== "'" && quote !== '`') return null;
  for (let i = 1; i < rest.length; i++) {
    if (quote === '"' && rest[i] === '\\') {
      i += 1;
      continue;
    }
    if (rest[i] === quote) return null;
  }
  return quote;
}

function closesQuote(line: string, quote: string): boolean {
  for (let i = 0; i < line.length; i++) {
    if (quote === '"' && line[i] === '\\') {
      i += 1;
      continue;
    }
    if (line[i] === quote) return true;
  }
  return false;
}

export interface DotenvEdit {
  text: string;
  /** Assignments of the key that were replaced (0: the line was added at the end). */
  replaced: number;
}

/**
 * Every assignment of `key` becomes `key=value` (keeping its indentation and `export`); the
 * parsers disagree on which of several wins, so none is left with the old value. Without one,
 * the line is added at the end.
 */
export function upsertDotenv(text: string, key: string, value: string): DotenvEdit {
  if (!isDotenvKey(key)) throw new Error('not a dotenv variable name');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  // "a\n".split gives ["a", ""]: the last element is what follows the final line ending.
  const endsWithEol = lines.length > 1 && lines[lines.length - 1] === '';
  if (endsWithEol || text === '') lines.pop();
  const formatted = formatDotenvValue(value);
  const out: string[] = [];
  let replaced = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = ASSIGNMENT.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    const [, prefix, name, rest] = m as unknown as [string, string, string, string];
    // A quoted value left open continues on the following lines: they belong to this assignment.
    const open = opensMultiline(rest);
    let end = i;
    if (open) {
      while (end + 1 < lines.length && !closesQuote(lines[end + 1]!, open)) end += 1;
      if (end + 1 < lines.length) end += 1;
    }
    if (name === key) {
      out.push(`${prefix}${key}=${formatted}`);
      replaced += 1;
    } else {
      out.push(...lines.slice(i, end + 1));
    }
    i = end;
  }
  if (replaced === 0) out.push(`${key}=${formatted}`);
  // A file that ended without a line ending keeps it that way unless a line was added to it.
  const trailing = endsWithEol || replaced === 0 || text === '' ? eol : '';
  return { text: out.join(eol) + trailing, replaced };
}
