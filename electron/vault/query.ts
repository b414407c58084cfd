/**
 * VQL (docs/vault-api.md §2.2, §2.3): `POST /api/{version}/query` with the query in
 * a form body (`q=`, avoids URL-length limits), then POST each
 * `responseDetails.next_page` (no body, as Vault-Toolbox does) until there is
 * none. A max-pages guard stops runaway pagination. Pages are safe to repeat,
 * so each page call re-authenticates once on `INVALID_SESSION_ID`.
 */
import type { z } from 'zod';
import { VaultError } from './errors';
import { parseBody, type VaultResponse } from './http';
import type { SessionManager } from './session-manager';
import { queryResponseSchema } from './types';

export const DEFAULT_MAX_PAGES = 100;

export interface PageInfo {
  /** 0-based page number. */
  index: number;
  /** Rows on this page (`responseDetails.size`, or the row count). */
  size: number;
  /** All matching rows (`responseDetails.total`), when Vault says. */
  total: number | null;
  offset: number | null;
}

export interface QueryOptions<T> {
  onPage?: (rows: T[], page: PageInfo) => void;
  maxPages?: number;
  /** Read the first page and stop, even if Vault offers a `next_page` (counts, pickers). */
  firstPageOnly?: boolean;
  signal?: AbortSignal;
}

/** A VQL string literal: backslash and single quote escaped with a backslash. */
export function vqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export async function queryAll<S extends z.ZodType>(
  session: SessionManager,
  vql: string,
  rowSchema: S,
  opts: QueryOptions<z.output<S>> = {},
): Promise<z.output<S>[]> {
  type Row = z.output<S>;
  const maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
  const http = session.http;
  const rows: Row[] = [];
  let next: string | null = null;
  let skipped = 0;

  for (let index = 0; ; index++) {
    if (index >= maxPages) {
      throw new VaultError({
        kind: 'too-many-pages',
        method: 'POST',
        path: '/query',
        message: `The query returned more than ${maxPages} pages; stopped to protect the Vault's API limits. Narrow the search.`,
      });
    }
    const pageUrl: string | null = next;
    const res: VaultResponse = await session.run(
      (authorization) =>
        pageUrl === null
          ? http.request({ method: 'POST', path: '/query', form: { q: vql }, authorization, signal: opts.signal })
          : http.request({ method: 'POST', rootPath: pageUrl, authorization, signal: opts.signal }),
      { repeatable: true },
    );
    const page: z.infer<typeof queryResponseSchema> = parseBody(queryResponseSchema, res, {
      method: 'POST',
      path: '/query',
      message: 'Vault answered the query without a list of rows.',
    });
    const pageRows: Row[] = [];
    for (const raw of page.data) {
      const row = rowSchema.safeParse(raw);
      if (row.success) pageRows.push(row.data as Row);
      else skipped++;
    }
    rows.push(...pageRows);
    const details = page.responseDetails;
    opts.onPage?.(pageRows, {
      index,
      size: details?.size ?? pageRows.length,
      total: details?.total ?? null,
      offset: details?.pageoffset ?? null,
    });
    next = details?.next_page ?? null;
    if (!next || opts.firstPageOnly) break;
  }
  if (skipped > 0) http.logger.warn('vql rows skipped: unexpected shape', { skipped });
  return rows;
}
