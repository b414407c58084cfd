/**
 * VQL (vault-api.md §2.2, §2.3):
 *   POST /api/{v}/query          body q=… (form or multipart; query-string q also accepted)
 *   POST|GET /api/{v}/query/{uuid}?pagesize=…&pageoffset=…   (next_page / previous_page)
 */
import { VaultError, successBody } from '../errors';
import { parseFormFields } from '../http-io';
import { QUERY_TARGETS, formatRow, type QueryTarget } from '../query-targets';
import { VqlFilterError, VqlUnknownFieldError, runQuery } from '../vql-eval';
import { VqlSyntaxError, parseVql } from '../vql';
import { requirePrincipal, type Reply, type RequestContext } from './context';

const MAX_QUERY_CHARS = 50_000;

function describeOf(target: QueryTarget, fields: string[]): Record<string, unknown> {
  return {
    object: { name: target.name, label: target.label, label_plural: target.labelPlural },
    fields: fields.map((f) => {
      const def = target.fields.get(f)!;
      return { name: def.name, label: def.label, type: def.type, required: def.name === 'id' };
    }),
  };
}

function pageLinks(version: string, id: string, pageSize: number, offset: number, size: number, total: number): Record<string, string> {
  const links: Record<string, string> = {};
  // §2.3: next_page only while pageoffset + size < total.
  if (offset + size < total) links.next_page = `/api/${version}/query/${id}?pagesize=${pageSize}&pageoffset=${offset + size}`;
  if (offset > 0) links.previous_page = `/api/${version}/query/${id}?pagesize=${pageSize}&pageoffset=${Math.max(0, offset - pageSize)}`;
  return links;
}

export function handleQuery(rc: RequestContext): Reply {
  const { store, options, queries } = rc.server;
  const principal = requirePrincipal(rc);
  const form = parseFormFields(rc.body, rc.contentType);
  const q = form?.get('q') ?? rc.query.get('q') ?? '';
  if (!q.trim()) throw new VaultError(options.errorTypes.missingParameter, 'Missing required parameter [q].');
  if (q.length > MAX_QUERY_CHARS) throw new VaultError(options.errorTypes.invalidRequest, `Query exceeds ${MAX_QUERY_CHARS} characters.`);

  let rows: Record<string, unknown>[];
  let target: QueryTarget;
  let pageSize: number;
  let offset: number;
  let fields: string[];
  try {
    const parsed = parseVql(q);
    const t = QUERY_TARGETS.get(parsed.target);
    if (!t) throw new VaultError(options.errorTypes.unknownQueryTarget, `Unknown query target [${parsed.target}].`);
    target = t;
    fields = parsed.fields;
    const matched = runQuery(parsed, target, target.rows({ store, vault: rc.vault, user: principal.user }));
    rows = matched.map((r) => formatRow(target, r, fields, options));
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

  const describe = String(rc.headers['x-vaultapi-describequery'] ?? '').toLowerCase() === 'true' ? describeOf(target, fields) : null;
  const page = rows.slice(offset, offset + pageSize);
  const details: Record<string, unknown> = { pagesize: pageSize, pageoffset: offset, size: page.length, total: rows.length };
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
  if (!saved) throw new VaultError(options.errorTypes.queryCursorNotFound, `Query results [${id}] not found or expired.`);
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
