import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../lang/index.ts';
import { sampleGenerators } from '../lang/samples/index.ts';
import { logViolations } from '../lang/testing/log-invariants.ts';
import { createScriptedModel } from '../lang/testing/scripted-model.ts';
import { readExampleFile } from './read-example.ts';
import { runAuto } from './run-auto.ts';

describe('a run started from a question', () => {
  it('detects each family on its sample, runs its template, and answers right; the log carries the detection', async () => {
    for (const generator of Object.values(sampleGenerators)) {
      const sample = generator.generate({ tokens: 6000, seed: 2 });
      const model = createScriptedModel({ truth: sample.truth, contextWindow: 4096 });
      const events: TraceEvent[] = [];
      const auto = await runAuto({
        input: sample.text,
        query: sample.query,
        model,
        readExample: readExampleFile,
        onEvent: (e) => events.push(e),
      });
      const where = `${generator.name}: ${sample.query}`;
      if (auto.stage !== 'run') throw new Error(`${where}: ${JSON.stringify(auto)}`);
      expect(auto.family, where).toBe(generator.family);
      expect(auto.chosenBy).toBe('model');
      expect(auto.plan.query).toBe(sample.query);
      expect(generator.isCorrect(auto.result.result, sample.expected), where).toBe(true);
      expect(logViolations(events), where).toEqual([]);
      // run.start, then the detection call, then the plan's calls.
      expect(events[1]).toMatchObject({ type: 'call.start', nodeId: 'auto.detect', depth: 0 });
      const start = events[0] as Extract<TraceEvent, { type: 'run.start' }>;
      const done = events.at(-1) as Extract<TraceEvent, { type: 'run.done' }>;
      expect(start.estimate.detectCalls).toBe(1);
      expect(done.totals).toEqual(auto.result.totals);
      expect(done.totals.leafCalls).toBe(model.requests.length);
      expect(done.totals.leafCalls).toBeLessThanOrEqual(start.estimate.totalCalls);
      expect(auto.result.estimate.totalCalls).toBe(start.estimate.totalCalls);
    }
  });

  it('runs the family the user picked without a detection call', async () => {
    const sample = sampleGenerators.sniah!.generate({ tokens: 3000, seed: 4 });
    const model = createScriptedModel({ truth: sample.truth });
    const events: TraceEvent[] = [];
    const auto = await runAuto({
      input: sample.text,
      query: sample.query,
      family: 'search',
      model,
      readExample: readExampleFile,
      onEvent: (e) => events.push(e),
    });
    expect(auto).toMatchObject({ stage: 'run', chosenBy: 'user', ok: true });
    expect(events.some((e) => e.type === 'call.start' && e.nodeId === 'auto.detect')).toBe(false);
    expect(model.bases).not.toContain('task-kind');
  });

  it('stops at detection when the reply names no family, and runs nothing else', async () => {
    const model = createScriptedModel({ rewrite: () => 'no idea' });
    const auto = await runAuto({
      input: 'some text',
      query: 'What?',
      model,
      readExample: readExampleFile,
    });
    expect(auto).toMatchObject({ stage: 'detect', ok: false, error: { kind: 'DetectionFailed' } });
    expect(model.requests).toHaveLength(1);
  });
});
