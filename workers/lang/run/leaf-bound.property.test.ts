import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../check/typecheck.ts';
import { estimate } from '../plan/planner.ts';
import { randomDocument } from '../testing/documents.ts';
import { loadExamples } from '../testing/examples.ts';
import { logViolations } from '../testing/log-invariants.ts';
import { oversizeRequests } from '../testing/prompt-bound.ts';
import { randomPlan } from '../testing/random-plans.ts';
import { createScriptedModel } from '../testing/scripted-model.ts';
import { evaluate, PlanCheckError } from './evaluator.ts';
import type { TraceEvent } from './events.ts';

const examples = loadExamples();

/** Any answer: a JSON list of a prompt's first words, so Parse steps can read it. */
const words = (_t: string, r: { messages: { content: string }[] }) =>
  JSON.stringify((r.messages.at(-1)?.content.match(/[a-z]+/gi) ?? []).slice(0, 3));

describe('the leaf bound on documents nobody shaped for the plan', () => {
  it('every prompt of every run fits its window, and the calls stay within N̂ (random plans, any script)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(randomPlan(5), fc.constantFrom(...examples.map((e) => e.plan))),
        randomDocument(),
        fc.constantFrom(512, 1024, 2048, 4096),
        async (plan, input, window) => {
          if (check(plan).diagnostics.some((d) => d.severity === 'error')) return;
          const model = createScriptedModel({ contextWindow: window, rewrite: words, concurrency: 3 });
          const e = estimate(plan, { inputText: input, contextWindow: window });
          const events: TraceEvent[] = [];
          try {
            const out = await evaluate(plan, { input, model, estimate: e, onEvent: (x) => events.push(x) });
            expect(out.internal).toBeUndefined();
            if (e.bounded !== false) expect(out.totals.leafCalls).toBeLessThanOrEqual(e.totalCalls);
            expect(logViolations(events)).toEqual([]);
          } catch (error) {
            // Refused by the planner before any call.
            expect(error).toBeInstanceOf(PlanCheckError);
            expect(model.requests).toEqual([]);
          }
          expect(oversizeRequests(model.requests, window)).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  }, 240_000);
});
