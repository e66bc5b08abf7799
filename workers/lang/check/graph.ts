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

/** Nodes directly inside one body of a container. */
export function bodyNodes(plan: Plan, containerId: string, slot: Slot): PlanNode[] {
  return plan.nodes.filter((n) => n.parent === containerId && (n.slot ?? 'body') === slot);
}
