import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { decodeOtlpJson, decodeOtlpProtobuf, type ReceivedSpan } from '../../test/otlp-receiver/decode.ts';
import { spanTreeProblems } from '../../test/otlp-receiver/span-tree.ts';
import { syntheticLog } from '../../test/synthetic-log.ts';
import { costOf, type ModelPrice, parseTrace, serializeTrace, type TraceEvent } from '../lang/index.ts';
import { loadExamples } from '../lang/testing/examples.ts';
import { owlSearchPlan, planOf } from '../lang/testing/plans.ts';
import { createScriptedModel, type ScriptedModelOptions } from '../lang/testing/scripted-model.ts';
import { runPlan } from '../runtime/run-plan.ts';
import { otlpFileFromLog, otlpJson } from './otlp-json.ts';
import { SpanExportError, spansFromLog } from './spans.ts';

const examples = loadExamples();

async function runExample(file: string, model: ScriptedModelOptions = {}, seed = 5, price?: ModelPrice) {
  const example = examples.find((e) => e.file === file)!;
  const sample = example.generator.generate({ tokens: 12_000, seed });
  const events: TraceEvent[] = [];
  const outcome = await runPlan({
    ...(price && { price }),
    plan: example.plan,
    input: sample.text,
    query: sample.query,
    // The scripted model answers from the sample's ground truth, handed to it out of band.
    model: createScriptedModel({ latencyMs: 1, truth: sample.truth, ...model }),
    onEvent: (e) => events.push(e),
  });
  return { events, outcome };
}

function decoded(events: readonly TraceEvent[], includeContent = false): ReceivedSpan[] {
  const file = otlpFileFromLog(events, { includeContent });
  return decodeOtlpJson(new TextDecoder().decode(file.bytes)).flatMap((b) => b.spans);
}

const byCall = (spans: readonly ReceivedSpan[], callId: string) =>
  spans.find((s) => s.attributes['fixpoint.call.id'] === callId)!;
const chats = (spans: readonly ReceivedSpan[]) =>
  spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');

describe('a run as OpenTelemetry spans', () => {
  it('nests every example run as its recursion tree, with one chat span per model call and its tokens', async () => {
    for (const { file } of examples) {
      const { events, outcome } = await runExample(file);
      expect(outcome.ok, file).toBe(true);
      const spans = decoded(events);
      expect(spanTreeProblems(spans, events), file).toEqual([]);
      const leafDone = events.filter((e) => e.type === 'leaf.done' && !e.cached);
      expect(chats(spans).length, file).toBe(leafDone.length);
      const tokens = (key: string) => chats(spans).reduce((n, s) => n + Number(s.attributes[key]), 0);
      const done = events.at(-1) as Extract<TraceEvent, { type: 'run.done' }>;
      expect(tokens('gen_ai.usage.input_tokens')).toBe(done.totals.promptTokens);
      expect(tokens('gen_ai.usage.output_tokens')).toBe(done.totals.completionTokens);
    }
  });

  it('puts the cost on each chat span and the run when the run had a price, and none without one', async () => {
    // Made-up figures: the project writes down no provider's prices.
    const price: ModelPrice = { input: 0.6, output: 2.4, currency: 'EUR' };
    const { events, outcome } = await runExample('oolong.json', {}, 5, price);
    if (outcome.stage !== 'run' || !outcome.cost) throw new Error('the priced run failed');
    const spans = decoded(events);
    const answered = events.filter(
      (e): e is Extract<TraceEvent, { type: 'leaf.done' }> => e.type === 'leaf.done' && !e.cached,
    );
    const leafCosts = chats(spans).map((s) => Number(s.attributes['fixpoint.leaf.cost']));
    expect(leafCosts.sort()).toEqual(answered.map((e) => costOf(price, e)).sort());
    expect(chats(spans).every((s) => s.attributes['fixpoint.cost.currency'] === 'EUR')).toBe(true);
    const run = spans.find((s) => s.attributes['gen_ai.operation.name'] === 'invoke_workflow')!;
    expect(Number(run.attributes['fixpoint.run.cost'])).toBeCloseTo(outcome.cost.amount, 12);
    expect(run.attributes['fixpoint.cost.currency']).toBe('EUR');

    const unpriced = decoded((await runExample('oolong.json')).events);
    expect(
      unpriced.some((s) => 'fixpoint.run.cost' in s.attributes || 'fixpoint.leaf.cost' in s.attributes),
    ).toBe(false);
  });

  it('writes the GenAI attributes of a chat call: operation, provider, model, request settings, finish reason', async () => {
    const { events } = await runExample('sniah.json', { id: 'api:Qwen/Qwen3-8B' });
    const spans = decoded(events);
    const chat = chats(spans)[0]!;
    expect(chat.name).toBe('chat Qwen/Qwen3-8B');
    expect(chat.kind).toBe(3);
    expect(chat.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'Qwen/Qwen3-8B',
      'gen_ai.request.max_tokens': expect.any(Number),
      'gen_ai.request.temperature': 0,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    const workflow = spans.find((s) => s.parentSpanId === '')!;
    const name = examples.find((e) => e.file === 'sniah.json')!.plan.name;
    expect(workflow.name).toBe(`invoke_workflow ${name}`);
    expect(workflow.attributes['gen_ai.workflow.name']).toBe(name);
    expect(workflow.attributes['fixpoint.run.complete']).toBe(true);
  });

  it("takes its times from the log: startedAt plus each event's t, the chat span the model's own time", () => {
    const startedAt = Date.UTC(2026, 10, 30, 9, 0, 0);
    const events = syntheticLog({ k: 3, depth: 2, startedAt });
    const spans = decoded(events);
    const ns = (t: number) => BigInt(startedAt) * 1_000_000n + BigInt(Math.round(t * 1e6));
    const workflow = spans.find((s) => s.parentSpanId === '')!;
    expect(workflow.startNs).toBe(ns(0));
    expect(workflow.endNs).toBe(ns((events.at(-1) as TraceEvent).t));
    for (const e of events) {
      if (e.type === 'call.start') expect(byCall(spans, e.callId).startNs).toBe(ns(e.t));
      if (e.type === 'call.done') expect(byCall(spans, e.callId).endNs).toBe(ns(e.t));
    }
    const done = events.find((e) => e.type === 'leaf.done' && e.ms > 0) as Extract<
      TraceEvent,
      { type: 'leaf.done' }
    >;
    const chat = spans.find(
      (s) =>
        s.parentSpanId === byCall(spans, done.callId).spanId &&
        s.attributes['gen_ai.operation.name'] === 'chat',
    )!;
    expect(chat.endNs - chat.startNs).toBe(BigInt(Math.round(done.ms * 1e6)));
  });

  it('gives the same bytes when exported again and when the log went through a .jsonl file', () => {
    const events = syntheticLog({ k: 4, depth: 2, startedAt: 1_790_000_000_000, cachedLeaves: new Set([1]) });
    const first = otlpFileFromLog(events);
    const reread = parseTrace(serializeTrace(events));
    expect(reread.ok).toBe(true);
    const again = otlpFileFromLog(reread.ok ? reread.events : []);
    expect(Buffer.from(again.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    // Another run gets other ids.
    const other = otlpFileFromLog(
      syntheticLog({ k: 4, depth: 2, startedAt: 1_790_000_000_000, runId: 'other' }),
    );
    expect(other.traceId).not.toBe(first.traceId);
  });

  it('encodes the same spans as OTLP protobuf', () => {
    const events = syntheticLog({ k: 3, depth: 2, startedAt: 1_790_000_000_000, failLeaves: new Set([2]) });
    const { spans } = spansFromLog(events, { includeContent: true });
    const json = decodeOtlpJson(new TextDecoder().decode(otlpJson(spans)));
    const proto = decodeOtlpProtobuf(ProtobufTraceSerializer.serializeRequest(spans)!);
    expect(proto).toEqual(json);
    expect(spanTreeProblems(proto[0]!.spans, events)).toEqual([]);
  });

  it('leaves prompts, outputs, summaries, the query and the result out unless asked', async () => {
    const { events } = await runExample('oolong.json');
    const plain = decoded(events, false);
    const keys = new Set(plain.flatMap((s) => Object.keys(s.attributes)));
    for (const k of [
      'gen_ai.input.messages',
      'gen_ai.output.messages',
      'fixpoint.call.summary',
      'fixpoint.run.query',
      'fixpoint.run.result',
    ])
      expect(keys.has(k), k).toBe(false);
    const request = events.find((e) => e.type === 'leaf.request') as Extract<
      TraceEvent,
      { type: 'leaf.request' }
    >;
    const answer = events.find((e) => e.type === 'leaf.done' && e.callId === request.callId) as Extract<
      TraceEvent,
      { type: 'leaf.done' }
    >;
    const document = request.messages.at(-1)!.content;
    const bytes = new TextDecoder().decode(otlpFileFromLog(events).bytes);
    expect(bytes).not.toContain(document.slice(0, 200));

    const full = decoded(events, true);
    const chat = full.find(
      (s) =>
        s.parentSpanId === byCall(full, request.callId).spanId &&
        s.attributes['gen_ai.operation.name'] === 'chat',
    )!;
    expect(JSON.parse(String(chat.attributes['gen_ai.input.messages']))).toEqual(
      request.messages.map((m) => ({ role: m.role, parts: [{ type: 'text', content: m.content }] })),
    );
    expect(JSON.parse(String(chat.attributes['gen_ai.output.messages']))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: answer.text }], finish_reason: 'stop' },
    ]);
    const workflow = full.find((s) => s.parentSpanId === '')!;
    expect(workflow.attributes['fixpoint.run.query']).toBe(
      (events[0] as Extract<TraceEvent, { type: 'run.start' }>).query,
    );
    expect(typeof workflow.attributes['fixpoint.run.result']).toBe('string');
  });

  it('carries no API key, not even from a model that echoed it into its answers', async () => {
    const key = 'sk-test-3f9a7c21d0b84e6f';
    const { events } = await runExample('oolong.json', { rewrite: (text) => `${text} (key ${key})` });
    expect(JSON.stringify(events)).toContain(key);
    const file = otlpFileFromLog(events, { includeContent: true, secrets: [key] });
    expect(file.redacted).toBeGreaterThan(0);
    expect(Buffer.from(file.bytes).includes(key)).toBe(false);
    expect(new TextDecoder().decode(file.bytes)).toContain('[redacted]');
  });

  it('marks failures, cache hits and a run cut short', () => {
    const events = syntheticLog({
      k: 3,
      depth: 2,
      startedAt: 1_790_000_000_000,
      failLeaves: new Set([0]),
      cachedLeaves: new Set([4]),
    });
    const spans = decoded(events);
    expect(spanTreeProblems(spans, events)).toEqual([]);
    const failed = events.find((e) => e.type === 'call.error') as Extract<TraceEvent, { type: 'call.error' }>;
    const failedSpan = byCall(spans, failed.callId);
    expect(failedSpan.status).toEqual({ code: 2, message: failed.error.message });
    expect(failedSpan.attributes['error.type']).toBe('LeafFailed');
    const cached = events.find((e) => e.type === 'leaf.done' && e.cached) as Extract<
      TraceEvent,
      { type: 'leaf.done' }
    >;
    expect(byCall(spans, cached.callId).attributes['fixpoint.leaf.cached']).toBe(true);
    const workflow = spans.find((s) => s.parentSpanId === '')!;
    expect(workflow.status.code).toBe(2);

    const cut = syntheticLog({ k: 3, depth: 2, startedAt: 1_790_000_000_000, truncateAt: 12 });
    const cutSpans = decoded(cut);
    expect(spanTreeProblems(cutSpans, cut)).toEqual([]);
    const open = cutSpans.filter((s) => s.attributes['fixpoint.call.unfinished'] === true);
    expect(open.length).toBeGreaterThan(0);
    const lastT =
      1_790_000_000_000n * 1_000_000n + BigInt(Math.round(Math.max(...cut.map((e) => e.t)) * 1e6));
    for (const s of open) expect(s.endNs).toBe(lastT);
    expect(cutSpans.find((s) => s.parentSpanId === '')!.attributes['fixpoint.run.complete']).toBe(false);
  });

  it('marks calls stopped by an abort as aborted, not failed', async () => {
    const example = examples.find((e) => e.file === 'oolong.json')!;
    const sample = example.generator.generate({ tokens: 12_000, seed: 2 });
    const events: TraceEvent[] = [];
    const controller = new AbortController();
    await runPlan({
      plan: example.plan,
      input: sample.text,
      model: createScriptedModel({ latencyMs: 30, concurrency: 2, truth: sample.truth }),
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'leaf.done') controller.abort();
      },
    });
    const stopped = events.filter((e) => e.type === 'call.error' && e.error.kind === 'Aborted');
    expect(stopped.length).toBeGreaterThan(0);
    const spans = decoded(events);
    expect(spanTreeProblems(spans, events)).toEqual([]);
    for (const e of stopped) {
      const span = byCall(spans, (e as { callId: string }).callId);
      expect(span.attributes['error.type']).toBe('Aborted');
      expect(span.status.code).toBe(0);
    }
    const workflow = spans.find((s) => s.parentSpanId === '')!;
    expect(workflow.attributes['error.type']).toBe('Aborted');
    expect(workflow.status.code).toBe(0);
  });

  it('ignores event kinds it does not know', () => {
    const events = syntheticLog({ k: 2, depth: 2, startedAt: 1_790_000_000_000 });
    const withNew = events.flatMap((e) =>
      e.type === 'call.done'
        ? [e, { ...e, type: 'filter.emptiness', kept: 0, of: 3 } as unknown as TraceEvent]
        : [e],
    );
    expect(
      Buffer.from(otlpFileFromLog(withNew).bytes).equals(Buffer.from(otlpFileFromLog(events).bytes)),
    ).toBe(true);
  });

  it('needs a start time for a log written before it was recorded, and says so', () => {
    const events = syntheticLog({ k: 2, depth: 1 });
    expect(() => spansFromLog(events)).toThrow(SpanExportError);
    const fallbackStartMs = 1_700_000_000_000;
    const { spans } = spansFromLog(events, { fallbackStartMs });
    expect(spans[0]!.startTime).toEqual([1_700_000_000, 0]);
  });

  it('marks absent calls and an absent run, and puts a Filter that kept nothing on its span as an event', async () => {
    const plan = owlSearchPlan();
    const events: TraceEvent[] = [];
    const outcome = await runPlan({
      plan,
      input: 'The fox ran.\nThe heron waited.\nThe hare slept.',
      model: createScriptedModel({ rewrite: () => 'NOT_FOUND' }),
      onEvent: (e) => events.push(e),
    });
    expect(outcome).toMatchObject({ ok: true, absent: true });
    const startedAt = 1_790_000_000_000;
    const dated = events.map((e) => (e.type === 'run.start' ? { ...e, startedAt } : e));
    const spans = decoded(dated, true);
    expect(spanTreeProblems(spans, dated)).toEqual([]);

    const workflow = spans.find((s) => s.parentSpanId === '')!;
    expect(workflow.attributes['fixpoint.run.absent']).toBe(true);
    expect(workflow.attributes['fixpoint.run.result']).toBe('no answer found (read 3 pieces)');
    const absentCalls = dated.filter((e) => e.type === 'call.done' && e.absent);
    expect(absentCalls.length).toBeGreaterThanOrEqual(3);
    for (const e of absentCalls)
      expect(byCall(spans, (e as { callId: string }).callId).attributes['fixpoint.call.absent']).toBe(true);
    const present = dated.filter((e) => e.type === 'call.done' && !e.absent);
    for (const e of present)
      expect(
        byCall(spans, (e as { callId: string }).callId).attributes['fixpoint.call.absent'],
      ).toBeUndefined();

    const empty = dated.find((e) => e.type === 'filter.empty') as Extract<
      TraceEvent,
      { type: 'filter.empty' }
    >;
    const filterSpan = byCall(spans, empty.callId);
    expect(filterSpan.events).toEqual([
      {
        name: 'fixpoint.filter.empty',
        timeNs: BigInt(startedAt) * 1_000_000n + BigInt(Math.round(empty.t * 1e6)),
        attributes: {
          'fixpoint.filter.kept': 0,
          'fixpoint.filter.of': 3,
          'fixpoint.filter.policy': 'all',
          'fixpoint.filter.outcome': 'kept 0 of 3',
        },
      },
    ]);
    // Only the Filter's span carries it.
    expect(spans.filter((s) => s.events.length > 0)).toHaveLength(1);
  });

  it("decodes the log's values before summarising the result", async () => {
    const plan = planOf({
      nodes: [
        { id: 'c', kind: 'Const', params: { type: 'Json', value: { $price: 3 } } },
        { id: 'out', kind: 'Output' },
      ],
      wires: [['c', 'value', 'out', 'value']],
    });
    const events: TraceEvent[] = [];
    await runPlan({ plan, input: 'x', model: createScriptedModel(), onEvent: (e) => events.push(e) });
    const done = events.at(-1) as Extract<TraceEvent, { type: 'run.done' }>;
    // Format 2 escapes a key beginning with `$`; the summary reads the value, not its encoding.
    expect(done.result).toEqual({ $$price: 3 });
    const dated = events.map((e) => (e.type === 'run.start' ? { ...e, startedAt: 1_790_000_000_000 } : e));
    const workflow = decoded(dated, true).find((s) => s.parentSpanId === '')!;
    expect(workflow.attributes['fixpoint.run.result']).toBe('{$price: 3}');
  });
});
