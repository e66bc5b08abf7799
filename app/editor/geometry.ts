/**
 * The editor's geometry, without React: the size of a new node or container, where a container's bodies
 * (lanes) sit inside it, and which lane lies under a point of the canvas. Positions in
 * `plan.view.positions` are relative to the node's lane (React Flow's `parentId` convention); a lane is a
 * node of its own whose id is `<container>::<slot>` (docs/architecture.md, "The editor core").
 */
import { SLOTS, type Slot } from '../../workers/lang/index.ts';
import { hasLanesSideBySide } from './kinds.ts';

export interface XY {
  x: number;
  y: number;
}
export interface Size {
  width: number;
  height: number;
}
export interface Rect extends XY, Size {}

/** A plain node before React Flow has measured it (also what auto-layout and placement assume). */
export const NODE_SIZE: Size = { width: 200, height: 90 };

/**
 * Default size of a freshly added container: just room for its Entry and Exit (and a Fix step's Self). It
 * grows as its body fills (`app/canvas/flow-model.ts`); a large empty box dropped on the canvas swallowed
 * nodes dropped beside it.
 */
export const CONTAINER_SIZE: Size = { width: 300, height: 140 };
/** A container with two lanes side by side (a Fix). */
const WIDE_CONTAINER_SIZE: Size = { width: 740, height: 230 };

export const newContainerSize = (kind: string): Size =>
  hasLanesSideBySide(kind) ? { ...WIDE_CONTAINER_SIZE } : { ...CONTAINER_SIZE };

/** Header height of a container and the gap around its lanes. */
export const CONTAINER_HEADER = 36;
export const LANE_GAP = 10;

/** Where a new body's Entry and Exit go in a lane of this width: at its two ends, on one row. */
export function bodyEnds(laneWidth: number): { entry: XY; exit: XY } {
  return { entry: { x: 12, y: 14 }, exit: { x: Math.max(150, laneWidth - 132), y: 14 } };
}

/** Where a new node placed inside a lane may start: the lane's top-left corner, past its padding. */
export const LANE_ORIGIN: XY = { x: 12, y: 14 };

/**
 * The region a body occupies inside its container. A Fix has two lanes side by side, base then step; the
 * base lane's width is kept in `view.sizes["<fix>::base"]` once laid out (else 38% of the Fix).
 */
export function laneRect(kind: string, slot: Slot, size: Size, baseWidth?: number): Rect {
  const top = CONTAINER_HEADER;
  const height = Math.max(60, size.height - top - LANE_GAP);
  if (!hasLanesSideBySide(kind))
    return { x: LANE_GAP, y: top, width: Math.max(60, size.width - 2 * LANE_GAP), height };
  const inner = Math.max(240, size.width - 3 * LANE_GAP);
  const baseW = Math.min(inner - 120, Math.max(120, Math.round(baseWidth ?? inner * 0.38)));
  if (slot === 'base') return { x: LANE_GAP, y: top, width: baseW, height };
  return { x: 2 * LANE_GAP + baseW, y: top, width: inner - baseW, height };
}

/** Where a Fix's base lane width is kept in `view.sizes`. */
export const baseLaneKey = (fixId: string): string => `${fixId}::base`;

const isSlot = (s: string): s is Slot => (SLOTS as readonly string[]).includes(s);

export const laneId = (container: string, slot: Slot): string => `${container}::${slot}`;
export const isLaneId = (id: string): boolean => id.includes('::');
export function parseLaneId(id: string): { parent: string; slot: Slot } | null {
  const i = id.indexOf('::');
  if (i < 0) return null;
  const slot = id.slice(i + 2);
  if (!isSlot(slot)) return null;
  return { parent: id.slice(0, i), slot };
}

/** A drawn box as the canvas has it: position relative to its parent box (a lane or a container). */
export interface Box {
  id: string;
  type?: string;
  parentId?: string;
  position: XY;
  width?: number;
  height?: number;
  measured?: { width?: number; height?: number };
  hidden?: boolean;
}

export function sizeOfBox(b: Box): Size {
  return {
    width: b.measured?.width ?? b.width ?? NODE_SIZE.width,
    height: b.measured?.height ?? b.height ?? NODE_SIZE.height,
  };
}

/** Every box's position on the canvas (its own plus its parents'). */
export function absolutePositions(boxes: readonly Box[]): Map<string, XY> {
  const byId = new Map(boxes.map((b) => [b.id, b]));
  const out = new Map<string, XY>();
  const at = (b: Box, trail: Set<string>): XY => {
    const known = out.get(b.id);
    if (known) return known;
    const parent = b.parentId !== undefined ? byId.get(b.parentId) : undefined;
    let p = b.position;
    if (parent && !trail.has(parent.id)) {
      trail.add(b.id);
      const pa = at(parent, trail);
      p = { x: pa.x + p.x, y: pa.y + p.y };
    }
    out.set(b.id, p);
    return p;
  };
  for (const b of boxes) at(b, new Set());
  return out;
}

/**
 * The lane under a canvas point: the innermost (smallest) one, skipping the lanes of `exclude`d containers
 * (the dragged nodes and what they contain). Returns its id and its top-left corner on the canvas.
 */
export function laneAt(
  boxes: readonly Box[],
  point: XY,
  exclude: ReadonlySet<string> = new Set(),
  abs: ReadonlyMap<string, XY> = absolutePositions(boxes),
): { id: string; abs: XY } | null {
  let best: { id: string; abs: XY; area: number } | null = null;
  for (const b of boxes) {
    if (b.type !== 'lane' || b.hidden) continue;
    const info = parseLaneId(b.id);
    if (!info || exclude.has(info.parent)) continue;
    const at = abs.get(b.id);
    if (!at) continue;
    const w = b.width ?? 0;
    const h = b.height ?? 0;
    if (point.x < at.x || point.y < at.y || point.x > at.x + w || point.y > at.y + h) continue;
    const area = w * h;
    if (!best || area < best.area) best = { id: b.id, abs: at, area };
  }
  return best ? { id: best.id, abs: best.abs } : null;
}
