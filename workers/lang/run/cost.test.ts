import { describe, expect, it } from 'vitest';
import { estimate } from '../plan/planner.ts';
import { estimateTokenizer, MESSAGE_OVERHEAD } from '../plan/tokenizer.ts';
import { loadExamples } from '../testing/examples.ts';
import { createScriptedModel } from '../testing/scripted-model.ts';
import { callPricing, costOf, formatCost, type ModelPrice, predictedCost } from './cost.ts';
import { evaluate } from './evaluator.ts';

// Made-up figures: the project writes down no provider's prices.
const price: ModelPrice = { input: 2, output: 8, cachedInput: 0.5, currency: 'USD' };

describe('cost', () => {
  it('is tokens × price per million; cached prompt tokens at the cached price, never more than the prompt', () => {
    expect(costOf(price, { promptTokens: 1_000_000, completionTokens: 0 })).toBe(2);
    expect(costOf(price, { promptTokens: 1000, completionTokens: 500 })).toBeCloseTo(
      (1000 * 2 + 500 * 8) / 1e6,
      15,
    );
    expect(costOf(price, { promptTokens: 1000, completionTokens: 0, cachedPromptTokens: 400 })).toBeCloseTo(
      (600 * 2 + 400 * 0.5) / 1e6,
      15,
    );
    expect(costOf(price, { promptTokens: 10, completionTokens: 0, cachedPromptTokens: 99 })).toBeCloseTo(
      (10 * 0.5) / 1e6,
      15,
    );
    const noCachedPrice = { input: 2, output: 8, currency: 'USD' };
    expect(
      costOf(noCachedPrice, { promptTokens: 10, completionTokens: 0, cachedPromptTokens: 10 }),
    ).toBeCloseTo(20 / 1e6, 15);
  });

  it('bounds a request before it is sent: the counted prompt with its chat formatting, every max token', () => {
    const pricing = callPricing(price, estimateTokenizer);
    const request = {
      messages: [
        { role: 'system' as const, content: 'x'.repeat(40) },
        { role: 'user' as const, content: 'y'.repeat(400) },
      ],
      maxTokens: 256,
      temperature: 0,
    };
    const prompt = 10 + 100 + 2 * MESSAGE_OVERHEAD;
    expect(pricing.bound(request)).toBeCloseTo((prompt * 2 + 256 * 8) / 1e6, 15);
    // What a server reports for that request (its own count, no more than the bound) costs no more.
    expect(pricing.of({ promptTokens: 110, completionTokens: 256 })).toBeLessThanOrEqual(
      pricing.bound(request),
    );
  });

  it('predicts a range: expected tokens to the worst case; the bound alone when there is no expectation', () => {
    const e = { promptTokens: 10_000, completionTokens: 2_000 };
    expect(predictedCost(price, e)).toEqual({ expected: costOf(price, e), most: costOf(price, e) });
    const r = predictedCost(price, { ...e, expected: { promptTokens: 4_000, completionTokens: 500 } });
    expect(r.expected).toBeCloseTo((4000 * 2 + 500 * 8) / 1e6, 15);
    expect(r.most).toBeCloseTo((10_000 * 2 + 2_000 * 8) / 1e6, 15);
  });

  it('predicts from the planner: the likely cost from its expected tokens, the top from its worst case', async () => {
    for (const ex of loadExamples()) {
      const sample = ex.generator.generate({ tokens: 30_000, seed: 7 });
      const e = estimate(ex.plan, { inputText: sample.text, contextWindow: 8192, query: sample.query });
      const range = predictedCost(price, e);
      expect(e.expected).toBeDefined();
      expect(range.expected).toBeCloseTo(costOf(price, e.expected!), 15);
      expect(range.most).toBeCloseTo(costOf(price, e), 15);
      const run = await evaluate(ex.plan, {
        input: sample.text,
        query: sample.query,
        model: createScriptedModel({ contextWindow: 8192, truth: sample.truth }),
        estimate: e,
      });
      const spent = costOf(price, run.totals);
      // What a run costs is under the top of the range, and the likely figure is near it.
      expect(spent, ex.file).toBeLessThanOrEqual(range.most);
      expect(range.expected / spent, ex.file).toBeLessThanOrEqual(1.5);
      expect(spent / range.expected, ex.file).toBeLessThanOrEqual(1.5);
    }
  });

  it('formats small sums with three significant digits and larger ones in cents', () => {
    expect(formatCost(0.0000432, 'USD')).toBe('$0.0000432');
    expect(formatCost(0.123456, 'USD')).toBe('$0.123');
    expect(formatCost(12.345, 'EUR')).toBe('€12.35');
    expect(formatCost(0, 'USD')).toBe('$0.00');
    expect(formatCost(0.8, 'USD')).toBe('$0.80');
    expect(formatCost(0.001531, 'USD')).toBe('$0.00153');
    expect(formatCost(3.2, 'XBT')).toMatch(/^XBT\s?3\.20$/);
  });
});
