/**
 * Server-side paging for the virtual inventory table.
 *
 * The table asks for the rows it is about to draw (`ensureRange`); this hook
 * fetches the PAGE_SIZE-row pages that cover them from `tokens:query`, caches them
 * by page index, and keeps the total and status counts from the latest
 * answer. Nothing ever loads the whole inventory.
 *
 * - A new filter or sort (a new `key`) keeps the previous rows on screen
 *   until the first page of the new answer arrives, then swaps.
 * - `refresh()` (after a sync, revoke, import…) keeps the cached rows visible
 *   and re-fetches the pages in view; pages out of view are fetched again
 *   when they scroll back in.
 * - Answers for an older key or refresh are dropped, so a slow page can never
 *   overwrite a newer one.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { InventoryQueryInput } from '../../../shared/token-schemas';
import { INVENTORY_MAX_LIMIT } from '../../../shared/token-schemas';
import type { TokenRow, TokenStatus } from '../../../shared/tokens';
import type { ErrorInfo } from '../../../shared/errors';
import { call, errorInfo } from './api';
import { askEarly, peekArrived, takeEarly } from './early-answers';

// About three screens of rows: the first page after a keystroke is what the screen waits for, and
// main answers 50 rows several ms sooner than 100 (fewer rows to read, count and send; see the
// Chromium benchmark in test/bench/ui.ts), while scrolling still rarely waits.
export const PAGE_SIZE = 50;
/** Pages kept in memory (PAGE_SIZE rows each); the farthest from view are dropped first. */
const MAX_CACHED_PAGES = 120;

export type InventoryFilters = Omit<InventoryQueryInput, 'offset' | 'limit'> & { rowIds?: number[] };

export interface InventorySource {
  /** Rows matching, or null before the first answer. */
  total: number | null;
  statusCounts: Record<TokenStatus, number> | null;
  rowAt(index: number): TokenRow | undefined;
  ensureRange(start: number, end: number): void;
  /** Loads (if needed) and returns the rows from `start` to `end` inclusive. */
  loadRange(start: number, end: number): Promise<TokenRow[]>;
  refresh(): void;
  /** Waiting for the first page of the current filter (the rows shown may be the previous filter's). */
  pending: boolean;
  /** Some page is on its way. */
  loading: boolean;
  error: ErrorInfo | null;
  /** Changes whenever what rowAt returns may have changed. */
  version: number;
}

interface Page {
  epoch: number;
  rows: TokenRow[];
}

function toRequest(filters: InventoryFilters, offset: number, limit: number): InventoryQueryInput {
  const { rowIds, ...rest } = filters;
  const request: InventoryQueryInput & { rowIds?: number[] } = { ...rest, offset, limit };
  if (rowIds) request.rowIds = rowIds;
  return request;
}

export async function queryPage(filters: InventoryFilters, offset: number, limit: number) {
  return call('tokens:query', toRequest(filters, offset, limit));
}

type QueryAnswer = Awaited<ReturnType<typeof queryPage>>;

const EARLY_SLOT = 'inventory first page';

/**
 * Asks for the first page of `filters` now, ahead of React: at start (before the first render)
 * and on a keystroke (before the render of the new search text). The useInventorySource that next
 * asks for the first page of the same filters takes this answer instead of asking again; if it has
 * arrived by the hook's first render, that render shows the rows.
 */
export function prefetchFirstPage(filters: InventoryFilters): Promise<QueryAnswer> {
  return askEarly(EARLY_SLOT, JSON.stringify(filters), () => queryPage(filters, 0, PAGE_SIZE));
}

interface Cache {
  key: string;
  total: number | null;
  counts: Record<TokenStatus, number> | null;
  pages: Map<number, Page>;
  /** The first page came from an early answer that had arrived before the first render. */
  seeded: boolean;
}

/** The cache a hook starts with: empty, or the first page of `key` when its early answer is already here. */
function initialCache(key: string): Cache {
  const arrived = key ? peekArrived<QueryAnswer>(EARLY_SLOT, key) : undefined;
  if (!arrived) return { key: '', total: null, counts: null, pages: new Map(), seeded: false };
  return {
    key,
    total: arrived.total,
    counts: arrived.statusCounts,
    pages: new Map([[0, { epoch: 0, rows: arrived.rows }]]),
    seeded: true,
  };
}

export function useInventorySource(filters: InventoryFilters | null): InventorySource {
  const key = filters ? JSON.stringify(filters) : '';
  const filtersRef = useRef(filters);
  filtersRef.current = filters;

  const [firstCache] = useState(() => initialCache(key));
  const cache = useRef(firstCache);
  const target = useRef({ key: '', epoch: 0 });
  const inflight = useRef(new Map<string, Promise<void>>());
  const range = useRef<[number, number]>([0, 0]);
  const [version, setVersion] = useState(0);
  const [error, setErrorState] = useState<ErrorInfo | null>(null);
  const errorRef = useRef<ErrorInfo | null>(null);
  const setError = useCallback((e: ErrorInfo | null) => {
    errorRef.current = e;
    setErrorState(e);
  }, []);
  const bump = useCallback(() => setVersion((v) => v + 1), []);

  /** `early`: the first page of a new filter, which may take the answer prefetchFirstPage asked for. */
  const fetchPage = useCallback(
    (page: number, early = false): Promise<void> => {
      const want = { ...target.current };
      const f = filtersRef.current;
      if (!f || want.key === '') return Promise.resolve();
      const id = `${want.epoch}|${page}|${want.key}`;
      const running = inflight.current.get(id);
      if (running) return running;
      const run = (async () => {
        try {
          const res = await ((early ? takeEarly<QueryAnswer>(EARLY_SLOT, want.key) : null) ??
            queryPage(f, page * PAGE_SIZE, PAGE_SIZE));
          if (target.current.key !== want.key || target.current.epoch !== want.epoch) return;
          const c = cache.current;
          if (c.key !== want.key) {
            c.key = want.key;
            c.pages = new Map();
          }
          c.total = res.total;
          c.counts = res.statusCounts;
          c.pages.set(page, { epoch: want.epoch, rows: res.rows });
          if (c.pages.size > MAX_CACHED_PAGES) {
            const centre = Math.floor(range.current[0] / PAGE_SIZE);
            const far = [...c.pages.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
            for (const p of far.slice(0, c.pages.size - MAX_CACHED_PAGES)) c.pages.delete(p);
          }
          setError(null);
        } catch (e) {
          if (target.current.key === want.key && target.current.epoch === want.epoch) setError(errorInfo(e));
        } finally {
          inflight.current.delete(id);
          // Render the answer now, in this task: a scheduled render can miss the next frame.
          flushSync(bump);
        }
      })();
      inflight.current.set(id, run);
      bump();
      return run;
    },
    [bump, setError],
  );

  const pagesFor = (start: number, end: number): number[] => {
    const first = Math.max(0, Math.floor(start / PAGE_SIZE));
    const last = Math.max(first, Math.floor(Math.max(start, end) / PAGE_SIZE));
    const out: number[] = [];
    for (let p = first; p <= last; p++) out.push(p);
    return out;
  };

  const needs = (page: number): boolean => {
    const c = cache.current;
    if (c.key !== target.current.key) return true;
    const cached = c.pages.get(page);
    if (cached && cached.epoch === target.current.epoch) return false;
    if (c.total !== null && page * PAGE_SIZE >= c.total && page > 0) return false;
    return true;
  };

  const ensureRange = useCallback(
    (start: number, end: number) => {
      range.current = [start, end];
      // After a failure, wait for refresh() (Retry) instead of hammering main.
      if (errorRef.current) return;
      for (const p of pagesFor(start, end)) if (needs(p)) void fetchPage(p);
    },
    [fetchPage],
  );

  // A new filter or sort: start from the top, keep old rows until page 0 answers.
  useEffect(() => {
    const epoch = target.current.epoch + 1;
    target.current = { key, epoch };
    setError(null);
    if (!key) return;
    range.current = [0, PAGE_SIZE - 1];
    const c = cache.current;
    if (c.seeded && c.key === key) {
      // The first render already showed the early answer: it is this epoch's first page.
      c.seeded = false;
      takeEarly(EARLY_SLOT, key);
      for (const p of c.pages.values()) p.epoch = epoch;
      return;
    }
    c.seeded = false;
    void fetchPage(0, true);
  }, [key, fetchPage, setError]);

  const refresh = useCallback(() => {
    if (!target.current.key) return;
    target.current = { ...target.current, epoch: target.current.epoch + 1 };
    setError(null);
    const [start, end] = range.current;
    for (const p of pagesFor(start, end)) void fetchPage(p);
  }, [fetchPage, setError]);

  const rowAt = useCallback((index: number): TokenRow | undefined => {
    const c = cache.current;
    if (c.total !== null && index >= c.total && c.key === target.current.key) return undefined;
    return c.pages.get(Math.floor(index / PAGE_SIZE))?.rows[index % PAGE_SIZE];
  }, []);

  const loadRange = useCallback(
    async (start: number, end: number): Promise<TokenRow[]> => {
      const [a, b] = start <= end ? [start, end] : [end, start];
      await Promise.all(
        pagesFor(a, b)
          .filter(needs)
          .map((p) => fetchPage(p)),
      );
      const out: TokenRow[] = [];
      for (let i = a; i <= b; i++) {
        const row = rowAt(i);
        if (row) out.push(row);
      }
      return out;
    },
    [fetchPage, rowAt],
  );

  const c = cache.current;
  const current = c.key === key && key !== '';
  return {
    total: c.key ? c.total : null,
    statusCounts: c.key ? c.counts : null,
    rowAt,
    ensureRange,
    loadRange,
    refresh,
    pending: key !== '' && !current,
    loading: inflight.current.size > 0,
    error,
    version,
  };
}

/**
 * Every row matching `filters`, in pages of 1000, up to `max` (bulk actions
 * on "all matching"). Throws when there are more than `max`.
 */
export async function collectRows(
  filters: InventoryFilters,
  max: number,
  keep: (row: TokenRow) => boolean = () => true,
): Promise<TokenRow[]> {
  const out: TokenRow[] = [];
  for (let offset = 0; ; offset += INVENTORY_MAX_LIMIT) {
    const page = await queryPage(filters, offset, INVENTORY_MAX_LIMIT);
    for (const row of page.rows) if (keep(row)) out.push(row);
    if (out.length > max) throw new Error(`More than ${max} tokens match; narrow the filter first.`);
    if (page.rows.length < INVENTORY_MAX_LIMIT || offset + page.rows.length >= page.total) return out;
  }
}

/** Rows by local row id, through main's `rowIds` filter (imported rows included). */
export async function findRowsById(rowIds: number[], sort?: InventoryFilters['sort']): Promise<TokenRow[]> {
  return collectRows({ includeImported: true, rowIds, ...(sort ? { sort } : {}) }, rowIds.length);
}

/** The current version of a row the UI already holds (found by its token id, which search matches). */
export async function refetchRow(row: Pick<TokenRow, 'rowId' | 'tokenId'>): Promise<TokenRow | null> {
  return (await collectRows({ includeImported: true, rowIds: [row.rowId] }, 1))[0] ?? null;
}
