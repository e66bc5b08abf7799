/**
 * The runtime worker's task detection over the API (against the scripted server): `detect` makes one call
 * and keeps it; the `run` given its id carries it in the log, N̂ and totals, once; the key appears in none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScriptedServer, startScriptedServer } from '../../test/scripted-server/server.ts';
import type { TraceEvent } from '../lang/index.ts';
import { instantiate, MemoryLeafCache, sampleGenerator, taskFamilyInfo } from '../lang/index.ts';
import { createModel } from '../models/create-model.ts';
import { readExampleFile } from './read-example.ts';
import { createRunService } from './run-service.ts';

const FAKE_KEY = 'sk-fixpoint-DETECT-fake-key-51ee';
let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer({ apiKey: FAKE_KEY });
});
afterAll(() => server.close());

const model = () =>
  ({
    engine: 'openai',
    baseUrl: server.url,
    model: 'fixpoint-scripted',
    apiKey: FAKE_KEY,
    concurrency: 4,
    contextWindow: 8192,
    timeoutMs: 2000,
  }) as const;

describe('run service: detect, then run with the detection', () => {
  it('detects, and the run carries the call in its log and totals, once', async () => {
    server.reset();
    const sample = sampleGenerator('classify')!.generate({ tokens: 6000, seed: 2 });
    server.configure({ truth: [sample.truth] });
    const rs = createRunService({ createModel, cache: () => new MemoryLeafCache() });
    const { inputId } = rs.putInput(sample.text);
    const detected = await rs.detect({ inputId, query: sample.query, model: model() });
    if (!detected.ok) throw new Error(detected.error.message);
    expect(detected.family).toBe('classify');
    expect(server.chatRequests()).toHaveLength(1);
    const info = taskFamilyInfo(detected.family);
    const plan = instantiate(detected.family, sample.query, readExampleFile(info.example));
    if (!plan.ok) throw new Error('no plan');
    const events: TraceEvent[] = [];
    const summary = await rs.run(
      {
        runId: 'r1',
        plan: plan.plan,
        inputId,
        query: sample.query,
        model: model(),
        detectionId: detected.detectionId,
      },
      (batch) => events.push(...batch),
    );
    expect(summary).toMatchObject({ ok: true, result: sample.expected });
    expect(events[1]).toMatchObject({ type: 'call.start', nodeId: 'auto.detect' });
    expect(summary.estimate?.detectCalls).toBe(1);
    expect(summary.totals?.leafCalls).toBe(server.chatRequests().length);
    expect(JSON.stringify(events)).not.toContain(FAKE_KEY);
    // The detection is spent: a second run with the same id does not carry it again.
    const again: TraceEvent[] = [];
    await rs.run(
      {
        runId: 'r2',
        plan: plan.plan,
        inputId,
        query: sample.query,
        model: model(),
        detectionId: detected.detectionId,
      },
      (batch) => again.push(...batch),
    );
    expect(again.some((e) => e.type === 'call.start' && e.nodeId === 'auto.detect')).toBe(false);
  });

  it('a reply that names no family is a detect-stage failure that keeps the call for the run the user picks', async () => {
    server.reset();
    server.configure({ truth: [] });
    const rs = createRunService({ createModel, cache: () => null });
    // Wrong key: the model cannot be used.
    const refused = await rs.detect({ input: 'text', query: 'Who?', model: { ...model(), apiKey: 'nope' } });
    expect(refused).toMatchObject({ ok: false });
    expect(JSON.stringify(refused)).not.toContain(FAKE_KEY);
  });
});
