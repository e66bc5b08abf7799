import { describe, expect, it } from 'vitest';
import { check } from '../check/typecheck.ts';
import { loadPlan } from '../format/load.ts';
import { planSchema } from '../format/plan.ts';
import { estimate } from '../plan/planner.ts';
import { evaluate } from '../run/evaluator.ts';
import { createScriptedModel } from '../testing/scripted-model.ts';
import { type Catalog, catalog, paletteGroupsOf } from './catalog.ts';
import { sentencesSpec } from './fixtures/sentences.ts';
import { planToTerm } from './lambda-term.ts';

/** The one catalog line a new kind needs. */
const kinds: Catalog = { ...catalog, Sentences: sentencesSpec };

const doc = {
  format: 'fixpoint/plan',
  version: 1,
  name: 'one call per sentence',
  query: 'What does it say?',
  nodes: [
    { id: 'in', kind: 'Input' },
    { id: 'cut', kind: 'Sentences' },
    { id: 'map', kind: 'Map' },
    { id: 'map.in', kind: 'Entry', parent: 'map' },
    { id: 'ask', kind: 'LLM', parent: 'map', params: { template: 'Say it again: {{chunk}}', maxTokens: 16 } },
    { id: 'map.out', kind: 'Exit', parent: 'map' },
    { id: 'join', kind: 'Reduce', params: { op: 'concat', separator: ' | ' } },
    { id: 'out', kind: 'Output' },
  ],
  wires: [
    ['in', 'text', 'cut', 'text'],
    ['cut', 'parts', 'map', 'items'],
    ['map.in', 'item', 'ask', 'chunk'],
    ['ask', 'text', 'map.out', 'result'],
    ['map', 'results', 'join', 'items'],
    ['join', 'result', 'out', 'value'],
  ].map(([a, b, c, d], i) => ({ id: `w${i}`, from: { node: a, port: b }, to: { node: c, port: d } })),
};

const text = 'The owl flew. It saw a mouse! Did it catch it? Nobody knows.';

describe('a node kind added with one file and one catalog line', () => {
  it('is checked, typed and drawn in the palette from its spec', () => {
    const result = check(doc, { catalog: kinds });
    expect(result.diagnostics).toEqual([]);
    expect(result.portTypes.cut).toEqual({ text: 'Str', parts: 'List<Str>' });
    expect(result.portTypes.map?.results).toBe('List<Str>');
    expect(paletteGroupsOf(kinds).find((g) => g.group === 'symbolic')?.kinds).toContain('Sentences');
    const loaded = loadPlan(doc, { catalog: kinds });
    if (!loaded.ok) throw new Error('does not load');
    expect(planToTerm(loaded.plan, kinds)).toContain('let cut = sentences in');
  });

  it('is planned by running it on the input: one leaf per sentence', () => {
    const loaded = loadPlan(doc, { catalog: kinds });
    if (!loaded.ok) throw new Error('does not load');
    const e = estimate(loaded.plan, { inputText: text, contextWindow: 4096, catalog: kinds });
    expect(e.leafCalls).toBe(4);
    expect(e.totalCalls).toBe(4);
    // Without the text, its own bound (a sentence per two characters) bounds the calls.
    const blind = estimate(loaded.plan, { inputTokens: 15, contextWindow: 4096, catalog: kinds });
    expect(blind.totalCalls).toBe(Math.ceil((15 * 4) / 2));
  });

  it('runs, with its spans in the log', async () => {
    const loaded = loadPlan(doc, { catalog: kinds });
    if (!loaded.ok) throw new Error('does not load');
    const model = createScriptedModel();
    const events: { type: string; nodeId?: string; span?: unknown }[] = [];
    const outcome = await evaluate(loaded.plan, {
      input: text,
      model,
      catalog: kinds,
      onEvent: (e) => events.push(e),
    });
    expect(outcome.ok).toBe(true);
    expect(model.requests.map((r) => r.messages.at(-1)?.content)).toEqual([
      'Say it again: The owl flew. ',
      'Say it again: It saw a mouse! ',
      'Say it again: Did it catch it? ',
      'Say it again: Nobody knows.',
    ]);
    const items = events.filter((e) => e.type === 'call.start' && e.nodeId === 'map');
    expect(items.slice(1).map((e) => e.span)).toEqual([
      [0, 14],
      [14, 30],
      [30, 47],
      [47, 60],
    ]);
  });

  it('is refused by the built-in catalog: files and links know only the built-in kinds', () => {
    const loaded = loadPlan(doc);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.diagnostics[0]?.message).toMatch(/unknown node kind "Sentences"/);
    expect(check(doc).diagnostics[0]?.code).toBe('schema');
    expect(() => planSchema.parse({ ...doc, nodes: [{ id: 'x', kind: 'not a kind!' }] })).toThrow();
  });
});
