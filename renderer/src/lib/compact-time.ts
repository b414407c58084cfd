/**
 * "3 mo ago" rather than "3 months ago": the inventory's Last used column must fit a 1024 px
 * window beside seven others (issue 13, item 2). The exact instant stays in the cell's title and
 * in the details drawer (format.ts `utc`, `localDateTime`).
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Units from the largest; a month counts as 30 days and a year as 365, as a glance needs. */
const UNITS: [ms: number, label: string][] = [
  [365 * DAY, 'y'],
  [30 * DAY, 'mo'],
  [DAY, 'd'],
  [HOUR, 'h'],
  [MINUTE, 'min'],
];

/** "just now", "5 min ago", "2 d ago", "in 3 d"; `fallback` when there is no valid time. */
export function compactRelative(iso: string | null | undefined, fallback = '—', now = Date.now()): string {
  if (!iso) return fallback;
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) return fallback;
  const diff = at - now;
  const size = Math.abs(diff);
  if (size < 45_000) return 'just now';
  const [unit, label] = UNITS.find(([ms]) => size >= ms) ?? [MINUTE, 'min'];
  const n = Math.max(1, Math.floor(size / unit));
  return diff < 0 ? `${n} ${label} ago` : `in ${n} ${label}`;
}
