/**
 * The rows a virtual list renders: those inside the viewport plus `overscan` on each side, as [first, last)
 * indexes clamped to [0, count]. Rows have a fixed height.
 */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  count: number,
  rowHeight: number,
  overscan: number,
): { first: number; last: number } {
  const top = Math.max(0, scrollTop);
  const first = Math.min(count, Math.max(0, Math.floor(top / rowHeight) - overscan));
  const last = Math.min(count, Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight) + overscan);
  return { first, last: Math.max(first, last) };
}
