/**
 * The view a document opens with. Fitting a whole example made its text about 3 px high (zoom 0.28 at
 * 1440×900): a pipeline is shown whole only when that keeps it readable. Otherwise the zoom stays at the
 * readable minimum and the view starts where the pipeline starts (its left end, where the input comes in),
 * with the main path — the band of top-level nodes — centred vertically; the rest is a pan away.
 */

/** The smallest zoom a document opens at: node titles (13 px) stay above 9 px. */
export const READABLE_ZOOM = 0.7;
/** A small pipeline is not blown up past its natural size (a little more, for a lone node, is fine). */
const MAX_OPENING_ZOOM = 1;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/** Where the top-level nodes `rects` (flow coordinates) open on a `screen` of that size (pixels). */
export function openingViewport(
  rects: readonly Rect[],
  screen: { width: number; height: number },
  padding = 24,
): Viewport {
  if (rects.length === 0 || screen.width <= 0 || screen.height <= 0) return { x: 0, y: 0, zoom: 1 };
  const left = Math.min(...rects.map((r) => r.x));
  const top = Math.min(...rects.map((r) => r.y));
  const right = Math.max(...rects.map((r) => r.x + r.width));
  const bottom = Math.max(...rects.map((r) => r.y + r.height));
  const w = Math.max(1, right - left);
  const h = Math.max(1, bottom - top);
  const fit = Math.min((screen.width - 2 * padding) / w, (screen.height - 2 * padding) / h);
  const zoom = Math.min(MAX_OPENING_ZOOM, Math.max(READABLE_ZOOM, fit));
  const centred = (size: number, start: number, extent: number) => (size - extent * zoom) / 2 - start * zoom;
  // Wider than the screen at this zoom: its start is at the left edge; narrower: centred.
  const x = w * zoom > screen.width - 2 * padding ? padding - left * zoom : centred(screen.width, left, w);
  // Taller than the screen: its top at the top edge; otherwise the band is centred.
  const y = h * zoom > screen.height - 2 * padding ? padding - top * zoom : centred(screen.height, top, h);
  return { x, y, zoom };
}
