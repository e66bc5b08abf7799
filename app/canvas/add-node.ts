/**
 * Adding a node by click or keyboard (the palette, the command palette): where it goes and what it is wired
 * to. It joins the selected container's body, or sits right of the selected node — wired from it when the
 * command says so — or in the middle of the view; always in free space (`placement.ts`).
 */
import type { Edge, ReactFlowInstance } from '@xyflow/react';
import type { NodeKind } from '../../workers/lang/index.ts';
import { beginGesture, endGesture, useDocument } from '../store/document.ts';
import { CONTAINER_SIZE, FIX_SIZE, type Size, type Slot, TOP_LEVEL_ONLY } from '../store/plan-edit.ts';
import type { Command } from './commands.ts';
import { type FlowNode, laneId, parseLaneId } from './flow-model.ts';
import { newNodeParams } from './palette-data.ts';
import { freeSpot, type Rect, wantedSpot } from './placement.ts';
import { useSelection } from './selection.ts';
import { drawnAsContainer, dropSlot, specOf } from './specs.ts';

type Flow = ReactFlowInstance<FlowNode, Edge>;

const NODE_SIZE: Size = { width: 200, height: 90 };
const sizeOfKind = (kind: NodeKind): Size =>
  kind === 'Fix' ? FIX_SIZE : specOf(kind)?.container && kind !== 'Reduce' ? CONTAINER_SIZE : NODE_SIZE;

function rectOf(n: FlowNode): Rect {
  return {
    x: n.position.x,
    y: n.position.y,
    width: n.measured?.width ?? n.width ?? NODE_SIZE.width,
    height: n.measured?.height ?? n.height ?? NODE_SIZE.height,
  };
}

/** The middle of the canvas, in flow coordinates. */
function viewCentre(rf: Flow) {
  const r = document.querySelector('.react-flow')?.getBoundingClientRect();
  return r ? rf.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 }) : { x: 0, y: 0 };
}

/**
 * Adds a node of `kind` near the selection and selects it: into the selected container's body, or right of
 * the selected node in its body. Returns its id, or null when the document refused it.
 */
export function addNodeNear(rf: Flow, kind: NodeKind): string | null {
  const spec = specOf(kind);
  if (!spec) return null;
  const plan = useDocument.getState().plan;
  const all = rf.getNodes();
  const selectedIds = useSelection.getState().nodes;
  const selected = selectedIds.length === 1 ? all.find((n) => n.id === selectedIds[0]) : undefined;
  const planNode = selected ? plan.nodes.find((n) => n.id === selected.id) : undefined;
  const size = sizeOfKind(kind);
  const topOnly = TOP_LEVEL_ONLY.has(kind);

  // Which body (lane) the node joins, and where in it it is wanted.
  let lane: string | undefined;
  let want: { x: number; y: number };
  let min: { x: number; y: number } | undefined;
  if (
    selected &&
    planNode &&
    !topOnly &&
    drawnAsContainer(
      planNode.kind,
      planNode.params,
      plan.nodes.some((n) => n.parent === planNode.id),
    )
  ) {
    lane = laneId(planNode.id, dropSlot(planNode.kind));
    min = { x: 12, y: 14 };
    want = min;
  } else if (selected && (!topOnly || selected.parentId === undefined)) {
    lane = selected.parentId;
    want = wantedSpot(rectOf(selected), { x: 0, y: 0 }, size);
    if (lane) min = { x: 12, y: 14 };
  } else {
    // An Output next to something inside a body goes to the top level, right of the outermost container.
    let outer = selected;
    while (outer?.parentId) {
      const container = parseLaneId(outer.parentId)?.parent;
      outer = all.find((n) => n.id === container);
    }
    want = outer ? wantedSpot(rectOf(outer), { x: 0, y: 0 }, size) : wantedSpot(null, viewCentre(rf), size);
  }
  const taken = all.filter((n) => n.type !== 'lane' && n.parentId === lane && !n.hidden).map(rectOf);
  const at = freeSpot(taken, size, want, min);
  const info = lane ? parseLaneId(lane) : null;
  const id = useDocument.getState().addNode({
    kind,
    position: at,
    ...(info ? { parent: info.parent, slot: info.slot as Slot } : {}),
    params: newNodeParams(spec),
  });
  if (!id || !useDocument.getState().plan.nodes.some((n) => n.id === id)) return null; // refused (a stray Self)
  useSelection.getState().focus([id], !lane);
  return id;
}

/** Runs a command palette command: one undo step, the new node selected. */
export function runCommand(rf: Flow, cmd: Command): void {
  const doc = useDocument.getState();
  beginGesture();
  try {
    if (cmd.type === 'connect') {
      doc.connect(cmd.from, cmd.to);
      return;
    }
    const id = addNodeNear(rf, cmd.kind);
    if (id && cmd.wire) doc.connect(cmd.wire.from, { node: id, port: cmd.wire.toPort });
  } finally {
    endGesture();
  }
}
