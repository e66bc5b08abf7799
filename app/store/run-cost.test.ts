import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticLog } from '../../test/synthetic-log.ts';
import type { ModelPrice, TraceEvent } from '../../workers/lang/index.ts';
import { applyEvents, emptyRun, runFromLog } from './run.ts';

// Made-up figures: the project writes down no provider's prices.
const price: ModelPrice = { input: 3, output: 12, cachedInput: 1, currency: 'USD' };

/** A synthetic log costed at `price`, with some prompt tokens read from the server's cache. */
function pricedLog(): TraceEvent[] {
  return syntheticLog({ k: 3, depth: 2, cachedLeaves: new Set([2]), failLeaves: new Set([7]) }).map((e, i) =>
    e.type === 'run.start'
      ? { ...e, price }
      : e.type === 'leaf.done' && !e.cached && i % 2 === 0
        ? { ...e, cachedPromptTokens: Math.floor(e.promptTokens / 2) }
        : e,
  );
}

describe('the cost of a run, folded from its log', () => {
  it('is each leaf’s tokens × the recorded price, summed per call, per subtree, per plan node and per run', () => {
    const log = pricedLog();
    const s = runFromLog(log);
    expect(s.price).toEqual(price);
    let expected = 0;
    for (const e of log) {
      if (e.type !== 'leaf.done') continue;
      const cached = e.cachedPromptTokens ?? 0;
      const own = ((e.promptTokens - cached) * 3 + cached * 1 + e.completionTokens * 12) / 1e6;
      expected += own;
      expect(s.calls.get(e.callId)!.cost).toBeCloseTo(own, 15);
      if (e.cached) expect(own).toBe(0);
    }
    expect(expected).toBeGreaterThan(0);
    expect(s.counters.cost).toBeCloseTo(expected, 15);
    const root = s.calls.get(s.roots[0]!)!;
    expect(root.treeCost).toBeCloseTo(expected, 15);
    for (const id of root.children) {
      const kid = s.calls.get(id)!;
      const below = kid.children.reduce((sum, k) => sum + s.calls.get(k)!.treeCost, kid.cost);
      expect(kid.treeCost).toBeCloseTo(below, 15);
    }
    const byNode = Object.values(s.byNode).reduce((sum, n) => sum + n.cost, 0);
    expect(byNode).toBeCloseTo(expected, 15);
  });

  it('is the same whatever batches the log arrives in; a log with no price has none', () => {
    const log = pricedLog();
    const whole = runFromLog(log);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 20 }), (sizes) => {
        let s = emptyRun;
        for (let i = 0, j = 0; i < log.length; j++) {
          const n = sizes[j % sizes.length]!;
          s = applyEvents(s, log.slice(i, i + n));
          i += n;
        }
        expect(s.counters.cost).toBeCloseTo(whole.counters.cost, 15);
        expect(s.calls.get(s.roots[0]!)!.treeCost).toBeCloseTo(whole.counters.cost, 15);
      }),
      { numRuns: 20 },
    );
    const unpriced = runFromLog(syntheticLog({ k: 2, depth: 2 }));
    expect(unpriced.price).toBeNull();
    expect(unpriced.counters.cost).toBe(0);
  });
});
