/**
 * What a gesture on the canvas does to the plan, without React: dropping dragged nodes (into a body, out
 * of one, or where they are), adding a node where the pointer is, and moving a wire's end. The canvas
 * (`app/canvas/FlowCanvas.tsx`) only reads the pointer and React Flow's boxes and calls these; the tests
 * beside them drive them as a user would.
 */
import type { NodeKind, Plan, PortRef } from '../../workers/lang/index.ts';
import { descendants, nodeById } from '../../workers/lang/index.ts';
import { connectionProblem } from './connection-rules.ts';
import {
  absolutePositions,
  type Box,
  isLaneId,
  laneAt,
  parseLaneId,
  sizeOfBox,
  type XY,
} from './geometry.ts';
import { isBodyEnd, isTopLevelOnly, newNodeParams } from './kinds.ts';
import { connect, disconnect, moveNodes, type NewNode, reparent } from './plan-edit.ts';

/** A dragged node where the drag left it: its position relative to the box (lane) it sat in. */
export interface Dragged {
  id: string;
  position: XY;
}

/**
 * The end of a drag. Each dragged node joins the body under the pointer (the innermost one, never one of
 * the dragged nodes' own), leaves its body for the top level when dropped outside, or stays in its body at
 * its new place. Only the outermost dragged nodes change body: what they contain moves with them. A body's
 * Entry and Exit never leave it, and never go left of or above it (the lane grows right and down).
 * A move the rules refuse (a Self out of its Fix step) leaves the node where it was.
 */
export function dropNodes(
  plan: Plan,
  boxes: readonly Box[],
  dragged: readonly Dragged[],
  pointer: XY | null,
): Plan {
  const moved = new Map(dragged.map((d) => [d.id, d.position]));
  const now = boxes.map((b) => {
    const p = moved.get(b.id);
    return p ? { ...b, position: p } : b;
  });
  const byId = new Map(now.map((b) => [b.id, b]));
  const abs = absolutePositions(now);
  const exclude = descendants(plan, moved.keys());
  let next = plan;
  for (const d of dragged) {
    if (isLaneId(d.id)) continue;
    const node = nodeById(plan, d.id);
    if (!node) continue;
    const box = byId.get(d.id);
    const at = abs.get(d.id) ?? d.position;
    const end = isBodyEnd(node.kind);
    const size = box ? sizeOfBox(box) : { width: 0, height: 0 };
    const centre = { x: at.x + size.width / 2, y: at.y + size.height / 2 };
    const lane = end ? null : laneAt(now, pointer ?? centre, exclude, abs);
    const from = box?.parentId ?? null;
    const target = end ? from : (lane?.id ?? null);
    const parentDragged = from !== null && exclude.has(parseLaneId(from)?.parent ?? '');
    if (parentDragged || target === from) {
      const position = end ? { x: Math.max(0, d.position.x), y: Math.max(0, d.position.y) } : d.position;
      next = moveNodes(next, [{ id: d.id, position }]);
    } else if (lane) {
      const info = parseLaneId(lane.id)!;
      next = reparent(next, d.id, info, { x: at.x - lane.abs.x, y: at.y - lane.abs.y });
    } else next = reparent(next, d.id, {}, at);
  }
  return next;
}

/**
 * A node of `kind` dropped at a canvas point: inside the lane there, if any (an Output stays at the top
 * level, where the language wants it), with its catalog defaults written out.
 */
export function nodeDroppedAt(kind: NodeKind, point: XY, lane: { id: string; abs: XY } | null): NewNode {
  const info = lane && !isTopLevelOnly(kind) ? parseLaneId(lane.id) : null;
  // The pointer holds the node near its top-left corner, as it was picked up in the palette.
  const at = { x: point.x - 20, y: point.y - 12 };
  return {
    kind,
    position: info && lane ? { x: at.x - lane.abs.x, y: at.y - lane.abs.y } : at,
    ...(info ? { parent: info.parent, slot: info.slot } : {}),
    params: newNodeParams(kind),
  };
}

/**
 * One end of a wire dragged to another port: the wire now joins `from` to `to` when the language accepts
 * it there; otherwise it stays as it was (the same plan).
 */
export function reconnectWire(plan: Plan, wireId: string, from: PortRef, to: PortRef): Plan {
  if (!plan.wires.some((w) => w.id === wireId)) return plan;
  const without = disconnect(plan, [wireId]);
  if (connectionProblem(without, from, to) !== null) return plan;
  const r = connect(without, from, to);
  return r.id === null ? plan : r.plan;
}
