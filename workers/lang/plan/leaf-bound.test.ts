import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../check/typecheck.ts';
import { loadPlan } from '../format/load.ts';
import type { Plan } from '../format/plan.ts';
import { evaluate, PlanCheckError } from '../run/evaluator.ts';
import { wires } from '../testing/plans.ts';
import { oversizeRequests } from '../testing/prompt-bound.ts';
import { createScriptedModel } from '../testing/scripted-model.ts';
import { estimate } from './planner.ts';

function plan(doc: object): Plan {
  const r = loadPlan({ format: 'fixpoint/plan', version: 2, name: 't', ...doc });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.plan;
}

/** Input → LLM → Output: the plan issue 11 saw send a whole document to an 8,192-token model. */
const direct = (template = 'Answer {{query}} from:\n{{chunk}}', maxTokens = 256) =>
  plan({
    query: 'What is the magic number?',
    nodes: [
      { id: 'in', kind: 'Input' },
      { id: 'ask', kind: 'LLM', params: { template, maxTokens } },
      { id: 'out', kind: 'Output' },
    ],
    wires: wires([
      ['in', 'text', 'ask', 'chunk'],
      ['ask', 'text', 'out', 'value'],
    ]),
  });

/** Input → Split → Map(LLM) → Reduce(concat) → LLM over all answers → Output. */
const mergeAll = (maxTokens: number) =>
  plan({
    nodes: [
      { id: 'in', kind: 'Input' },
      { id: 'split', kind: 'Split' },
      { id: 'map', kind: 'Map' },
      { id: 'map.in', kind: 'Entry', parent: 'map' },
      { id: 'leaf', kind: 'LLM', parent: 'map', params: { template: 'Notes on {{chunk}}', maxTokens } },
      { id: 'map.out', kind: 'Exit', parent: 'map' },
      { id: 'cat', kind: 'Concat' },
      { id: 'merge', kind: 'LLM', params: { template: 'Merge:\n{{chunk}}', maxTokens: 64 } },
      { id: 'out', kind: 'Output' },
    ],
    wires: wires([
      ['in', 'text', 'split', 'text'],
      ['split', 'parts', 'map', 'items'],
      ['map.in', 'item', 'leaf', 'chunk'],
      ['leaf', 'text', 'map.out', 'result'],
      ['map', 'results', 'cat', 'items'],
      ['cat', 'text', 'merge', 'chunk'],
      ['merge', 'text', 'out', 'value'],
    ]),
  });

const doc = (words: number) =>
  `${Array.from({ length: words }, (_, i) => `word${i % 97}`).join(' ')} The magic number is 4417203.`;

describe('the planner refuses a plan that could send a leaf more than its window', () => {
  it('names the node, the sizes and the fix', () => {
    const e = estimate(direct(), { inputText: doc(20_000), contextWindow: 8192 });
    expect(e.refusals).toHaveLength(1);
    const [r] = e.refusals ?? [];
    expect(r).toMatchObject({
      code: 'leaf-window',
      severity: 'error',
      nodeId: 'ask',
      fix: { kind: 'split-before', label: 'Put a Split before it' },
    });
    expect(r?.message).toMatch(
      /would be sent [\d,]+ prompt tokens and a 256-token answer, over the model's 8,192-token window/,
    );
  });

  it('and the run refuses it before any model call', async () => {
    const model = createScriptedModel({ contextWindow: 8192 });
    const run = evaluate(direct(), { input: doc(20_000), model });
    await expect(run).rejects.toBeInstanceOf(PlanCheckError);
    expect(model.requests).toEqual([]);
  });

  it('lets the same plan run on a document that fits', async () => {
    const model = createScriptedModel({ contextWindow: 8192 });
    expect(estimate(direct(), { inputText: doc(100), contextWindow: 8192 }).refusals).toEqual([]);
    const out = await evaluate(direct(), { input: doc(100), model });
    expect(out.ok).toBe(true);
    expect(model.requests).toHaveLength(1);
  });

  it('refuses a merge whose inputs are other calls’ answers when they can add up past the window', () => {
    const e = estimate(mergeAll(400), { inputText: doc(30_000), contextWindow: 2048 });
    expect(e.refusals?.[0]).toMatchObject({ nodeId: 'merge', code: 'leaf-window' });
    expect(e.refusals?.[0]?.message).toMatch(
      /up to [\d,]+ prompt tokens.*other calls’ answers|other calls' answers/,
    );
    expect(e.refusals?.[0]?.fix).toBeUndefined();
  });

  it('makes a template larger than the window a check error, and a planner refusal', () => {
    const huge = direct(`${'Read carefully. '.repeat(3000)}{{chunk}}`);
    expect(check(huge).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const checked = check({ ...huge, planner: { ...huge.planner, contextWindow: 4096 } });
    const errors = <D extends { severity: string }>(d: D[]) => d.filter((x) => x.severity === 'error');
    expect(errors(checked.diagnostics)).toMatchObject([
      { code: 'leaf-window', nodeId: 'ask', param: 'template' },
    ]);
    expect(errors(check(huge, { contextWindow: 4096 }).diagnostics)[0]?.code).toBe('leaf-window');
    const e = estimate(huge, { inputText: 'short', contextWindow: 4096 });
    expect(e.refusals?.[0]?.message).toMatch(/Shorten the prompt/);
  });

  it('plans written to break the rule are refused or run within the window (any size, any window)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 6000 }),
        fc.constantFrom(512, 1024, 2048, 8192),
        fc.integer({ min: 8, max: 600 }),
        fc.boolean(),
        async (words, window, maxTokens, merge) => {
          const p = merge ? mergeAll(maxTokens) : direct(undefined, maxTokens);
          const input = doc(words);
          const model = createScriptedModel({ contextWindow: window });
          const e = estimate(p, { inputText: input, contextWindow: window });
          try {
            await evaluate(p, { input, model, estimate: e });
            expect(e.refusals).toEqual([]);
          } catch (err) {
            expect(err).toBeInstanceOf(PlanCheckError);
            expect((e.refusals ?? []).length).toBeGreaterThan(0);
          }
          expect(oversizeRequests(model.requests, window)).toEqual([]);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('a Fix never hands its base a piece over τ*', () => {
  const summary = () => {
    const r = loadPlan(
      JSON.parse(
        readFileSync(new URL('../format/fixtures/v1/summary.json', import.meta.url), 'utf8'),
      ) as unknown,
    );
    if (!r.ok) throw new Error('does not load');
    return r.plan;
  };

  it('recurses until every base piece fits, however deep that is', async () => {
    const model = createScriptedModel({ contextWindow: 1024 });
    const input = doc(3000);
    const e = estimate(summary(), { inputText: input, contextWindow: 1024 });
    const out = await evaluate(summary(), { input, model, estimate: e });
    expect(out.ok).toBe(true);
    expect(oversizeRequests(model.requests, 1024)).toEqual([]);
    expect(out.totals.leafCalls).toBeLessThanOrEqual(e.totalCalls);
  });

  it('refuses, rather than sends, a piece still over τ* where the planner said the recursion ends', async () => {
    const model = createScriptedModel({ contextWindow: 1024 });
    const input = doc(3000);
    const e = estimate(summary(), { inputText: input, contextWindow: 1024 });
    const out = await evaluate(summary(), {
      input,
      model,
      estimate: e,
      sizing: {
        ...(e.sizing ?? { kStar: e.kStar, tauStar: e.tauStar, depth: e.depth }),
        fixDepth: { fix: 1 },
      },
    });
    expect(out.error).toMatchObject({ kind: 'PromptTooLarge', nodeId: 'fix' });
    expect(oversizeRequests(model.requests, 1024)).toEqual([]);
  });
});
