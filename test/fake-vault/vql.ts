/**
 * A VQL subset (vault-api.md §2):
 *
 *   SELECT f1, f2 FROM target
 *     [WHERE cond] [ORDER BY f [ASC|DESC], …]
 *     [PAGESIZE n | LIMIT n] [PAGEOFFSET n | OFFSET n]
 *
 * cond: comparisons joined by AND / OR with parentheses. Comparisons:
 * `=`, `!=`, `<>`, `<`, `>`, `<=`, `>=` against a quoted string, a number,
 * `null`, `true`/`false`; `f [NOT] IN ('a', 'b')`; `f [NOT] LIKE 'ab%'`.
 */

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

export type CompareOp = '=' | '!=' | '<' | '>' | '<=' | '>=';

export type Condition =
  | { kind: 'compare'; field: string; op: CompareOp; value: Literal }
  | { kind: 'in'; field: string; values: Literal[]; negated: boolean }
  | { kind: 'like'; field: string; pattern: string; negated: boolean }
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

/** Bad syntax: INCORRECT_QUERY_SYNTAX_ERROR (§2.2). */
export class VqlSyntaxError extends Error {
  override name = 'VqlSyntaxError';
}

type Tok =
  | { t: 'ident'; v: string; pos: number }
  | { t: 'string'; v: string; pos: number }
  | { t: 'number'; v: number; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'punct'; v: '(' | ')' | ','; pos: number }
  | { t: 'end'; pos: number };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let v = '';
      let j = i + 1;
      let closed = false;
      while (j < src.length) {
        const d = src[j]!;
        if (d === '\\' && j + 1 < src.length) {
          v += src[j + 1];
          j += 2;
          continue;
        }
        if (d === "'") {
          if (src[j + 1] === "'") {
            v += "'";
            j += 2;
            continue;
          }
          closed = true;
          j++;
          break;
        }
        v += d;
        j++;
      }
      if (!closed) throw new VqlSyntaxError(`Unterminated string literal at position ${i}`);
      out.push({ t: 'string', v, pos: i });
      i = j;
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
  'SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'IN', 'LIKE', 'ORDER', 'BY', 'ASC', 'DESC',
  'PAGESIZE', 'PAGEOFFSET', 'LIMIT', 'OFFSET',
]);

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok {
    return this.toks[this.i]!;
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

  private isPunct(p: '(' | ')' | ','): boolean {
    const t = this.peek();
    return t.t === 'punct' && t.v === p;
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.t === 'ident' && t.v.toUpperCase() === word;
  }

  private expectKeyword(word: string): void {
    if (!this.isKeyword(word)) throw this.error(`Expected ${word}`);
    this.next();
  }

  private error(msg: string): VqlSyntaxError {
    const t = this.peek();
    const found = t.t === 'end' ? 'end of query' : `'${String(t.v)}'`;
    return new VqlSyntaxError(`${msg} at position ${t.pos}, found ${found}`);
  }

  private fieldName(): string {
    const t = this.peek();
    if (t.t !== 'ident' || RESERVED.has(t.v.toUpperCase())) throw this.error('Expected a field name');
    this.next();
    return t.v.toLowerCase();
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
    const fields = [this.fieldName()];
    while (this.isPunct(',')) {
      this.next();
      fields.push(this.fieldName());
    }
    this.expectKeyword('FROM');
    const target = this.fieldName();
    let where: Condition | null = null;
    if (this.isKeyword('WHERE')) {
      this.next();
      where = this.orExpr();
    }
    const orderBy: OrderTerm[] = [];
    if (this.isKeyword('ORDER')) {
      this.next();
      this.expectKeyword('BY');
      do {
        if (orderBy.length > 0) this.next();
        const field = this.fieldName();
        let direction: 'asc' | 'desc' = 'asc';
        if (this.isKeyword('ASC')) this.next();
        else if (this.isKeyword('DESC')) {
          this.next();
          direction = 'desc';
        }
        orderBy.push({ field, direction });
      } while (this.isPunct(','));
    }
    let pageSize: number | null = null;
    let pageOffset: number | null = null;
    for (;;) {
      if ((this.isKeyword('PAGESIZE') || this.isKeyword('LIMIT')) && pageSize === null) {
        this.next();
        pageSize = this.integer();
      } else if ((this.isKeyword('PAGEOFFSET') || this.isKeyword('OFFSET')) && pageOffset === null) {
        this.next();
        pageOffset = this.integer();
      } else break;
    }
    if (this.peek().t !== 'end') throw this.error('Unexpected token');
    return { fields, target, where, orderBy, pageSize, pageOffset };
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

  private primary(): Condition {
    const t = this.peek();
    if (t.t === 'punct' && t.v === '(') {
      this.next();
      const inner = this.orExpr();
      const close = this.next();
      if (close.t !== 'punct' || close.v !== ')') {
        this.back(close);
        throw this.error("Expected ')'");
      }
      return inner;
    }
    const field = this.fieldName();
    let negated = false;
    if (this.isKeyword('NOT')) {
      this.next();
      negated = true;
    }
    if (this.isKeyword('IN')) {
      this.next();
      const open = this.next();
      if (open.t !== 'punct' || open.v !== '(') {
        this.back(open);
        throw this.error("Expected '(' after IN");
      }
      const values = [this.literal()];
      while (this.isPunct(',')) {
        this.next();
        values.push(this.literal());
      }
      const close = this.next();
      if (close.t !== 'punct' || close.v !== ')') {
        this.back(close);
        throw this.error("Expected ')' to close IN list");
      }
      return { kind: 'in', field, values, negated };
    }
    if (this.isKeyword('LIKE')) {
      this.next();
      const lit = this.literal();
      if (lit.kind !== 'string') throw this.error('LIKE needs a string pattern');
      return { kind: 'like', field, pattern: lit.value, negated };
    }
    if (negated) throw this.error('Expected IN or LIKE after NOT');
    const op = this.next();
    if (op.t !== 'op') {
      this.back(op);
      throw this.error('Expected a comparison operator');
    }
    return { kind: 'compare', field, op: op.v as CompareOp, value: this.literal() };
  }

  private literal(): Literal {
    const t = this.next();
    if (t.t === 'string') return { kind: 'string', value: t.v };
    if (t.t === 'number') return { kind: 'number', value: t.v };
    if (t.t === 'ident') {
      const u = t.v.toUpperCase();
      if (u === 'NULL') return { kind: 'null' };
      if (u === 'TRUE' || u === 'FALSE') return { kind: 'boolean', value: u === 'TRUE' };
    }
    this.back(t);
    throw this.error('Expected a literal value');
  }
}

export function parseVql(src: string): VqlQuery {
  if (!src.trim()) throw new VqlSyntaxError('Empty query');
  return new Parser(tokenize(src)).parse();
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
