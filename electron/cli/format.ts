/**
 * Human output: aligned tables, dates with the days left, and colour (only
 * when the caller says the stream may have it; see io.ts colourEnabled).
 */
import type { TokenStatus } from '../../shared/tokens';
import { daysLeft, describeDaysLeft, normaliseTimestamp } from '../../shared/token-status';
import { ANSI_SGR } from '../../shared/control-chars';

export type Paint = (text: string) => string;

export interface Palette {
  red: Paint;
  yellow: Paint;
  green: Paint;
  dim: Paint;
  bold: Paint;
}

const sgr =
  (open: number, close: number): Paint =>
  (text) =>
    text ? `\u001b[${open}m${text}\u001b[${close}m` : text;

const plain: Paint = (text) => text;

export function palette(enabled: boolean): Palette {
  if (!enabled) return { red: plain, yellow: plain, green: plain, dim: plain, bold: plain };
  return { red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39), dim: sgr(2, 22), bold: sgr(1, 22) };
}

/** Printed width of a cell: colour codes take no room, and each code point counts once. */
export function visibleWidth(text: string): number {
  return [...text.replace(ANSI_SGR, '')].length;
}

/** A table cell: plain text, or text with the paint applied after the width was measured. */
export type Cell = string | { text: string; paint?: Paint };

/**
 * Columns separated by two spaces, padded to the widest cell, header first.
 * No trailing blanks; the last column is never padded.
 */
export function table(headers: string[], rows: Cell[][], headerPaint: Paint = plain): string {
  const text = (c: Cell): string => (typeof c === 'string' ? c : c.text);
  const widths = headers.map((h, i) => Math.max(visibleWidth(h), ...rows.map((r) => visibleWidth(text(r[i] ?? '')))));
  const line = (cells: Cell[], isHeader: boolean): string =>
    cells
      .map((cell, i) => {
        const raw = text(cell);
        const last = i === cells.length - 1;
        const padded = last ? raw : raw + ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleWidth(raw)));
        const paint = isHeader ? headerPaint : typeof cell === 'string' ? plain : (cell.paint ?? plain);
        // Paint the text only, not the padding, so that underlines and backgrounds stay tidy.
        return last ? paint(padded) : paint(raw) + padded.slice(raw.length);
      })
      .join('  ')
      .trimEnd();
  return [line(headers, true), ...rows.map((r) => line(r, false))].join('\n') + '\n';
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The calendar date of an instant in the runtime's time zone (TZ), as YYYY-MM-DD. */
export function localDate(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** "2027-01-31 (in 12 days)", "2026-11-02 (3 days ago)", or "never". */
export function formatExpiry(expiresAt: string | null, now: Date): string {
  const iso = normaliseTimestamp(expiresAt);
  if (iso === null) return 'never';
  return `${localDate(iso)} (${describeDaysLeft(daysLeft(iso, now))})`;
}

/** A past date for people, e.g. last used: "2026-11-02", or "—" when unknown. */
export function formatDay(at: string | null): string {
  const iso = normaliseTimestamp(at);
  return iso === null ? '—' : localDate(iso);
}

/** "2026-11-02 14:05" in the runtime's time zone, or "—". */
export function formatMoment(at: string | null): string {
  const iso = normaliseTimestamp(at);
  if (iso === null) return '—';
  const d = new Date(iso);
  return `${localDate(iso)} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

export function statusPaint(status: TokenStatus, p: Palette): Paint {
  switch (status) {
    case 'active':
      return p.green;
    case 'expiring':
      return p.yellow;
    case 'expired':
      return p.red;
    case 'revoked':
      return p.dim;
  }
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
