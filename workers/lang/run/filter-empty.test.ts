import { describe, expect, it } from 'vitest';
import { loadPlan } from '../format/load.ts';
import { estimate } from '../plan/planner.ts';
import { logViolations } from '../testing/log-invariants.ts';
import { planOf } from '../testing/plans.ts';
import { createScriptedModel } from '../testing/scripted-model.ts';
import { evaluate } from './evaluator.ts';
import type { TraceEvent } from './events.ts';

/** Split by lines → Filter(Match on a keyword) → Map(LLM) → Reduce(concat). */
const plan = (ifNoneKept?: string) =>
  planOf({
    query: 'Where is the owl?',
    nodes: [
      { id: 'in', kind: 'Input' },
      { id: 'split', kind: 'Split', params: { mode: 'lines', lines: 1 } },
      { id: 'f', kind: 'Filter', params: ifNoneKept ? { ifNoneKept } : {} },
      { id: 'f.in', kind: 'Entry', parent: 'f' },
      { id: 'm', kind: 'Match', parent: 'f', params: { keywords: 'owl' } },
      { id: 'f.out', kind: 'Exit', parent: 'f' },
      { id: 'map', kind: 'Map' },
      { id: 'map.in', kind: 'Entry', parent: 'map' },
      { id: 'ask', kind: 'LLM', parent: 'map', params: { template: 'Read {{chunk}}', notFound: '' } },
      { id: 'map.out', kind: 'Exit', parent: 'map' },
      { id: 'cat', kind: 'Reduce', params: { op: 'concat' } },
      { id: 'out', kind: 'Output' },
    ],
    wires: [
      ['in', 'text', 'split', 'text'],
      ['split', 'parts', 'f', 'items'],
      ['f.in', 'item', 'm', 'text'],
      ['m', 'match', 'f.out', 'keep'],
      ['f', 'kept', 'map', 'items'],
      ['map.in', 'item', 'ask', 'chunk'],
      ['ask', 'text', 'map.out', 'result'],
      ['map', 'results', 'cat', 'items'],
      ['cat', 'result', 'out', 'value'],
    ],
  });

const input = 'The fox ran.\nThe heron waited.\nThe hare slept.';

async function run(ifNoneKept?: string) {
  const events: TraceEvent[] = [];
  const model = createScriptedModel();
  const outcome = await evaluate(plan(ifNoneKept), { input, model, onEvent: (e) => events.push(e) });
  expect(logViolations(events)).toEqual([]);
  return { outcome, events, model, empty: events.filter((e) => e.type === 'filter.empty') };
}

describe('a Filter that keeps nothing', () => {
  it('says so, and by default passes every piece on, so the leaves read them all', async () => {
    const { outcome, model, empty } = await run();
    expect(empty).toMatchObject([{ type: 'filter.empty', nodeId: 'f', of: 3, policy: 'keep-all' }]);
    expect(outcome.ok).toBe(true);
    expect(model.requests).toHaveLength(3);
  });

  it('keeps nothing when told to, still saying so', async () => {
    const { outcome, model, empty } = await run('keep-none');
    expect(empty).toMatchObject([{ of: 3, policy: 'keep-none' }]);
    expect(outcome).toMatchObject({ ok: true, result: '' });
    expect(model.requests).toHaveLength(0);
  });

  it('stops the run with FilterEmpty when that is its policy', async () => {
    const { outcome, empty } = await run('error');
    expect(empty).toHaveLength(1);
    expect(outcome.error).toMatchObject({ kind: 'FilterEmpty', nodeId: 'f' });
  });

  it('says nothing when it keeps something', async () => {
    const events: TraceEvent[] = [];
    await evaluate(plan(), {
      input: `${input}\nThe owl slept.`,
      model: createScriptedModel(),
      onEvent: (e) => events.push(e),
    });
    expect(events.some((e) => e.type === 'filter.empty')).toBe(false);
  });

  it('is planned as it will run, and the preview says what the filter decides', () => {
    const all = estimate(plan(), { inputText: input, contextWindow: 4096 });
    expect(all.leafCalls).toBe(3);
    expect(all.notes.join(' ')).toMatch(/keeps none of its 3 pieces by its own rules, so all of them go on/);
    const none = estimate(plan('keep-none'), { inputText: input, contextWindow: 4096 });
    expect(none.leafCalls).toBe(0);
    const some = estimate(plan(), { inputText: `${input}\nThe owl slept.`, contextWindow: 4096 });
    expect(some.leafCalls).toBe(1);
    expect(some.notes.join(' ')).toMatch(
      /keeps 1 of its 4 pieces by its own rules .* the bound assumes the kept pieces hold the answer/,
    );
  });

  it('a version-1 plan keeps its old behaviour: an empty list', () => {
    const v1 = {
      ...plan(),
      version: 1,
      nodes: plan().nodes.map((n) => ({ ...n, params: n.kind === 'Filter' ? {} : n.params })),
    };
    const loaded = loadPlan(v1);
    expect(loaded.ok && loaded.plan.nodes.find((n) => n.id === 'f')?.params.ifNoneKept).toBe('keep-none');
  });
});
