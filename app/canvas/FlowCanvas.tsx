import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  type Connection,
  Controls,
  type Edge,
  type EdgeChange,
  MiniMap,
  type NodeChange,
  Panel,
  ReactFlow,
  useStore as useFlowStore,
  useReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { type DragEvent, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { NodeKind } from '../../workers/lang/index.ts';
import { beginGesture, endGesture, useDocument } from '../store/document.ts';
import { type Size, type Slot, TOP_LEVEL_ONLY, type XY } from '../store/plan-edit.ts';
import { useChecks } from './checks.ts';
import { connectionProblem } from './connection-rules.ts';
import { buildFlow, type FlowNode, isLaneId, parseLaneId } from './flow-model.ts';
import { nodeTypes } from './NodeViews.tsx';
import { DRAG_MIME, newNodeParams } from './palette-data.ts';
import { useSelection } from './selection.ts';
import { specOf } from './specs.ts';
import { openingViewport } from './viewport.ts';

const fitViewOptions = { padding: 0.15, maxZoom: 1.2 };
const defaultEdgeOptions = { interactionWidth: 16 };
const snapGrid: [number, number] = [8, 8];
const minimapStyle = { width: 160, height: 100 };

/**
 * The lane (container body) under a flow-space point: the innermost one, skipping the dragged nodes
 * themselves and what they contain.
 */
function useLaneAt() {
  const rf = useReactFlow<FlowNode, Edge>();
  return useCallback(
    (point: XY, exclude: ReadonlySet<string> = new Set()): { id: string; abs: XY } | null => {
      let best: { id: string; abs: XY; area: number } | null = null;
      for (const n of rf.getNodes()) {
        if (n.type !== 'lane') continue;
        const info = parseLaneId(n.id);
        if (!info || exclude.has(info.parent)) continue;
        const internal = rf.getInternalNode(n.id);
        if (!internal) continue;
        const abs = internal.internals.positionAbsolute;
        const w = n.width ?? 0;
        const h = n.height ?? 0;
        if (point.x < abs.x || point.y < abs.y || point.x > abs.x + w || point.y > abs.y + h) continue;
        const area = w * h;
        if (!best || area < best.area) best = { id: n.id, abs, area };
      }
      return best ? { id: best.id, abs: best.abs } : null;
    },
    [rf],
  );
}

/** Ids of a node and every node inside it, in the current view. */
function withDescendants(nodes: readonly FlowNode[], ids: Iterable<string>): Set<string> {
  const out = new Set(ids);
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of nodes) {
      if (n.type === 'lane') continue;
      const p = n.parentId ? parseLaneId(n.parentId)?.parent : undefined;
      if (p && out.has(p) && !out.has(n.id)) {
        out.add(n.id);
        grew = true;
      }
    }
  }
  return out;
}

export function FlowCanvas() {
  const plan = useDocument((s) => s.plan);
  const docId = useDocument((s) => s.docId);
  const checked = useChecks(
    useShallow((s) => ({ diagnostics: s.diagnostics, refusals: s.refusals, portTypes: s.portTypes })),
  );
  const rf = useReactFlow<FlowNode, Edge>();
  const laneAt = useLaneAt();
  const [nodes, setNodes] = useState<FlowNode[]>([]);
  const [edges, setEdges] = useState<Edge[]>([]);
  const [hint, setHint] = useState<string | null>(null);
  const [dropLane, setDropLane] = useState<string | null>(null);
  const [rebuild, setRebuild] = useState(0);
  const measured = useRef(new Map<string, Size>());
  const built = useRef(new Map<string, FlowNode>());

  // Derive the view from the document; keep what React Flow learnt (measured sizes, selection).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `rebuild` forces a fresh derivation
  useLayoutEffect(() => {
    const next = buildFlow({ plan, specOf, checked, measured: measured.current }, built.current);
    const prevBuilt = built.current;
    built.current = new Map(next.nodes.map((n) => [n.id, n]));
    setNodes((old) => {
      const byId = new Map(old.map((n) => [n.id, n]));
      return next.nodes.map((n) => {
        const o = byId.get(n.id);
        if (!o) return n;
        if (prevBuilt.get(n.id) === n && o.position.x === n.position.x && o.position.y === n.position.y)
          return o;
        return { ...n, measured: o.measured, selected: o.selected } as FlowNode;
      });
    });
    setEdges((old) => {
      const selected = new Set(old.filter((e) => e.selected).map((e) => e.id));
      return next.edges.map((e) => (selected.has(e.id) ? { ...e, selected: true } : e));
    });
  }, [plan, checked, rebuild]);

  // A new document opens at a readable zoom: whole if that is readable, else from its start (viewport.ts).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the document changes identity
  useEffect(() => {
    if (useDocument.getState().plan.nodes.length === 0) return;
    const t = setTimeout(() => {
      const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
      if (!pane) return;
      const rects = rf
        .getNodes()
        .filter((n) => n.parentId === undefined && !n.hidden)
        .map((n) => ({
          x: n.position.x,
          y: n.position.y,
          width: n.measured?.width ?? n.width ?? 200,
          height: n.measured?.height ?? n.height ?? 90,
        }));
      void rf.setViewport(openingViewport(rects, pane));
    }, 50);
    return () => clearTimeout(t);
  }, [docId, rf]);

  // Selection is mirrored to its own store for the inspector (never into the document's history).
  useEffect(() => {
    useSelection.getState().setSelection(
      nodes.filter((n) => n.selected && n.type !== 'lane').map((n) => n.id),
      edges.filter((e) => e.selected).map((e) => e.id),
    );
  }, [nodes, edges]);

  // Focus requests (problems list, paste, keyboard add): select those nodes and bring them into view.
  const focusRequest = useSelection((s) => s.focusRequest);
  useEffect(() => {
    if (!focusRequest) return;
    const ids = new Set(focusRequest.ids);
    const t = setTimeout(() => {
      setNodes((nds) =>
        nds.map((n) => (n.selected === ids.has(n.id) ? n : { ...n, selected: ids.has(n.id) })),
      );
      setEdges((eds) => eds.map((e) => (e.selected ? { ...e, selected: false } : e)));
      if (focusRequest.reveal)
        void rf.fitView({ nodes: [...ids].map((id) => ({ id })), padding: 0.6, maxZoom: 1.1, duration: 200 });
    }, 30);
    return () => clearTimeout(t);
  }, [focusRequest, rf]);

  // A node inside a body measured bigger than estimated makes its container grow: derive again, once a frame.
  const regrow = useRef(0);
  const dragging = useRef(false);
  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    let grew = false;
    for (const c of changes) {
      if (c.type !== 'dimensions' || !c.dimensions || isLaneId(c.id)) continue;
      const old = measured.current.get(c.id);
      measured.current.set(c.id, c.dimensions);
      const inBody = built.current.get(c.id)?.parentId !== undefined;
      const changed =
        !old || Math.abs(old.width - c.dimensions.width) + Math.abs(old.height - c.dimensions.height) > 2;
      if (inBody && changed) grew = true;
    }
    // Moves that are not a mouse drag (arrow keys on a focused or selected node) are written at once.
    const keyed = dragging.current
      ? []
      : changes.flatMap((c) =>
          c.type === 'position' && c.position && c.dragging !== true && !isLaneId(c.id)
            ? [{ id: c.id, position: c.position }]
            : [],
        );
    if (keyed.length > 0) useDocument.getState().moveNodes(keyed, 'keyboard-move');
    setNodes((nds) => applyNodeChanges(changes, nds));
    if (grew && regrow.current === 0)
      regrow.current = requestAnimationFrame(() => {
        regrow.current = 0;
        setRebuild((n) => n + 1);
      });
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    setEdges((eds) => applyEdgeChanges(changes, eds));
  }, []);

  const hintTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const isValidConnection = useCallback((c: Connection | Edge) => {
    if (hintTimer.current) clearTimeout(hintTimer.current);
    hintTimer.current = null;
    const reason = connectionProblem(
      useDocument.getState().plan,
      { node: c.source, port: c.sourceHandle ?? '' },
      { node: c.target, port: c.targetHandle ?? '' },
    );
    setHint(reason);
    return reason === null;
  }, []);

  const onConnect = useCallback((c: Connection) => {
    setHint(null);
    useDocument
      .getState()
      .connect(
        { node: c.source, port: c.sourceHandle ?? '' },
        { node: c.target, port: c.targetHandle ?? '' },
      );
  }, []);

  // Dragging the end of a wire moves it to another port; dropping it on empty canvas removes it.
  const reconnected = useRef(false);
  const onReconnectStart = useCallback(() => {
    reconnected.current = false;
  }, []);
  const onReconnect = useCallback((old: Edge, c: Connection) => {
    reconnected.current = true;
    setHint(null);
    const doc = useDocument.getState();
    beginGesture();
    try {
      doc.disconnect([old.id]);
      const to = { node: c.target, port: c.targetHandle ?? '' };
      const from = { node: c.source, port: c.sourceHandle ?? '' };
      if (connectionProblem(useDocument.getState().plan, from, to) === null) doc.connect(from, to);
      else
        doc.connect(
          { node: old.source, port: old.sourceHandle ?? '' },
          { node: old.target, port: old.targetHandle ?? '' },
        );
    } finally {
      endGesture();
    }
  }, []);
  const onReconnectEnd = useCallback(
    (_e: unknown, edge: Edge, _side: unknown, state: { toHandle: unknown | null }) => {
      // Dropped on empty canvas (not on a port that refused it): the wire goes.
      if (!reconnected.current && state.toHandle === null) useDocument.getState().disconnect([edge.id]);
      reconnected.current = false;
    },
    [],
  );

  // The refusal stays readable for a moment after the mouse is released.
  const onConnectEnd = useCallback(() => {
    if (hintTimer.current) clearTimeout(hintTimer.current);
    hintTimer.current = setTimeout(() => setHint(null), 2500);
  }, []);

  /** Where the pointer is, in flow coordinates: a node goes into the body the pointer is over. */
  const pointerAt = useCallback(
    (e: MouseEvent | TouchEvent | React.MouseEvent): XY | null => {
      const p = 'touches' in e ? (e.touches[0] ?? e.changedTouches[0]) : e;
      return p ? rf.screenToFlowPosition({ x: p.clientX, y: p.clientY }) : null;
    },
    [rf],
  );

  const onNodeDragStart = useCallback(() => {
    dragging.current = true;
  }, []);

  const onNodeDrag = useCallback(
    (e: MouseEvent | TouchEvent | React.MouseEvent, node: FlowNode, dragged: FlowNode[]) => {
      if (node.type === 'lane' || node.data.kind === 'Entry' || node.data.kind === 'Exit') return;
      const at = pointerAt(e);
      if (!at) return;
      const lane = laneAt(
        at,
        withDescendants(
          rf.getNodes(),
          dragged.map((d) => d.id),
        ),
      );
      setDropLane(lane && lane.id !== node.parentId ? lane.id : null);
    },
    [rf, laneAt, pointerAt],
  );

  const onNodeDragStop = useCallback(
    (e: MouseEvent | TouchEvent | React.MouseEvent, _node: FlowNode, dragged: FlowNode[]) => {
      dragging.current = false;
      setDropLane(null);
      const pointer = pointerAt(e);
      const store = useDocument.getState();
      const all = rf.getNodes();
      const exclude = withDescendants(
        all,
        dragged.map((d) => d.id),
      );
      beginGesture();
      try {
        for (const d of dragged) {
          if (d.type === 'lane') continue;
          const internal = rf.getInternalNode(d.id);
          const abs = internal?.internals.positionAbsolute ?? d.position;
          const structural = d.data.kind === 'Entry' || d.data.kind === 'Exit';
          const size = d.measured ?? { width: 0, height: 0 };
          const centre = { x: abs.x + (size.width ?? 0) / 2, y: abs.y + (size.height ?? 0) / 2 };
          const lane = structural ? null : laneAt(pointer ?? centre, exclude);
          const targetLane = structural ? (d.parentId ?? null) : (lane?.id ?? null);
          // Only the outermost dragged nodes change container; their contents move with them.
          const parentDragged = d.parentId ? exclude.has(parseLaneId(d.parentId)?.parent ?? '') : false;
          if (parentDragged || targetLane === (d.parentId ?? null)) {
            // Entry and Exit stay in their body: the lane grows right and down, never left or up.
            const position = structural
              ? { x: Math.max(0, d.position.x), y: Math.max(0, d.position.y) }
              : d.position;
            store.moveNodes([{ id: d.id, position }]);
          } else if (lane) {
            const info = parseLaneId(lane.id)!;
            store.reparent(
              d.id,
              { parent: info.parent, slot: info.slot },
              { x: abs.x - lane.abs.x, y: abs.y - lane.abs.y },
            );
          } else store.reparent(d.id, {}, abs);
        }
      } finally {
        endGesture();
      }
      // A refused move (e.g. Self out of its Fix) snaps back: rebuild from the document.
      built.current = new Map();
      setRebuild((n) => n + 1);
    },
    [rf, laneAt, pointerAt],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(DRAG_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(DRAG_MIME) as NodeKind;
      if (!kind || !specOf(kind)) return;
      e.preventDefault();
      const point = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      addNodeAt(kind, point, laneAt(point));
    },
    [rf, laneAt],
  );

  return (
    <ReactFlow<FlowNode, Edge>
      nodes={nodes.map((n) =>
        n.type === 'lane' && n.id === dropLane ? { ...n, className: 'drop-target' } : n,
      )}
      edges={edges}
      nodeTypes={nodeTypes}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onConnect={onConnect}
      onConnectEnd={onConnectEnd}
      onReconnectStart={onReconnectStart}
      onReconnect={onReconnect}
      onReconnectEnd={onReconnectEnd}
      isValidConnection={isValidConnection}
      onNodeDrag={onNodeDrag}
      onNodeDragStart={onNodeDragStart}
      onNodeDragStop={onNodeDragStop}
      onDragOver={onDragOver}
      onDrop={onDrop}
      colorMode="system"
      fitViewOptions={fitViewOptions}
      defaultEdgeOptions={defaultEdgeOptions}
      deleteKeyCode={null}
      selectionKeyCode="Shift"
      multiSelectionKeyCode={['Meta', 'Control']}
      snapGrid={snapGrid}
      minZoom={0.1}
      maxZoom={2}
      aria-label="Pipeline canvas"
    >
      <Background gap={16} />
      <Controls aria-label="Zoom controls" />
      <MiniMap pannable zoomable ariaLabel="Minimap" nodeColor={minimapColor} style={minimapStyle} />
      {hint && (
        <Panel position="top-center" className="connect-hint" role="alert" data-testid="connect-hint">
          Cannot connect: {hint}
        </Panel>
      )}
      <EmptyHint />
    </ReactFlow>
  );
}

function minimapColor(n: FlowNode): string {
  if (n.type === 'lane') return 'transparent';
  return n.type === 'container' ? 'var(--minimap-container)' : 'var(--minimap-node)';
}

function EmptyHint() {
  const empty = useDocument((s) => s.plan.nodes.length === 0);
  const zoomEmpty = useFlowStore((s) => s.nodes.length === 0);
  if (!empty || !zoomEmpty) return null;
  return (
    <Panel position="top-left" className="empty-hint">
      Drag a node from the palette, or press Ctrl+K and type its name. Or start from an example: Open… in the
      header, or the Start tab on the right.
    </Panel>
  );
}

/** Adds a node of `kind` at a flow-space point, inside the lane there if any, and selects it. */
export function addNodeAt(
  kind: NodeKind,
  point: XY,
  lane: { id: string; abs: XY } | null,
  reveal = false,
): string | null {
  const spec = specOf(kind);
  if (!spec) return null;
  // An Output dropped over a body stays at the top level, where the language wants it.
  const info = lane && !TOP_LEVEL_ONLY.has(kind) ? parseLaneId(lane.id) : null;
  const at = { x: point.x - 20, y: point.y - 12 };
  const id = useDocument.getState().addNode({
    kind,
    position: info && lane ? { x: at.x - lane.abs.x, y: at.y - lane.abs.y } : at,
    ...(info ? { parent: info.parent, slot: info.slot as Slot } : {}),
    params: newNodeParams(spec),
  });
  if (!id) return null;
  const node = useDocument.getState().plan.nodes.find((n) => n.id === id);
  if (!node) return null; // refused (e.g. a Self outside a Fix step)
  useSelection.getState().focus([id], reveal);
  return id;
}
