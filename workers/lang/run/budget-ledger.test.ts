import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateTokenizer } from '../plan/tokenizer.ts';
import { callPricing, costOf, type ModelPrice } from './cost.ts';
import { RunError } from './errors.ts';
import type { LeafModel, LeafRequest, LeafResponse } from './provider.ts';
import { createScheduler } from './scheduler.ts';

// Made-up figures: the project writes down no provider's prices.
const price: ModelPrice = { input: 3, output: 15, currency: 'USD' };
const pricing = callPricing(price, estimateTokenizer);

/**
 * A test double that answers like a server: its prompt count is its own (a quarter of the characters, no
 * chat formatting), its answer as long as the prompt asks for, within max tokens.
 */
function serverLike(delayMs = 1) {
  const sent: { request: LeafRequest; usage: LeafResponse['usage'] }[] = [];
  const model: LeafModel = {
    id: 'test-double',
    capabilities: { concurrency: 16, contextWindow: 1 << 20 },
    async complete(request) {
      const chars = request.messages.reduce((n, m) => n + m.content.length, 0);
      const words = Number(/answer in (\d+)/.exec(request.messages.at(-1)!.content)?.[1] ?? 5);
      const usage = {
        promptTokens: Math.ceil(chars / 4),
        completionTokens: Math.min(words, request.maxTokens),
      };
      sent.push({ request, usage });
      await new Promise((r) => setTimeout(r, delayMs));
      return { text: 'w '.repeat(usage.completionTokens).trim(), usage, finishReason: 'stop' };
    },
  };
  return { model, sent };
}

const request = (i: number, size: number, words: number, maxTokens: number): LeafRequest => ({
  messages: [{ role: 'user', content: `${i}: ${'text '.repeat(size)} answer in ${words}` }],
  maxTokens,
  temperature: 0,
});

async function settle(p: Promise<unknown>) {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof RunError ? e.kind : String(e);
  }
}

describe('money budget', () => {
  it('never sends the call that could cross it, with many calls in flight; stops with BudgetExceeded', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ size: fc.integer({ min: 1, max: 400 }), words: fc.integer({ min: 1, max: 300 }) }),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0.00001, max: 0.05, noNaN: true }),
        async (calls, concurrency, maxCost) => {
          const { model, sent } = serverLike();
          const s = createScheduler(model, { concurrency, pricing, budgets: { maxCost } });
          const outcomes = await Promise.all(
            calls.map((c, i) =>
              settle(s.call({ callId: `c${i}`, request: request(i, c.size, c.words, 256) })),
            ),
          );
          const spent = sent.reduce((sum, c) => sum + costOf(price, c.usage), 0);
          expect(spent).toBeLessThanOrEqual(maxCost);
          // Every call was answered, refused by the budget, or (in flight when the run stopped) ended with it.
          expect(outcomes.every((o) => o === 'ok' || o === 'BudgetExceeded')).toBe(true);
          expect(outcomes.filter((o) => o === 'ok').length).toBeLessThanOrEqual(sent.length);
          if (sent.length < calls.length) expect(s.stopped?.kind).toBe('BudgetExceeded');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('says what was spent and what the next call could cost; without the budget the calls are sent', async () => {
    const limited = serverLike();
    // Each call's bound: (107 prompt tokens by the estimate, 2 chat turns) × 3 + 100 × 15 per million.
    const one = pricing.bound(request(0, 80, 5, 100));
    const s = createScheduler(limited.model, { concurrency: 1, pricing, budgets: { maxCost: 2.5 * one } });
    const outcomes: string[] = [];
    let message = '';
    for (let i = 0; i < 20; i++) {
      try {
        await s.call({ callId: `c${i}`, request: request(i, 80, 5, 100) });
        outcomes.push('ok');
      } catch (e) {
        outcomes.push((e as RunError).kind);
        message ||= (e as RunError).message;
      }
    }
    // Two answered calls cost far less than their bounds, so a third fits; a call is refused only when the
    // spent money plus its bound would cross.
    const spentAfter = (n: number) =>
      limited.sent.slice(0, n).reduce((sum, c) => sum + costOf(price, c.usage), 0);
    const sentCalls = limited.sent.length;
    expect(spentAfter(sentCalls)).toBeLessThanOrEqual(2.5 * one);
    expect(spentAfter(sentCalls) + one).toBeGreaterThan(2.5 * one);
    expect(outcomes.slice(sentCalls).every((o) => o === 'BudgetExceeded')).toBe(true);
    expect(message).toMatch(
      /^Cost budget of \$0\.\d+ reached: \$0\.\d+ spent, and the next call could cost up to \$0\.\d+; it was not sent\.$/,
    );

    const free = serverLike();
    const unlimited = createScheduler(free.model, { concurrency: 1, pricing });
    for (let i = 0; i < 20; i++) await unlimited.call({ callId: `c${i}`, request: request(i, 80, 5, 100) });
    expect(free.sent).toHaveLength(20);
    expect(sentCalls).toBeLessThan(20);
  });

  it('refuses to run under a money budget with no price, before sending anything', async () => {
    const { model, sent } = serverLike();
    const s = createScheduler(model, { budgets: { maxCost: 1 } });
    await expect(s.call({ callId: 'a', request: request(0, 1, 1, 8) })).rejects.toThrow(/has no price/);
    expect(sent).toHaveLength(0);
  });

  it('a failed call gives back what it held', async () => {
    let fail = true;
    const model: LeafModel = {
      id: 'test-double',
      capabilities: { concurrency: 1, contextWindow: 4096 },
      async complete() {
        if (fail) throw new RunError('LeafFailed', 'no');
        return { text: 'x', usage: { promptTokens: 1, completionTokens: 1 }, finishReason: 'stop' };
      },
    };
    const bound = pricing.bound(request(0, 10, 1, 16));
    const s = createScheduler(model, { pricing, budgets: { maxCost: bound * 1.5 } });
    expect(await settle(s.call({ callId: 'a', request: request(0, 10, 1, 16) }))).toBe('LeafFailed');
    fail = false;
    // Were the failed call's hold kept, this one would be refused.
    expect(await settle(s.call({ callId: 'b', request: request(1, 10, 1, 16) }))).toBe('ok');
  });
});
