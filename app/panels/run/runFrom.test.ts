import { describe, expect, it } from 'vitest';
import { type Plan, planSchema } from '../../../workers/lang/index.ts';
import { runFromSelection } from './runFrom.ts';

const plan: Plan = planSchema.parse({
  format: 'fixpoint/plan',
  version: 2,
  name: 'p',
  nodes: [
    { id: 'in', kind: 'Input' },
    { id: 'ask', kind: 'LLM', label: 'Ask' },
    { id: 'out', kind: 'Output' },
  ],
  wires: [],
});

describe('runFromSelection', () => {
  it('runs from the one selected node of the plan, named by its label or kind', () => {
    expect(runFromSelection(plan, ['ask'])).toEqual({ ok: true, nodeId: 'ask', name: 'Ask' });
    expect(runFromSelection(plan, ['out'])).toEqual({ ok: true, nodeId: 'out', name: 'Output' });
  });

  it('says why it cannot: nothing selected, several nodes, a node the plan does not have', () => {
    expect(runFromSelection(plan, [])).toEqual({ ok: false, reason: 'select a node on the canvas first' });
    expect(runFromSelection(plan, ['in', 'ask'])).toMatchObject({ ok: false, reason: /one node/ });
    expect(runFromSelection(plan, ['gone'])).toMatchObject({ ok: false, reason: /not part of the plan/ });
  });
});
