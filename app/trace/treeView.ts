/**
 * Where the recursion tree's canvas looks: its scale and offset. A tree fitted whole at any cost made its
 * boxes so narrow that labels were cut to a few characters, and from about 38 leaves on showed no words at
 * all. The default view now never goes below a readable scale — labels of about 16 characters fit — and,
 * when the whole tree is wider than that, shows the part that matters: the root at first, the newest call
 * while following a live run. The Fit button (and `0`) still shows everything, at whatever scale it takes.
 */
import { NODE_H, NODE_W, type TreeLayout } from './layout.ts';

export interface TreeView {
  /** Screen position of the tree's origin, in CSS pixels. */
  x: number;
  y: number;
  /** Horizontal scale; the vertical one is `yScale(scale)`. */
  scale: number;
}

export const PAD = 24;
export const MIN_SCALE = 0.0002;
export const MAX_SCALE = 3;
/** Boxes at this scale are about 120 px wide: a label of about 16 characters fits at 11 px. */
export const READABLE_TREE_SCALE = 0.9;
/**
 * Zoomed far out, a wide tree (10,000 leaves) would flatten into a line: rows keep at least this vertical
 * scale, so depths stay apart and a box stays clickable while columns shrink to a pixel.
 */
export const MIN_Y_SCALE = 0.4;
export const yScale = (scale: number): number => Math.max(scale, MIN_Y_SCALE);

type Size = { w: number; h: number };

/** Everything in view: the width fitted, the height too unless rows would squash below their minimum. */
export function fitWholeTree(l: TreeLayout, size: Size): TreeView {
  const fitX = (size.w - 2 * PAD) / Math.max(l.width, 1);
  const fitY = (size.h - 2 * PAD) / Math.max(l.height, 1);
  const scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, 1, fitX, Math.max(fitY, MIN_Y_SCALE)));
  return { scale, x: (size.w - l.width * scale) / 2, y: PAD };
}

/**
 * The default view: the whole tree when it is readable so; otherwise the readable scale, centred on the call
 * `focus` (an index into the layout: the root, or the newest call) with its row in view.
 */
export function readableTreeView(l: TreeLayout, size: Size, focus = 0): TreeView {
  const whole = fitWholeTree(l, size);
  if (whole.scale >= READABLE_TREE_SCALE || l.ids.length === 0) return whole;
  const scale = READABLE_TREE_SCALE;
  const ys = yScale(scale);
  const i = Math.min(Math.max(0, focus), l.ids.length - 1);
  const cx = (l.x[i]! + NODE_W / 2) * scale;
  // Centred on the call, but never leaving empty space beyond either end of the tree.
  const min = size.w - PAD - l.width * scale;
  const x = Math.min(PAD, Math.max(min, size.w / 2 - cx));
  const bottom = (l.y[i]! + NODE_H) * ys;
  const y = bottom + PAD > size.h ? size.h - PAD - bottom : PAD;
  return { scale, x, y };
}
