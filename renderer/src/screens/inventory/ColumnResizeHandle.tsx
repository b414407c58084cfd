import { useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { COLUMN_MAX_PX, columnSpec, widthForKey, type ColumnId } from '../../lib/column-layout';

/**
 * The right edge of a column header: drag it, or focus it and use ←/→ (Shift for bigger steps),
 * Home and End. A focusable separator with its width as the value (WAI-ARIA 1.2 `separator`;
 * APG "Window Splitter" keys). Its own column header measures the current width, so a column
 * that shares the grid's width starts from what is on screen.
 */
export function ColumnResizeHandle(props: {
  id: ColumnId;
  label: string;
  onResize: (id: ColumnId, px: number) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const drag = useRef<{ pointerId: number; startX: number; startWidth: number } | null>(null);

  useLayoutEffect(() => {
    const header = ref.current?.parentElement;
    if (!header) return;
    const measure = () => setWidth(Math.round(header.getBoundingClientRect().width));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(header);
    return () => observer.disconnect();
  }, []);

  const current = () => Math.round(ref.current?.parentElement?.getBoundingClientRect().width ?? width);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const next = widthForKey(props.id, current(), e.key, e.shiftKey);
    if (next === null) return;
    e.preventDefault();
    e.stopPropagation();
    props.onResize(props.id, next);
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus({ preventScroll: true });
    drag.current = { pointerId: e.pointerId, startX: e.clientX, startWidth: current() };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    props.onResize(props.id, d.startWidth + (e.clientX - d.startX));
  };
  const endDrag = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current?.pointerId !== e.pointerId) return;
    drag.current = null;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
  };

  return (
    <div
      ref={ref}
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize the ${props.label} column`}
      aria-valuenow={width}
      aria-valuemin={columnSpec(props.id).floor}
      aria-valuemax={COLUMN_MAX_PX}
      aria-valuetext={`${width} pixels`}
      tabIndex={0}
      className="col-resize"
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onClick={(e) => e.stopPropagation()}
    />
  );
}
