import { describe, expect, it } from 'vitest';
import { estimateTokenizer } from '../plan/tokenizer.ts';
import { runSplit } from './split.ts';

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i % 10}`).join(' ');

describe('automatic Split inside a Fix step', () => {
  const sizing = { kStar: 10, tauStar: 100, depth: 3 };
  const ctx = (inFixStep: boolean) => ({ sizing, tokenizer: estimateTokenizer, inFixStep });

  it('cuts only as many pieces as τ* needs, never fewer than two', () => {
    const text = words(160); // ~6 chars a word: about 240 tokens
    const pieces = runSplit(text, { mode: 'auto' }, ctx(true)).parts;
    expect(pieces.length).toBe(3);
    for (const p of pieces) expect(estimateTokenizer.count(p)).toBeLessThanOrEqual(sizing.tauStar);
    expect(runSplit(words(20), { mode: 'auto' }, ctx(true)).parts.length).toBe(2);
  });

  it('never cuts more than k* pieces, and keeps k* outside a Fix step', () => {
    expect(runSplit(words(2000), { mode: 'auto' }, ctx(true)).parts.length).toBe(sizing.kStar);
    expect(runSplit(words(160), { mode: 'auto' }, ctx(false)).parts.length).toBe(sizing.kStar);
  });
});
