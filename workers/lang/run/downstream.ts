/**
 * What "run from the selected node" recomputes: the chosen nodes and everything whose value depends on
 * theirs. A pure function of the plan's structure (no run needed), so the page can show it and the
 * evaluator can force exactly those nodes' leaf calls past the cache.
 *
 * The closure grows by four rules until nothing changes:
 * - a node's wire targets depend on it;
 * - a container's members are part of it (choosing a Map recomputes its body);
 * - a node inside a container changes the container's result, so the container's wire targets (and, in
 *   turn, theirs) depend on it; the container itself is not added, which would drag in its other members;
 * - a node inside a Fix changes what every Self of that Fix returns.
 *
 * Tolerant of malformed plans (unknown ids, missing parents, cycles): it never throws, and ids that name
 * no node are ignored.
 */
import { enclosing } from '../check/graph.ts';
import type { Plan, PlanNode } from '../format/plan.ts';
import { catalog as builtinCatalog, type Catalog, specIn } from '../nodes/catalog.ts';

export function downstreamOf(
  plan: Plan,
  nodeIds: Iterable<string>,
  kinds: Catalog = builtinCatalog,
): Set<string> {
  const isFix = (n: PlanNode) => specIn(kinds, n.kind)?.container?.behaviour === 'fix';
  const byId = new Map<string, PlanNode>();
  for (const n of plan.nodes) if (!byId.has(n.id)) byId.set(n.id, n);

  const targets = new Map<string, string[]>();
  for (const w of plan.wires) {
    const list = targets.get(w.from.node);
    if (list) list.push(w.to.node);
    else targets.set(w.from.node, [w.to.node]);
  }
  const members = new Map<string, string[]>();
  const selves = new Map<string, string[]>();
  for (const n of plan.nodes) {
    if (n.parent !== undefined) {
      const list = members.get(n.parent);
      if (list) list.push(n.id);
      else members.set(n.parent, [n.id]);
    }
    if (specIn(kinds, n.kind)?.role === 'self') {
      const fix = enclosing(plan, n, isFix, byId)?.id;
      if (fix === undefined) continue;
      const list = selves.get(fix);
      if (list) list.push(n.id);
      else selves.set(fix, [n.id]);
    }
  }

  const out = new Set<string>();
  const work: string[] = [];
  const add = (id: string) => {
    if (!byId.has(id) || out.has(id)) return;
    out.add(id);
    work.push(id);
  };
  for (const id of nodeIds) add(id);
  while (work.length > 0) {
    const id = work.pop()!;
    for (const t of targets.get(id) ?? []) add(t);
    for (const m of members.get(id) ?? []) add(m);
    // Every container around this node: its result changes, so what it feeds (and its Selves) does too.
    const seen = new Set<string>([id]);
    let parent = byId.get(id)?.parent;
    while (parent !== undefined && !seen.has(parent)) {
      seen.add(parent);
      for (const t of targets.get(parent) ?? []) add(t);
      for (const s of selves.get(parent) ?? []) add(s);
      parent = byId.get(parent)?.parent;
    }
  }
  return out;
}
