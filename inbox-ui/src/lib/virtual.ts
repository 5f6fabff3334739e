export interface VisibleRange {
  /** First row index to render (inclusive). */
  start: number;
  /** Row index to stop before (exclusive). */
  end: number;
  /** Offset of the first rendered row from the top of the list, in pixels. */
  offset: number;
  /** Height of the whole list, so the scrollbar is right without rendering every row. */
  totalHeight: number;
}

/**
 * Which rows of a fixed-row-height list to render: the ones in view plus `overscan` rows on
 * each side, so fast scrolling does not show blank space. Rendering cost stays constant however
 * many rows are loaded.
 */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 6,
): VisibleRange {
  const totalHeight = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, totalHeight };
  const top = Math.max(0, Math.min(scrollTop, Math.max(0, totalHeight - viewportHeight)));
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, last + overscan);
  return { start, end, offset: start * rowHeight, totalHeight };
}

/** Whether the viewport is close enough to the end of the loaded rows to fetch the next page. */
export function nearEnd(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  thresholdRows = 15,
): boolean {
  return scrollTop + viewportHeight >= (count - thresholdRows) * rowHeight;
}

/** The scrollTop that brings row `index` fully into view, or null when it already is. */
export function scrollToReveal(
  index: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): number | null {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return bottom - viewportHeight;
  return null;
}
