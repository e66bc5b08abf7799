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
  useNodesInitialized,
  useReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { type DragEvent, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { descendants, type NodeKind } from '../../workers/lang/index.ts';
import { connectionProblem } from '../editor/connection-rules.ts';
import { isLaneId, laneAt, type Size, sizeOfBox, type XY } from '../editor/geometry.ts';
import { nodeDroppedAt } from '../editor/gestures.ts';
import { isBodyEnd, specOf } from '../editor/kinds.ts';
import { useDocument } from '../store/document.ts';
import { useChecks } from './checks.ts';
import { buildFlow, type FlowNode } from './flow-model.ts';
import { nodeTypes } from './NodeViews.tsx';
import { DRAG_MIME } from './palette-data.ts';
import { useSelection } from './selection.ts';
import { openingViewport } from './viewport.ts';

const fitViewOptions = { padding: 0.15, maxZoom: 1.2 };
const defaultEdgeOptions = { interactionWidth: 16 };
const snapGrid: [number, number] = [8, 8];
const minimapStyle = { width: 160, height: 100 };

export function FlowCanvas() {
  const plan = useDocument((s) => s.plan);
  const docId = useDocument((s) => s.docId);
  const checked = useChecks(
    useShallow((s) => ({ diagnostics: s.diagnostics, refusals: s.refusals, portTypes: s.portTypes })),
  );
  const rf = useReactFlow<FlowNode, Edge>();
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

  // A new document opens at a readable zoom: whole if that is readable, else from its start (viewport.ts),
  // once React Flow has measured the new document's nodes (not after a guessed delay).
  const shown = useMemo(
    () => nodes.map((n) => (n.type === 'lane' && n.id === dropLane ? { ...n, className: 'drop-target' } : n)),
    [nodes, dropLane],
  );
  const measuredAll = useNodesInitialized();
  const ours = useFlowStore((s) => s.nodes === shown);
  const opening = useRef<string | null>(null);
  useLayoutEffect(() => {
    // An empty document keeps the viewport: the first node added must not zoom the canvas to itself.
    opening.current = useDocument.getState().plan.nodes.length > 0 ? docId : null;
  }, [docId]);
  useEffect(() => {
    if (opening.current === null || !measuredAll || !ours) return;
    opening.current = null;
    const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
    if (!pane) return;
    const rects = rf
      .getNodes()
      .filter((n) => n.parentId === undefined && !n.hidden)
      .map((n) => ({ ...n.position, ...sizeOfBox(n) }));
    void rf.setViewport(openingViewport(rects, pane));
  }, [measuredAll, ours, rf]);

  // Selection is mirrored to its own store for the inspector (never into the document's history).
  useEffect(() => {
    useSelection.getState().setSelection(
      nodes.filter((n) => n.selected && n.type !== 'lane').map((n) => n.id),
      edges.filter((e) => e.selected).map((e) => e.id),
    );
  }, [nodes, edges]);

  // Focus requests (problems list, paste, keyboard add): select those nodes and bring them into view, as
  // soon as they are on the canvas (a node just added appears with the next derivation); fitView itself
  // waits until React Flow has measured them.
  const focusRequest = useSelection((s) => s.focusRequest);
  const focused = useRef(0);
  useEffect(() => {
    if (!focusRequest || focused.current === focusRequest.seq) return;
    const plan = useDocument.getState().plan;
    const onCanvas = new Set(nodes.map((n) => n.id));
    if (focusRequest.ids.some((id) => plan.nodes.some((n) => n.id === id) && !onCanvas.has(id))) return;
    focused.current = focusRequest.seq;
    const ids = new Set(focusRequest.ids);
    setNodes((nds) => nds.map((n) => (n.selected === ids.has(n.id) ? n : { ...n, selected: ids.has(n.id) })));
    setEdges((eds) => eds.map((e) => (e.selected ? { ...e, selected: false } : e)));
    if (focusRequest.reveal)
      void rf.fitView({ nodes: [...ids].map((id) => ({ id })), padding: 0.6, maxZoom: 1.1, duration: 200 });
  }, [focusRequest, nodes, rf]);

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
    useDocument
      .getState()
      .reconnect(
        old.id,
        { node: c.source, port: c.sourceHandle ?? '' },
        { node: c.target, port: c.targetHandle ?? '' },
      );
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
      if (node.type === 'lane' || isBodyEnd(node.data.kind)) return;
      const at = pointerAt(e);
      if (!at) return;
      const exclude = descendants(
        useDocument.getState().plan,
        dragged.map((d) => d.id),
      );
      const lane = laneAt(rf.getNodes(), at, exclude);
      setDropLane(lane && lane.id !== node.parentId ? lane.id : null);
    },
    [rf, pointerAt],
  );

  const onNodeDragStop = useCallback(
    (e: MouseEvent | TouchEvent | React.MouseEvent, _node: FlowNode, dragged: FlowNode[]) => {
      dragging.current = false;
      setDropLane(null);
      useDocument.getState().dropNodes(
        rf.getNodes(),
        dragged.map((d) => ({ id: d.id, position: d.position })),
        pointerAt(e),
      );
      // A refused move (e.g. Self out of its Fix) snaps back: rebuild from the document.
      built.current = new Map();
      setRebuild((n) => n + 1);
    },
    [rf, pointerAt],
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
      addNodeAt(kind, point, laneAt(rf.getNodes(), point));
    },
    [rf],
  );

  return (
    <ReactFlow<FlowNode, Edge>
      nodes={shown}
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
function addNodeAt(
  kind: NodeKind,
  point: XY,
  lane: { id: string; abs: XY } | null,
  reveal = false,
): string | null {
  if (!specOf(kind)) return null;
  const id = useDocument.getState().addNode(nodeDroppedAt(kind, point, lane));
  if (!id || !useDocument.getState().plan.nodes.some((n) => n.id === id)) return null; // refused (a stray Self)
  useSelection.getState().focus([id], reveal);
  return id;
}
