/**
 * Structural helpers over a plan document: lookups by id, containers and their bodies. Tolerant of
 * malformed plans (missing parents, duplicate ids): they return undefined rather than throw, because the
 * type checker must report such plans, not crash on them.
 */
import type { Plan, PlanNode, Slot } from '../format/plan.ts';

export function nodeById(plan: Plan, id: string): PlanNode | undefined {
  return plan.nodes.find((n) => n.id === id);
}

/** The container a node sits in, and the body (slot) it belongs to; undefined at the top level. */
export function containerOf(node: PlanNode, plan: Plan): { container: PlanNode; slot: Slot } | undefined {
  if (node.parent === undefined) return undefined;
  const container = nodeById(plan, node.parent);
  if (!container) return undefined;
  return { container, slot: node.slot ?? 'body' };
}

/** The given nodes and every node nested inside them, at any depth (ids; unknown ids are kept). */
export function descendants(plan: Plan, ids: Iterable<string>): Set<string> {
  const out = new Set(ids);
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of plan.nodes) {
      if (n.parent !== undefined && out.has(n.parent) && !out.has(n.id)) {
        out.add(n.id);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * The nearest container around a node, at any depth, that `matches` (e.g. the Fix a Self recurses into);
 * undefined at the top level. Safe on a parent cycle in a malformed plan.
 */
export function enclosing(
  plan: Plan,
  node: PlanNode,
  matches: (container: PlanNode, slot: Slot) => boolean,
  byId: ReadonlyMap<string, PlanNode> = new Map(plan.nodes.map((n) => [n.id, n])),
): PlanNode | undefined {
  const seen = new Set<string>();
  let parent = node.parent;
  let slot: Slot = node.slot ?? 'body';
  while (parent !== undefined && !seen.has(parent)) {
    seen.add(parent);
    const p = byId.get(parent);
    if (!p) return undefined;
    if (matches(p, slot)) return p;
    parent = p.parent;
    slot = p.slot ?? 'body';
  }
  return undefined;
}
