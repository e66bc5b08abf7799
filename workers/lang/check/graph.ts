/**
 * Structural helpers over a plan document: lookups by id, containers and their bodies. Tolerant of
 * malformed plans (missing parents, duplicate ids): they return undefined rather than throw, because the
 * type checker must report such plans, not crash on them.
 */
import type { Plan, PlanNode } from '../format/plan.ts';

export type Slot = 'body' | 'base' | 'step';

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

/** The nearest Fix around a node (for Self), following parents; undefined if none. */
export function enclosingFix(node: PlanNode, plan: Plan): { fix: PlanNode; slot: Slot } | undefined {
  const seen = new Set<string>();
  let current: PlanNode | undefined = node;
  while (current?.parent !== undefined && !seen.has(current.id)) {
    seen.add(current.id);
    const parent = nodeById(plan, current.parent);
    if (!parent) return undefined;
    if (parent.kind === 'Fix') return { fix: parent, slot: current.slot ?? 'body' };
    current = parent;
  }
  return undefined;
}

/** Nodes directly inside one body of a container. */
export function bodyNodes(plan: Plan, containerId: string, slot: Slot): PlanNode[] {
  return plan.nodes.filter((n) => n.parent === containerId && (n.slot ?? 'body') === slot);
}
