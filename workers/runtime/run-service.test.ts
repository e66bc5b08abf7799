import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScriptedServer, startScriptedServer } from '../../test/scripted-server/server.ts';
import type { TraceEvent } from '../lang/index.ts';
import { MemoryLeafCache, sampleGenerator } from '../lang/index.ts';
import type { ModelConfig } from '../models/config.ts';
import { createModel } from '../models/create-model.ts';
import { createRunService } from './run-service.ts';

const FAKE_KEY = 'sk-fixpoint-RECOGNISABLE-fake-key-7f3a9c';
const example = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../public/examples/${name}.json`, import.meta.url), 'utf8')) as unknown;

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer({ apiKey: FAKE_KEY });
});
afterAll(() => server.close());

function api(overrides: Partial<Extract<ModelConfig, { engine: 'openai' }>> = {}): ModelConfig {
  return {
    engine: 'openai',
    baseUrl: server.url,
    model: 'fixpoint-scripted',
    apiKey: FAKE_KEY,
    concurrency: 4,
    contextWindow: 8192,
    timeoutMs: 2000,
    ...overrides,
  };
}

function service() {
  const cache = new MemoryLeafCache();
  return createRunService({ createModel, cache: () => cache, batching: { maxEvents: 50, maxDelayMs: 20 } });
}

describe('run service', () => {
  it('runs from a node: only that node and what follows it reach the server', async () => {
    server.reset();
    const rs = service();
    const sample = sampleGenerator('oolong')!.generate({ tokens: 8000, seed: 3 });
    server.configure({ truth: [sample.truth] });
    const { inputId } = rs.putInput(sample.text);
    const request = { plan: example('oolong'), inputId, query: sample.query, model: api() };
    const first = await rs.run({ ...request, runId: 'full' }, () => {});
    expect(first.ok).toBe(true);
    const sent = server.chatRequests().length;
    expect(sent).toBeGreaterThan(1);
    const events: TraceEvent[] = [];
    const again = await rs.run({ ...request, runId: 'from', refreshNodes: ['answer'] }, (batch) =>
      events.push(...batch),
    );
    expect(again).toMatchObject({ ok: true, result: first.result });
    expect(server.chatRequests().length).toBe(sent + 1);
    expect(events[0]).toMatchObject({ type: 'run.start', refreshNodes: ['answer', 'output'] });
  });

  it('runs an example over the API, the log batched, in order, without echoing the input', async () => {
    server.reset();
    const rs = service();
    const sample = sampleGenerator('sniah')!.generate({ tokens: 100_000, seed: 5 });
    server.configure({ truth: [sample.truth] });
    const { inputId, chars } = rs.putInput(sample.text);
    expect(chars).toBe(sample.text.length);
    const batches: TraceEvent[][] = [];
    const summary = await rs.run(
      { runId: 'r1', plan: example('sniah'), inputId, query: sample.query, model: api() },
      (events) => batches.push(events),
    );
    expect(summary).toMatchObject({ runId: 'r1', ok: true, stage: 'run', result: sample.expected });
    const events = batches.flat();
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(events.at(-1)?.type).toBe('run.done');
    expect(batches.length).toBeLessThan(events.length);
    expect(batches.every((b) => b.length <= 50)).toBe(true);
    // Values that are slices of P travel as spans: apart from the prompts the model read (each piece once,
    // overlaps aside), the log is a small fraction of the 400 KB document.
    const prompts = events.filter((e) => e.type === 'leaf.request');
    const rest = events.filter((e) => e.type !== 'leaf.request');
    expect(JSON.stringify(rest).length).toBeLessThan(sample.text.length / 4);
    expect(JSON.stringify(prompts).length).toBeLessThan(sample.text.length * 1.5);
    expect(summary.totals?.leafCalls).toBeLessThanOrEqual(summary.estimate?.totalCalls ?? 0);
  });

  it('takes a 10 MB document once and sends none of it back in the log', async () => {
    server.reset();
    const rs = service();
    const sample = sampleGenerator('sniah')!.generate({ tokens: 2_600_000, seed: 9 });
    server.configure({ truth: [sample.truth] });
    expect(sample.text.length).toBeGreaterThan(10_000_000);
    const { inputId } = rs.putInput(sample.text);
    let logChars = 0;
    let promptChars = 0;
    let batches = 0;
    const summary = await rs.run(
      { runId: 'big', plan: example('sniah'), inputId, query: sample.query, model: api() },
      (events) => {
        batches++;
        for (const e of events) {
          const n = JSON.stringify(e).length;
          if (e.type === 'leaf.request') promptChars += n;
          else logChars += n;
        }
      },
    );
    expect(summary).toMatchObject({ ok: true, result: sample.expected });
    // Only the prompts the model read hold text of P (each piece once, overlaps aside); nothing else does.
    expect(logChars).toBeLessThan(sample.text.length / 10);
    expect(promptChars).toBeLessThan(sample.text.length * 1.5);
    expect(batches).toBeGreaterThan(0);
    // Generating, planning and answering 10 MB in one process takes about 15 s on an idle machine and up to
    // a minute on a shared one (before and after the scale and cost-batch merges alike): room, not a deadline.
  }, 180_000);

  it('estimates a plan by input id or by size, before any model call', () => {
    server.reset();
    const rs = service();
    const sample = sampleGenerator('oolong')!.generate({ tokens: 20_000, seed: 1 });
    const { inputId } = rs.putInput(new TextEncoder().encode(sample.text).buffer as ArrayBuffer);
    const byId = rs.plan({ plan: example('oolong'), inputId, contextWindow: 4096 });
    const bySize = rs.plan({ plan: example('oolong'), inputChars: sample.text.length, contextWindow: 4096 });
    expect(byId.ok && bySize.ok).toBe(true);
    if (byId.ok && bySize.ok) {
      // By size alone the planner assumes the worst a text of that length can be (a token a character).
      expect(bySize.estimate.n).toBe(sample.text.length);
      expect(byId.estimate.n).toBeLessThanOrEqual(bySize.estimate.n);
      expect(byId.estimate.totalCalls).toBeGreaterThan(1);
    }
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a plan that does not check, before any model call', async () => {
    server.reset();
    const rs = service();
    const broken = example('sniah') as { nodes: { id: string; kind: string }[] };
    broken.nodes = broken.nodes.filter((n) => n.kind !== 'Output');
    const events: TraceEvent[] = [];
    const summary = await rs.run({ runId: 'bad', plan: broken, input: 'x', model: api() }, (b) =>
      events.push(...b),
    );
    expect(summary).toMatchObject({ ok: false, stage: 'check' });
    expect(summary.diagnostics?.length).toBeGreaterThan(0);
    expect(rs.check(broken).diagnostics.length).toBeGreaterThan(0);
    expect(events).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it('aborts a run: it ends with Aborted, and the log is whole', async () => {
    server.reset();
    server.configure({ latencyMs: 300 });
    const rs = service();
    const sample = sampleGenerator('oolong')!.generate({ tokens: 20_000, seed: 2 });
    const events: TraceEvent[] = [];
    const running = rs.run(
      {
        runId: 'slow',
        plan: example('oolong'),
        input: sample.text,
        query: sample.query,
        model: api(),
        useCache: false,
      },
      (batch) => {
        events.push(...batch);
        if (batch.some((e) => e.type === 'leaf.request')) rs.abort('slow');
      },
    );
    const summary = await running;
    expect(summary).toMatchObject({ ok: false, error: { kind: 'Aborted' } });
    expect(events.at(-1)).toMatchObject({ type: 'run.done', ok: false });
    expect(rs.runningIds()).toEqual([]);
    expect(rs.abort('slow')).toBe(false);
  });

  it('says when the model cannot be reached, and never puts the key in what it returns', async () => {
    server.reset();
    const rs = service();
    const events: TraceEvent[] = [];
    const wrongKey = 'sk-fixpoint-WRONG-fake-key-0000';
    const summary = await rs.run(
      {
        runId: 'k',
        plan: example('sniah'),
        input: 'The secret code for Orion is AB.',
        model: api({ apiKey: wrongKey }),
      },
      (b) => events.push(...b),
    );
    expect(summary).toMatchObject({ ok: false, error: { kind: 'ProviderUnavailable' } });
    expect(summary.error?.message).toMatch(/refused the API key/);
    const everything = JSON.stringify({ summary, events });
    expect(everything).not.toContain(wrongKey);
    expect(everything).not.toContain(FAKE_KEY);
  });

  it('tests a connection from the worker side', async () => {
    server.reset();
    const rs = service();
    const report = await rs.testConnection(api() as Extract<ModelConfig, { engine: 'openai' }>);
    expect(report).toMatchObject({ ok: true, modelListed: true });
    const models = await rs.listModels(api() as Extract<ModelConfig, { engine: 'openai' }>);
    expect(models.map((m) => m.id)).toContain('fixpoint-scripted');
  });
});
