import { describe, expect, it } from 'vitest';
import { compareRuns, formatComparison, RunLogError, type TraceEvent } from '../lang/index.ts';
import { sampleGenerators } from '../lang/samples/index.ts';
import { createScriptedModel } from '../lang/testing/scripted-model.ts';
import { readExampleFile } from './read-example.ts';
import { runAuto } from './run-auto.ts';
import { runRlm } from './run-rlm.ts';

async function bothRuns(generatorName: string, seed: number) {
  const generator = sampleGenerators[generatorName]!;
  const sample = generator.generate({ tokens: 5000, seed, script: 'latin' });
  const planLog: TraceEvent[] = [];
  const rlmLog: TraceEvent[] = [];
  const auto = await runAuto({
    input: sample.text,
    query: sample.query,
    model: createScriptedModel({ truth: sample.truth, contextWindow: 4096 }),
    readExample: readExampleFile,
    onEvent: (e) => planLog.push(e),
  });
  const rlm = await runRlm({
    input: sample.text,
    query: sample.query,
    model: createScriptedModel({ truth: sample.truth, contextWindow: 4096 }),
    onEvent: (e) => rlmLog.push(e),
  });
  return { sample, auto, rlm, planLog, rlmLog };
}

describe('λ-RLM and RLM side by side', () => {
  it("the table's figures are the two run logs' figures", async () => {
    for (const [name, seed] of [
      ['sniah', 1],
      ['multidoc-qa', 2],
      ['oolong', 3],
    ] as const) {
      const { auto, rlm, planLog, rlmLog } = await bothRuns(name, seed);
      if (auto.stage !== 'run') throw new Error('the plan did not run');
      const c = compareRuns(planLog, rlmLog);
      const planDone = planLog.at(-1) as Extract<TraceEvent, { type: 'run.done' }>;
      const rlmDone = rlmLog.at(-1) as Extract<TraceEvent, { type: 'run.done' }>;
      const planStart = planLog[0] as Extract<TraceEvent, { type: 'run.start' }>;
      for (const [figures, done, outcome] of [
        [c.plan, planDone, auto.result.totals],
        [c.rlm, rlmDone, rlm.totals],
      ] as const) {
        expect(figures.calls).toBe(done.totals.leafCalls);
        expect(figures.promptTokens).toBe(done.totals.promptTokens);
        expect(figures.completionTokens).toBe(done.totals.completionTokens);
        expect(figures.ms).toBe(done.totals.ms);
        expect(figures.cachedCalls).toBe(done.totals.cachedCalls);
        // …and the logs' totals are what the runs returned.
        expect(done.totals).toEqual(outcome);
      }
      const depthOf = (log: TraceEvent[]) =>
        Math.max(...log.flatMap((e) => (e.type === 'call.start' ? [e.depth] : [])));
      expect(c.plan.depth).toBe(depthOf(planLog));
      expect(c.rlm.depth).toBe(depthOf(rlmLog));
      expect(c.plan.predicted?.calls).toBe(planStart.estimate.totalCalls);
      expect(c.plan.detected).toBe(true);
      expect(c.plan.result).toEqual(auto.result.result);
      expect(c.rlm.result).toBe(rlm.result);
      expect(c.rlm.iterations).toBe(rlm.iterations);
      expect(c.rlm.cells).toBe(rlm.cells);
      const row = (key: string) => c.rows.find((r) => r.key === key)!;
      expect(row('promptTokens').plan).toBe(planDone.totals.promptTokens.toLocaleString('en'));
      expect(row('completionTokens').rlm).toBe(rlmDone.totals.completionTokens.toLocaleString('en'));
      expect(row('calls').plan).toContain(String(planDone.totals.leafCalls));
      expect(row('predicted').plan).toContain(`N̂ ≤ ${planStart.estimate.totalCalls}`);
      expect(row('predicted').rlm).toMatch(/none/);
      const table = formatComparison(c);
      expect(table.split('\n')).toHaveLength(c.rows.length + 1);
    }
  });

  it('says when a run failed or found nothing, in the answer row, never as an answer', async () => {
    const sample = sampleGenerators.sniah!.generate({ tokens: 3000, seed: 5, withoutAnswer: true });
    const planLog: TraceEvent[] = [];
    await runAuto({
      input: sample.text,
      query: sample.query,
      family: 'search',
      model: createScriptedModel({ truth: sample.truth }),
      readExample: readExampleFile,
      onEvent: (e) => planLog.push(e),
    });
    const rlmLog: TraceEvent[] = [];
    await runRlm({
      input: sample.text,
      query: sample.query,
      model: createScriptedModel({ truth: sample.truth }),
      budgets: { maxIterations: 1 },
      onEvent: (e) => rlmLog.push(e),
    });
    const c = compareRuns(planLog, rlmLog);
    expect(c.plan.absent).toBe(true);
    expect(c.plan.answer).toMatch(/^no answer found/);
    expect(c.plan.detected).toBe(false);
  });

  it('with a price, both runs are costed from their logs, and the table says what each cost', async () => {
    const price = { currency: 'USD', input: 0.5, output: 2 };
    const sample = sampleGenerators.sniah!.generate({ tokens: 4000, seed: 8, script: 'latin' });
    const planLog: TraceEvent[] = [];
    const rlmLog: TraceEvent[] = [];
    const auto = await runAuto({
      input: sample.text,
      query: sample.query,
      family: 'search',
      price,
      model: createScriptedModel({ truth: sample.truth, contextWindow: 4096 }),
      readExample: readExampleFile,
      onEvent: (e) => planLog.push(e),
    });
    const rlm = await runRlm({
      input: sample.text,
      query: sample.query,
      price,
      model: createScriptedModel({ truth: sample.truth, contextWindow: 4096 }),
      onEvent: (e) => rlmLog.push(e),
    });
    expect(rlmLog[0]).toMatchObject({ type: 'rlm.start', price });
    // Tokens × prices, call by call, as the logs hold them.
    const spent = (log: TraceEvent[]) =>
      log.reduce(
        (sum, e) =>
          e.type === 'leaf.done' ? sum + (e.promptTokens * 0.5 + e.completionTokens * 2) / 1e6 : sum,
        0,
      );
    expect(spent(rlmLog)).toBeGreaterThan(0);
    expect(rlm.cost?.amount).toBeCloseTo(spent(rlmLog), 12);
    const c = compareRuns(planLog, rlmLog);
    expect(c.plan.cost?.amount).toBeCloseTo(spent(planLog), 12);
    if (auto.stage === 'run') expect(c.plan.cost?.amount).toBeCloseTo(auto.result.cost?.amount ?? -1, 12);
    expect(c.rlm.cost?.amount).toBeCloseTo(spent(rlmLog), 12);
    const row = c.rows.find((r) => r.key === 'cost')!;
    expect(row.plan).toMatch(/\$|USD/);
    expect(row.rlm).toMatch(/\$|USD/);
    // Without a price: "no price", never a cost of zero.
    const unpriced = compareRuns(
      planLog.map((e) => (e.type === 'run.start' ? { ...e, price: undefined } : e)),
      rlmLog.map((e) => (e.type === 'rlm.start' ? { ...e, price: undefined } : e)),
    );
    expect(unpriced.rows.find((r) => r.key === 'cost')).toMatchObject({ plan: 'no price', rlm: 'no price' });
  });

  it('refuses logs that are not a finished plan run and a finished RLM run', () => {
    expect(() => compareRuns([], [])).toThrow(RunLogError);
  });
});
