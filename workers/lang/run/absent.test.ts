import { describe, expect, it } from 'vitest';
import { PLAN_VERSION, type Plan, planSchema } from '../format/plan.ts';
import { parseTrace, serializeTrace } from '../format/trace-file.ts';
import { ABSENT, decodeValue, encodeValue, isSentinelReply } from '../nodes/absent.ts';
import { logViolations } from '../testing/log-invariants.ts';
import { wires } from '../testing/plans.ts';
import { createScriptedModel } from '../testing/scripted-model.ts';
import { evaluate } from './evaluator.ts';
import type { TraceEvent } from './events.ts';

/** Split → Map(LLM) → Reduce(op) → Output, each piece a line; the model's reply per piece is scripted. */
const search = (op: string, llm: Record<string, unknown> = {}): Plan =>
  planSchema.parse({
    format: 'fixpoint/plan',
    version: PLAN_VERSION,
    name: 'search',
    query: 'What is the number?',
    nodes: [
      { id: 'in', kind: 'Input' },
      { id: 'split', kind: 'Split', params: { mode: 'lines', lines: 1 } },
      { id: 'map', kind: 'Map' },
      { id: 'map.in', kind: 'Entry', parent: 'map' },
      {
        id: 'ask',
        kind: 'LLM',
        parent: 'map',
        params: { template: 'Find the number in:\n{{chunk}}\nor reply NOT_FOUND.', maxTokens: 16, ...llm },
      },
      { id: 'map.out', kind: 'Exit', parent: 'map' },
      { id: 'red', kind: 'Reduce', params: { op } },
      { id: 'unit', kind: 'Const', params: { type: 'Str', value: 'no pieces' } },
      { id: 'out', kind: 'Output' },
    ],
    wires: wires([
      ['in', 'text', 'split', 'text'],
      ['split', 'parts', 'map', 'items'],
      ['map.in', 'item', 'ask', 'chunk'],
      ['ask', 'text', 'map.out', 'result'],
      ['map', 'results', 'red', 'items'],
      ...(op === 'best' ? [['unit', 'value', 'red', 'unit'] as const] : []),
      ['red', 'result', 'out', 'value'],
    ]),
  });

/** A model that answers each piece by its line: "reply: X" makes it reply X. */
const model = () =>
  createScriptedModel({
    rewrite: (_t, request) =>
      /reply: (.*)$/m.exec(request.messages.at(-1)?.content ?? '')?.[1] ?? 'NOT_FOUND',
  });

async function run(plan: Plan, input: string) {
  const events: TraceEvent[] = [];
  const outcome = await evaluate(plan, { input, model: model(), onEvent: (e) => events.push(e) });
  return { outcome, events };
}

describe('absence', () => {
  it('knows its sentinel in any case, spacing, underscores and punctuation, and nothing else', () => {
    for (const reply of [
      'NOT_FOUND',
      'NOT FOUND',
      'not found',
      'Not_Found.',
      '`NOT_FOUND`',
      '**Not found**',
      ' not-found! ',
    ])
      expect(isSentinelReply(reply, 'NOT_FOUND'), reply).toBe(true);
    for (const reply of ['none', 'None', 'NOT_FOUND: 42', 'It was not found in the text.', '', '4417203'])
      expect(isSentinelReply(reply, 'NOT_FOUND'), reply).toBe(false);
    expect(isSentinelReply('NOT_FOUND', '')).toBe(false);
    expect(isSentinelReply('nothing here', 'Nothing here.')).toBe(true);
  });

  it('best skips "no answer here", whatever the spelling, and keeps the answer', async () => {
    const input = 'reply: NOT FOUND\nreply: Not_Found.\nreply: 4417203\nreply: 99';
    const { outcome, events } = await run(search('best'), input);
    expect(outcome).toMatchObject({ ok: true, result: '4417203' });
    expect(logViolations(events)).toEqual([]);
  });

  it('"none" is an answer, not absence, unless the node says so', async () => {
    expect((await run(search('best'), 'reply: none\nreply: 7')).outcome.result).toBe('none');
    const custom = await run(
      search('best', { notFound: 'none', template: '{{chunk}}\n(or none)' }),
      'reply: none\nreply: 7',
    );
    expect(custom.outcome.result).toBe('7');
  });

  it('a run that finds nothing says so, with the pieces read, and logs absent as its own value', async () => {
    const { outcome, events } = await run(
      search('best'),
      'reply: NOT_FOUND\nreply: not found\nreply: NOT FOUND.',
    );
    expect(outcome).toMatchObject({ ok: true, absent: true, totals: { leafCalls: 3 } });
    expect(outcome.result).toBeUndefined();
    const done = events.at(-1) as Extract<TraceEvent, { type: 'run.done' }>;
    expect(done).toMatchObject({ type: 'run.done', ok: true, absent: true });
    expect(done.result).toBeUndefined();
    const answers = events.filter((e) => e.type === 'call.done' && e.absent === true);
    // Three leaves, the Map's item calls around them, and the Reduce.
    expect(answers.length).toBeGreaterThanOrEqual(4);
    const lists = events.flatMap((e) => (e.type === 'call.done' && Array.isArray(e.value) ? [e.value] : []));
    // The Map's results: three absent answers, in the log's own encoding.
    expect(lists).toContainEqual([{ $absent: true }, { $absent: true }, { $absent: true }]);
    expect(logViolations(events)).toEqual([]);
  });

  it('union, concat and merge-style ops skip absent items; all absent gives absent', async () => {
    const concat = await run(search('concat'), 'reply: a\nreply: NOT_FOUND\nreply: b');
    expect(concat.outcome.result).toBe('a\n\nb');
    expect((await run(search('concat'), 'reply: NOT_FOUND')).outcome.absent).toBe(true);
  });

  it('a node given an absent input gives absent, and asks no model', async () => {
    // Map(LLM) → Reduce best → LLM "rephrase {{chunk}}" → Output: the second LLM gets absent.
    const base = search('best');
    const plan = planSchema.parse({
      ...base,
      nodes: [
        ...base.nodes.filter((n) => n.id !== 'out'),
        { id: 'again', kind: 'LLM', params: { template: 'Rephrase {{chunk}}', notFound: '' } },
        { id: 'parse', kind: 'Parse', params: { as: 'int' } },
        { id: 'out', kind: 'Output' },
      ],
      wires: [
        ...base.wires.filter((w) => w.to.node !== 'out'),
        { id: 'x1', from: { node: 'red', port: 'result' }, to: { node: 'again', port: 'chunk' } },
        { id: 'x2', from: { node: 'again', port: 'text' }, to: { node: 'parse', port: 'text' } },
        { id: 'x3', from: { node: 'parse', port: 'value' }, to: { node: 'out', port: 'value' } },
      ],
    });
    const m = model();
    const outcome = await evaluate(plan, { input: 'reply: NOT_FOUND\nreply: NOT_FOUND', model: m });
    expect(outcome).toMatchObject({ ok: true, absent: true });
    expect(m.requests).toHaveLength(2);
  });

  it('encodes absent in the log so no value can pass for it, and decodes it back', () => {
    const value = ['a', ABSENT, { $absent: true }, { $$x: 1, y: [ABSENT] }];
    const encoded = encodeValue(value);
    expect(encoded).toEqual([
      'a',
      { $absent: true },
      { $$absent: true },
      { $$$x: 1, y: [{ $absent: true }] },
    ]);
    expect(decodeValue(JSON.parse(JSON.stringify(encoded)))).toEqual(value);
    expect(decodeValue([{ $absent: true }], 1)).toEqual([{ $absent: true }]);
  });

  it('a version-2 log with absent values replays; a version-1 log still does', async () => {
    const { events } = await run(search('best'), 'reply: NOT_FOUND\nreply: 5');
    const v2 = parseTrace(serializeTrace(events));
    expect(v2.ok && v2.events.length).toBe(events.length);
    expect(events[0]).toMatchObject({ type: 'run.start', logVersion: 2 });
    const v1 = events
      .filter((e) => !(e.type === 'call.done' && e.absent))
      .map((e) => {
        if (e.type !== 'run.start') return e;
        const { logVersion: _, ...rest } = e;
        return rest;
      });
    const parsed = parseTrace(serializeTrace(v1 as TraceEvent[]));
    expect(parsed.ok).toBe(true);
    const newer = parseTrace(serializeTrace([{ ...events[0], logVersion: 3 } as TraceEvent]));
    expect(newer).toMatchObject({ ok: false });
    if (!newer.ok) expect(newer.error).toMatch(/newer Fixpoint \(run-log format 3\)/);
  });
});
