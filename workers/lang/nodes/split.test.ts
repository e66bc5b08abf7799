import { describe, expect, it } from 'vitest';
import { estimateTokenizer } from '../plan/tokenizer.ts';
import { runSplit } from './split.ts';

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i % 10}`).join(' ');

describe('automatic Split', () => {
  const sizing = { kStar: 10, tauStar: 100, depth: 3 };
  const ctx = (inFixStep: boolean) => ({ sizing, tokenizer: estimateTokenizer, inFixStep });

  it('in a Fix step cuts only as many pieces as τ* needs, never fewer than two', () => {
    const text = words(160);
    const needed = Math.ceil(estimateTokenizer.count(text) / (0.9 * sizing.tauStar));
    const pieces = runSplit(text, { mode: 'auto' }, ctx(true)).parts;
    expect(pieces.length).toBe(needed);
    for (const p of pieces) expect(estimateTokenizer.count(p)).toBeLessThanOrEqual(sizing.tauStar);
    expect(runSplit(words(20), { mode: 'auto' }, ctx(true)).parts.length).toBe(2);
  });

  it('in a Fix step never cuts more than k* pieces', () => {
    expect(runSplit(words(2000), { mode: 'auto' }, ctx(true)).parts.length).toBe(sizing.kStar);
  });

  it('outside a Fix step cuts pieces of at most τ* tokens, as many as the text needs', () => {
    const text = words(2000);
    const pieces = runSplit(text, { mode: 'auto' }, ctx(false)).parts;
    const total = estimateTokenizer.count(text);
    expect(pieces.length).toBeGreaterThanOrEqual(Math.ceil(total / sizing.tauStar));
    expect(pieces.length).toBeLessThanOrEqual(Math.ceil(total / (sizing.tauStar / 2)) + 1);
    for (const p of pieces) expect(estimateTokenizer.count(p)).toBeLessThanOrEqual(sizing.tauStar);
    expect(pieces.join('')).toBe(text);
  });

  it('cuts a lines or records piece over the leaf bound again, at a line break', () => {
    const lines = Array.from({ length: 60 }, (_, i) => `line ${i} says something`).join('\r\n');
    const bound = {
      sizing: { kStar: 2, tauStar: 30, depth: 1, K: 30 },
      tokenizer: estimateTokenizer,
      inFixStep: false,
    };
    for (const params of [
      { mode: 'lines', lines: 40 },
      { mode: 'records', delimiter: '\n\n', records: 1 },
    ]) {
      const { parts } = runSplit(lines, params, bound);
      expect(parts.join('')).toBe(lines);
      for (const p of parts) {
        expect(estimateTokenizer.count(p)).toBeLessThanOrEqual(30);
        // Every cut falls after a line break (CR LF counts as one).
        expect(p === parts.at(-1) || p.endsWith('\r\n')).toBe(true);
      }
    }
  });
});
