import { describe, expect, it } from 'vitest';
import { evaluate } from '../run/evaluator.ts';
import { loadExamples } from '../testing/examples.ts';
import { createScriptedModel } from '../testing/scripted-model.ts';
import { estimate } from './planner.ts';

describe('the plan preview’s expected tokens', () => {
  for (const ex of loadExamples())
    it(`${ex.file}: within 1.5× of what a run uses, and under the worst case`, async () => {
      for (const [tokens, window] of [
        [8000, 4096],
        [30000, 8192],
      ] as const) {
        const sample = ex.generator.generate({ tokens, seed: 7 });
        const e = estimate(ex.plan, { inputText: sample.text, contextWindow: window, query: sample.query });
        const run = await evaluate(ex.plan, {
          input: sample.text,
          query: sample.query,
          model: createScriptedModel({ contextWindow: window, truth: sample.truth }),
          estimate: e,
        });
        const used = run.totals.promptTokens + run.totals.completionTokens;
        const expected = (e.expected?.promptTokens ?? 0) + (e.expected?.completionTokens ?? 0);
        expect(expected / used).toBeLessThanOrEqual(1.5);
        expect(used / expected).toBeLessThanOrEqual(1.5);
        expect(expected).toBeLessThanOrEqual(e.promptTokens + e.completionTokens);
        // Field by field too: the preview shows them side by side ("≤ N in … expected M in").
        expect(e.expected?.promptTokens).toBeLessThanOrEqual(e.promptTokens);
        expect(e.expected?.completionTokens).toBeLessThanOrEqual(e.completionTokens);
        expect(e.expected?.calls).toBeLessThanOrEqual(e.totalCalls);
      }
    });
});
