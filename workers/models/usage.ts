/**
 * The token usage an OpenAI-compatible server reports with an answer, including the prompt tokens it read
 * from its prompt cache where it says so (billed at a lower price by many providers): OpenAI and vLLM put
 * them in `prompt_tokens_details.cached_tokens`, DeepSeek in `prompt_cache_hit_tokens`.
 */
import type { TokenUsage } from '../lang/index.ts';

export function readUsage(raw: unknown): TokenUsage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const u = raw as Record<string, unknown>;
  if (!count(u.prompt_tokens)) return undefined;
  const usage: TokenUsage = {
    promptTokens: u.prompt_tokens as number,
    completionTokens: count(u.completion_tokens) ? (u.completion_tokens as number) : 0,
  };
  const details = u.prompt_tokens_details;
  const cached =
    typeof details === 'object' &&
    details !== null &&
    count((details as Record<string, unknown>).cached_tokens)
      ? ((details as Record<string, unknown>).cached_tokens as number)
      : count(u.prompt_cache_hit_tokens)
        ? (u.prompt_cache_hit_tokens as number)
        : 0;
  if (cached > 0) usage.cachedPromptTokens = Math.min(cached, usage.promptTokens);
  return usage;
}

function count(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0;
}
