import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../check/typecheck.ts';
import { loadExamples, testWindow } from '../testing/examples.ts';
import { logViolations, timeless } from '../testing/log-invariants.ts';
import { oversizeRequests } from '../testing/prompt-bound.ts';
import { randomPlan } from '../testing/random-plans.ts';
import { createScriptedModel } from '../testing/scripted-model.ts';
import { downstreamOf } from './downstream.ts';
import { evaluate, PlanCheckError } from './evaluator.ts';
import type { TraceEvent } from './events.ts';
import { MemoryLeafCache } from './leaf-cache.ts';
import { ProviderError } from './provider.ts';

const examples = loadExamples();

/** Answers anything: a JSON list of the prompt's first words, so Parse steps in random plans can succeed. */
const wordsAnswer = (_text: string, request: { messages: { content: string }[] }) => {
  const prompt = request.messages.at(-1)!.content;
  const words = prompt.match(/[a-z]+/gi) ?? [];
  if (prompt.startsWith('How many')) return String(words.length % 7);
  if (prompt.startsWith('Tally')) return JSON.stringify({ [words[3] ?? 'x']: words.length % 5 });
  return JSON.stringify(words.slice(2, 5));
};

describe('evaluator properties', () => {
  it('every example terminates on random inputs with the right answer, within the planner’s N̂', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...examples),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 150, max: 24_000 }),
        fc.constantFrom(1024, 2048, 4096, 8192),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom('auto', 'flat', 'sqrt', 'binary'),
        async (ex, seed, tokens, contextWindow, concurrency, kRule) => {
          const sample = ex.generator.generate({ tokens, seed });
          const plan = { ...ex.plan, planner: { ...ex.plan.planner, kRule } };
          const events: TraceEvent[] = [];
          const window = testWindow(ex, contextWindow);
          const model = createScriptedModel({ concurrency, contextWindow: window, truth: sample.truth });
          let outcome: Awaited<ReturnType<typeof evaluate>>;
          try {
            outcome = await evaluate(plan, {
              input: sample.text,
              query: sample.query,
              model,
              onEvent: (e) => events.push(e),
            });
          } catch (e) {
            // Multi-document QA's last call reads every piece's notes: with more pieces than the k rule
            // the plan chose (sqrt, binary), the planner may refuse it, on that node, before any call.
            expect(e).toBeInstanceOf(PlanCheckError);
            expect(ex.file).toBe('multidoc-qa.json');
            for (const d of (e as PlanCheckError).diagnostics)
              expect([d.code, d.nodeId]).toEqual(['leaf-window', 'answer']);
            expect(model.requests).toEqual([]);
            return;
          }
          expect(outcome.error).toBeUndefined();
          expect(oversizeRequests(model.requests, window)).toEqual([]);
          expect(ex.generator.isCorrect(outcome.result, sample.expected)).toBe(true);
          expect(logViolations(events)).toEqual([]);
          const estimate = (events[0] as Extract<TraceEvent, { type: 'run.start' }>).estimate;
          expect(outcome.totals.leafCalls).toBeLessThanOrEqual(estimate.totalCalls);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is deterministic: the same inputs and model give the same result and log, times aside', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...examples),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 40 }),
        async (ex, seed, concurrency, streamChunk) => {
          const sample = ex.generator.generate({ tokens: 5000, seed });
          const once = async () => {
            const events: TraceEvent[] = [];
            const outcome = await evaluate(ex.plan, {
              input: sample.text,
              query: sample.query,
              model: createScriptedModel({ concurrency, streamChunk, truth: sample.truth }),
              deltaIntervalMs: 0,
              runId: 'same',
              onEvent: (e) => events.push(e),
            });
            return { outcome, events };
          };
          const a = await once();
          const b = await once();
          expect(b.outcome.result).toEqual(a.outcome.result);
          expect(timeless(b.events)).toEqual(timeless(a.events));
        },
      ),
      { numRuns: 20 },
    );
  });

  it('well-typed random plans never hit a type error while running', async () => {
    await fc.assert(
      fc.asyncProperty(
        randomPlan(5),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 4 }),
        async (plan, seed, concurrency) => {
          const checked = check(plan);
          const errors = checked.diagnostics.filter((d) => d.severity === 'error');
          // Overlap before a ⊕ that counts every copy is refused by the checker: nothing to run.
          expect(errors.filter((d) => d.code !== 'overlap')).toEqual([]);
          if (errors.length > 0) return;
          const input = examples[seed % examples.length]!.generator.generate({
            tokens: 300 + (seed % 7) * 400,
            seed,
          }).text;
          const events: TraceEvent[] = [];
          const model = createScriptedModel({ concurrency, contextWindow: 1024, rewrite: wordsAnswer });
          let outcome: Awaited<ReturnType<typeof evaluate>>;
          try {
            outcome = await evaluate(plan, { input, model, onEvent: (e) => events.push(e) });
          } catch (e) {
            // The planner refuses a plan that could send a leaf more than its window, before any call.
            expect(e).toBeInstanceOf(PlanCheckError);
            for (const d of (e as PlanCheckError).diagnostics) expect(d.code).toBe('leaf-window');
            expect(model.requests).toEqual([]);
            return;
          }
          expect(oversizeRequests(model.requests, 1024)).toEqual([]);
          // A model's answer may fail to parse (a typed ParseFailed); nothing else may go wrong.
          expect(outcome.internal).toBeUndefined();
          if (!outcome.ok) expect(outcome.error?.kind).toBe('ParseFailed');
          expect(logViolations(events)).toEqual([]);
          // The bound holds whenever the planner could give one (a list cut from a model's answer has no
          // length known before the run, and the estimate says so).
          const estimate = (events[0] as Extract<TraceEvent, { type: 'run.start' }>).estimate;
          if (estimate.bounded !== false)
            expect(outcome.totals.leafCalls).toBeLessThanOrEqual(estimate.totalCalls);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('retries, faults and timeouts never leak into an answer: a run is right or fails with a kind', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...examples),
        fc.integer({ min: 0, max: 1000 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.constantFrom('transient', 'fatal', 'hang'),
        async (ex, seed, rate, fault) => {
          const sample = ex.generator.generate({ tokens: 6000, seed });
          const model = createScriptedModel({
            truth: sample.truth,
            concurrency: 3,
            // A fixed schedule of faults from the seed: call i fails when its hash falls under the rate.
            fault: (i) => {
              if (((i * 2654435761 + seed) % 1000) / 1000 >= rate) return undefined;
              if (fault === 'hang') return 'hang';
              return fault === 'fatal'
                ? new ProviderError('bad request', 'fatal', 400)
                : new ProviderError('reset', 'transient', 503);
            },
          });
          const events: TraceEvent[] = [];
          const outcome = await evaluate(ex.plan, {
            input: sample.text,
            query: sample.query,
            model,
            scheduler: { backoffBaseMs: 1, backoffMaxMs: 2, timeoutMs: 5, maxRetries: 2 },
            onEvent: (e) => events.push(e),
          });
          expect(outcome.internal).toBeUndefined();
          if (outcome.ok) expect(ex.generator.isCorrect(outcome.result, sample.expected)).toBe(true);
          else expect(outcome.error?.kind).toBe('LeafFailed');
          expect(logViolations(events)).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
  it('running from any node gives the full run’s answer and asks the model only for that node and after', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...examples),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.nat(),
        async (ex, seed, pick) => {
          const sample = ex.generator.generate({ tokens: 6000, seed });
          const from = ex.plan.nodes[pick % ex.plan.nodes.length]!.id;
          const cache = new MemoryLeafCache();
          const options = { input: sample.text, query: sample.query, cache };
          const full = await evaluate(ex.plan, {
            ...options,
            model: createScriptedModel({ truth: sample.truth }),
          });
          const model = createScriptedModel({ truth: sample.truth });
          const events: TraceEvent[] = [];
          const again = await evaluate(ex.plan, {
            ...options,
            model,
            refreshNodes: [from],
            onEvent: (e) => events.push(e),
          });
          expect(again.result).toEqual(full.result);
          expect(logViolations(events)).toEqual([]);
          const closure = downstreamOf(ex.plan, [from]);
          const nodeOf = new Map<string, string>();
          const keyOf = new Map<string, string>();
          for (const e of events) {
            if (e.type === 'call.start') nodeOf.set(e.callId, e.nodeId);
            if (e.type === 'leaf.request') keyOf.set(e.callId, e.cacheKey);
          }
          const forcedKeys = new Set<string>();
          for (const e of events) {
            if (e.type !== 'leaf.done') continue;
            const inClosure = closure.has(nodeOf.get(e.callId)!);
            // Upstream of the node everything comes from the cache the full run filled.
            if (!inClosure) expect(e.cached).toBe(true);
            else forcedKeys.add(keyOf.get(e.callId)!);
          }
          // Each distinct prompt of the node and what follows it reaches the model exactly once.
          expect(model.requests).toHaveLength(forcedKeys.size);
        },
      ),
      { numRuns: 40 },
    );
  });
});
