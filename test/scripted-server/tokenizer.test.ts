import { describe, expect, it } from 'vitest';
import { estimateTokenizer } from '../../workers/lang/plan/tokenizer.ts';
import { sampleGenerators } from '../../workers/lang/samples/index.ts';
import { scriptedTokenCount } from './tokenizer.ts';

describe('the scripted model’s token count against the planner’s conservative estimate', () => {
  it('is never above the estimate on any sample, script or layout (else a plan sized by it would overflow)', () => {
    for (const gen of Object.values(sampleGenerators))
      for (const script of ['latin', 'cjk', 'mixed'] as const)
        for (const seed of [1, 2, 3]) {
          const { text, query } = gen.generate({ tokens: 3000, seed, script });
          for (const piece of [text, query, text.slice(0, 777), text.slice(-555)])
            expect(scriptedTokenCount(piece)).toBeLessThanOrEqual(estimateTokenizer.count(piece));
        }
  });

  it('is its own count, not the estimate’s: English prose comes out well below it', () => {
    const { text } = sampleGenerators.summary!.generate({ tokens: 3000, seed: 1, script: 'latin' });
    expect(scriptedTokenCount(text)).toBeLessThan(0.9 * estimateTokenizer.count(text));
    expect(scriptedTokenCount(text)).toBeGreaterThan(text.length / 6);
  });
});
