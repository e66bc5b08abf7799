import { describe, expect, it } from 'vitest';
import { evaluate, type TraceEvent } from '../../workers/lang/index.ts';
import { owlSearchPlan } from '../../workers/lang/testing/plans.ts';
import { createScriptedModel } from '../../workers/lang/testing/scripted-model.ts';
import { callOutcomeNote } from '../trace/format.ts';
import { runFromLog } from './run.ts';

const plan = owlSearchPlan();

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
