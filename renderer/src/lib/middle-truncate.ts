/**
 * Names that differ only at the end ("Acme PromoMats Prod", "Acme PromoMats UAT") must stay
 * apart when a column is narrow (issue 13, item 2): the head gives way with an ellipsis and the
 * distinguishing tail stays whole, "Acme Prom…Prod". The split is done here; CSS does the cut
 * (inventory.css `.mid-trunc`), so it follows the column's width as it is resized.
 */

/** Longest tail kept whole; a longer last word keeps only its last characters. */
export const MAX_TAIL_CHARS = 16;

/** A name's last word: what follows its last space, dash, underscore, slash, dot, colon, bracket or arrow. */
const LAST_WORD = /[^\s\-_/.→:(]+\s*$/u;

export interface TruncationParts {
  /** The part that gives way first (with an ellipsis), separator included; may be ''. */
  head: string;
  /** The part that always shows; head + tail === text. */
  tail: string;
}

/**
 * Splits `text` into a head and a distinguishing tail: its last word, or its last `maxTail`
 * characters when that word is longer or the name is one word. The separator stays at the end
 * of the head, so a cut head reads "Acme Prom…Prod" and an uncut one "Acme PromoMats Prod".
 * Names no longer than `maxTail` are all tail: never cut.
 */
export function splitForMiddleTruncation(text: string, maxTail = MAX_TAIL_CHARS): TruncationParts {
  if (text.length <= maxTail) return { head: '', tail: text };
  const word = LAST_WORD.exec(text)?.[0] ?? '';
  const tailLength = word.length > 0 && word.length <= maxTail && word.length < text.length ? word.length : maxTail;
  return { head: text.slice(0, text.length - tailLength), tail: text.slice(text.length - tailLength) };
}

/**
 * The same rule as text, for places measured in characters rather than pixels (tests, titles):
 * `text` itself when it fits in `maxChars`, else head…tail in at most `maxChars` characters.
 */
export function middleTruncate(text: string, maxChars: number, maxTail = MAX_TAIL_CHARS): string {
  if (text.length <= maxChars) return text;
  if (maxChars <= 1) return '…';
  const { tail } = splitForMiddleTruncation(text, Math.min(maxTail, maxChars - 2));
  const room = maxChars - 1 - tail.length;
  if (room < 1) return `…${tail.slice(tail.length - (maxChars - 1))}`;
  return `${text.slice(0, room).trimEnd()}…${tail}`;
}
