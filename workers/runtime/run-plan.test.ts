import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_KINDS, type ScriptedServer, startScriptedServer } from '../../test/scripted-server/server.ts';
import type { TraceEvent } from '../lang/index.ts';
import { sampleGenerator } from '../lang/index.ts';
import { OpenAIModel } from '../models/openai.ts';
import { runPlan } from './run-plan.ts';

const EXAMPLES = [
  'sniah',
  'multidoc-qa',
  'code-qa',
  'oolong',
  'oolong-pairs',
  'classify',
  'summary',
] as const;
const example = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../public/examples/${name}.json`, import.meta.url), 'utf8')) as unknown;

/** Words of the error texts the server and the provider produce: none may reach an answer. */
const ERROR_TEXT =
  /error|rate limit|slow down|timed out|broke off|not JSON|scripted server|chatcmpl|\bdata:/i;

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());

async function runExample(name: string, seed: number, contextWindow?: number) {
  const sample = sampleGenerator(name)!.generate({ tokens: 12_000, seed });
  // The scripted model (a test double) knows the sample's ground truth, given out of band.
  server.configure({ truth: [sample.truth] });
  const events: TraceEvent[] = [];
  const outcome = await runPlan({
    plan: example(name),
    input: sample.text,
    query: sample.query,
    model: new OpenAIModel({
      baseUrl: server.url,
      model: 'fixpoint-scripted',
      concurrency: 4,
      timeoutMs: 300,
      ...(contextWindow ? { contextWindow } : {}),
    }),
    scheduler: { maxRetries: 12, backoffBaseMs: 1, backoffMaxMs: 4 },
    onEvent: (e) => events.push(e),
  });
  return { sample, outcome, events };
}

describe('runPlan over the scripted API', () => {
  it('gives every example the same, right answer under 20% injected faults, with no error text in any answer', async () => {
    for (const [i, name] of EXAMPLES.entries()) {
      server.reset();
      const clean = await runExample(name, 11 + i);
      expect(clean.outcome.ok, `${name} without faults`).toBe(true);
      expect(
        sampleGenerator(name)!.isCorrect(clean.outcome.ok && clean.outcome.result, clean.sample.expected),
      ).toBe(true);

      server.reset();
      server.configure({ faults: { rate: 0.2, seed: 100 + i }, slowTokenMs: 2 });
      const faulty = await runExample(name, 11 + i);
      expect(faulty.outcome.ok, `${name} under faults`).toBe(true);
      expect(faulty.outcome.stage === 'run' && faulty.outcome.result).toEqual(
        clean.outcome.stage === 'run' && clean.outcome.result,
      );
      const faults = server.chatRequests().filter((r) => r.fault !== null && r.fault !== 'slow');
      const retried = faulty.events.reduce((n, e) => n + (e.type === 'leaf.done' ? e.retries : 0), 0);
      // Every failed request was asked again; on a busy machine a slow answer can also pass the 300 ms
      // inactivity timeout and be asked again, so the exact count is the server's: one request per leaf
      // call plus one per retry.
      expect(retried, `${name}: every failed request was asked again`).toBeGreaterThanOrEqual(faults.length);
      const leafCalls = faulty.events.filter((e) => e.type === 'leaf.done' && !e.cached).length;
      expect(server.chatRequests().length, `${name}: no request but a leaf call or its retry`).toBe(
        leafCalls + retried,
      );

      const answers = faulty.events.flatMap((e) => (e.type === 'leaf.done' ? [e.text] : []));
      expect(answers.length).toBeGreaterThan(0);
      for (const text of answers) expect(text).not.toMatch(ERROR_TEXT);
      expect(JSON.stringify(faulty.outcome.stage === 'run' && faulty.outcome.result)).not.toMatch(ERROR_TEXT);
    }
  }, 120_000);

  it('meets every kind of fault in one run and still gives the clean answer', async () => {
    server.reset();
    // A small window: enough pieces, so enough requests, for every kind of fault.
    const clean = await runExample('oolong', 3, 1024);
    server.reset();
    // Every kind once, among the first requests (a third of them fail).
    server.configure({ schedule: FAULT_KINDS.flatMap((kind) => [kind, null, null]), slowTokenMs: 2 });
    const faulty = await runExample('oolong', 3, 1024);
    expect(
      new Set(
        server
          .chatRequests()
          .map((r) => r.fault)
          .filter(Boolean),
      ),
    ).toEqual(new Set(FAULT_KINDS));
    expect(faulty.outcome.ok).toBe(true);
    expect(faulty.outcome.stage === 'run' && faulty.outcome.result).toEqual(
      clean.outcome.stage === 'run' && clean.outcome.result,
    );
  });

  it('stops with ProviderUnavailable, not an answer, when the server has no such model', async () => {
    server.reset();
    const sample = sampleGenerator('sniah')!.generate({ tokens: 2000, seed: 1 });
    const outcome = await runPlan({
      plan: example('sniah'),
      input: sample.text,
      query: sample.query,
      model: new OpenAIModel({ baseUrl: server.url, model: 'no-such-model' }),
    });
    expect(outcome).toMatchObject({ ok: false, stage: 'run', error: { kind: 'ProviderUnavailable' } });
    expect(outcome.stage === 'run' && outcome.result).toBeFalsy();
  });
});
