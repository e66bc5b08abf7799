import { describe, expect, it } from 'vitest';
import { estimateTokenizer } from '../plan/tokenizer.ts';
import { callPricing, costOf, type ModelPrice } from './cost.ts';
import { RunError } from './errors.ts';
import type { LeafModel, LeafRequest, LeafResponse } from './provider.ts';
import { createScheduler } from './scheduler.ts';
import { SchedulerPool } from './scheduler-pool.ts';

// Made-up figures: the project writes down no provider's prices.
const price: ModelPrice = { input: 1, output: 4, currency: 'EUR' };
const pricing = callPricing(price, estimateTokenizer);

/** A test double counting what is in flight; it answers after `delayMs` with a count of its own. */
function counted(delayMs = 3) {
  const state = { inFlight: 0, peak: 0, sent: [] as LeafResponse['usage'][] };
  const model: LeafModel = {
    id: 'test-double',
    capabilities: { concurrency: 64, contextWindow: 1 << 20 },
    async complete(request, { signal }) {
      state.inFlight++;
      state.peak = Math.max(state.peak, state.inFlight);
      const usage = {
        promptTokens: Math.ceil(request.messages.reduce((n, m) => n + m.content.length, 0) / 4),
        completionTokens: 3,
      };
      state.sent.push(usage);
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, delayMs);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new DOMException('aborted', 'AbortError'));
          });
        });
      } finally {
        state.inFlight--;
      }
      return { text: 'a b c', usage, finishReason: 'stop' };
    },
  };
  return { model, state };
}

const req = (run: string, i: number): LeafRequest => ({
  messages: [{ role: 'user', content: `${run} piece ${i} ${'words '.repeat(20)}` }],
  maxTokens: 32,
  temperature: 0,
});

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof RunError ? e.kind : String(e);
  }
}

describe('a scheduler pool (the runs of a batch)', () => {
  it('limits the calls in flight over every run that shares it', async () => {
    const { model, state } = counted();
    const pool = new SchedulerPool({ concurrency: 3 });
    const runs = ['a', 'b', 'c'].map((name) => ({
      name,
      s: createScheduler(model, { concurrency: 8, pool }),
    }));
    const results = await Promise.all(
      runs.flatMap(({ name, s }) =>
        Array.from({ length: 6 }, (_, i) => s.call({ callId: `${name}${i}`, request: req(name, i) })),
      ),
    );
    expect(results).toHaveLength(18);
    expect(state.peak).toBe(3);
    // Each run still offers its own width to its Maps.
    expect(runs[0]!.s.concurrency).toBe(8);
  });

  it('holds a money budget over all runs: the total never crosses it and every run stops with the reason', async () => {
    const { model, state } = counted();
    const bound = pricing.bound(req('a', 0));
    const maxCost = 7.5 * bound;
    const pool = new SchedulerPool({ concurrency: 4, budgets: { maxCost } });
    const a = createScheduler(model, { pool, pricing });
    const b = createScheduler(model, { pool, pricing });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        outcome((i % 2 ? a : b).call({ callId: `c${i}`, request: req(i % 2 ? 'a' : 'b', i) })),
      ),
    );
    const spent = state.sent.reduce((sum, u) => sum + costOf(price, u), 0);
    expect(spent).toBeLessThanOrEqual(maxCost);
    expect(state.sent.length).toBeLessThan(20);
    expect(outcomes).toContain('BudgetExceeded');
    expect(a.stopped?.kind).toBe('BudgetExceeded');
    expect(b.stopped?.kind).toBe('BudgetExceeded');
    expect(pool.stopped?.message).toMatch(/^Batch cost budget of €/);
    // A run started after the budget was crossed never sends anything.
    const late = createScheduler(model, { pool, pricing });
    expect(await outcome(late.call({ callId: 'late', request: req('late', 0) }))).toBe('BudgetExceeded');
    expect(state.sent.length).toBeLessThan(20);
  });

  it('a run that stops on its own error leaves the others running, and gives back its slots', async () => {
    const { model } = counted(5);
    const pool = new SchedulerPool({ concurrency: 2 });
    const failing = createScheduler(model, { pool });
    const healthy = createScheduler(model, { pool });
    const doomed = Array.from({ length: 4 }, (_, i) =>
      outcome(failing.call({ callId: `f${i}`, request: req('f', i) })),
    );
    const fine = Array.from({ length: 4 }, (_, i) =>
      outcome(healthy.call({ callId: `h${i}`, request: req('h', i) })),
    );
    // Stopped with two of its calls in flight and two waiting for a slot.
    await new Promise((r) => setTimeout(r, 1));
    expect(pool.slots.inFlight).toBe(2);
    failing.stop(new RunError('LeafFailed', 'this document failed'));
    expect(await Promise.all(doomed)).toEqual(['LeafFailed', 'LeafFailed', 'LeafFailed', 'LeafFailed']);
    expect(await Promise.all(fine)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(pool.stopped).toBeUndefined();
    expect(pool.slots.inFlight).toBe(0);
  });
});
