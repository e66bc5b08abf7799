/**
 * TEST HELPER. The leaf bound as a property: every request a model received fits its window, its
 * prompt counted with the tokenizer the run used and its answer at its full `maxTokens`.
 */
import { estimateTokenizer, requestTokens, type Tokenizer } from '../plan/tokenizer.ts';
import type { LeafRequest } from '../run/provider.ts';

export function oversizeRequests(
  requests: readonly LeafRequest[],
  window: number,
  tokenizer: Tokenizer = estimateTokenizer,
): { prompt: number; maxTokens: number; window: number }[] {
  const out: { prompt: number; maxTokens: number; window: number }[] = [];
  for (const r of requests) {
    const prompt = requestTokens(r, tokenizer);
    if (prompt + r.maxTokens > window) out.push({ prompt, maxTokens: r.maxTokens, window });
  }
  return out;
}
