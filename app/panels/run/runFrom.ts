/**
 * "Run from the selected node": which node the run starts from, or why it cannot (shown on the disabled
 * menu item). The language decides what is downstream of it (`downstreamOf`); this only checks the choice.
 */
import type { Plan } from '../../../workers/lang/index.ts';

export type RunFrom = { ok: true; nodeId: string; name: string } | { ok: false; reason: string };

export function runFromSelection(plan: Plan, selected: readonly string[]): RunFrom {
  if (selected.length === 0) return { ok: false, reason: 'select a node on the canvas first' };
  if (selected.length > 1) return { ok: false, reason: 'select one node only' };
  const node = plan.nodes.find((n) => n.id === selected[0]);
  if (!node) return { ok: false, reason: 'the selected node is not part of the plan' };
  return { ok: true, nodeId: node.id, name: node.label ?? node.kind };
}
