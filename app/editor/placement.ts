/**
 * Where a node added by click or keyboard goes: the free spot nearest to where it is wanted — just right of
 * the selected node (a pipeline reads left to right), or the middle of the view. Nodes added one after the
 * other used to land on top of each other. Pure geometry, in the coordinates of the body (or top level) the
 * node joins.
 */
import type { Rect, Size, XY } from './geometry.ts';

/** Space kept between a new node and the others. */
export const PLACEMENT_GAP = 24;
const STEP = 24;
const RINGS = 40;

const hits = (a: Rect, b: Rect, gap: number) =>
  a.x < b.x + b.width + gap &&
  b.x < a.x + a.width + gap &&
  a.y < b.y + b.height + gap &&
  b.y < a.y + a.height + gap;

/**
 * The free top-left corner nearest to `want` for a box of `size`, on a 24 px grid around it: a step sideways
 * counts less than a step up or down (rows are how a pipeline reads), and right less than left. `min` keeps the spot inside
 * a body (its top-left corner).
 */
export function freeSpot(taken: readonly Rect[], size: Size, want: XY, min?: XY): XY {
  const ok = (p: XY) =>
    (!min || (p.x >= min.x && p.y >= min.y)) && !taken.some((r) => hits({ ...p, ...size }, r, PLACEMENT_GAP));
  const start = min ? { x: Math.max(min.x, want.x), y: Math.max(min.y, want.y) } : want;
  if (ok(start)) return start;
  // Every grid point within reach, nearest first by that cost; the first free one wins.
  const cost = (dx: number, dy: number) => Math.abs(dx) + 1.5 * Math.abs(dy) - (dx > 0 ? 0.5 : 0);
  const offsets: [number, number][] = [];
  for (let dx = -RINGS; dx <= RINGS; dx++)
    for (let dy = -RINGS; dy <= RINGS; dy++) if (dx !== 0 || dy !== 0) offsets.push([dx, dy]);
  offsets.sort((a, b) => cost(a[0], a[1]) - cost(b[0], b[1]));
  for (const [dx, dy] of offsets) {
    const p = { x: start.x + dx * STEP, y: start.y + dy * STEP };
    if (ok(p)) return p;
  }
  // Everything near is taken: below everything.
  return { x: start.x, y: Math.max(start.y, ...taken.map((r) => r.y + r.height + PLACEMENT_GAP)) };
}

/** Where a node is wanted: right of the selected one on its row, or centred on the middle of the view. */
export function wantedSpot(selected: Rect | null, viewCentre: XY, size: Size): XY {
  if (selected) return { x: selected.x + selected.width + 2 * PLACEMENT_GAP, y: selected.y };
  return { x: viewCentre.x - size.width / 2, y: viewCentre.y - size.height / 2 };
}
