/**
 * Deterministic payload generators for the IPC fuzz test (test/unit/ipc-fuzz.test.ts).
 * Everything here is driven by a seeded PRNG, so a seed names a run exactly.
 */

export type Rng = () => number;

/** mulberry32 (Tommy Ettinger, public domain): a tiny 32-bit seeded PRNG. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A per-label seed (FNV-1a of the label, mixed with the run's seed): one test can be rerun alone. */
export function seedFor(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(rng() * items.length)] as T;
}

export function randomWord(rng: Rng, length = 8): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-:.';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rng() * alphabet.length)];
  return out;
}

export const MB = 1 << 20;
const hugeCache = new Map<string, string>();
/** 1 MB strings of a few shapes (built once: they are large). */
export function hugeString(rng: Rng): string {
  const shape = pick(rng, ['ascii', 'digits', 'host', 'multibyte', 'json-ish'] as const);
  let text = hugeCache.get(shape);
  if (text === undefined) {
    const unit = { ascii: 'x', digits: '7', host: 'a.', multibyte: 'é', 'json-ish': '{"a":[' }[shape];
    text = unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
    hugeCache.set(shape, text);
  }
  return text;
}

export const DEPTH = 10_000;
/** 10,000 levels of arrays or objects, built without recursion. */
export function deepNesting(rng: Rng): unknown {
  const kind = pick(rng, ['array', 'object', 'mixed'] as const);
  const key = pick(rng, ['a', 'id', 'rowId', 'kind', 'format']);
  let value: unknown = pick(rng, [1, 'leaf', null, true]);
  for (let i = 0; i < DEPTH; i++) {
    const asArray = kind === 'array' || (kind === 'mixed' && i % 2 === 0);
    value = asArray ? [value] : { [key]: value };
  }
  return value;
}

/** 10,000 levels as JSON text (JSON.stringify itself overflows the stack on such a value). */
export function deepJsonText(kind: 'array' | 'object', key = 'a', leaf = '1'): string {
  return kind === 'array'
    ? '['.repeat(DEPTH) + leaf + ']'.repeat(DEPTH)
    : `{${JSON.stringify(key)}:`.repeat(DEPTH) + leaf + '}'.repeat(DEPTH);
}

/** Values of every JSON-ish type except `undefined` and `{}` (both are a valid "no input"). */
export const WRONG_TYPES: readonly unknown[] = [
  0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  null,
  [],
  [1, 2, 3],
  [{}],
  '',
  'x',
  '{}',
  'null',
];

/** Wrong-typed replacements by the JS type of the value they replace. */
export function wrongTypeFor(rng: Rng, original: unknown): unknown {
  if (typeof original === 'string') return pick(rng, [42, -1, 0, true, false, null, [], {}, ['x']]);
  if (typeof original === 'number') return pick(rng, ['1', '', '0x1', true, null, [], {}, [1]]);
  if (typeof original === 'boolean') return pick(rng, ['true', 'false', 0, 1, null, [], {}]);
  if (Array.isArray(original)) return pick(rng, ['x', 1, true, {}, { length: 1, 0: 'x' }]);
  return pick(rng, ['x', 1, true, [], [{}]]);
}

/** Same-typed but odd replacements: these may pass the schema and reach the service. */
export function oddValueFor(rng: Rng, original: unknown, tokenShaped: string): unknown {
  if (typeof original === 'string')
    return pick(rng, [
      '',
      ' ',
      '\u0000',
      "' OR 1=1 --",
      '"; DROP TABLE tokens; --',
      '../../../etc/passwd',
      '%s%s%n%x',
      '\u202e\u0301\ufeff',
      '\ud800',
      '𝕍'.repeat(60),
      '__proto__',
      'constructor',
      'toString',
      'no-such-id-0000',
      '127.0.0.1:1',
      'a'.repeat(4097),
      tokenShaped,
    ]);
  if (typeof original === 'number')
    return pick(rng, [
      0,
      -1,
      -0,
      1.5,
      2 ** 31,
      2 ** 53 - 1,
      2 ** 53 + 2,
      Number.MAX_VALUE,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
  if (typeof original === 'boolean') return !original;
  if (Array.isArray(original))
    return pick(rng, [[], [...original, ...original, ...original], new Array<unknown>(10_001).fill(original[0])]);
  return {};
}

export type Path = readonly (string | number)[];

/** Paths to every node below the root (objects, arrays and leaves alike). */
export function nodePaths(value: unknown, path: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, i) => out.push([...path, i], ...nodePaths(item, [...path, i])));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) out.push([...path, key], ...nodePaths(item, [...path, key]));
  }
  return out;
}

/** Paths to the objects (not arrays) in a value, the root included. */
export function objectPaths(value: unknown, path: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const own = Array.isArray(value) ? [] : [path];
  const children = Array.isArray(value)
    ? value.flatMap((item, i) => objectPaths(item, [...path, i]))
    : Object.entries(value).flatMap(([key, item]) => objectPaths(item, [...path, key]));
  return [...own, ...children];
}

export function getAt(value: unknown, path: Path): unknown {
  let node = value;
  for (const key of path) node = (node as Record<string | number, unknown>)[key];
  return node;
}

/** A deep copy (bases are plain JSON) with the node at `path` replaced. */
export function setAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head] = setAt(copy[head], rest, replacement);
  return copy;
}

const PLACEHOLDER = 'fuzz-placeholder-key-7f3a9c';

/**
 * `base` with an extra own key named `key` (e.g. `__proto__`) in the object at
 * `path`, holding `valueJson`. Built through JSON.parse, as a structured clone or
 * the CLI's JSON would build it, so `__proto__` is an own key and not a prototype.
 */
export function withOwnKey(base: unknown, path: Path, key: string, valueJson: string): unknown {
  const target = (getAt(base, path) ?? {}) as object;
  const marked = setAt(base, path, { ...target, [PLACEHOLDER]: 0 });
  const text = JSON.stringify(marked).replace(`"${PLACEHOLDER}":0`, `${JSON.stringify(key)}:${valueJson}`);
  return JSON.parse(text) as unknown;
}

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** What a polluting payload would try to plant, by key. */
export function pollutingValueJson(key: (typeof PROTO_KEYS)[number]): string {
  if (key === 'constructor') return '{"prototype":{"polluted":"yes","isAdmin":true}}';
  return '{"polluted":"yes","isAdmin":true,"toString":"polluted"}';
}

export const EXTRA_KEYS = ['extra', 'isAdmin', 'then', 'toJSON', 'valueOf', 'hasOwnProperty', 'sql', 'id2'] as const;

/** A short, printable preview of a payload for failure messages (bounded: payloads may be 1 MB or 10,000 levels deep). */
export function preview(value: unknown, max = 160): string {
  const text = printBounded(value, 0);
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

function printBounded(value: unknown, depth: number): string {
  if (typeof value === 'string')
    return value.length > 200
      ? `${JSON.stringify(value.slice(0, 200))}…(${value.length} chars)`
      : JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (typeof value !== 'object') return typeof value;
  if (depth >= 6) return Array.isArray(value) ? '[…deeper…]' : '{…deeper…}';
  if (Array.isArray(value)) {
    const items = value.slice(0, 5).map((item) => printBounded(item, depth + 1));
    if (value.length > 5) items.push(`…${value.length - 5} more`);
    return `[${items.join(',')}]`;
  }
  const entries = Object.entries(value);
  const shown = entries.slice(0, 12).map(([k, v]) => `${JSON.stringify(k)}:${printBounded(v, depth + 1)}`);
  if (entries.length > 12) shown.push(`…${entries.length - 12} more`);
  return `{${shown.join(',')}}`;
}

/** Every string in a value (bounded depth: responses are shallow). */
export function stringsIn(value: unknown, depth = 0, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (depth < 50 && value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      stringsIn(item, depth + 1, out);
    }
  }
  return out;
}
