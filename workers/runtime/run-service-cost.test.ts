import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billedTokens } from '../../test/scripted-server/billed.ts';
import { type ScriptedServer, startScriptedServer } from '../../test/scripted-server/server.ts';
import type { TraceEvent } from '../lang/index.ts';
import { sampleGenerator } from '../lang/index.ts';
import { createModel } from '../models/create-model.ts';
import { createRunService } from './run-service.ts';

const plan = JSON.parse(
  readFileSync(new URL('../../public/examples/oolong.json', import.meta.url), 'utf8'),
) as unknown;

const sample = sampleGenerator('oolong')!.generate({ tokens: 6000, seed: 9 });

let server: ScriptedServer;
beforeAll(async () => {
  // The scripted model answers from the sample's ground truth, handed to it out of band.
  server = await startScriptedServer({ truth: [sample.truth] });
});
afterAll(() => server.close());

const model = () =>
  ({
    engine: 'openai',
    baseUrl: server.url,
    model: 'fixpoint-scripted',
    concurrency: 4,
    contextWindow: 8192,
    timeoutMs: 2000,
  }) as const;

describe('the run service costs a run at the price the page sends, and checks it', () => {
  it('records a valid price and holds the money budget; ignores a price that is not one', async () => {
    const rs = createRunService({ createModel, cache: () => null });
    const { inputId } = rs.putInput(sample.text);
    // Made-up figures: the project writes down no provider's prices.
    const price = { input: 1, output: 5, currency: 'EUR' };

    server.reset();
    const events: TraceEvent[] = [];
    const full = await rs.run(
      { runId: 'a', plan, inputId, query: sample.query, model: model(), price },
      (b) => events.push(...b),
    );
    expect(full.ok).toBe(true);
    expect(events[0]).toMatchObject({ type: 'run.start', price });
    const { prompt, completion } = billedTokens(server);
    const cost = (prompt * 1 + completion * 5) / 1e6;

    server.reset();
    const limited = await rs.run(
      { runId: 'b', plan, inputId, query: sample.query, model: model(), price, maxCost: cost / 2 },
      () => {},
    );
    expect(limited).toMatchObject({ ok: false, stage: 'run', error: { kind: 'BudgetExceeded' } });
    const spent = billedTokens(server);
    expect((spent.prompt * 1 + spent.completion * 5) / 1e6).toBeLessThanOrEqual(cost / 2);

    // The page is not trusted: a price that is not one is dropped, and the run has no cost.
    const bogus: TraceEvent[] = [];
    const r = await rs.run(
      {
        runId: 'c',
        plan,
        inputId,
        query: sample.query,
        model: model(),
        price: { input: -1, output: Number.NaN, currency: 'dollars' } as never,
      },
      (b) => bogus.push(...b),
    );
    expect(r.ok).toBe(true);
    expect(bogus[0]?.type === 'run.start' && bogus[0].price).toBeUndefined();
  });
});
