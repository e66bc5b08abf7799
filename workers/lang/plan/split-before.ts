/**
 * The planner's fix for a node that would be sent more than its window (a `leaf-window` diagnostic with
 * `fix.kind: 'split-before'`): the text it reads is cut into pieces of τ* tokens by a Split, the node
 * runs on each piece inside a Map, and a Reduce joins the answers (concat, which the user may change to
 * best, union, …). What fed the node feeds the Split; what the node fed, the Reduce feeds. A pure edit
 * of the document, one undo step in the editor.
 */
import type { Plan, PlanNode, Wire } from '../format/plan.ts';
import { catalog as builtinCatalog, type Catalog, specIn } from '../nodes/catalog.ts';

export function splitBefore(plan: Plan, nodeId: string, kinds: Catalog = builtinCatalog): Plan {
  const node = plan.nodes.find((n) => n.id === nodeId);
  const spec = node ? specIn(kinds, node.kind) : undefined;
  if (!node || !spec) return plan;
  let port: string | undefined;
  try {
    port = spec.ports(node, plan, kinds).inputs[0]?.name;
  } catch {
    return plan;
  }
  const into = plan.wires.find((w) => w.to.node === nodeId && w.to.port === port);
  if (!port || !into) return plan;

  const taken = new Set([...plan.nodes.map((n) => n.id), ...plan.wires.map((w) => w.id)]);
  const fresh = (base: string) => {
    let id = base.slice(0, 60);
    for (let i = 2; taken.has(id); i++) id = `${base.slice(0, 56)}-${i}`;
    taken.add(id);
    return id;
  };
  const scope = {
    ...(node.parent !== undefined ? { parent: node.parent } : {}),
    ...(node.slot !== undefined ? { slot: node.slot } : {}),
  };
  const split = fresh(`${nodeId}.split`);
  const map = fresh(`${nodeId}.each`);
  const entry = fresh(`${map}.in`);
  const exit = fresh(`${map}.out`);
  const join = fresh(`${nodeId}.join`);
  const outPort = (() => {
    try {
      return spec.ports(node, plan, kinds).outputs[0]?.name ?? 'text';
    } catch {
      return 'text';
    }
  })();

  const added: PlanNode[] = [
    { id: split, kind: 'Split', label: 'Pieces of τ* tokens', params: { mode: 'auto' }, ...scope },
    { id: map, kind: 'Map', label: `${node.label ?? node.kind} on each piece`, params: {}, ...scope },
    { id: entry, kind: 'Entry', parent: map, slot: 'body', params: {} },
    { id: exit, kind: 'Exit', parent: map, slot: 'body', params: {} },
    { id: join, kind: 'Reduce', label: 'The answers together', params: { op: 'concat' }, ...scope },
  ];
  const nodes = plan.nodes.map((n) => (n.id === nodeId ? { ...n, parent: map, slot: 'body' as const } : n));
  const wire = (from: string, fromPort: string, to: string, toPort: string): Wire => ({
    id: fresh(`w.${to}.${toPort}`),
    from: { node: from, port: fromPort },
    to: { node: to, port: toPort },
  });
  const wires: Wire[] = [];
  for (const w of plan.wires) {
    if (w === into) continue;
    // What the node fed now comes from the joined answers.
    if (w.from.node === nodeId && w.from.port === outPort)
      wires.push({ ...w, from: { node: join, port: 'result' } });
    else wires.push(w);
  }
  wires.push(
    wire(into.from.node, into.from.port, split, 'text'),
    wire(split, 'parts', map, 'items'),
    wire(entry, 'item', nodeId, port),
    wire(nodeId, outPort, exit, 'result'),
    wire(map, 'results', join, 'items'),
  );

  const at = plan.view.positions[nodeId] ?? { x: 0, y: 0 };
  const positions = {
    ...plan.view.positions,
    [split]: at,
    [map]: { x: at.x + 220, y: at.y },
    [entry]: { x: 20, y: 20 },
    [nodeId]: { x: 240, y: 20 },
    [exit]: { x: 560, y: 20 },
    [join]: { x: at.x + 1020, y: at.y },
  };
  const sizes = { ...plan.view.sizes, [map]: { width: 760, height: 160 } };
  return { ...plan, nodes: [...nodes, ...added], wires, view: { ...plan.view, positions, sizes } };
}
