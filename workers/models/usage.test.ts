import { describe, expect, it } from 'vitest';
import { readUsage } from './usage.ts';

describe('readUsage', () => {
  it('reads the counts and the cached prompt tokens where a server reports them', () => {
    expect(readUsage({ prompt_tokens: 10, completion_tokens: 3 })).toEqual({
      promptTokens: 10,
      completionTokens: 3,
    });
    expect(
      readUsage({ prompt_tokens: 100, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 64 } }),
    ).toEqual({ promptTokens: 100, completionTokens: 3, cachedPromptTokens: 64 });
    expect(readUsage({ prompt_tokens: 100, completion_tokens: 3, prompt_cache_hit_tokens: 80 })).toEqual({
      promptTokens: 100,
      completionTokens: 3,
      cachedPromptTokens: 80,
    });
    // Never more cached than the prompt; nonsense is ignored rather than trusted.
    expect(
      readUsage({ prompt_tokens: 5, prompt_tokens_details: { cached_tokens: 50 } })?.cachedPromptTokens,
    ).toBe(5);
    expect(readUsage({ prompt_tokens: 5, prompt_tokens_details: { cached_tokens: -1 } })).toEqual({
      promptTokens: 5,
      completionTokens: 0,
    });
    expect(readUsage({ completion_tokens: 3 })).toBeUndefined();
    expect(readUsage(null)).toBeUndefined();
  });
});
