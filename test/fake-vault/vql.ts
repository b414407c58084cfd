/**
 * A VQL subset (docs/vault-api.md §2), as strict as Veeva's VQL reference:
 *
 *   SELECT f1, f2 FROM target
 *     [WHERE cond] [ORDER BY f [ASC|DESC], …]
 *     [PAGESIZE n] [PAGEOFFSET n]          (v20.3+; LIMIT / OFFSET in every version)
 *
 * cond: comparisons joined by AND / OR with parentheses. Comparisons:
 * `=`, `!=`, `<`, `>`, `<=`, `>=` against a quoted string, a number, `null`,
 * `true`/`false`; `f LIKE 'ab%'`; `f CONTAINS ('a', 'b')`; `f BETWEEN a AND b`;
 * any of them on `CASEINSENSITIVE(f)` (VQL functions, v14.0+).
 *
 * Lexical rules (VQL Syntax Basics):
 *  - keywords and function names are case insensitive;
 *  - field and object names are case sensitive (never folded here);
 *  - `true`, `false`, `null` must be lower case (Notation Conventions);
 *  - string escapes: `\\` `\'` `''` `\"` `\%` `\*` `\n` `\t` `\r`; any other
 *    backslash is an error ("Returns error unless used in escape sequence");
 *  - `%` is the LIKE wildcard; `\%` is a literal percent sign.
 * Undocumented syntax (`<>`, `IN` with literals, `NOT`, `_` as a wildcard)
 * is refused unless the matching option turns it on (VqlDialect).
 */
import { compareVersions } from './options';

export interface StringLiteral {
  kind: 'string';
  value: string;
  /** Positions in `value` of unescaped `%` / `_` characters (LIKE wildcards). */
  wildcards: number[];
}

export type Literal =
  StringLiteral | { kind: 'number'; value: number } | { kind: 'boolean'; value: boolean } | { kind: 'null' };

export type CompareOp = '=' | '!=' | '<' | '>' | '<=' | '>=';

interface Leaf {
  field: string;
  /** Wrapped in CASEINSENSITIVE(). */
  caseInsensitive: boolean;
}

export type Condition =
  | (Leaf & { kind: 'compare'; op: CompareOp; value: Literal })
  | (Leaf & { kind: 'in'; values: Literal[]; negated: boolean })
  | (Leaf & { kind: 'like'; pattern: StringLiteral; negated: boolean })
  | (Leaf & { kind: 'between'; low: Literal; high: Literal })
  | { kind: 'and'; left: Condition; right: Condition }
  | { kind: 'or'; left: Condition; right: Condition };

export interface OrderTerm {
  field: string;
  direction: 'asc' | 'desc';
}

export interface VqlQuery {
  fields: string[];
  target: string;
  where: Condition | null;
  orderBy: OrderTerm[];
  pageSize: number | null;
  pageOffset: number | null;
}

/** Switches for undocumented syntax; all false = the documented language. */
export interface VqlDialect {
  /** API version of the call, e.g. 'v26.2' (PAGESIZE/PAGEOFFSET need v20.3+, CASEINSENSITIVE v14.0+). */
  version?: string;
  caseInsensitiveNames?: boolean;
  unknownEscapes?: 'reject' | 'literal';
  underscoreWildcard?: boolean;
  inValueLists?: boolean;
  angleNotEquals?: boolean;
  notOperator?: boolean;
}

/** Bad syntax: INCORRECT_QUERY_SYNTAX_ERROR (§2.2). */
export class VqlSyntaxError extends Error {
  override name = 'VqlSyntaxError';
}

type Tok =
  | { t: 'ident'; v: string; pos: number }
  | { t: 'string'; v: StringLiteral; pos: number }
  | { t: 'number'; v: number; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'punct'; v: '(' | ')' | ','; pos: number }
  | { t: 'end'; pos: number };

/** VQL Syntax Basics, Special Characters: the documented escape sequences. */
const ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  '%': '%',
  '*': '*',
  n: '\n',
  t: '\t',
  r: '\r',
};

/** Reads a quoted string starting at `start` (the opening quote). */
function readString(src: string, start: number, d: VqlDialect): { lit: StringLiteral; end: number } {
  let value = '';
  const wildcards: number[] = [];
  let j = start + 1;
  while (j < src.length) {
    const c = src[j]!;
    if (c === '\\') {
      const e = src[j + 1];
      if (e === undefined) break;
      const known = ESCAPES[e] ?? (e === '_' && d.underscoreWildcard ? '_' : undefined);
      if (known === undefined && d.unknownEscapes !== 'literal') {
        throw new VqlSyntaxError(`Invalid escape sequence '\\${e}' at position ${j}`);
      }
      value += known ?? e;
      j += 2;
      continue;
    }
    if (c === "'") {
      if (src[j + 1] === "'") {
        value += "'";
        j += 2;
        continue;
      }
      return { lit: { kind: 'string', value, wildcards }, end: j + 1 };
    }
    if (c === '%' || (c === '_' && d.underscoreWildcard)) wildcards.push(value.length);
    value += c;
    j++;
  }
  throw new VqlSyntaxError(`Unterminated string literal at position ${start}`);
}

function tokenize(src: string, d: VqlDialect): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      const { lit, end } = readString(src, i, d);
      out.push({ t: 'string', v: lit, pos: i });
      i = end;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i))!;
      out.push({ t: 'number', v: Number(m[0]), pos: i });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i))!;
      out.push({ t: 'ident', v: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '<>' && !d.angleNotEquals)
      throw new VqlSyntaxError(`Unsupported operator '<>' at position ${i}; use !=`);
    if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      out.push({ t: 'op', v: two === '<>' ? '!=' : two, pos: i });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>') {
      out.push({ t: 'op', v: c, pos: i });
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ t: 'punct', v: c, pos: i });
      i++;
      continue;
    }
    throw new VqlSyntaxError(`Unexpected character '${c}' at position ${i}`);
  }
  out.push({ t: 'end', pos: src.length });
  return out;
}

const RESERVED = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'CONTAINS',
  'BETWEEN',
  'ORDER',
  'BY',
  'ASC',
  'DESC',
  'PAGESIZE',
  'PAGEOFFSET',
  'LIMIT',
  'OFFSET',
  'CASEINSENSITIVE',
]);

/** VQL PAGEOFFSET: "PAGEOFFSET is available in v20.3+" (PAGESIZE likewise). */
const PAGE_CLAUSES_SINCE = 'v20.3';
/** VQL functions: CASEINSENSITIVE() since v14.0. */
const CASEINSENSITIVE_SINCE = 'v14.0';

function versionBelow(d: VqlDialect, since: string): boolean {
  return !!d.version && compareVersions(d.version, since) < 0;
}

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly d: VqlDialect,
  ) {}

  private peek(offset = 0): Tok {
    return this.toks[Math.min(this.i + offset, this.toks.length - 1)]!;
  }

  private next(): Tok {
    const t = this.toks[this.i]!;
    if (t.t !== 'end') this.i++;
    return t;
  }

  /** Steps back over `t` (just returned by next()) so errors point at it. */
  private back(t: Tok): void {
    if (t.t !== 'end') this.i--;
  }

  private isPunct(p: '(' | ')' | ',', offset = 0): boolean {
    const t = this.peek(offset);
    return t.t === 'punct' && t.v === p;
  }

  /** VQL Syntax Basics: keywords are case insensitive. */
  private isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.t === 'ident' && t.v.toUpperCase() === word;
  }

  private expectKeyword(word: string): void {
    if (!this.isKeyword(word)) throw this.error(`Expected ${word}`);
    this.next();
  }

  private expectPunct(p: '(' | ')'): void {
    const t = this.next();
    if (t.t !== 'punct' || t.v !== p) {
      this.back(t);
      throw this.error(`Expected '${p}'`);
    }
  }

  private error(msg: string): VqlSyntaxError {
    const t = this.peek();
    const found = t.t === 'end' ? 'end of query' : `'${t.t === 'string' ? t.v.value : String(t.v)}'`;
    return new VqlSyntaxError(`${msg} at position ${t.pos}, found ${found}`);
  }

  /** A field or object name, kept as written: names are case sensitive (VQL Syntax Basics). */
  private name(what: string): string {
    const t = this.peek();
    if (t.t !== 'ident' || RESERVED.has(t.v.toUpperCase())) throw this.error(`Expected ${what}`);
    this.next();
    return this.d.caseInsensitiveNames ? t.v.toLowerCase() : t.v;
  }

  private integer(): number {
    const t = this.next();
    if (t.t !== 'number' || !Number.isInteger(t.v) || t.v < 0) {
      this.back(t);
      throw this.error('Expected a non-negative integer');
    }
    return t.v;
  }

  parse(): VqlQuery {
    this.expectKeyword('SELECT');
    const fields = [this.name('a field name')];
    while (this.isPunct(',')) {
      this.next();
      fields.push(this.name('a field name'));
    }
    this.expectKeyword('FROM');
    const target = this.name('a query target');
    let where: Condition | null = null;
    if (this.isKeyword('WHERE')) {
      this.next();
      where = this.orExpr();
    }
    const orderBy = this.orderBy();
    const { pageSize, pageOffset } = this.paging();
    if (this.peek().t !== 'end') throw this.error('Unexpected token');
    return { fields, target, where, orderBy, pageSize, pageOffset };
  }

  private orderBy(): OrderTerm[] {
    const terms: OrderTerm[] = [];
    if (!this.isKeyword('ORDER')) return terms;
    this.next();
    this.expectKeyword('BY');
    do {
      if (terms.length > 0) this.next();
      const field = this.name('a field name');
      let direction: 'asc' | 'desc' = 'asc';
      if (this.isKeyword('ASC')) this.next();
      else if (this.isKeyword('DESC')) {
        this.next();
        direction = 'desc';
      }
      terms.push({ field, direction });
    } while (this.isPunct(','));
    return terms;
  }

  /**
   * PAGESIZE / PAGEOFFSET (v20.3+) and LIMIT / OFFSET, each at most once.
   * VQL PAGEOFFSET: "If you use both OFFSET and PAGEOFFSET in a query, the
   * query will ignore OFFSET"; PAGESIZE over LIMIT likewise (UNCONFIRMED, by analogy).
   */
  private paging(): { pageSize: number | null; pageOffset: number | null } {
    const seen = new Map<string, number>();
    for (;;) {
      const word = ['PAGESIZE', 'PAGEOFFSET', 'LIMIT', 'OFFSET'].find((w) => this.isKeyword(w));
      if (!word || seen.has(word)) break;
      if ((word === 'PAGESIZE' || word === 'PAGEOFFSET') && versionBelow(this.d, PAGE_CLAUSES_SINCE)) {
        throw this.error(
          `${word} needs API ${PAGE_CLAUSES_SINCE} or later; use ${word === 'PAGESIZE' ? 'LIMIT' : 'OFFSET'}`,
        );
      }
      this.next();
      seen.set(word, this.integer());
    }
    return {
      pageSize: seen.get('PAGESIZE') ?? seen.get('LIMIT') ?? null,
      pageOffset: seen.get('PAGEOFFSET') ?? seen.get('OFFSET') ?? null,
    };
  }

  private orExpr(): Condition {
    let left = this.andExpr();
    while (this.isKeyword('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.andExpr() };
    }
    return left;
  }

  private andExpr(): Condition {
    let left = this.primary();
    while (this.isKeyword('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.primary() };
    }
    return left;
  }

  /** `field` or `CASEINSENSITIVE(field)`. */
  private leaf(): Leaf {
    if (this.isKeyword('CASEINSENSITIVE') && this.isPunct('(', 1)) {
      if (versionBelow(this.d, CASEINSENSITIVE_SINCE))
        throw this.error(`CASEINSENSITIVE() needs API ${CASEINSENSITIVE_SINCE} or later`);
      this.next();
      this.next();
      const field = this.name('a field name');
      this.expectPunct(')');
      return { field, caseInsensitive: true };
    }
    return { field: this.name('a field name'), caseInsensitive: false };
  }

  private primary(): Condition {
    if (this.isPunct('(')) {
      this.next();
      const inner = this.orExpr();
      this.expectPunct(')');
      return inner;
    }
    const leaf = this.leaf();
    let negated = false;
    if (this.isKeyword('NOT')) {
      if (!this.d.notOperator) throw this.error('NOT is not supported here');
      this.next();
      negated = true;
    }
    if (this.isKeyword('CONTAINS') || this.isKeyword('IN')) return this.valueList(leaf, negated);
    if (this.isKeyword('LIKE')) {
      this.next();
      const lit = this.literal();
      if (lit.kind !== 'string') throw this.error('LIKE needs a string pattern');
      return { ...leaf, kind: 'like', pattern: lit, negated };
    }
    if (negated) throw this.error('Expected CONTAINS or LIKE after NOT');
    if (this.isKeyword('BETWEEN')) {
      this.next();
      const low = this.literal();
      this.expectKeyword('AND');
      return { ...leaf, kind: 'between', low, high: this.literal() };
    }
    const op = this.next();
    if (op.t !== 'op') {
      this.back(op);
      throw this.error('Expected a comparison operator');
    }
    return { ...leaf, kind: 'compare', op: op.v as CompareOp, value: this.literal() };
  }

  /**
   * `CONTAINS (v1, v2)` (VQL Logical Operators). `IN` takes a subquery in VQL
   * ("can only be used for inner join relationship queries"), which the fake
   * does not model; `IN` with literals only under VqlDialect.inValueLists.
   */
  private valueList(leaf: Leaf, negated: boolean): Condition {
    const word = this.isKeyword('IN') ? 'IN' : 'CONTAINS';
    this.next();
    if (word === 'IN' && this.isPunct('(') && this.isKeyword('SELECT', 1))
      throw this.error('IN subqueries are not supported by the fake Vault');
    if (word === 'IN' && !this.d.inValueLists)
      throw this.error('IN needs a subquery; use CONTAINS for a list of values');
    if (!this.isPunct('(')) throw this.error(`Expected '(' after ${word}`);
    this.next();
    const values = [this.literal()];
    while (this.isPunct(',')) {
      this.next();
      values.push(this.literal());
    }
    this.expectPunct(')');
    return { ...leaf, kind: 'in', values, negated };
  }

  private literal(): Literal {
    const t = this.next();
    if (t.t === 'string') return t.v;
    if (t.t === 'number') return { kind: 'number', value: t.v };
    if (t.t === 'ident') {
      // Notation Conventions: true, false and null "must be in lowercase".
      const v = this.d.caseInsensitiveNames ? t.v.toLowerCase() : t.v;
      if (v === 'null') return { kind: 'null' };
      if (v === 'true' || v === 'false') return { kind: 'boolean', value: v === 'true' };
    }
    this.back(t);
    throw this.error('Expected a literal value (true, false and null are lower case)');
  }
}

export function parseVql(src: string, dialect: VqlDialect = {}): VqlQuery {
  if (!src.trim()) throw new VqlSyntaxError('Empty query');
  return new Parser(tokenize(src, dialect), dialect).parse();
}

/** Every field a query mentions (SELECT, WHERE, ORDER BY). */
export function fieldsReferenced(q: VqlQuery): { select: string[]; where: string[]; orderBy: string[] } {
  const where: string[] = [];
  const walk = (c: Condition | null): void => {
    if (!c) return;
    if (c.kind === 'and' || c.kind === 'or') {
      walk(c.left);
      walk(c.right);
    } else where.push(c.field);
  };
  walk(q.where);
  return { select: q.fields, where, orderBy: q.orderBy.map((o) => o.field) };
}
