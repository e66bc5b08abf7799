import { describe, expect, it } from 'vitest';
import { evaluate, PLAN_VERSION, type Plan, planSchema, type TraceEvent } from '../../workers/lang/index.ts';
import { createScriptedModel } from '../../workers/lang/testing/scripted-model.ts';
import { callOutcomeNote } from '../trace/format.ts';
import { runFromLog } from './run.ts';

const wires = (rows: string[][]) =>
  rows.map(([a, b, c, d], i) => ({ id: `w${i}`, from: { node: a!, port: b! }, to: { node: c!, port: d! } }));

/** Split by lines → Filter(Match "owl") → Map(LLM, replies NOT_FOUND) → Reduce(best) → Output. */
const plan: Plan = planSchema.parse({
  format: 'fixpoint/plan',
  version: PLAN_VERSION,
  name: 'owls',
  query: 'Where is the owl?',
  nodes: [
    { id: 'in', kind: 'Input' },
    { id: 'split', kind: 'Split', params: { mode: 'lines', lines: 1 } },
    { id: 'f', kind: 'Filter', label: 'Mentions an owl' },
    { id: 'f.in', kind: 'Entry', parent: 'f' },
    { id: 'm', kind: 'Match', parent: 'f', params: { keywords: 'owl' } },
    { id: 'f.out', kind: 'Exit', parent: 'f' },
    { id: 'map', kind: 'Map' },
    { id: 'map.in', kind: 'Entry', parent: 'map' },
    { id: 'ask', kind: 'LLM', parent: 'map', params: { template: 'Where? {{chunk}} (or NOT_FOUND)' } },
    { id: 'map.out', kind: 'Exit', parent: 'map' },
    { id: 'best', kind: 'Reduce', params: { op: 'best' } },
    { id: 'none', kind: 'Const', params: { type: 'Str', value: 'no pieces' } },
    { id: 'out', kind: 'Output' },
  ],
  wires: wires([
    ['in', 'text', 'split', 'text'],
    ['split', 'parts', 'f', 'items'],
    ['f.in', 'item', 'm', 'text'],
    ['m', 'match', 'f.out', 'keep'],
    ['f', 'kept', 'map', 'items'],
    ['map.in', 'item', 'ask', 'chunk'],
    ['ask', 'text', 'map.out', 'result'],
    ['map', 'results', 'best', 'items'],
    ['none', 'value', 'best', 'unit'],
    ['best', 'result', 'out', 'value'],
  ]),
});

async function log(input: string): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  await evaluate(plan, {
    input,
    model: createScriptedModel({ rewrite: () => 'not found.' }),
    onEvent: (e) => events.push(e),
  });
  return events;
}

describe('the run view of absence and empty filters', () => {
  it('says "no answer found" with the pieces read, marks absent calls, and "kept 0 of N" on the Filter', async () => {
    const s = runFromLog(await log('The fox ran.\nThe heron waited.\nThe hare slept.'));
    expect(s.absent).toBe(true);
    expect(s.hasResult).toBe(false);
    expect(s.totals?.leafCalls).toBe(3);
    expect(s.emptyFilters).toMatchObject([{ nodeId: 'f', of: 3, policy: 'all' }]);
    const filter = [...s.calls.values()].find((c) => c.nodeId === 'f' && c.keptNoneOf);
    expect(filter && callOutcomeNote(filter)).toBe('kept 0 of 3 (passed all on)');
    const leaves = [...s.calls.values()].filter((c) => c.nodeId === 'ask');
    expect(leaves.every((c) => c.absent && callOutcomeNote(c) === 'absent: no answer here')).toBe(true);
  });

  it('replays a version-1 log (no logVersion, plain values) as before', async () => {
    const v2 = await log('An owl slept.');
    const v1 = v2.map((e) => {
      if (e.type !== 'run.start') return e;
      const { logVersion: _, ...rest } = e;
      return rest as TraceEvent;
    });
    const s = runFromLog(v1);
    expect(s.logVersion).toBe(1);
    expect(s.anomalies).toEqual([]);
    expect(s.status).toBe('done');
  });
});
