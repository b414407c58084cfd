/**
 * Where the arrow, Page and Home/End keys move the focused row of a windowed grid (the inventory
 * and Reminders, WAI-ARIA grid pattern): null for any other key. `focused` < 0 means no row yet.
 */
export function nextRowIndex(key: string, focused: number, total: number, pageRows: number): number | null {
  if (total === 0) return null;
  const current = Math.min(Math.max(focused, 0), total - 1);
  switch (key) {
    case 'ArrowDown':
      return Math.min(total - 1, focused < 0 ? 0 : current + 1);
    case 'ArrowUp':
      return Math.max(0, current - 1);
    case 'PageDown':
      return Math.min(total - 1, current + pageRows);
    case 'PageUp':
      return Math.max(0, current - pageRows);
    case 'Home':
      return 0;
    case 'End':
      return total - 1;
    default:
      return null;
  }
}
