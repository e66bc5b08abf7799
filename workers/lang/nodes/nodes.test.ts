import { describe, expect, it } from 'vitest';
import type { NodeKind } from '../format/plan.ts';
import { estimateTokenizer } from '../plan/tokenizer.ts';
import { isRunError } from '../run/errors.ts';
import type { LeafRequest, LeafResponse } from '../run/provider.ts';
import { nodeSpec, resolveParams } from './catalog.ts';
import type { EvalContext, Params, Span, Value } from './node-spec.ts';

/** A test double: records leaf requests and spans, answers from a script. */
function scriptedContext(answer: (r: LeafRequest) => LeafResponse, inputSpans: Record<string, Span> = {}) {
  const requests: LeafRequest[] = [];
  const spans: { port: string; relativeTo: string; spans: Span | Span[] }[] = [];
  const ctx: EvalContext = {
    nodeId: 'n1',
    query: 'Q?',
    tokenizer: estimateTokenizer,
    signal: new AbortController().signal,
    sizing: { kStar: 3, tauStar: 10, depth: 1 },
    inFixStep: false,
    leaf: async (r) => {
      requests.push(r);
      return answer(r);
    },
    inputSpan: (port) => inputSpans[port] ?? null,
    recordSpans: (port, relativeTo, s) => {
      spans.push({ port, relativeTo, spans: s });
    },
  };
  return { ctx, requests, spans };
}

const ok = (text: string): LeafResponse => ({
  text,
  usage: { promptTokens: 1, completionTokens: 1 },
  finishReason: 'stop',
});

async function run(kind: NodeKind, inputs: Record<string, Value>, params: Params, ctx: EvalContext) {
  const spec = nodeSpec(kind);
  if (spec.evaluate) return spec.evaluate(inputs, resolveParams(kind, params), ctx);
  if (!spec.compute) throw new Error(`${kind} has no semantics of its own`);
  return spec.compute(inputs, resolveParams(kind, params), ctx);
}

describe('node semantics', () => {
  it('LLM renders the template, sends system, max tokens and schema, strips <think>', async () => {
    const { ctx, requests } = scriptedContext(() => ok('<think>x</think> Paris '));
    const out = await run(
      'LLM',
      { chunk: 'C', extra: { a: 1 } },
      {
        template: '{{query}}|{{chunk}}|{{extra}}|{{ query }}',
        system: 'S',
        maxTokens: 9,
        jsonSchema: { type: 'string' },
      },
      ctx,
    );
    expect(out).toEqual({ text: 'Paris' });
    expect(requests[0]).toEqual({
      messages: [
        { role: 'system', content: 'S' },
        { role: 'user', content: 'Q?|C|{"a":1}|Q?' },
      ],
      maxTokens: 9,
      temperature: 0,
      jsonSchema: { type: 'string' },
    });
  });

  it('LLM reports an answer cut at max tokens as LeafFailed', async () => {
    const { ctx } = scriptedContext(() => ({ ...ok('long'), finishReason: 'length' }));
    const e = await run('LLM', { chunk: 'x' }, { maxTokens: 5 }, ctx).catch((err: unknown) => err);
    expect(isRunError(e) && e.kind).toBe('LeafFailed');
    expect(isRunError(e) && e.nodeId).toBe('n1');
    expect((e as Error).message).toMatch(/5-token limit/);
  });

  it('Split cuts pieces of τ* tokens in auto mode and records spans relative to its input', async () => {
    const { ctx, spans } = scriptedContext(() => ok(''));
    ctx.sizing = { kStar: 3, tauStar: 2, depth: 1 };
    const out = await run('Split', { text: 'aa bb cc dd ee ff' }, { mode: 'auto' }, ctx);
    expect(out.parts).toHaveLength(3);
    expect(spans).toEqual([
      {
        port: 'parts',
        relativeTo: 'text',
        spans: [
          [0, 6],
          [6, 12],
          [12, 17],
        ],
      },
    ]);
  });

  it('Peek slices and records its span', async () => {
    const { ctx, spans } = scriptedContext(() => ok(''));
    expect(await run('Peek', { text: 'hello world' }, { start: 6, end: null }, ctx)).toEqual({
      preview: 'world',
    });
    expect(await run('Peek', { text: 'hello world' }, { start: -5, end: -2 }, ctx)).toEqual({
      preview: 'wor',
    });
    expect(spans[0]).toEqual({ port: 'preview', relativeTo: 'text', spans: [6, 11] });
  });

  it('Match by keywords (any/all, whole words, case) and by safe regex', async () => {
    const { ctx } = scriptedContext(() => ok(''));
    const m = (params: Params, text = 'The Secret code is 42') => run('Match', { text }, params, ctx);
    expect(await m({ keywords: 'secret\nmissing' })).toEqual({ match: true });
    expect(await m({ keywords: 'secret\nmissing', require: 'all' })).toEqual({ match: false });
    expect(await m({ keywords: 'secret', caseSensitive: true })).toEqual({ match: false });
    expect(await m({ keywords: 'cod', wholeWord: true })).toEqual({ match: false });
    expect(await m({ keywords: 'code', wholeWord: true })).toEqual({ match: true });
    expect(await m({ mode: 'regex', pattern: 'code is \\d+$' })).toEqual({ match: true });
    expect(await m({ mode: 'regex', pattern: 'code is \\d+$', negate: true })).toEqual({ match: false });
  });

  it('Concat, Cross, Pairs, Const, Query, Output', async () => {
    const { ctx } = scriptedContext(() => ok(''));
    expect(await run('Concat', { items: ['a', 'b'] }, { separator: '-' }, ctx)).toEqual({ text: 'a-b' });
    expect(await run('Cross', { left: [1, 2], right: ['x'] }, {}, ctx)).toEqual({
      pairs: [
        [1, 'x'],
        [2, 'x'],
      ],
    });
    expect(await run('Pairs', { items: ['a', 'b', 'c'] }, {}, ctx)).toEqual({
      pairs: [
        ['a', 'b'],
        ['a', 'c'],
        ['b', 'c'],
      ],
    });
    expect(await run('Const', {}, { type: 'List<Int>', value: [1, 2] }, ctx)).toEqual({ value: [1, 2] });
    expect(await run('Query', {}, {}, ctx)).toEqual({ text: 'Q?' });
    expect(await run('Output', { value: 3 }, {}, ctx)).toEqual({ value: 3 });
  });

  it('Parse reads strictly, and reports a mismatch as ParseFailed on its node', async () => {
    const { ctx } = scriptedContext(() => ok(''));
    expect(await run('Parse', { text: '```json\n["a", "b"]\n```' }, { as: 'list' }, ctx)).toEqual({
      value: ['a', 'b'],
    });
    expect(await run('Parse', { text: '- a\n- b' }, { as: 'lines' }, ctx)).toEqual({ value: ['a', 'b'] });
    expect(await run('Parse', { text: '- a\n- b' }, { as: 'list', strict: false }, ctx)).toEqual({
      value: ['a', 'b'],
    });
    const e = await run('Parse', { text: 'lots' }, { as: 'int', repair: false }, ctx).catch(
      (err: unknown) => err,
    );
    expect(isRunError(e) && [e.kind, e.nodeId]).toEqual(['ParseFailed', 'n1']);
  });

  it('Parse asks the model once to reformat an answer that does not read, and fails if that does not either', async () => {
    const fixed = scriptedContext(() => ok('["a", "b"]'));
    expect(await run('Parse', { text: 'The items are a and b.' }, { as: 'list' }, fixed.ctx)).toEqual({
      value: ['a', 'b'],
    });
    expect(fixed.requests).toHaveLength(1);
    const asked = fixed.requests[0];
    expect(asked?.messages[0]?.content).toMatch(
      /^Rewrite the answer below as a JSON array of strings.*\n\nAnswer:\nThe items are a and b\.$/s,
    );
    expect(asked?.jsonSchema).toEqual({ type: 'array', items: { type: 'string' } });
    const stubborn = scriptedContext(() => ok('Sure! a and b.'));
    const e = await run('Parse', { text: 'a, b' }, { as: 'list' }, stubborn.ctx).catch((err: unknown) => err);
    expect(isRunError(e) && e.kind).toBe('ParseFailed');
    expect((e as Error).message).toMatch(/after one repair call/);
    expect(stubborn.requests).toHaveLength(1);
  });

  it("Parse's value is no larger than the text it reads, or the repair call's answer when it may make one", () => {
    const spec = nodeSpec('Parse');
    const text = { bound: { size: 1, chars: 400, tokens: 100, item: null } };
    const tokens = (params: Params) =>
      spec.bound?.({ text }, resolveParams(spec, params), {} as never).value?.tokens;
    // A number, a tally or JSON written back out is no longer than what it was read from.
    expect(tokens({ as: 'counts', repair: false })).toBe(100);
    // The tolerant reading of a format-1 plan never asks for a repair either.
    expect(tokens({ as: 'json', strict: false })).toBe(100);
    // Otherwise the repair call's answer may be longer than the text it reformats.
    expect(tokens({ as: 'int' })).toBeGreaterThan(100);
    expect(tokens({ as: 'int' })).toBeLessThan(Infinity);
    // A list written back as a JSON array (how it sits in a prompt) is no longer than the array it was
    // read from; lines gain a pair of quotes and a comma each. Both count their items too.
    expect(tokens({ as: 'list', repair: false })).toBe(100);
    expect(tokens({ as: 'lines', repair: false, maxItems: 10 })).toBe(100 + 2 * 10 + 2);
    const list = spec.bound?.({ text }, resolveParams(spec, { as: 'list', maxItems: 7 }), {} as never).value;
    expect(list?.size).toBe(7);
    expect(list?.item?.tokens).toBe(tokens({ as: 'list' }));
  });
});
