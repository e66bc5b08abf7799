/**
 * The direct baseline of a task family (issue 8): the example plan itself on the input cut to what one
 * leaf call can read (the planner's leaf window K), so its Split makes one piece and the model reads one
 * window of the document with the example's own prompts, parsing and symbolic steps. The baseline
 * therefore differs from the example only by reading one window instead of all of it, which is the
 * difference the comparison is about.
 */
import type { Plan } from '../workers/lang/format/plan.ts';
import { estimate } from '../workers/lang/plan/planner.ts';
import { estimateTokenizer, fitTokens } from '../workers/lang/plan/tokenizer.ts';

export function baselinePlan(example: Plan): Plan {
  return { ...example, name: `${example.name} — direct baseline` };
}

/**
 * The input cut to what the baseline's one leaf can read: the planner's usable leaf window K (context
 * window less the prompt, the query and the answer reserve), counted as the planner counts, ending at a
 * line break (or else a space) so no record or word is cut in half.
 */
export function cutToWindow(plan: Plan, text: string, query: string, contextWindow: number): string {
  const { K } = estimate(plan, { inputText: text, contextWindow, query });
  const limit = fitTokens(estimateTokenizer, text, 0, Math.max(1, Math.floor(K)));
  if (limit >= text.length) return text;
  const head = text.slice(0, limit);
  // A line break near the end, else a space: records end at line breaks, prose words at spaces.
  const line = head.lastIndexOf('\n');
  const at = line > limit * 0.9 ? line : head.lastIndexOf(' ');
  return at > 0 ? head.slice(0, at) : head;
}
