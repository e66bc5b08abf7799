/**
 * A checked plan, indexed for the evaluator: each body (the top level, or one slot of one container) with
 * its nodes in a dependency order, every input port resolved to the output that feeds it, parameters with
 * defaults filled in. Built once per run in O(nodes + wires), so interpreting a body of 10,000 items never
 * searches the plan again.
 */

import type { Plan, PlanNode, PortRef, Slot } from '../format/plan.ts';
import { catalog as builtinCatalog, type Catalog, resolveParams, specIn } from '../nodes/catalog.ts';
import type { NodeSpec, Params } from '../nodes/node-spec.ts';

export interface ProgramNode {
  node: PlanNode;
  spec: NodeSpec;
  params: Params;
  /** Input port → the output feeding it (possibly from an enclosing body: bodies close over their scope). */
  inputs: Map<string, PortRef>;
  /** For a node with role `self`: the Fix it recurses into. */
  fixId?: string;
}

export interface Body {
  key: string;
  /** Nodes of this body in an order where every node comes after what it depends on. */
  order: ProgramNode[];
  entry?: ProgramNode;
  exit?: ProgramNode;
}

export interface Program {
  plan: Plan;
  nodes: Map<string, ProgramNode>;
  top: Body;
  /** The bodies of a container, by slot. */
  body(containerId: string, slot: Slot): Body | undefined;
  /** The first node with role `result` (Output) at the top level, whose input is the run's result. */
  output?: ProgramNode;
}

const bodyKey = (parent: string | undefined, slot: Slot | undefined) =>
  parent === undefined ? '' : `${parent}\u0000${slot ?? 'body'}`;

/** Thrown when a plan cannot be interpreted; the type checker reports all of these before a run. */
export class ProgramError extends Error {
  constructor(
    message: string,
    readonly nodeId?: string,
  ) {
    super(message);
    this.name = 'ProgramError';
  }
}

export function compileProgram(plan: Plan, kinds: Catalog = builtinCatalog): Program {
  const nodes = new Map<string, ProgramNode>();
  for (const node of plan.nodes) {
    if (nodes.has(node.id)) throw new ProgramError(`two nodes have the id ${node.id}`, node.id);
    const spec = specIn(kinds, node.kind);
    if (!spec) throw new ProgramError(`unknown node kind ${node.kind}`, node.id);
    nodes.set(node.id, { node, spec, params: resolveParams(spec, node.params), inputs: new Map() });
  }
  // Params left automatic are resolved from the plan around the node (a Split's overlap and cuts).
  for (const pn of nodes.values()) {
    if (!pn.spec.derive) continue;
    try {
      pn.params = { ...pn.params, ...pn.spec.derive(pn.node, plan, kinds) };
    } catch {
      // A plan the checker refuses may not derive; the node keeps its own params.
    }
  }
  const keyOf = (n: PlanNode) => bodyKey(n.parent, n.slot as Slot | undefined);
  const members = new Map<string, ProgramNode[]>();
  for (const pn of nodes.values()) {
    if (pn.node.parent !== undefined && !nodes.has(pn.node.parent))
      throw new ProgramError(`node ${pn.node.id} sits in a missing container`, pn.node.id);
    const key = keyOf(pn.node);
    const list = members.get(key);
    if (list) list.push(pn);
    else members.set(key, [pn]);
  }

  // The ancestor of `id` (itself included) that sits in body `key`, if any.
  const ancestorIn = (id: string, key: string): string | undefined => {
    let current = nodes.get(id);
    for (let hops = 0; current && hops <= nodes.size; hops++) {
      if (keyOf(current.node) === key) return current.node.id;
      current = current.node.parent !== undefined ? nodes.get(current.node.parent) : undefined;
    }
    return undefined;
  };

  // Dependencies within a body: a wire into a node nested in a container makes the container wait too.
  const deps = new Map<string, Set<string>>();
  for (const wire of plan.wires) {
    const from = nodes.get(wire.from.node);
    const to = nodes.get(wire.to.node);
    if (!from || !to) throw new ProgramError(`wire ${wire.id} joins a missing node`);
    if (to.inputs.has(wire.to.port))
      throw new ProgramError(`input ${wire.to.port} of ${to.node.id} has two wires`, to.node.id);
    to.inputs.set(wire.to.port, wire.from);
    const target = ancestorIn(to.node.id, keyOf(from.node));
    if (target === undefined)
      throw new ProgramError(`wire ${wire.id} reaches into ${to.node.id} from outside its scope`, to.node.id);
    if (target === from.node.id) continue;
    const set = deps.get(target);
    if (set) set.add(from.node.id);
    else deps.set(target, new Set([from.node.id]));
  }

  const bodies = new Map<string, Body>();
  for (const [key, list] of members) bodies.set(key, orderBody(key, list, deps));

  for (const pn of nodes.values()) {
    if (pn.spec.role !== 'self') continue;
    let current = pn.node.parent !== undefined ? nodes.get(pn.node.parent) : undefined;
    for (let hops = 0; current && hops <= nodes.size; hops++) {
      if (current.spec.container?.behaviour === 'fix') {
        pn.fixId = current.node.id;
        break;
      }
      current = current.node.parent !== undefined ? nodes.get(current.node.parent) : undefined;
    }
    if (pn.fixId === undefined) throw new ProgramError('Self outside a Fix', pn.node.id);
  }

  const top = bodies.get('') ?? { key: '', order: [] };
  return {
    plan,
    nodes,
    top,
    body: (containerId, slot) => bodies.get(bodyKey(containerId, slot)),
    output: top.order.find((pn) => pn.spec.role === 'result'),
  };
}

/** Kahn's algorithm, ties broken by document order so the run (and its log) is deterministic. */
function orderBody(key: string, list: ProgramNode[], deps: Map<string, Set<string>>): Body {
  const inBody = new Set(list.map((pn) => pn.node.id));
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const pn of list) {
    let n = 0;
    for (const d of deps.get(pn.node.id) ?? []) {
      if (!inBody.has(d)) continue;
      n++;
      const out = dependents.get(d);
      if (out) out.push(pn.node.id);
      else dependents.set(d, [pn.node.id]);
    }
    waiting.set(pn.node.id, n);
  }
  const position = new Map(list.map((pn, i) => [pn.node.id, i]));
  const ready = list.filter((pn) => waiting.get(pn.node.id) === 0);
  const order: ProgramNode[] = [];
  const byId = new Map(list.map((pn) => [pn.node.id, pn]));
  while (ready.length > 0) {
    // Small bodies: a linear scan for the earliest ready node is cheaper than a heap.
    let best = 0;
    for (let i = 1; i < ready.length; i++)
      if (position.get(ready[i]!.node.id)! < position.get(ready[best]!.node.id)!) best = i;
    const next = ready.splice(best, 1)[0]!;
    order.push(next);
    for (const d of dependents.get(next.node.id) ?? []) {
      const left = waiting.get(d)! - 1;
      waiting.set(d, left);
      if (left === 0) ready.push(byId.get(d)!);
    }
  }
  if (order.length !== list.length) {
    const stuck = list.find((pn) => waiting.get(pn.node.id)! > 0);
    throw new ProgramError('the wires form a cycle', stuck?.node.id);
  }
  return {
    key,
    order,
    entry: list.find((pn) => pn.spec.role === 'entry'),
    exit: list.find((pn) => pn.spec.role === 'exit'),
  };
}
