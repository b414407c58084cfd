/**
 * Evaluation of parsed VQL over rows of a query target.
 *
 * VQL Syntax Basics: "Field values: case sensitive. By default, all field
 * values are case sensitive", picklist values included. So `=`, `!=`,
 * ordering, CONTAINS, BETWEEN and LIKE compare exactly, unless the field is
 * wrapped in CASEINSENSITIVE() (VQL functions, v14.0+: "The {field}
 * parameter must be the name of an object field of type String").
 */
import type { FieldDef, RawValue, Row } from './query-targets';
import { parseVqlDateLiteral } from './time';
import type { Condition, Literal, OrderTerm, StringLiteral, VqlQuery } from './vql';
import { fieldsReferenced } from './vql';

/** A field the target does not answer (§2.1, second-read findings). */
export class VqlUnknownFieldError extends Error {
  override name = 'VqlUnknownFieldError';
}

/** A literal or function that does not fit the field (INVALID_FILTER). */
export class VqlFilterError extends Error {
  override name = 'VqlFilterError';
}

/** What a query may use: the target's queryable fields (documented + re-enabled). */
export interface EvalTarget {
  name: string;
  fields: Map<string, FieldDef>;
  defaultOrder: string;
}

export interface EvalOptions {
  /** `_` is a one-character LIKE wildcard (UNCONFIRMED; off by default). */
  underscoreWildcard?: boolean;
}

const CLAUSE_NAMES: Record<string, string> = { select: 'SELECT', where: 'WHERE', orderBy: 'ORDER BY' };

/** Fails on the first field the target does not answer, naming it and its clause. */
export function checkFields(q: VqlQuery, target: EvalTarget): void {
  for (const [clause, list] of Object.entries(fieldsReferenced(q))) {
    for (const f of list) {
      if (!target.fields.has(f)) {
        throw new VqlUnknownFieldError(
          `Unknown field [${f}] in ${CLAUSE_NAMES[clause] ?? clause} for query target [${target.name}].`,
        );
      }
    }
  }
}

type Comparable = string | number | boolean | null;

function literalFor(def: FieldDef, lit: Literal, fold: boolean): Comparable {
  if (lit.kind === 'null') return null;
  switch (def.type) {
    case 'datetime': {
      if (lit.kind !== 'string') throw new VqlFilterError(`Field [${def.name}] needs a quoted date-time`);
      const d = parseVqlDateLiteral(lit.value);
      if (!d) throw new VqlFilterError(`Invalid date-time '${lit.value}' for [${def.name}]`);
      return d.getTime();
    }
    case 'userref':
    case 'number': {
      const n = lit.kind === 'number' ? lit.value : lit.kind === 'string' ? Number(lit.value) : NaN;
      if (lit.kind === 'string' && lit.value.trim() === '')
        throw new VqlFilterError(`Invalid number '' for [${def.name}]`);
      if (!Number.isFinite(n)) throw new VqlFilterError(`Invalid value for [${def.name}]`);
      return n;
    }
    case 'boolean':
      if (lit.kind === 'boolean') return lit.value;
      throw new VqlFilterError(`Field [${def.name}] needs true or false`);
    case 'numberlist':
      throw new VqlFilterError(`Filtering on multi-value field [${def.name}] is not supported by the fake Vault`);
    default:
      if (lit.kind === 'boolean') throw new VqlFilterError(`Field [${def.name}] needs a string`);
      return fold ? String(lit.value).toLowerCase() : String(lit.value);
  }
}

function rawComparable(def: FieldDef, v: RawValue, fold: boolean): Comparable {
  if (v === null || Array.isArray(v)) return null;
  if (v instanceof Date) return v.getTime();
  if (def.type === 'userref' || def.type === 'number') return Number(v);
  return fold && typeof v === 'string' ? v.toLowerCase() : v;
}

/** Code-unit order: case sensitive, like the docs' field values. */
function compare(a: Comparable, b: Comparable): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * LIKE pattern as a RegExp. VQL Special Characters: an unescaped `%` "acts as
 * wildcard in LIKE clause"; `\%` is a literal percent. `_` matches one
 * character only with EvalOptions.underscoreWildcard.
 */
export function likeRegExp(p: StringLiteral, caseInsensitive: boolean, opts: EvalOptions = {}): RegExp {
  const wild = new Set(p.wildcards);
  let src = '';
  for (let i = 0; i < p.value.length; i++) {
    const c = p.value[i]!;
    if (wild.has(i) && c === '%') src += '[\\s\\S]*';
    else if (wild.has(i) && c === '_' && opts.underscoreWildcard) src += '[\\s\\S]';
    else src += escapeRegExp(c);
  }
  return new RegExp(`^${src}$`, caseInsensitive ? 'iu' : 'u');
}

function fieldDef(target: EvalTarget, c: { field: string; caseInsensitive: boolean }): FieldDef {
  const def = target.fields.get(c.field)!;
  if (c.caseInsensitive && def.type !== 'string') {
    throw new VqlFilterError(`CASEINSENSITIVE() needs a String field; [${def.name}] is not one`);
  }
  return def;
}

function ordering(op: string): boolean {
  return op !== '=' && op !== '!=';
}

function compileCompare(c: Extract<Condition, { kind: 'compare' }>, def: FieldDef): (row: Row) => boolean {
  const lit = literalFor(def, c.value, c.caseInsensitive);
  if (lit === null && ordering(c.op)) throw new VqlFilterError(`Operator ${c.op} cannot compare with null`);
  if (ordering(c.op) && (def.type === 'picklist' || def.type === 'boolean')) {
    throw new VqlFilterError(`Operator ${c.op} is not supported on [${def.name}]`);
  }
  return (row) => {
    const v = rawComparable(def, row[c.field] ?? null, c.caseInsensitive);
    if (lit === null) return c.op === '=' ? v === null : v !== null;
    if (v === null) return false;
    const d = compare(v, lit);
    switch (c.op) {
      case '=':
        return d === 0;
      case '!=':
        return d !== 0;
      case '<':
        return d < 0;
      case '>':
        return d > 0;
      case '<=':
        return d <= 0;
      case '>=':
        return d >= 0;
    }
  };
}

function compileLeaf(
  c: Exclude<Condition, { kind: 'and' | 'or' }>,
  target: EvalTarget,
  opts: EvalOptions,
): (row: Row) => boolean {
  const def = fieldDef(target, c);
  switch (c.kind) {
    case 'like': {
      if (def.type !== 'string' && def.type !== 'id')
        throw new VqlFilterError(`LIKE is not supported on [${def.name}]`);
      const re = likeRegExp(c.pattern, c.caseInsensitive, opts);
      return (row) => {
        const v = row[c.field];
        if (v === null || v === undefined) return false;
        return re.test(String(v)) !== c.negated;
      };
    }
    case 'in': {
      const wanted = c.values.map((l) => literalFor(def, l, c.caseInsensitive));
      return (row) => {
        const v = rawComparable(def, row[c.field] ?? null, c.caseInsensitive);
        if (v === null) return false;
        return wanted.some((w) => w !== null && compare(v, w) === 0) !== c.negated;
      };
    }
    case 'between': {
      if (def.type === 'picklist' || def.type === 'boolean')
        throw new VqlFilterError(`BETWEEN is not supported on [${def.name}]`);
      const low = literalFor(def, c.low, c.caseInsensitive);
      const high = literalFor(def, c.high, c.caseInsensitive);
      if (low === null || high === null) throw new VqlFilterError('BETWEEN cannot compare with null');
      return (row) => {
        const v = rawComparable(def, row[c.field] ?? null, c.caseInsensitive);
        return v !== null && compare(v, low) >= 0 && compare(v, high) <= 0;
      };
    }
    case 'compare':
      return compileCompare(c, def);
  }
}

export function compileCondition(c: Condition, target: EvalTarget, opts: EvalOptions = {}): (row: Row) => boolean {
  if (c.kind === 'and' || c.kind === 'or') {
    const l = compileCondition(c.left, target, opts);
    const r = compileCondition(c.right, target, opts);
    return c.kind === 'and' ? (row) => l(row) && r(row) : (row) => l(row) || r(row);
  }
  return compileLeaf(c, target, opts);
}

export function sortRows(rows: Row[], order: OrderTerm[], target: EvalTarget): Row[] {
  const terms = order.length > 0 ? order : [{ field: target.defaultOrder, direction: 'asc' as const }];
  for (const t of terms) {
    if (target.fields.get(t.field)?.type === 'numberlist')
      throw new VqlFilterError(`Cannot ORDER BY multi-value field [${t.field}]`);
  }
  return [...rows].sort((a, b) => {
    for (const t of terms) {
      const def = target.fields.get(t.field)!;
      const va = rawComparable(def, a[t.field] ?? null, false);
      const vb = rawComparable(def, b[t.field] ?? null, false);
      let d: number;
      // Nulls sort as the largest value.
      if (va === null && vb === null) d = 0;
      else if (va === null) d = 1;
      else if (vb === null) d = -1;
      else d = compare(va, vb);
      if (d !== 0) return t.direction === 'asc' ? d : -d;
    }
    return 0;
  });
}

/** Checks fields, filters and sorts; the caller pages and formats. */
export function runQuery(q: VqlQuery, target: EvalTarget, rows: Row[], opts: EvalOptions = {}): Row[] {
  checkFields(q, target);
  const pred = q.where ? compileCondition(q.where, target, opts) : () => true;
  return sortRows(rows.filter(pred), q.orderBy, target);
}
