/**
 * Pure edits of the plan document: the editor's rules, without React. Every function returns a new plan
 * (or the same object when nothing changed, so the undo history can tell a no-op from an edit) and never
 * mutates its argument. What a kind may do is read from the catalog's roles (`kinds.ts`), never from its
 * name.
 *
 * Positions live in `plan.view.positions`, relative to the body (lane) the node sits in, as React Flow
 * expects (`geometry.ts`).
 */
import {
  descendants,
  enclosing,
  type NodeKind,
  nodeById,
  PLAN_FORMAT,
  PLAN_VERSION,
  type Plan,
  type PlanNode,
  type PortRef,
  plannerSettingsSchema,
  type Slot,
  type Wire,
} from '../../workers/lang/index.ts';
import {
  baseLaneKey,
  bodyEnds,
  CONTAINER_SIZE,
  laneRect,
  newContainerSize,
  type Size,
  type XY,
} from './geometry.ts';
import {
  BODY_KINDS,
  containerSlots,
  hasBodies,
  isBodyEnd,
  isContainerKind,
  isTopLevelOnly,
  needsRecursion,
  recursiveSlot,
} from './kinds.ts';

export function emptyPlan(name = 'Untitled pipeline'): Plan {
  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    name,
    description: '',
    query: '',
    input: {},
    nodes: [],
    wires: [],
    planner: plannerSettingsSchema.parse({}),
    view: { positions: {}, sizes: {} },
  };
}

/** A fresh id like `map-3`: the kind in lower case and the smallest number not taken. */
function freshId(plan: Plan, kind: string, taken: Set<string> = new Set()): string {
  const used = new Set(plan.nodes.map((n) => n.id));
  for (const w of plan.wires) used.add(w.id);
  const base = kind.toLowerCase();
  for (let i = 1; ; i++) {
    const id = `${base}-${i}`;
    if (!used.has(id) && !taken.has(id)) return id;
  }
}

/** Parents before children, as React Flow requires; otherwise the document order is kept. */
export function parentsFirst(nodes: readonly PlanNode[]): PlanNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const done = new Set<string>();
  const out: PlanNode[] = [];
  const visit = (n: PlanNode, trail: Set<string>) => {
    if (done.has(n.id) || trail.has(n.id)) return;
    trail.add(n.id);
    const p = n.parent !== undefined ? byId.get(n.parent) : undefined;
    if (p) visit(p, trail);
    done.add(n.id);
    out.push(n);
  };
  for (const n of nodes) visit(n, new Set());
  return out;
}

export interface NewNode {
  kind: NodeKind;
  position: XY;
  parent?: string;
  slot?: Slot;
  params?: Record<string, unknown>;
  label?: string;
}

/**
 * Adds a node; a container comes with its Entry and Exit per body (and a Self in a Fix step), so a new
 * container is already well formed. Returns the plan and the new node's id.
 */
export function addNode(plan: Plan, spec: NewNode): { plan: Plan; id: string } {
  const id = freshId(plan, spec.kind);
  const node: PlanNode = { id, kind: spec.kind, params: { ...(spec.params ?? {}) } };
  if (spec.label !== undefined) node.label = spec.label;
  if (spec.parent !== undefined) {
    node.parent = spec.parent;
    node.slot = spec.slot ?? 'body';
  }
  const nodes = [...plan.nodes, node];
  const positions = { ...plan.view.positions, [id]: round(spec.position) };
  const sizes = { ...plan.view.sizes };
  const slots = containerSlots(spec.kind);
  // A container whose params leave it without a body (a Reduce with a built-in ⊕) gets none.
  if (slots && hasBodies(spec.kind, spec.params)) {
    sizes[id] = newContainerSize(spec.kind);
    const taken = new Set([id]);
    const child = (kind: NodeKind, slot: Slot, at: XY) => {
      const cid = freshId(plan, kind, taken);
      taken.add(cid);
      nodes.push({ id: cid, kind, parent: id, slot, params: {} });
      positions[cid] = at;
    };
    for (const slot of slots) {
      const lane = laneSize(spec.kind, slot, sizes[id]);
      const ends = bodyEnds(lane.width);
      child(BODY_KINDS.entry, slot, ends.entry);
      child(BODY_KINDS.exit, slot, ends.exit);
      if (slot === recursiveSlot(spec.kind))
        child(BODY_KINDS.self, slot, { x: 12, y: Math.max(90, lane.height - 80) });
    }
  }
  return { plan: { ...plan, nodes, view: { ...plan.view, positions, sizes } }, id };
}

function laneSize(kind: NodeKind, slot: Slot, size: Size | undefined): Size {
  const r = laneRect(kind, slot, size ?? CONTAINER_SIZE);
  return { width: r.width, height: r.height };
}

const round = (p: XY): XY => ({ x: Math.round(p.x), y: Math.round(p.y) });

/** Moves nodes; positions are relative to their container. Unchanged positions keep the same plan. */
export function moveNodes(plan: Plan, moves: readonly { id: string; position: XY }[]): Plan {
  let positions: Plan['view']['positions'] | undefined;
  for (const m of moves) {
    const p = round(m.position);
    const old = plan.view.positions[m.id];
    if (old && old.x === p.x && old.y === p.y) continue;
    positions ??= { ...plan.view.positions };
    positions[m.id] = p;
  }
  return positions ? { ...plan, view: { ...plan.view, positions } } : plan;
}

export function resizeNode(plan: Plan, id: string, size: Size): Plan {
  const s = { width: Math.round(size.width), height: Math.round(size.height) };
  const old = plan.view.sizes[id];
  if (old && old.width === s.width && old.height === s.height) return plan;
  return { ...plan, view: { ...plan.view, sizes: { ...plan.view.sizes, [id]: s } } };
}

/**
 * Removes nodes with everything inside them and every wire touching them. Entry and Exit nodes go only
 * with their container (a body without them is not a body); the last Self of a Fix may be removed.
 */
export function removeNodes(plan: Plan, ids: Iterable<string>, structureToo = false): Plan {
  const requested = new Set(ids);
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  for (const id of structureToo ? [] : [...requested]) {
    const n = byId.get(id);
    if (!n) requested.delete(id);
    else if (isBodyEnd(n.kind) && !(n.parent && requested.has(n.parent))) requested.delete(id);
  }
  if (requested.size === 0) return plan;
  let gone = descendants(plan, requested);
  // A Fix keeps at least one Self (duplicate it for more): without one, its step could not recurse and
  // the palette offers no way back.
  if (!structureToo) {
    const keep = new Set<string>();
    for (const fix of plan.nodes.filter((n) => recursiveSlot(n.kind) !== undefined && !gone.has(n.id))) {
      const selves = plan.nodes.filter(
        (n) =>
          needsRecursion(n.kind) && enclosing(plan, n, (c) => recursiveSlot(c.kind) !== undefined) === fix,
      );
      const first = selves[0];
      if (first && selves.every((n) => gone.has(n.id))) keep.add(first.id);
    }
    if (keep.size > 0) {
      for (const id of keep) requested.delete(id);
      if (requested.size === 0) return plan;
      gone = descendants(plan, requested);
    }
  }
  const positions = { ...plan.view.positions };
  const sizes = { ...plan.view.sizes };
  for (const id of gone) {
    delete positions[id];
    delete sizes[id];
    delete sizes[baseLaneKey(id)];
  }
  return {
    ...plan,
    nodes: plan.nodes.filter((n) => !gone.has(n.id)),
    wires: plan.wires.filter((w) => !gone.has(w.from.node) && !gone.has(w.to.node)),
    view: { ...plan.view, positions, sizes },
  };
}

/** True when a wire from `from` to `to` would close a cycle among the plan's wires. */
function wouldCycle(plan: Plan, from: string, to: string): boolean {
  if (from === to) return true;
  const out = new Map<string, string[]>();
  for (const w of plan.wires) {
    const list = out.get(w.from.node);
    if (list) list.push(w.to.node);
    else out.set(w.from.node, [w.to.node]);
  }
  const seen = new Set<string>();
  const stack = [to];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n === from) return true;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const m of out.get(n) ?? []) stack.push(m);
  }
  return false;
}

/**
 * Connects an output port to an input port. An input takes one wire, so a wire already into `to` is
 * replaced. Refuses (returns the same plan) an exact duplicate or a cycle; type compatibility is the
 * checker's business (`canConnect`), asked by the canvas before it calls this.
 */
export function connect(plan: Plan, from: PortRef, to: PortRef): { plan: Plan; id: string | null } {
  if (!nodeById(plan, from.node) || !nodeById(plan, to.node)) return { plan, id: null };
  const same = plan.wires.find(
    (w) =>
      w.from.node === from.node &&
      w.from.port === from.port &&
      w.to.node === to.node &&
      w.to.port === to.port,
  );
  if (same) return { plan, id: null };
  if (wouldCycle(plan, from.node, to.node)) return { plan, id: null };
  const id = freshId(plan, 'w');
  const wire: Wire = { id, from: { ...from }, to: { ...to } };
  const wires = plan.wires.filter((w) => !(w.to.node === to.node && w.to.port === to.port));
  return { plan: { ...plan, wires: [...wires, wire] }, id };
}

export function disconnect(plan: Plan, wireIds: Iterable<string>): Plan {
  const ids = new Set(wireIds);
  const wires = plan.wires.filter((w) => !ids.has(w.id));
  return wires.length === plan.wires.length ? plan : { ...plan, wires };
}

function updateNode(plan: Plan, id: string, f: (n: PlanNode) => PlanNode): Plan {
  let changed = false;
  const nodes = plan.nodes.map((n) => {
    if (n.id !== id) return n;
    const m = f(n);
    if (m !== n) changed = true;
    return m;
  });
  return changed ? { ...plan, nodes } : plan;
}

/**
 * Sets one parameter; `undefined` removes it (the catalog default applies). Choosing ⊕ = body on a Reduce
 * gives it a body (Entry and Exit); choosing a built-in ⊕ removes an untouched body.
 */
export function setParam(plan: Plan, id: string, name: string, value: unknown): Plan {
  const next = setParamOnly(plan, id, name, value);
  const node = nodeById(next, id);
  if (next === plan || !node || !isContainerKind(node.kind)) return next;
  const before = nodeById(plan, id);
  const had = before !== undefined && hasBodies(before.kind, before.params);
  const has = hasBodies(node.kind, node.params);
  if (had === has) return next;
  const body = next.nodes.filter((n) => n.parent === id);
  if (has && body.length === 0) return withBody(next, node);
  if (!has && body.every((n) => isBodyEnd(n.kind))) {
    const ids = new Set(body.map((n) => n.id));
    const wired = next.wires.some((w) => ids.has(w.from.node) || ids.has(w.to.node));
    if (!wired) return removeNodes(next, ids, true);
  }
  return next;
}

function withBody(plan: Plan, node: PlanNode): Plan {
  const size = plan.view.sizes[node.id] ?? { ...CONTAINER_SIZE };
  const ends = bodyEnds(laneSize(node.kind, 'body', size).width);
  const taken = new Set<string>();
  const entry = freshId(plan, BODY_KINDS.entry, taken);
  taken.add(entry);
  const exit = freshId(plan, BODY_KINDS.exit, taken);
  return {
    ...plan,
    nodes: [
      ...plan.nodes,
      { id: entry, kind: BODY_KINDS.entry, parent: node.id, slot: 'body', params: {} },
      { id: exit, kind: BODY_KINDS.exit, parent: node.id, slot: 'body', params: {} },
    ],
    view: {
      ...plan.view,
      positions: {
        ...plan.view.positions,
        [entry]: ends.entry,
        [exit]: ends.exit,
      },
      sizes: { ...plan.view.sizes, [node.id]: size },
    },
  };
}

function setParamOnly(plan: Plan, id: string, name: string, value: unknown): Plan {
  return updateNode(plan, id, (n) => {
    if (Object.is(n.params[name], value)) return n;
    const params = { ...n.params };
    if (value === undefined) delete params[name];
    else params[name] = value;
    return { ...n, params };
  });
}

export function setLabel(plan: Plan, id: string, label: string): Plan {
  return updateNode(plan, id, (n) => {
    const next = label.trim() === '' ? undefined : label;
    if (n.label === next) return n;
    const { label: _old, ...rest } = n;
    return next === undefined ? rest : { ...rest, label: next };
  });
}

/**
 * Moves a node (and what it contains) into a container body, or out to the top level (`parent`
 * undefined), at `position` relative to its new container. Wires that would cross a body boundary are
 * dropped: a body sees the outside only through its Entry. Refuses to put a container inside itself,
 * to move structure nodes out of their container, to move a Self outside its Fix's step, and to put an
 * Output into a body.
 */
export function reparent(
  plan: Plan,
  id: string,
  target: { parent?: string; slot?: Slot },
  position: XY,
): Plan {
  const node = nodeById(plan, id);
  if (!node) return plan;
  if (isBodyEnd(node.kind)) return plan;
  if (target.parent !== undefined && isTopLevelOnly(node.kind)) return plan;
  if (target.parent !== undefined) {
    const p = nodeById(plan, target.parent);
    if (!p || !isContainerKind(p.kind)) return plan;
    if (descendants(plan, [id]).has(target.parent)) return plan;
  }
  if (needsRecursion(node.kind) && !insideRecursion(plan, target.parent, target.slot)) return plan;
  const slot = target.parent !== undefined ? (target.slot ?? 'body') : undefined;
  if (node.parent === target.parent && node.slot === slot) return moveNodes(plan, [{ id, position }]);
  let next = updateNode(plan, id, (n) => {
    const { parent: _p, slot: _s, ...rest } = n;
    return target.parent === undefined ? rest : { ...rest, parent: target.parent, slot };
  });
  next = moveNodes(next, [{ id, position }]);
  // A wire is kept only when both ends are still in the same body, or it enters a body from outside
  // the container (only Entry is wired from outside, by the container's own input).
  const scope = (nid: string) => {
    const n = nodeById(next, nid);
    return n?.parent === undefined ? '' : `${n.parent}/${n.slot ?? 'body'}`;
  };
  const moved = descendants(next, [id]);
  const wires = next.wires.filter((w) => {
    if (!moved.has(w.from.node) && !moved.has(w.to.node)) return true;
    return scope(w.from.node) === scope(w.to.node);
  });
  return wires.length === next.wires.length ? next : { ...next, wires };
}

/** Whether a position (container, slot) lies inside a recursive body (a Fix step), at any depth. */
function insideRecursion(plan: Plan, parent: string | undefined, slot: Slot | undefined): boolean {
  let p = parent;
  let s = slot;
  const seen = new Set<string>();
  while (p !== undefined && !seen.has(p)) {
    seen.add(p);
    const n = nodeById(plan, p);
    if (!n) return false;
    if (s !== undefined && recursiveSlot(n.kind) === s) return true;
    p = n.parent;
    s = n.slot;
  }
  return false;
}

/** A self-contained piece of a plan (copy/paste): nodes with their positions, sizes and inner wires. */
export interface Fragment {
  nodes: PlanNode[];
  wires: Wire[];
  positions: Record<string, XY>;
  sizes: Record<string, Size>;
}

/** Copies the nodes (with everything inside containers) and the wires among them. */
export function copyFragment(plan: Plan, ids: Iterable<string>): Fragment {
  const chosen = new Set<string>();
  for (const id of ids) {
    const n = nodeById(plan, id);
    // Entry and Exit are copied with their container, never alone.
    if (n && !isBodyEnd(n.kind)) chosen.add(id);
  }
  const all = descendants(plan, chosen);
  const nodes = plan.nodes.filter((n) => all.has(n.id)).map((n) => structuredClone(n));
  // A copied node whose container was not copied lands at the top level.
  for (const n of nodes) {
    if (n.parent !== undefined && !all.has(n.parent)) {
      delete n.parent;
      delete n.slot;
    }
  }
  const wires = plan.wires.filter((w) => all.has(w.from.node) && all.has(w.to.node));
  const positions: Record<string, XY> = {};
  const sizes: Record<string, Size> = {};
  for (const id of all) {
    const p = plan.view.positions[id];
    if (p) positions[id] = { ...p };
    const s = plan.view.sizes[id];
    if (s) sizes[id] = { ...s };
  }
  return { nodes, wires: structuredClone(wires), positions, sizes };
}

/**
 * Pastes a fragment with fresh ids, top-level nodes shifted by `offset` (or placed into `into`). A Self
 * pasted outside a Fix step is dropped. Returns the new ids of the fragment's top-level nodes.
 */
export function pasteFragment(
  plan: Plan,
  fragment: Fragment,
  offset: XY,
  into?: { parent: string; slot: Slot },
): { plan: Plan; ids: string[] } {
  const rename = new Map<string, string>();
  const taken = new Set<string>();
  for (const n of fragment.nodes) {
    const id = freshId(plan, n.kind, taken);
    taken.add(id);
    rename.set(n.id, id);
  }
  const roots: string[] = [];
  const nodes: PlanNode[] = [];
  const positions = { ...plan.view.positions };
  const sizes = { ...plan.view.sizes };
  for (const n of fragment.nodes) {
    const id = rename.get(n.id)!;
    const copy: PlanNode = { ...structuredClone(n), id };
    const isRoot = n.parent === undefined || !rename.has(n.parent);
    if (isRoot) {
      delete copy.parent;
      delete copy.slot;
      if (into) {
        copy.parent = into.parent;
        copy.slot = into.slot;
      }
      roots.push(id);
    } else copy.parent = rename.get(n.parent!)!;
    const p = fragment.positions[n.id] ?? { x: 0, y: 0 };
    positions[id] = isRoot ? round({ x: p.x + offset.x, y: p.y + offset.y }) : { ...p };
    const s = fragment.sizes[n.id];
    if (s) sizes[id] = { ...s };
    nodes.push(copy);
  }
  let next: Plan = { ...plan, nodes: [...plan.nodes, ...nodes], view: { ...plan.view, positions, sizes } };
  const strays = nodes
    .filter((n) => needsRecursion(n.kind) && !insideRecursion(next, n.parent, n.slot as Slot | undefined))
    .map((n) => n.id);
  const wires = [...next.wires];
  let w = 0;
  for (const wire of fragment.wires) {
    const from = rename.get(wire.from.node);
    const to = rename.get(wire.to.node);
    if (!from || !to) continue;
    let wid: string;
    do wid = `w-${++w}`;
    while (wires.some((x) => x.id === wid) || next.nodes.some((x) => x.id === wid));
    wires.push({ id: wid, from: { node: from, port: wire.from.port }, to: { node: to, port: wire.to.port } });
  }
  next = { ...next, wires };
  if (strays.length > 0) next = removeNodes(next, strays);
  return { plan: next, ids: roots.filter((id) => !strays.includes(id)) };
}
