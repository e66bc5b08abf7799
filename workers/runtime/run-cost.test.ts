import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billedTokens as billed } from '../../test/scripted-server/billed.ts';
import { type ScriptedServer, startScriptedServer } from '../../test/scripted-server/server.ts';
import type { ModelPrice, TraceEvent } from '../lang/index.ts';
import { costOf, sampleGenerator } from '../lang/index.ts';
import { OpenAIModel } from '../models/openai.ts';
import { runPlan } from './run-plan.ts';

const plan = JSON.parse(
  readFileSync(new URL('../../public/examples/oolong.json', import.meta.url), 'utf8'),
) as unknown;
// Made-up figures: the project writes down no provider's prices.
const price: ModelPrice = { input: 0.7, output: 2.9, currency: 'USD' };

const sample = sampleGenerator('oolong')!.generate({ tokens: 9_000, seed: 5 });

let server: ScriptedServer;
beforeAll(async () => {
  // The scripted model answers from the sample's ground truth, handed to it out of band.
  server = await startScriptedServer({ truth: [sample.truth] });
});
afterAll(() => server.close());

function run(options: { maxCost?: number; concurrency?: number } = {}) {
  const events: TraceEvent[] = [];
  return runPlan({
    plan,
    input: sample.text,
    query: sample.query,
    model: new OpenAIModel({
      baseUrl: server.url,
      model: 'fixpoint-scripted',
      concurrency: 4,
      timeoutMs: 2000,
    }),
    concurrency: options.concurrency ?? 4,
    price,
    ...(options.maxCost !== undefined && { budgets: { maxCost: options.maxCost } }),
    onEvent: (e) => events.push(e),
  }).then((outcome) => ({ outcome, events }));
}

describe('the cost of a run', () => {
  it('is the tokens the server counted × the prices, per call and for the run; the log records the price', async () => {
    server.reset();
    const { outcome, events } = await run();
    expect(outcome.stage === 'run' && outcome.ok).toBe(true);
    if (outcome.stage !== 'run') return;
    const { prompt, completion } = billed(server);
    expect(prompt).toBeGreaterThan(0);
    expect(outcome.totals.promptTokens).toBe(prompt);
    expect(outcome.totals.completionTokens).toBe(completion);
    const expected = (prompt * price.input + completion * price.output) / 1e6;
    expect(outcome.cost?.currency).toBe('USD');
    expect(outcome.cost?.amount).toBeCloseTo(expected, 12);
    const start = events.find((e) => e.type === 'run.start');
    expect(start?.type === 'run.start' && start.price).toEqual(price);
    const perCall = events.flatMap((e) => (e.type === 'leaf.done' ? [costOf(price, e)] : []));
    expect(perCall.reduce((a, b) => a + b, 0)).toBeCloseTo(expected, 12);

    // With no price the run has no cost (not a cost of zero).
    server.reset();
    const unpriced = await runPlan({
      plan,
      input: sample.text,
      query: sample.query,
      model: new OpenAIModel({ baseUrl: server.url, model: 'fixpoint-scripted', concurrency: 4 }),
    });
    expect(unpriced.stage === 'run' && unpriced.ok && unpriced.cost).toBeUndefined();
  });

  it('stops at a money budget with BudgetExceeded, never having spent more', async () => {
    server.reset();
    const full = await run();
    if (full.outcome.stage !== 'run' || !full.outcome.cost) throw new Error('the full run failed');
    const budget = full.outcome.cost.amount / 2;
    server.reset();
    const { outcome } = await run({ maxCost: budget, concurrency: 3 });
    expect(outcome.stage === 'run' && outcome.ok).toBe(false);
    if (outcome.stage !== 'run') return;
    expect(outcome.error?.kind).toBe('BudgetExceeded');
    expect(outcome.error?.message).toMatch(/^Cost budget of \$0\.\d+ reached/);
    const { prompt, completion } = billed(server);
    expect((prompt * price.input + completion * price.output) / 1e6).toBeLessThanOrEqual(budget);
    expect(server.chatRequests().length).toBeLessThan(
      full.events.filter((e) => e.type === 'leaf.done').length,
    );
  });
});
