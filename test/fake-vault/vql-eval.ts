/** Evaluation of parsed VQL over rows of a query target. */
import type { FieldDef, QueryTarget, RawValue, Row } from './query-targets';
import { parseVqlDateLiteral } from './time';
import type { Condition, Literal, OrderTerm, VqlQuery } from './vql';
import { fieldsReferenced } from './vql';

/** A field the target does not have (§2.2). */
export class VqlUnknownFieldError extends Error {
  override name = 'VqlUnknownFieldError';
}

/** A literal that does not fit the field (INVALID_FILTER). */
export class VqlFilterError extends Error {
  override name = 'VqlFilterError';
}

export function checkFields(q: VqlQuery, target: QueryTarget): void {
  const refs = fieldsReferenced(q);
  for (const [clause, list] of Object.entries(refs)) {
    for (const f of list) {
      if (!target.fields.has(f)) {
        throw new VqlUnknownFieldError(`Unknown field [${f}] in ${clause === 'orderBy' ? 'ORDER BY' : clause.toUpperCase()} for [${target.name}]`);
      }
    }
  }
}

type Comparable = string | number | boolean | null;

function literalFor(def: FieldDef, lit: Literal): Comparable {
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
      if (lit.kind === 'string' && lit.value.trim() === '') throw new VqlFilterError(`Invalid number '' for [${def.name}]`);
      if (!Number.isFinite(n)) throw new VqlFilterError(`Invalid value for [${def.name}]`);
      return n;
    }
    case 'boolean': {
      if (lit.kind === 'boolean') return lit.value;
      if (lit.kind === 'string' && /^(true|false)$/i.test(lit.value)) return lit.value.toLowerCase() === 'true';
      throw new VqlFilterError(`Field [${def.name}] needs true or false`);
    }
    default:
      if (lit.kind === 'boolean') throw new VqlFilterError(`Field [${def.name}] needs a string`);
      return String(lit.value);
  }
}

function rawComparable(def: FieldDef, v: RawValue): Comparable {
  if (v === null) return null;
  if (v instanceof Date) return v.getTime();
  if (def.type === 'userref' || def.type === 'number') return Number(v);
  return v;
}

function compare(a: Comparable, b: Comparable): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

export function compileCondition(c: Condition, target: QueryTarget): (row: Row) => boolean {
  if (c.kind === 'and' || c.kind === 'or') {
    const l = compileCondition(c.left, target);
    const r = compileCondition(c.right, target);
    return c.kind === 'and' ? (row) => l(row) && r(row) : (row) => l(row) || r(row);
  }
  const def = target.fields.get(c.field)!;
  if (c.kind === 'like') {
    if (def.type !== 'string' && def.type !== 'id') throw new VqlFilterError(`LIKE is not supported on [${def.name}]`);
    const re = new RegExp(`^${c.pattern.split('%').map(escapeRegExp).join('.*')}$`, 'i');
    return (row) => {
      const v = row[c.field];
      if (v === null || v === undefined) return false;
      return re.test(String(v)) !== c.negated;
    };
  }
  if (c.kind === 'in') {
    const wanted = c.values.map((l) => literalFor(def, l));
    return (row) => {
      const v = rawComparable(def, row[c.field] ?? null);
      if (v === null) return false;
      return wanted.some((w) => w !== null && compare(v, w) === 0) !== c.negated;
    };
  }
  const lit = literalFor(def, c.value);
  const ordering = c.op !== '=' && c.op !== '!=';
  if (lit === null && ordering) throw new VqlFilterError(`Operator ${c.op} cannot compare with null`);
  if (ordering && (def.type === 'picklist' || def.type === 'boolean')) {
    throw new VqlFilterError(`Operator ${c.op} is not supported on [${def.name}]`);
  }
  return (row) => {
    const v = rawComparable(def, row[c.field] ?? null);
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

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function sortRows(rows: Row[], order: OrderTerm[], target: QueryTarget): Row[] {
  const terms = order.length > 0 ? order : [{ field: target.defaultOrder, direction: 'asc' as const }];
  return [...rows].sort((a, b) => {
    for (const t of terms) {
      const def = target.fields.get(t.field)!;
      const va = rawComparable(def, a[t.field] ?? null);
      const vb = rawComparable(def, b[t.field] ?? null);
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

/** Filters and sorts; the caller pages and formats. */
export function runQuery(q: VqlQuery, target: QueryTarget, rows: Row[]): Row[] {
  checkFields(q, target);
  const pred = q.where ? compileCondition(q.where, target) : () => true;
  return sortRows(rows.filter(pred), q.orderBy, target);
}
