/**
 * Adding a node by click or keyboard (the palette, the command palette): where it goes and what it is wired
 * to. It joins the selected container's body, or sits right of the selected node — wired from it when the
 * command says so — or in the middle of the view; always in free space (`placement.ts`).
 */
import type { Edge, ReactFlowInstance } from '@xyflow/react';
import type { NodeKind } from '../../workers/lang/index.ts';
import {
  LANE_ORIGIN,
  laneId,
  NODE_SIZE,
  newContainerSize,
  parseLaneId,
  type Rect,
  type Size,
  sizeOfBox,
} from '../editor/geometry.ts';
import {
  drawnAsContainer,
  dropSlot,
  hasBodies,
  isTopLevelOnly,
  newNodeParams,
  specOf,
} from '../editor/kinds.ts';
import { freeSpot, wantedSpot } from '../editor/placement.ts';
import { beginGesture, endGesture, useDocument } from '../store/document.ts';
import type { Command } from './commands.ts';
import type { FlowNode } from './flow-model.ts';
import { useSelection } from './selection.ts';

type Flow = ReactFlowInstance<FlowNode, Edge>;

/** The size a new node of this kind is drawn at, before React Flow measures it. */
const sizeOfKind = (kind: NodeKind): Size =>
  hasBodies(kind, newNodeParams(kind)) ? newContainerSize(kind) : NODE_SIZE;

const rectOf = (n: FlowNode): Rect => ({ ...n.position, ...sizeOfBox(n) });

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
  const topOnly = isTopLevelOnly(kind);

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
    min = LANE_ORIGIN;
    want = min;
  } else if (selected && (!topOnly || selected.parentId === undefined)) {
    lane = selected.parentId;
    want = wantedSpot(rectOf(selected), { x: 0, y: 0 }, size);
    if (lane) min = LANE_ORIGIN;
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
    ...(info ? { parent: info.parent, slot: info.slot } : {}),
    params: newNodeParams(kind),
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
