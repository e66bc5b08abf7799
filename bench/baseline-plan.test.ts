import { describe, expect, it } from 'vitest';
import { estimate } from '../workers/lang/plan/planner.ts';
import { estimateTokenizer } from '../workers/lang/plan/tokenizer.ts';
import { baselinePlan, cutToWindow } from './baseline-plan.ts';
import { example } from './leaf-plan.ts';

describe('baselinePlan', () => {
  it('is the example itself, named as its baseline', () => {
    const ex = example('oolong.json');
    const plan = baselinePlan(ex.plan);
    expect(plan.nodes).toBe(ex.plan.nodes);
    expect(plan.name).toMatch(/direct baseline$/);
  });

  for (const file of ['sniah.json', 'multidoc-qa.json', 'code-qa.json', 'oolong.json', 'oolong-pairs.json'])
    it(`${file}: on the cut input it reads one piece, whatever the document's size`, () => {
      const ex = example(file);
      const sample = ex.generator.generate({ tokens: 64_000, seed: 3 });
      const plan = baselinePlan(ex.plan);
      const cut = cutToWindow(plan, sample.text, sample.query, 8192);
      const e = estimate(plan, { inputText: cut, contextWindow: 8192, query: sample.query });
      expect(e.refusals ?? []).toEqual([]);
      // One call on the one piece, besides the calls outside the Map (an answer step, a condition).
      const outside = plan.nodes.filter((n) => n.kind === 'LLM' && n.parent === undefined).length;
      expect(e.leafCalls).toBe(1 + outside);
    });
});

describe('cutToWindow', () => {
  const ex = example('oolong.json');
  const plan = baselinePlan(ex.plan);
  it('leaves a short input whole', () => {
    expect(cutToWindow(plan, 'Q1: Who?\nQ2: When?', 'q', 8192)).toBe('Q1: Who?\nQ2: When?');
  });
  it('cuts a long input at a line break to fit the leaf window', () => {
    const { text, query } = ex.generator.generate({
      tokens: 32_000,
      seed: 1,
      layout: { separator: 'single' },
    });
    const cut = cutToWindow(plan, text, query, 8192);
    const { K } = estimate(plan, { inputText: text, contextWindow: 8192, query });
    expect(estimateTokenizer.count(cut)).toBeLessThanOrEqual(K);
    expect(estimateTokenizer.count(cut)).toBeGreaterThan(K * 0.9);
    expect(text.startsWith(cut)).toBe(true);
    expect(text[cut.length]).toMatch(/[\r\n]/);
  });
});
