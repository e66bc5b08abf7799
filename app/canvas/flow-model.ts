/**
 * The plan as React Flow nodes and edges: derived view state, rebuilt from the document on every edit.
 * Each container body is drawn as a "lane" node (`<container>::<slot>`) inside the container, and the
 * body's nodes are children of that lane, so positions in `plan.view.positions` are relative to the
 * lane (React Flow's `parentId` convention). Objects are reused when nothing they show changed, so
 * memoised node components do not re-render on unrelated edits.
 */
import type { Edge, Node } from '@xyflow/react';
import type {
  Diagnostic,
  NodeKind,
  NodeSpec,
  Plan,
  PlanNode,
  PortSpec,
  Slot,
} from '../../workers/lang/index.ts';
import { catalog, showType } from '../../workers/lang/index.ts';
import {
  baseLaneKey,
  CONTAINER_HEADER,
  LANE_GAP,
  laneId,
  laneRect,
  NODE_SIZE,
  newContainerSize,
  type Size,
} from '../editor/geometry.ts';
import { drawnAsContainer, hasLanesSideBySide, isBodyEnd } from '../editor/kinds.ts';
import { parentsFirst } from '../editor/plan-edit.ts';
import { typeColorVar, writtenTypeColorVar } from './type-style.ts';

export interface PortView {
  name: string;
  label: string;
  type: string;
  color: string;
  optional: boolean;
  description: string;
  /** The type problem on this port, if any. */
  error: string | null;
}

export interface PlanNodeData extends Record<string, unknown> {
  nodeId: string;
  kind: NodeKind;
  title: string;
  label: string | null;
  group: string;
  summary: string;
  inputs: PortView[];
  outputs: PortView[];
  /** Problems on the node itself (not tied to a port). */
  problems: string[];
  /** A fix for one of them the editor can apply in one click (the planner's "put a Split before it"). */
  fix: { kind: 'split-before'; label: string } | null;
  /** The node is on an offending path (cycle, termination). */
  onPath: boolean;
  container: boolean;
}

export interface LaneData extends Record<string, unknown> {
  containerId: string;
  slot: Slot;
  title: string;
}

export type PlanFlowNode = Node<PlanNodeData, 'plan'> | Node<PlanNodeData, 'container'>;
export type LaneFlowNode = Node<LaneData, 'lane'>;
export type FlowNode = PlanFlowNode | LaneFlowNode;

const LANE_TITLE: Record<Slot, string> = {
  body: 'body',
  base: 'base case · |P| ≤ τ*',
  step: 'step · may call Self on smaller pieces',
};

export interface Checked {
  diagnostics: readonly Diagnostic[];
  /** The planner's refusals, drawn on their nodes like the checker's errors. */
  refusals?: readonly Diagnostic[];
  /** Resolved port types from the checker, written out: `nodeId` → port name → `List<Str>`. */
  portTypes?: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

export interface ModelInput {
  plan: Plan;
  specOf: (kind: NodeKind) => NodeSpec | undefined;
  checked: Checked;
  measured: ReadonlyMap<string, Size>;
}

/** Short text under a node's title: its most telling parameter values. */
export function summarize(node: PlanNode, spec: NodeSpec | undefined): string {
  if (!spec) return '';
  const parts: string[] = [];
  for (const p of spec.params) {
    const v = node.params[p.name] ?? p.default;
    if (p.visible && !p.visible({ ...defaults(spec), ...node.params })) continue;
    if (v === undefined || v === null || v === '') continue;
    // A number left at a default of 0 means "automatic" or "none" in the catalog (concurrency: the model's
    // own limit); a header saying "concurrency: 0" read as "runs nothing".
    if (p.kind === 'int' && p.default === 0 && v === 0) continue;
    if (p.kind === 'template' || p.kind === 'text') {
      const line =
        String(v)
          .split('\n')
          .find((l) => l.trim() !== '') ?? '';
      parts.push(`“${line.length > 40 ? `${line.slice(0, 40)}…` : line}”`);
    } else if (p.kind === 'json') continue;
    else parts.push(`${p.label.toLowerCase()}: ${String(v)}`);
    if (parts.length >= 2) break;
  }
  return parts.join(' · ');
}

export function defaults(spec: NodeSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of spec.params) out[p.name] = p.default;
  return out;
}

function portViews(
  ports: readonly PortSpec[],
  node: string,
  resolved: ReadonlyMap<string, string> | undefined,
  errors: ReadonlyMap<string, string>,
): PortView[] {
  return ports.map((p) => {
    const written = resolved?.get(p.name);
    return {
      name: p.name,
      // The port's name, as wires, errors, the JSON view and plan files write it: one name per thing.
      label: p.name,
      type: written ?? showType(p.type),
      color: written !== undefined ? writtenTypeColorVar(written) : typeColorVar(p.type),
      optional: p.optional === true,
      description: p.description ?? '',
      error: errors.get(`${node}\u0000${p.name}`) ?? null,
    };
  });
}

function portsOf(node: PlanNode, plan: Plan, spec: NodeSpec | undefined) {
  if (!spec) return { inputs: [], outputs: [] };
  try {
    return spec.ports(node, plan, catalog);
  } catch {
    // A malformed node must not take the canvas down; the checker reports it.
    return { inputs: [], outputs: [] };
  }
}

/** Container size: as saved, grown to hold its children (examples may omit sizes); a Fix's base lane width. */
function containerSize(
  plan: Plan,
  node: PlanNode,
  measured: ReadonlyMap<string, Size>,
  children: ReadonlyMap<string, PlanNode[]>,
  sizeOf: (n: PlanNode) => Size,
): Size & { baseWidth?: number } {
  const base = plan.view.sizes[node.id] ?? newContainerSize(node.kind);
  const kids = children.get(node.id) ?? [];
  const extent = (slot: Slot) => {
    let right = 0;
    let bottom = 0;
    for (const k of kids) {
      if ((k.slot ?? 'body') !== slot) continue;
      const p = plan.view.positions[k.id] ?? { x: 0, y: 0 };
      const s = measured.get(k.id) ?? sizeOf(k);
      right = Math.max(right, p.x + s.width + LANE_GAP);
      bottom = Math.max(bottom, p.y + s.height + LANE_GAP);
    }
    return { right, bottom };
  };
  const grownHeight = (bottom: number) => Math.max(base.height, CONTAINER_HEADER + bottom + LANE_GAP);
  if (!hasLanesSideBySide(node.kind)) {
    const { right, bottom } = extent('body');
    const lane = laneRect(node.kind, 'body', base);
    return {
      width: Math.round(base.width + Math.max(0, right - lane.width)),
      height: Math.round(grownHeight(bottom)),
    };
  }
  const b = extent('base');
  const st = extent('step');
  const stored = plan.view.sizes[baseLaneKey(node.id)]?.width;
  const baseW = Math.max(laneRect(node.kind, 'base', base, stored).width, b.right);
  const stepW = Math.max(base.width - 3 * LANE_GAP - baseW, st.right, 120);
  return {
    width: Math.round(3 * LANE_GAP + baseW + stepW),
    height: Math.round(grownHeight(Math.max(b.bottom, st.bottom))),
    baseWidth: baseW,
  };
}

/** Builds the view. `previous` lets unchanged node objects be reused (identity = no re-render). */
export function buildFlow(
  input: ModelInput,
  previous: ReadonlyMap<string, FlowNode> = new Map(),
): { nodes: FlowNode[]; edges: Edge[] } {
  const { plan, specOf, checked, measured } = input;
  const portErrors = new Map<string, string>();
  const nodeProblems = new Map<string, string[]>();
  const fixes = new Map<string, { kind: 'split-before'; label: string }>();
  const onPath = new Set<string>();
  for (const d of [...checked.diagnostics, ...(checked.refusals ?? [])]) {
    if (d.fix && d.nodeId) fixes.set(d.nodeId, d.fix);
    if (d.severity !== 'error' && d.severity !== 'warning') continue;
    for (const id of d.path ?? []) onPath.add(id);
    if (!d.nodeId) continue;
    if (d.port) {
      const key = `${d.nodeId}\u0000${d.port}`;
      if (!portErrors.has(key)) portErrors.set(key, d.message);
    } else {
      const list = nodeProblems.get(d.nodeId) ?? [];
      list.push(d.message);
      nodeProblems.set(d.nodeId, list);
    }
  }
  const children = new Map<string, PlanNode[]>();
  for (const n of plan.nodes) {
    if (n.parent === undefined) continue;
    const list = children.get(n.parent) ?? [];
    list.push(n);
    children.set(n.parent, list);
  }
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const hasBody = (id: string) => children.has(id);
  const sizes = new Map<string, Size & { baseWidth?: number }>();
  const sizeOf = (n: PlanNode): Size & { baseWidth?: number } => {
    const known = sizes.get(n.id);
    if (known) return known;
    if (!drawnAsContainer(n.kind, n.params, hasBody(n.id))) return NODE_SIZE;
    sizes.set(n.id, plan.view.sizes[n.id] ?? newContainerSize(n.kind)); // guards against a parent cycle
    const s = containerSize(plan, n, measured, children, sizeOf);
    sizes.set(n.id, s);
    return s;
  };

  const nodes: FlowNode[] = [];
  for (const n of parentsFirst(plan.nodes)) {
    const spec = specOf(n.kind);
    const isContainer = drawnAsContainer(n.kind, n.params, hasBody(n.id));
    const ports = portsOf(n, plan, spec);
    const types = checked.portTypes?.get(n.id);
    const data: PlanNodeData = {
      nodeId: n.id,
      kind: n.kind,
      title: spec?.title ?? n.kind,
      label: n.label ?? null,
      group: spec?.group ?? 'structure',
      summary: summarize(n, spec),
      inputs: portViews(ports.inputs, n.id, types, portErrors),
      outputs: portViews(ports.outputs, n.id, types, portErrors),
      problems: [...(spec ? [] : [`unknown node kind ${n.kind}`]), ...(nodeProblems.get(n.id) ?? [])],
      fix: fixes.get(n.id) ?? null,
      onPath: onPath.has(n.id),
      container: isContainer,
    };
    const parent = n.parent !== undefined ? byId.get(n.parent) : undefined;
    const position = plan.view.positions[n.id] ?? { x: 0, y: 0 };
    // The body of a container drawn as a plain node (a Reduce with a built-in ⊕) is not shown.
    const hidden = parent !== undefined && !drawnAsContainer(parent.kind, parent.params, true);
    const structural = isBodyEnd(n.kind);
    const base = {
      id: n.id,
      position,
      data,
      ...(parent && !hidden ? { parentId: laneId(parent.id, (n.slot ?? 'body') as Slot) } : {}),
      ...(structural ? { deletable: false } : {}),
      ...(hidden ? { hidden: true } : {}),
    };
    let next: FlowNode;
    if (isContainer) {
      const size = sizeOf(n);
      next = { ...base, type: 'container', width: size.width, height: size.height };
    } else next = { ...base, type: 'plan' };
    nodes.push(reuse(previous.get(n.id), next));
    if (isContainer) {
      const size = sizeOf(n);
      for (const slot of spec?.container?.slots ?? []) {
        const r = laneRect(n.kind, slot, size, size.baseWidth);
        const lane: LaneFlowNode = {
          id: laneId(n.id, slot),
          type: 'lane',
          parentId: n.id,
          position: { x: r.x, y: r.y },
          width: r.width,
          height: r.height,
          draggable: false,
          selectable: false,
          connectable: false,
          deletable: false,
          focusable: false,
          data: { containerId: n.id, slot, title: LANE_TITLE[slot] },
        };
        nodes.push(reuse(previous.get(lane.id), lane));
      }
    }
  }

  const wireTypes = new Map<string, string>();
  for (const n of nodes) {
    if (n.type === 'lane') continue;
    for (const p of n.data.outputs) wireTypes.set(`${n.id}\u0000${p.name}`, p.color);
  }
  const edges: Edge[] = plan.wires.map((w) => {
    const bad = portErrors.has(`${w.to.node}\u0000${w.to.port}`);
    return {
      id: w.id,
      source: w.from.node,
      sourceHandle: w.from.port,
      target: w.to.node,
      targetHandle: w.to.port,
      className: bad ? 'wire wire-error' : 'wire',
      style: {
        stroke: bad ? 'var(--error)' : (wireTypes.get(`${w.from.node}\u0000${w.from.port}`) ?? undefined),
      },
      ariaLabel: `Wire from ${w.from.node}.${w.from.port} to ${w.to.node}.${w.to.port}`,
    };
  });
  return { nodes, edges };
}

/** Keeps the old object when the new one shows the same thing (shallow on data, deep on ports). */
function reuse<T extends FlowNode>(old: FlowNode | undefined, next: T): T {
  if (!old || old.type !== next.type) return next;
  if (
    old.position.x !== next.position.x ||
    old.position.y !== next.position.y ||
    old.parentId !== next.parentId ||
    old.width !== next.width ||
    old.height !== next.height ||
    old.hidden !== next.hidden
  )
    return next;
  if (JSON.stringify(old.data) !== JSON.stringify(next.data)) return next;
  return old as T;
}
