import { describe, expect, it } from 'vitest';
import { estimate } from '../workers/lang/plan/planner.ts';
import { baselinePlan, cutToWindow } from './baseline-plan.ts';
import { example } from './leaf-plan.ts';

describe('baselinePlan', () => {
  it('keeps the leaf prompt and the parse, and drops the split, map and reduce', () => {
    const ex = example('oolong.json');
    const plan = baselinePlan(ex.plan);
    expect(plan.nodes.map((n) => n.kind)).toEqual(['Input', 'LLM', 'Parse', 'Output']);
    const leaf = ex.plan.nodes.find((n) => n.kind === 'LLM')!;
    expect(plan.nodes.find((n) => n.kind === 'LLM')!.params.template).toBe(leaf.params.template);
    expect(plan.nodes.find((n) => n.kind === 'Parse')!.params.as).toBe('counts');
  });
  it('pairs the listed ids for OOLONG-Pairs, and answers directly for S-NIAH', () => {
    expect(baselinePlan(example('oolong-pairs.json').plan).nodes.map((n) => n.kind)).toEqual([
      'Input',
      'LLM',
      'Parse',
      'Pairs',
      'Output',
    ]);
    expect(baselinePlan(example('sniah.json').plan).nodes.map((n) => n.kind)).toEqual([
      'Input',
      'LLM',
      'Output',
    ]);
  });
  it('makes exactly one model call whatever the input size', () => {
    const ex = example('oolong.json');
    const sample = ex.generator.generate({ tokens: 64_000, seed: 3 });
    const e = estimate(baselinePlan(ex.plan), {
      inputText: sample.text,
      contextWindow: 8192,
      query: sample.query,
    });
    expect(e.totalCalls).toBe(1);
  });
});

describe('cutToWindow', () => {
  const ex = example('oolong.json');
  const plan = baselinePlan(ex.plan);
  it('leaves a short input whole', () => {
    expect(cutToWindow(plan, 'Q1: Who?\nQ2: When?', 'q', 8192)).toBe('Q1: Who?\nQ2: When?');
  });
  it('cuts a long input at a line break to fit the leaf window', () => {
    const { text, query } = ex.generator.generate({ tokens: 32_000, seed: 1 });
    const cut = cutToWindow(plan, text, query, 8192);
    const { K } = estimate(plan, { inputText: text, contextWindow: 8192, query });
    expect(cut.length).toBeLessThanOrEqual(K * 4);
    expect(cut.length).toBeGreaterThan(K * 4 - 200);
    expect(text.startsWith(cut)).toBe(true);
    expect(text[cut.length]).toBe('\n');
  });
});
