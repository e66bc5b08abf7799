/**
 * TEST HELPER. Where an example's Split cuts a document, computed as the run will cut it (the planner's
 * sizing from the whole document, the estimate tokenizer): for tests that write a fact across a cut.
 */
import type { Plan } from '../format/plan.ts';
import { catalog } from '../nodes/catalog.ts';
import { paramsOf } from '../nodes/params.ts';
import { runSplit } from '../nodes/split.ts';
import { estimate, sizingOf } from '../plan/planner.ts';
import { estimateTokenizer } from '../plan/tokenizer.ts';

/** The spans `[from, to)` of the pieces the plan's first Split makes of `text` at this window. */
export function cutsOf(plan: Plan, text: string, query: string, contextWindow: number): [number, number][] {
  const node = plan.nodes.find((n) => n.kind === 'Split')!;
  const spec = catalog.Split!;
  const params = { ...paramsOf(spec, node.params), ...spec.derive!(node, plan, catalog) };
  const e = estimate(plan, { inputText: text, contextWindow, query });
  const { spans } = runSplit(text, params, {
    sizing: sizingOf(e),
    tokenizer: estimateTokenizer,
    inFixStep: false,
  });
  return spans.map(([from, to]) => [from, to]);
}

/** The same plan with its Split's overlap taken away (so a fact across a cut is whole in no piece). */
export const withoutOverlap = (plan: Plan): Plan => ({
  ...plan,
  nodes: plan.nodes.map((n) => (n.kind === 'Split' ? { ...n, params: { ...n.params, overlap: 0 } } : n)),
});
