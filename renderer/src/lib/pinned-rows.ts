/**
 * A deep link to specific rows (`#/inventory?tokens=1,2,3`) while main's
 * query has no `rowIds` filter: the rows are found once (findRowsById) and
 * served from memory, in the order main sorted them.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { TokenRow, TokenStatus } from '../../../shared/tokens';
import type { ErrorInfo } from '../../../shared/errors';
import { errorInfo } from './api';
import { findRowsById, type InventoryFilters, type InventorySource } from './inventory-source';

export function usePinnedRows(rowIds: number[] | null, sort: InventoryFilters['sort']): InventorySource & { rows: TokenRow[] } {
  const [rows, setRows] = useState<TokenRow[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const key = rowIds ? rowIds.join(',') : '';
  const sortKey = JSON.stringify(sort ?? null);

  useEffect(() => {
    if (!key) {
      setRows(null);
      return;
    }
    let live = true;
    setLoading(true);
    findRowsById(key.split(',').map(Number), sort)
      .then((found) => {
        if (!live) return;
        setRows(found);
        setError(null);
      })
      .catch((e) => live && setError(errorInfo(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, sortKey, tick]);

  const statusCounts = useMemo(() => {
    if (!rows) return null;
    const counts: Record<TokenStatus, number> = { active: 0, expiring: 0, expired: 0, revoked: 0 };
    for (const r of rows) counts[r.status] += 1;
    return counts;
  }, [rows]);

  const list = rows ?? [];
  const rowAt = useCallback((i: number) => list[i], [list]);
  const noop = useCallback(() => undefined, []);
  const loadRange = useCallback(async (a: number, b: number) => list.slice(Math.min(a, b), Math.max(a, b) + 1), [list]);
  const refresh = useCallback(() => setTick((t) => t + 1), []);

  return {
    rows: list,
    total: rows ? rows.length : null,
    statusCounts,
    rowAt,
    ensureRange: noop,
    loadRange,
    refresh,
    pending: key !== '' && rows === null,
    loading,
    error,
    version: tick + list.length,
  };
}
