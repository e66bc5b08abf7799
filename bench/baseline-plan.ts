/**
 * The direct baseline of a task family (issue 8): one model call on the input cut to the model's window,
 * with the example's own leaf prompt, its answer parsed as the example parses a leaf's answer (and, for
 * OOLONG-Pairs, the listed ids paired symbolically as the example does). The baseline therefore differs
 * from the example only by reading one window of the document instead of all of it, which is the
 * difference the comparison is about.
 */
import { loadPlan } from '../workers/lang/format/load.ts';
import type { Plan, PlanNode, Wire } from '../workers/lang/format/plan.ts';
import { estimate } from '../workers/lang/plan/planner.ts';

export function baselinePlan(example: Plan): Plan {
  const leaf = example.nodes.find(
    (n) =>
      n.kind === 'LLM' && n.parent !== undefined && String(n.params.template ?? '').includes('{{chunk}}'),
  );
  if (!leaf) throw new Error(`${example.name}: no leaf LLM over {{chunk}} inside a container`);
  const feeds = (from: string, kind: PlanNode['kind']) =>
    example.wires
      .filter((w) => w.from.node === from)
      .map((w) => example.nodes.find((n) => n.id === w.to.node))
      .find((n) => n?.kind === kind);
  const parse = feeds(leaf.id, 'Parse');
  const pairs = example.nodes.some((n) => n.kind === 'Pairs' && n.parent === undefined);

  const nodes: PlanNode[] = [
    { id: 'input', kind: 'Input', label: 'Document, cut to the window', params: {} },
    { id: 'leaf', kind: 'LLM', label: 'One direct call', params: { ...leaf.params } },
  ];
  const wires: Wire[] = [
    { id: 'w1', from: { node: 'input', port: 'text' }, to: { node: 'leaf', port: 'chunk' } },
  ];
  let last = { node: 'leaf', port: 'text' };
  if (parse) {
    nodes.push({ id: 'parse', kind: 'Parse', label: parse.label, params: { ...parse.params } });
    wires.push({ id: 'w2', from: last, to: { node: 'parse', port: 'text' } });
    last = { node: 'parse', port: 'value' };
  }
  if (pairs) {
    nodes.push({ id: 'pairs', kind: 'Pairs', label: 'Pairs', params: {} });
    wires.push({ id: 'w3', from: last, to: { node: 'pairs', port: 'items' } });
    last = { node: 'pairs', port: 'pairs' };
  }
  nodes.push({ id: 'output', kind: 'Output', label: 'Answer', params: {} });
  wires.push({ id: 'w4', from: last, to: { node: 'output', port: 'value' } });

  const loaded = loadPlan({
    format: example.format,
    version: example.version,
    name: `${example.name} — direct baseline`,
    query: example.query,
    planner: example.planner,
    nodes,
    wires,
  });
  if (!loaded.ok)
    throw new Error(`baseline of ${example.name}: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
  return loaded.plan;
}

/**
 * The input cut to what the baseline's one call can read: the planner's usable leaf window K (context
 * window less the prompt, the query and the answer reserve), at four characters a token, ending at a
 * line break (or else a space) so no record or word is cut in half.
 */
export function cutToWindow(plan: Plan, text: string, query: string, contextWindow: number): string {
  const { K } = estimate(plan, { inputText: text, contextWindow, query });
  const limit = K * 4;
  if (text.length <= limit) return text;
  const head = text.slice(0, limit);
  // A line break near the end, else a space: records end at line breaks, prose words at spaces.
  const line = head.lastIndexOf('\n');
  const at = line > limit * 0.9 ? line : head.lastIndexOf(' ');
  return at > 0 ? head.slice(0, at) : head;
}
