import { describe, expect, it } from 'vitest';
import { type Plan, type PlanInput, planSchema } from '../format/plan.ts';
import { catalog } from '../nodes/catalog.ts';
import type { NodeSpec } from '../nodes/node-spec.ts';
import { type Example, loadExamples } from '../testing/examples.ts';
import { logViolations, timeless } from '../testing/log-invariants.ts';
import {
  createScriptedModel,
  type ScriptedModel,
  type ScriptedModelOptions,
} from '../testing/scripted-model.ts';
import { evaluate, PlanCheckError, type RunOptions, run } from './evaluator.ts';
import type { TraceEvent } from './events.ts';
import { MemoryLeafCache } from './leaf-cache.ts';
import { ProviderError } from './provider.ts';

const examples = loadExamples();
const example = (name: string): Example => examples.find((e) => e.file === `${name}.json`)!;

interface Ran {
  events: TraceEvent[];
  outcome: Awaited<ReturnType<typeof evaluate>>;
}

async function runPlan(
  plan: Plan,
  text: string,
  query: string,
  extra: Partial<RunOptions> = {},
): Promise<Ran> {
  const events: TraceEvent[] = [];
  const { onEvent, ...rest } = extra;
  const outcome = await evaluate(plan, {
    input: text,
    query,
    model: createScriptedModel(),
    runId: 'test-run',
    ...rest,
    onEvent: (e) => {
      events.push(e);
      onEvent?.(e);
    },
  });
  return { events, outcome };
}

async function runExample(name: string, tokens = 16_000, seed = 1, extra: Partial<RunOptions> = {}) {
  const ex = example(name);
  const sample = ex.generator.generate({ tokens, seed });
  // The scripted model (a test double) is told the sample's ground truth out of band.
  const model = (extra.model as ScriptedModel | undefined) ?? createScriptedModel();
  model.know(sample.truth);
  const ran = await runPlan(ex.plan, sample.text, sample.query, { ...extra, model });
  return { ...ran, sample, ex };
}

const plan = (p: Omit<PlanInput, 'format' | 'version' | 'name'>): Plan =>
  planSchema.parse({ format: 'fixpoint/plan', version: 2, name: 'test', ...p });

const ofType = <K extends TraceEvent['type']>(events: TraceEvent[], type: K) =>
  events.filter((e): e is Extract<TraceEvent, { type: K }> => e.type === type);

describe('evaluator on the examples', () => {
  for (const ex of examples) {
    it(`${ex.file}: gives the expected answer on its sample, with a sound log`, async () => {
      const name = ex.file.replace('.json', '');
      const { outcome, events, sample } = await runExample(name);
      expect(outcome.error).toBeUndefined();
      expect(outcome.ok).toBe(true);
      expect(ex.generator.isCorrect(outcome.result, sample.expected)).toBe(true);
      expect(logViolations(events)).toEqual([]);
      const start = events[0] as Extract<TraceEvent, { type: 'run.start' }>;
      expect(start).toMatchObject({
        inputChars: sample.text.length,
        query: sample.query,
        model: 'scripted-test-double',
      });
      expect(start.plan).toBe(ex.plan);
    });
  }

  it('S-NIAH answers from the piece that holds the needle, and that call carries the piece’s span', async () => {
    const { events, sample } = await runExample('sniah', 30_000, 4);
    const answered = ofType(events, 'leaf.done').filter((e) => e.text === sample.expected);
    expect(answered).toHaveLength(1);
    const call = ofType(events, 'call.start').find((e) => e.callId === answered[0]!.callId)!;
    expect(call.nodeId).toBe('answer');
    const needle = sample.text.indexOf(sample.truth.facts![0]!.evidence[0]!);
    expect(call.span![0]).toBeLessThanOrEqual(needle);
    expect(call.span![1]).toBeGreaterThan(needle);
    // The prompt holds that slice of P and nothing else of it.
    const slice = sample.text.slice(call.span![0], call.span![1]);
    const request = ofType(events, 'leaf.request').find((e) => e.callId === call.callId)!;
    expect(request.messages.at(-1)!.content).toContain(slice);
  });

  it('multi-document QA reads every piece, and its pieces cover P', async () => {
    const { events, sample } = await runExample('multidoc-qa', 8000, 2);
    const calls = ofType(events, 'call.start').filter((e) => e.nodeId === 'notes');
    expect(calls.length).toBeGreaterThan(1);
    // One call per piece, and the last one that answers from their notes.
    expect(ofType(events, 'leaf.request')).toHaveLength(calls.length + 1);
    const spans = calls.map((c) => c.span!).sort((a, b) => a[0] - b[0]);
    expect(spans[0]![0]).toBe(0);
    expect(spans.at(-1)![1]).toBe(sample.text.length);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeLessThanOrEqual(spans[i - 1]![1]);
  });

  it('the summary recurses through Self with depth and spans, within the planner’s N̂', async () => {
    const ex = example('summary');
    // A binary split and a small window make the recursion several levels deep.
    const deep = {
      ...ex.plan,
      planner: { ...ex.plan.planner, kRule: 'binary' as const, contextWindow: 1200 },
    };
    const sample = ex.generator.generate({ tokens: 6000, seed: 9 });
    const { outcome, events } = await runPlan(deep, sample.text, sample.query, {
      model: createScriptedModel({ truth: sample.truth }),
    });
    expect(outcome.ok).toBe(true);
    expect(ex.generator.isCorrect(outcome.result, sample.expected)).toBe(true);
    expect(logViolations(events)).toEqual([]);
    const start = events[0] as Extract<TraceEvent, { type: 'run.start' }>;
    expect(start.estimate.kStar).toBe(2);
    expect(start.estimate.depth).toBeGreaterThanOrEqual(3);
    const selfCalls = ofType(events, 'call.start').filter((e) => e.nodeId === 'self');
    expect(selfCalls.length).toBeGreaterThanOrEqual(6);
    for (const c of selfCalls) expect(c.span).not.toBeNull();
    expect(outcome.totals.leafCalls).toBeLessThanOrEqual(start.estimate.totalCalls);
    expect(outcome.totals.leafCalls).toBeGreaterThan(2 ** (start.estimate.depth - 1));
  });
});

describe('evaluator semantics', () => {
  const echo: ScriptedModelOptions['rewrite'] = (_t, r) => {
    const body = r.messages.at(-1)!.content.split('\n').slice(1).join('\n');
    return body.trim();
  };
  /** Input → Split(one line each) → Map(LLM) → Output; `extra` adds nodes and wires (e.g. a closure). */
  const mapPlan = (
    concurrency = 0,
    template = 'Echo:\n{{chunk}}',
    extra: { nodes: PlanInput['nodes']; wires: PlanInput['wires'] } = { nodes: [], wires: [] },
  ) =>
    plan({
      nodes: [
        { id: 'in', kind: 'Input' },
        { id: 'split', kind: 'Split', params: { mode: 'lines', lines: 1 } },
        { id: 'map', kind: 'Map', params: { concurrency } },
        { id: 'map.in', kind: 'Entry', parent: 'map' },
        { id: 'llm', kind: 'LLM', parent: 'map', params: { template } },
        { id: 'map.out', kind: 'Exit', parent: 'map' },
        { id: 'out', kind: 'Output' },
        ...extra.nodes,
      ],
      wires: [
        { id: 'w1', from: { node: 'in', port: 'text' }, to: { node: 'split', port: 'text' } },
        { id: 'w2', from: { node: 'split', port: 'parts' }, to: { node: 'map', port: 'items' } },
        { id: 'w3', from: { node: 'map.in', port: 'item' }, to: { node: 'llm', port: 'chunk' } },
        { id: 'w4', from: { node: 'llm', port: 'text' }, to: { node: 'map.out', port: 'result' } },
        { id: 'w5', from: { node: 'map', port: 'results' }, to: { node: 'out', port: 'value' } },
        ...extra.wires,
      ],
    });
  const lines = Array.from({ length: 40 }, (_, i) => `line ${i}`);

  it('Map keeps item order whatever order the answers come back in, within its concurrency', async () => {
    const model = createScriptedModel({
      concurrency: 8,
      rewrite: echo,
      latencyMs: (_r, i) => (i * 7) % 5,
    });
    const { outcome, events } = await runPlan(mapPlan(3), lines.join('\n'), '', { model });
    expect(outcome.result).toEqual(lines);
    expect(model.inFlight.peak).toBe(3);
    expect(logViolations(events)).toEqual([]);
    // Item calls carry the span of their line.
    const items = ofType(events, 'call.start').filter((e) => e.label.startsWith('item '));
    expect(items).toHaveLength(40);
    const text = lines.join('\n');
    for (const c of items) expect(text.slice(c.span![0], c.span![1]).trim()).toMatch(/^line \d+$/);
  });

  it('Map defaults to the model’s own concurrency', async () => {
    const model = createScriptedModel({ concurrency: 2, rewrite: echo, latencyMs: 1 });
    const { outcome } = await runPlan(mapPlan(0), lines.join('\n'), '', { model });
    expect(outcome.result).toEqual(lines);
    expect(model.inFlight.peak).toBe(2);
  });

  it('is deterministic: same inputs and model give the same result and the same log, times aside', async () => {
    for (const name of ['oolong', 'summary', 'multidoc-qa']) {
      const options = () => ({
        model: createScriptedModel({ streamChunk: 7, concurrency: 3 }),
        deltaIntervalMs: 0,
      });
      const a = await runExample(name, 12_000, 5, options());
      const b = await runExample(name, 12_000, 5, options());
      expect(b.outcome.result).toEqual(a.outcome.result);
      expect(timeless(b.events)).toEqual(timeless(a.events));
      expect(ofType(a.events, 'leaf.delta').length).toBeGreaterThan(0);
    }
  });

  it('Reduce with a body folds left to right through the model (a neural ⊕)', async () => {
    const p = plan({
      nodes: [
        { id: 'in', kind: 'Input' },
        { id: 'split', kind: 'Split', params: { mode: 'lines', lines: 1 } },
        { id: 'red', kind: 'Reduce', params: { op: 'body' } },
        { id: 'red.in', kind: 'Entry', parent: 'red' },
        { id: 'join', kind: 'LLM', parent: 'red', params: { template: 'Join:\n{{a}}+{{b}}' } },
        { id: 'red.out', kind: 'Exit', parent: 'red' },
        { id: 'out', kind: 'Output' },
      ],
      wires: [
        { id: 'w1', from: { node: 'in', port: 'text' }, to: { node: 'split', port: 'text' } },
        { id: 'w2', from: { node: 'split', port: 'parts' }, to: { node: 'red', port: 'items' } },
        { id: 'w3', from: { node: 'red.in', port: 'left' }, to: { node: 'join', port: 'a' } },
        { id: 'w4', from: { node: 'red.in', port: 'right' }, to: { node: 'join', port: 'b' } },
        { id: 'w5', from: { node: 'join', port: 'text' }, to: { node: 'red.out', port: 'result' } },
        { id: 'w6', from: { node: 'red', port: 'result' }, to: { node: 'out', port: 'value' } },
      ],
    });
    const model = createScriptedModel({ rewrite: echo });
    const { outcome, events } = await runPlan(p, 'a\nb\nc\nd', '', { model });
    // Each step sees the accumulated text on the left: ((a ⊕ b) ⊕ c) ⊕ d.
    expect(outcome.result).toBe('a\n+b+c+d');
    expect(ofType(events, 'leaf.request')).toHaveLength(3);
    expect(logViolations(events)).toEqual([]);
  });

  it('lets the event loop turn during a long run whose answers are all at hand', async () => {
    // A ticker on the host's event loop notes how far the log got each time it runs: an abort message or
    // a UI batch gets a turn at least that often, even with 16 branches whose model answers at once.
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i}`).join('\n');
    const events: TraceEvent[] = [];
    const seen: number[] = [];
    let ticking = true;
    const tick = () => {
      seen.push(events.length);
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const outcome = await evaluate(mapPlan(16), {
      input: lines,
      model: createScriptedModel({ concurrency: 16 }),
      onEvent: (e) => events.push(e),
    });
    ticking = false;
    expect(outcome.ok).toBe(true);
    expect(events.length).toBeGreaterThan(15_000);
    let widest = 0;
    for (let i = 1; i < seen.length; i++) widest = Math.max(widest, seen[i]! - seen[i - 1]!);
    expect(widest).toBeLessThan(2_000);
  });

  it('a body sees values from outside its container (a wire into the body)', async () => {
    const p = mapPlan(0, 'About {{topic}}:\n{{chunk}}', {
      nodes: [{ id: 'topic', kind: 'Const', params: { type: 'Str', value: 'rivers' } }],
      wires: [{ id: 'w6', from: { node: 'topic', port: 'value' }, to: { node: 'llm', port: 'topic' } }],
    });
    const model = createScriptedModel({ rewrite: (_t, r) => r.messages.at(-1)!.content.split('\n')[0]! });
    const { outcome } = await runPlan(p, 'a\nb', '', { model });
    expect(outcome.result).toEqual(['About rivers:', 'About rivers:']);
  });

  it('streams the same log through run() as through onEvent, and ends after run.done', async () => {
    const ex = example('oolong');
    const sample = ex.generator.generate({ tokens: 4000, seed: 2 });
    const seen: TraceEvent[] = [];
    const stream = run(ex.plan, {
      input: sample.text,
      query: sample.query,
      model: createScriptedModel({ truth: sample.truth }),
      onEvent: (e) => seen.push(e),
    });
    const read: TraceEvent[] = [];
    for await (const e of stream) read.push(e);
    expect(read).toEqual(seen);
    expect(read.at(-1)?.type).toBe('run.done');
    expect((await stream.outcome).ok).toBe(true);
  });

  it('serves a second run of an unchanged plan from the cache', async () => {
    const cache = new MemoryLeafCache();
    const first = await runExample('oolong', 8000, 3, { cache });
    const model = createScriptedModel();
    const second = await runExample('oolong', 8000, 3, { cache, model });
    expect(second.outcome.result).toEqual(first.outcome.result);
    expect(model.requests).toHaveLength(0);
    expect(second.outcome.totals.cachedCalls).toBe(second.outcome.totals.leafCalls);
    expect(second.outcome.totals.promptTokens).toBe(0);
    expect(logViolations(second.events)).toEqual([]);
  });
});

describe('run from a node', () => {
  /** The node on whose behalf each leaf call was made, by call id. */
  const leafNodes = (events: TraceEvent[]) => {
    const nodeOf = new Map(ofType(events, 'call.start').map((e) => [e.callId, e.nodeId]));
    return ofType(events, 'leaf.done').map((e) => ({ node: nodeOf.get(e.callId)!, cached: e.cached }));
  };

  for (const [name, from, fresh] of [
    ['oolong', 'answer', ['answer']],
    ['oolong', 'classify', ['classify', 'answer']],
    ['summary', 'combine', ['combine']],
    ['summary', 'leaf', ['leaf', 'combine']],
  ] as const) {
    it(`${name}, from ${from}: asks the model again for ${fresh.join(' and ')} only, the rest from the cache`, async () => {
      const cache = new MemoryLeafCache();
      const first = await runExample(name, 12_000, 2, { cache });
      expect(first.outcome.ok).toBe(true);
      const expectedFresh = leafNodes(first.events).filter((l) =>
        (fresh as readonly string[]).includes(l.node),
      );
      expect(expectedFresh.length).toBeGreaterThan(0);

      const model = createScriptedModel();
      const again = await runExample(name, 12_000, 2, { cache, model, refreshNodes: [from] });
      expect(again.outcome.ok).toBe(true);
      expect(again.outcome.result).toEqual(first.outcome.result);
      expect(logViolations(again.events)).toEqual([]);
      // Exactly the leaves of the node and what is downstream of it reached the model…
      expect(model.requests).toHaveLength(expectedFresh.length);
      const leaves = leafNodes(again.events);
      expect(
        leaves
          .filter((l) => !l.cached)
          .map((l) => l.node)
          .sort(),
      ).toEqual(expectedFresh.map((l) => l.node).sort());
      // …and every other leaf was served from the cache.
      expect(
        leaves.filter((l) => l.cached).every((l) => !(fresh as readonly string[]).includes(l.node)),
      ).toBe(true);
      expect(again.outcome.totals.cachedCalls).toBe(leaves.length - expectedFresh.length);
      const start = again.events[0] as Extract<TraceEvent, { type: 'run.start' }>;
      expect(start.refreshNodes).toContain(from);
      for (const node of fresh) expect(start.refreshNodes).toContain(node);
    });
  }

  it('an ordinary run says nothing about refreshed nodes', async () => {
    const { events } = await runExample('multidoc-qa', 8000, 1);
    expect(events[0]).not.toHaveProperty('refreshNodes');
  });
});

describe('evaluator failures are typed values', () => {
  it('a leaf that fails for good fails its call, its ancestors and the run, never the answer', async () => {
    const model = createScriptedModel({
      fault: (i) => (i === 2 ? new ProviderError('bad request: secret-marker', 'fatal', 400) : undefined),
      concurrency: 1,
    });
    const { outcome, events } = await runExample('oolong', 8000, 1, { model });
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatchObject({ kind: 'LeafFailed', nodeId: 'classify' });
    expect(outcome.result).toBeUndefined();
    expect(logViolations(events)).toEqual([]);
    const errors = ofType(events, 'call.error');
    const failed = ofType(events, 'call.start').find((e) => e.callId === errors[0]!.callId)!;
    expect(failed.nodeId).toBe('classify');
    // The item, the Map: every ancestor of the failed call reports the failure too.
    expect(errors.map((e) => e.error.kind)).toEqual(['LeafFailed', 'LeafFailed', 'LeafFailed']);
    for (const e of [...ofType(events, 'leaf.done'), ...ofType(events, 'call.done')])
      expect(JSON.stringify(e)).not.toContain('secret-marker');
    // The run stopped: nothing after the failure was asked of the model.
    expect(model.requests).toHaveLength(3);
  });

  it('transient errors are retried and the run still gives the right answer', async () => {
    const model = createScriptedModel({
      fault: (i) => (i % 3 === 1 ? new ProviderError('busy', 'transient', 503) : undefined),
    });
    const { outcome, events, sample, ex } = await runExample('oolong', 8000, 1, {
      model,
      scheduler: { backoffBaseMs: 1, backoffMaxMs: 2 },
    });
    expect(outcome.ok).toBe(true);
    expect(ex.generator.isCorrect(outcome.result, sample.expected)).toBe(true);
    expect(ofType(events, 'leaf.done').some((e) => e.retries > 0)).toBe(true);
  });

  it('an answer that does not parse is a ParseFailed at the Parse node', async () => {
    const model = createScriptedModel({ rewrite: (t, _r, i) => (i === 1 ? 'I think there are some.' : t) });
    const { outcome, events } = await runExample('oolong', 8000, 1, { model });
    expect(outcome.error).toMatchObject({ kind: 'ParseFailed', nodeId: 'parse' });
    expect(logViolations(events)).toEqual([]);
  });

  it('abort stops the run promptly with Aborted, even while a model never answers', async () => {
    const controller = new AbortController();
    const model = createScriptedModel({ fault: (i) => (i >= 1 ? 'hang' : undefined), concurrency: 2 });
    const { outcome, events } = await runExample('oolong', 8000, 1, {
      model,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'leaf.done') controller.abort();
      },
      scheduler: { timeoutMs: 0 },
    });
    expect(outcome.error?.kind).toBe('Aborted');
    expect(logViolations(events)).toEqual([]);
    expect(ofType(events, 'call.error').every((e) => e.error.kind === 'Aborted')).toBe(true);
  });

  it('crossing the call budget stops the run with BudgetExceeded', async () => {
    const model = createScriptedModel({ concurrency: 1 });
    const { outcome, events } = await runExample('oolong', 8000, 1, { model, budgets: { maxCalls: 3 } });
    expect(outcome.error?.kind).toBe('BudgetExceeded');
    expect(model.requests).toHaveLength(3);
    expect(logViolations(events)).toEqual([]);
  });

  it('the wall-time budget stops a run whose model never answers', async () => {
    const model = createScriptedModel({ fault: () => 'hang' });
    const { outcome, events } = await runExample('oolong', 4000, 1, {
      model,
      budgets: { maxWallMs: 20 },
      scheduler: { timeoutMs: 0 },
    });
    expect(outcome.error?.kind).toBe('BudgetExceeded');
    expect(logViolations(events)).toEqual([]);
  });

  it('a model that times out on every attempt fails the leaf after its retries', async () => {
    const model = createScriptedModel({ fault: () => 'hang', concurrency: 1 });
    const { outcome } = await runExample('summary', 4000, 1, {
      model,
      scheduler: { timeoutMs: 5, maxRetries: 1, backoffBaseMs: 1 },
    });
    expect(outcome.error?.kind).toBe('LeafFailed');
    expect(outcome.error?.message).toMatch(/no answer within 5 ms/);
    expect(model.requests).toHaveLength(2);
  });

  it('the plan’s own budgets apply when the run gives none', async () => {
    const ex = example('oolong');
    const withBudget = { ...ex.plan, planner: { ...ex.plan.planner, budgets: { maxTokens: 500 } } };
    const sample = ex.generator.generate({ tokens: 8000, seed: 1 });
    const { outcome } = await runPlan(withBudget, sample.text, sample.query);
    expect(outcome.error?.kind).toBe('BudgetExceeded');
  });

  it('a provider that cannot run at all ends the run with ProviderUnavailable', async () => {
    const model = createScriptedModel({
      fault: () => new ProviderError('no WebGPU here', 'unavailable'),
      concurrency: 1,
    });
    const { outcome, events } = await runExample('summary', 8000, 1, { model });
    expect(outcome.error?.kind).toBe('ProviderUnavailable');
    expect(model.requests).toHaveLength(1);
    expect(logViolations(events)).toEqual([]);
  });

  it('a defect inside a node ends the run as a typed error, flagged internal, with a sound log', async () => {
    // A catalog of its own whose Concat is broken: the built-in one is left alone.
    const broken = {
      ...catalog,
      Concat: {
        ...(catalog.Concat as NodeSpec),
        compute: () => {
          throw new TypeError('boom');
        },
      },
    };
    const { outcome, events } = await runExample('summary', 12_000, 1, { catalog: broken });
    expect(outcome).toMatchObject({
      ok: false,
      internal: true,
      error: { kind: 'LeafFailed', nodeId: 'concat' },
    });
    expect(outcome.error?.message).toBe('internal error: boom');
    expect(logViolations(events)).toEqual([]);
  });

  it('a plan that does not type-check is refused before the run starts', async () => {
    const broken = plan({
      nodes: [
        { id: 'a', kind: 'Concat' },
        { id: 'b', kind: 'Concat' },
      ],
      wires: [
        { id: 'w1', from: { node: 'a', port: 'text' }, to: { node: 'b', port: 'items' } },
        { id: 'w2', from: { node: 'b', port: 'text' }, to: { node: 'a', port: 'items' } },
      ],
    });
    const events: TraceEvent[] = [];
    const refused = await runPlan(broken, 'x', '', { onEvent: (e) => events.push(e) }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(PlanCheckError);
    expect((refused as PlanCheckError).diagnostics.some((d) => d.code === 'cycle')).toBe(true);
    expect(events).toEqual([]);
  });
});
