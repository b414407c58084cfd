/**
 * Windowing for a list of rows of known heights (the Reminders table: token rows and week
 * headings): only the rows in view of the scroller, plus `overscan` on each side, are drawn.
 * The approach of InventoryGrid's useRowWindow, for rows that are not all one height: offsets
 * are summed once per list, and the window is two binary searches on the scroll offset, so a
 * list of 3,000 costs what a list of 30 does.
 */
import { useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';

export interface RowWindow {
  /** First and last index drawn (inclusive); last < first when there are no rows. */
  first: number;
  last: number;
  /** offsets[i] = top of row i below the header; offsets[n] = the body's height. */
  offsets: Float64Array;
}

/** offsets[i] = sum of heights before i. */
export function rowOffsets(heights: readonly number[]): Float64Array {
  const out = new Float64Array(heights.length + 1);
  for (let i = 0; i < heights.length; i++) out[i + 1] = out[i]! + heights[i]!;
  return out;
}

/** The last row whose top is at or above `y` (0 when y is above every row). */
function rowAtY(offsets: Float64Array, y: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}

export function windowFor(
  offsets: Float64Array,
  scrollTop: number,
  viewHeight: number,
  headerHeight: number,
  overscan: number,
): { first: number; last: number } {
  const n = offsets.length - 1;
  if (n <= 0) return { first: 0, last: -1 };
  // A shorter list than the scroll offset reaches: the browser is about to scroll back to its end.
  const total = offsets[n]!;
  const top = Math.max(0, Math.min(scrollTop, total + headerHeight - viewHeight) - headerHeight);
  const first = Math.max(0, rowAtY(offsets, top) - overscan);
  const last = Math.min(n - 1, rowAtY(offsets, top + viewHeight) + overscan);
  return { first, last };
}

export function useVirtualRows(
  scrollRef: RefObject<HTMLElement | null>,
  heights: readonly number[],
  options: { headerHeight: number; overscan?: number },
): RowWindow {
  const offsets = useMemo(() => rowOffsets(heights), [heights]);
  const overscan = options.overscan ?? 6;
  const { headerHeight } = options;
  // Until the scroller is measured (before the first paint): a typical view.
  const view = useRef({ top: 0, height: 700 });
  const [, setTick] = useState(0);
  const latest = useRef({ offsets, headerHeight, overscan });
  latest.current = { offsets, headerHeight, overscan };

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    // Re-render only when the rows to draw change, and at once while scrolling (no blank rows).
    const update = (sync: boolean) => {
      const { offsets: o, headerHeight: h, overscan: s } = latest.current;
      const before = windowFor(o, view.current.top, view.current.height, h, s);
      view.current = { top: el.scrollTop, height: el.clientHeight };
      const after = windowFor(o, view.current.top, view.current.height, h, s);
      if (before.first === after.first && before.last === after.last) return;
      if (sync) flushSync(() => setTick((t) => t + 1));
      else setTick((t) => t + 1);
    };
    update(false);
    const onScroll = () => update(true);
    el.addEventListener('scroll', onScroll, { passive: true });
    const resize = new ResizeObserver(() => update(false));
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      resize.disconnect();
    };
  }, [scrollRef]);

  const { first, last } = windowFor(offsets, view.current.top, view.current.height, headerHeight, overscan);
  return { first, last, offsets };
}
