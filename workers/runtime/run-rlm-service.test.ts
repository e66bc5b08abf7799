/**
 * RLM mode through the runtime's service, as the page and the CLI reach it: a real OpenAI-compatible
 * provider against the scripted server (its RLM policy writes the code), the log in batches, the key
 * nowhere in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScriptedServer, startScriptedServer } from '../../test/scripted-server/server.ts';
import type { TraceEvent } from '../lang/index.ts';
import { MemoryLeafCache, sampleGenerator } from '../lang/index.ts';
import { createModel } from '../models/create-model.ts';
import { createRunService } from './run-service.ts';

const FAKE_KEY = 'sk-fixpoint-RECOGNISABLE-rlm-key-51c0';
let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer({ apiKey: FAKE_KEY });
});
afterAll(() => server.close());

describe('run service: RLM mode', () => {
  it('runs the model’s code over the document and answers, with the log in order and no key in it', async () => {
    const sample = sampleGenerator('sniah')!.generate({ tokens: 10_000, seed: 21 });
    const service = createRunService({
      createModel,
      cache: () => new MemoryLeafCache(),
      batching: { maxEvents: 20, maxDelayMs: 10 },
    });
    server.configure({ truth: [sample.truth] });
    const { inputId } = service.putInput(sample.text);
    const batches: TraceEvent[][] = [];
    const summary = await service.runRlm(
      {
        runId: 'rlm-1',
        inputId,
        query: sample.query as string,
        model: {
          engine: 'openai',
          baseUrl: server.url,
          model: 'fixpoint-scripted',
          apiKey: FAKE_KEY,
          concurrency: 4,
          contextWindow: 4096,
          timeoutMs: 5000,
        },
      },
      (events) => batches.push(events),
    );
    expect(summary.error).toBeUndefined();
    expect(summary).toMatchObject({
      ok: true,
      stage: 'run',
      result: sample.expected,
      iterations: 2,
      cells: 2,
    });
    const events = batches.flat();
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(events[0]!.type).toBe('rlm.start');
    expect(events.at(-1)!.type).toBe('run.done');
    expect(JSON.stringify(events)).not.toContain(FAKE_KEY);
    const chats = server.chatRequests();
    expect(chats.filter((r) => r.basis === 'rlm-policy')).toHaveLength(2);
    expect(chats.length).toBe(summary.totals!.leafCalls);
  });

  it('a model that cannot be built stops before anything runs', async () => {
    const service = createRunService({
      createModel: async () => {
        throw new Error('no engine here');
      },
      cache: () => null,
    });
    const summary = await service.runRlm(
      { runId: 'rlm-2', input: 'text', query: 'q', model: { engine: 'webllm', model: 'x' } as never },
      () => {},
    );
    expect(summary).toMatchObject({ ok: false, stage: 'model', error: { kind: 'ProviderUnavailable' } });
  });
});
