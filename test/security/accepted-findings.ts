/**
 * Reads the accepted-findings table from SECURITY.md's "Electronegativity" section: the Electronegativity
 * findings at MEDIUM that are kept on purpose, each with the reason (test/security/electronegativity.test.ts).
 *
 *   | Check | File | Why it is accepted |
 *   |---|---|---|
 *   | `OPEN_EXTERNAL_JS_CHECK` | `electron/shell/security/harden.ts` | Only allow-listed https links. |
 *
 * Backticks around the check id and the file are optional. A missing section, a missing table or a row
 * without a reason throws, so a renamed heading can never read as "nothing accepted".
 */
export interface AcceptedFinding {
  /** Electronegativity's check id, e.g. OPEN_EXTERNAL_JS_CHECK. */
  check: string;
  /** Path relative to the repository root, as the scan reports it. */
  file: string;
  reason: string;
  /** 1-based line of the row in SECURITY.md, for messages. */
  line: number;
}

export const ELECTRONEGATIVITY_HEADING = '## Electronegativity';
const HEADER = ['check', 'file', 'why it is accepted'];

function cells(row: string): string[] {
  const trimmed = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  return trimmed.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

const unquote = (cell: string) => cell.replace(/^`(.*)`$/, '$1').trim();

export function parseAcceptedFindings(markdown: string): AcceptedFinding[] {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === ELECTRONEGATIVITY_HEADING);
  if (start < 0) throw new Error(`SECURITY.md has no "${ELECTRONEGATIVITY_HEADING}" section`);
  let end = lines.findIndex((l, i) => i > start && /^##\s/.test(l));
  if (end < 0) end = lines.length;

  const headerAt = lines.findIndex(
    (l, i) =>
      i > start &&
      i < end &&
      l.trim().startsWith('|') &&
      HEADER.every((name, n) => cells(l)[n]?.toLowerCase() === name),
  );
  if (headerAt < 0) {
    throw new Error(
      `SECURITY.md's Electronegativity section has no table headed | Check | File | Why it is accepted |`,
    );
  }
  if (!/^\|?\s*:?-{3,}/.test(lines[headerAt + 1]?.trim() ?? '')) {
    throw new Error(`SECURITY.md line ${headerAt + 2}: expected the table's |---| separator row`);
  }

  const found: AcceptedFinding[] = [];
  for (let i = headerAt + 2; i < end && lines[i]!.trim().startsWith('|'); i++) {
    const [check = '', file = '', reason = ''] = cells(lines[i]!).map(unquote);
    if (!check || !file || !reason) {
      throw new Error(`SECURITY.md line ${i + 1}: an accepted finding needs a check id, a file and a reason`);
    }
    found.push({ check, file, reason, line: i + 1 });
  }
  return found;
}
