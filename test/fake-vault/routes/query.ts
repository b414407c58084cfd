/**
 * VQL (docs/vault-api.md §2.2, §2.3):
 *   POST /api/{v}/query          body q=… (form or multipart; a query-string q is
 *                                also read: Submitting a Query says it "may cause you
 *                                to exceed the maximum URL length", not that it fails)
 *   POST /api/{v}/query/{uuid}?pagesize=…&pageoffset=…   (next_page / previous_page)
 * Both are POST only (Q-sub; Q-pag "Call these URLs with a POST request"); the
 * router answers GET with METHOD_NOT_SUPPORTED unless options.queryGetMethod.
 */
import { VaultError, successBody } from '../errors';
import { parseFormFields } from '../http-io';
import type { ResolvedOptions } from '../options';
import { QUERY_TARGETS, formatRow, queryableFields, type FieldDef, type QueryTarget } from '../query-targets';
import { VqlFilterError, VqlUnknownFieldError, runQuery } from '../vql-eval';
import { VqlSyntaxError, parseVql, type VqlDialect } from '../vql';
import { requirePrincipal, type Reply, type RequestContext } from './context';

/** The VQL the options allow for a call on `version` (all switches off = the documented language). */
export function dialectFor(options: ResolvedOptions, version: string): VqlDialect {
  return {
    version,
    caseInsensitiveNames: options.vqlCaseInsensitiveNames,
    unknownEscapes: options.vqlUnknownEscapes,
    underscoreWildcard: options.vqlLikeUnderscoreWildcard,
    inValueLists: options.vqlInValueLists,
    angleNotEquals: options.vqlAngleNotEquals,
    notOperator: options.vqlNotOperator,
  };
}

const MAX_QUERY_CHARS = 50_000;

function describeOf(target: QueryTarget, defs: Map<string, FieldDef>, fields: string[]): Record<string, unknown> {
  return {
    object: { name: target.name, label: target.label, label_plural: target.labelPlural },
    fields: fields.map((f) => {
      const def = defs.get(f)!;
      return { name: def.name, label: def.label, type: def.type, required: def.name === 'id' };
    }),
  };
}

function pageLinks(
  version: string,
  id: string,
  pageSize: number,
  offset: number,
  size: number,
  total: number,
): Record<string, string> {
  const links: Record<string, string> = {};
  // §2.3: next_page only while pageoffset + size < total.
  if (offset + size < total)
    links.next_page = `/api/${version}/query/${id}?pagesize=${pageSize}&pageoffset=${offset + size}`;
  if (offset > 0)
    links.previous_page = `/api/${version}/query/${id}?pagesize=${pageSize}&pageoffset=${Math.max(0, offset - pageSize)}`;
  return links;
}

export function handleQuery(rc: RequestContext): Reply {
  const { store, options, queries } = rc.server;
  const principal = requirePrincipal(rc);
  const form = parseFormFields(rc.body, rc.contentType);
  const q = form?.get('q') ?? rc.query.get('q') ?? '';
  if (!q.trim()) throw new VaultError(options.errorTypes.missingParameter, 'Missing required parameter [q].');
  if (q.length > MAX_QUERY_CHARS)
    throw new VaultError(options.errorTypes.invalidRequest, `Query exceeds ${MAX_QUERY_CHARS} characters.`);

  let rows: Record<string, unknown>[];
  let target: QueryTarget;
  let defs: Map<string, FieldDef>;
  let pageSize: number;
  let offset: number;
  let fields: string[];
  try {
    const parsed = parseVql(q, dialectFor(options, rc.version));
    const t = QUERY_TARGETS.get(parsed.target);
    if (!t) throw new VaultError(options.errorTypes.unknownQueryTarget, `Unknown query target [${parsed.target}].`);
    target = t;
    // §2.1 / §4: only documented fields, plus those a test re-enabled (options.extraQueryFields).
    defs = queryableFields(target, options);
    fields = parsed.fields;
    const evalTarget = { name: target.name, fields: defs, defaultOrder: target.defaultOrder };
    const matched = runQuery(parsed, evalTarget, target.rows({ store, vault: rc.vault, user: principal.user }), {
      underscoreWildcard: options.vqlLikeUnderscoreWildcard,
    });
    rows = matched.map((r) => formatRow({ fields: defs }, r, fields, options));
    offset = parsed.pageOffset ?? 0;
    // §2.3: legacy targets put everything on one page unless PAGESIZE says otherwise.
    pageSize = target.legacy
      ? (parsed.pageSize ?? Math.max(rows.length, 1))
      : Math.min(Math.max(parsed.pageSize ?? options.defaultPageSize, 1), options.maxPageSize);
  } catch (e) {
    if (e instanceof VqlSyntaxError) throw new VaultError('INCORRECT_QUERY_SYNTAX_ERROR', e.message);
    if (e instanceof VqlUnknownFieldError) throw new VaultError(options.errorTypes.unknownQueryField, e.message);
    if (e instanceof VqlFilterError) throw new VaultError(options.errorTypes.invalidFilterValue, e.message);
    throw e;
  }

  const describe =
    String(rc.headers['x-vaultapi-describequery'] ?? '').toLowerCase() === 'true'
      ? describeOf(target, defs, fields)
      : null;
  const page = rows.slice(offset, offset + pageSize);
  const details: Record<string, unknown> = {
    pagesize: pageSize,
    pageoffset: offset,
    size: page.length,
    total: rows.length,
  };
  if (!target.legacy && (offset + page.length < rows.length || offset > 0)) {
    const saved = queries.save(rc.vault.id, rows, describe);
    Object.assign(details, pageLinks(rc.version, saved.id, pageSize, offset, page.length, rows.length));
  }
  return {
    body: successBody({
      ...(describe ? { queryDescribe: describe } : {}),
      responseDetails: details,
      data: page,
    }),
  };
}

export function handleQueryPage(rc: RequestContext): Reply {
  const { options, queries } = rc.server;
  requirePrincipal(rc);
  const id = rc.params[0] ?? '';
  const saved = queries.get(id, rc.vault.id);
  if (!saved)
    throw new VaultError(options.errorTypes.queryCursorNotFound, `Query results [${id}] not found or expired.`);
  const psRaw = rc.query.get('pagesize') ?? String(options.defaultPageSize);
  const poRaw = rc.query.get('pageoffset') ?? '0';
  if (!/^\d+$/.test(psRaw) || !/^\d+$/.test(poRaw) || Number(psRaw) < 1) {
    throw new VaultError(options.errorTypes.invalidRequest, 'Invalid pagesize or pageoffset.');
  }
  const pageSize = Math.min(Number(psRaw), options.maxPageSize);
  const offset = Number(poRaw);
  const page = saved.rows.slice(offset, offset + pageSize);
  return {
    body: successBody({
      ...(saved.describe ? { queryDescribe: saved.describe } : {}),
      responseDetails: {
        pagesize: pageSize,
        pageoffset: offset,
        size: page.length,
        total: saved.rows.length,
        ...pageLinks(rc.version, saved.id, pageSize, offset, page.length, saved.rows.length),
      },
      data: page,
    }),
  };
}
