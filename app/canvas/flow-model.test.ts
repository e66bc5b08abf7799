import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../workers/lang/index.ts';
import { laneId } from '../editor/geometry.ts';
import { specOf } from '../editor/kinds.ts';
import { addNode, connect, emptyPlan, moveNodes } from '../editor/plan-edit.ts';
import { buildFlow, type FlowNode, summarize } from './flow-model.ts';

function sample() {
  let { plan, id: fix } = addNode(emptyPlan(), { kind: 'Fix', position: { x: 0, y: 0 } });
  const input = addNode(plan, { kind: 'Input', position: { x: -300, y: 0 } });
  plan = input.plan;
  const peek = addNode(plan, { kind: 'Peek', position: { x: 900, y: 0 } });
  plan = peek.plan;
  plan = connect(plan, { node: input.id, port: 'text' }, { node: peek.id, port: 'text' }).plan;
  return { plan, fix, input: input.id, peek: peek.id };
}

const view = (
  plan: ReturnType<typeof sample>['plan'],
  diagnostics: Diagnostic[] = [],
  previous?: Map<string, FlowNode>,
) => buildFlow({ plan, specOf, checked: { diagnostics }, measured: new Map() }, previous);

describe('the plan as React Flow nodes', () => {
  it('draws a container with one lane per body, and puts each body node in its lane', () => {
    const { plan, fix } = sample();
    const { nodes, edges } = view(plan);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    expect(byId.get(fix)?.type).toBe('container');
    expect(byId.get(laneId(fix, 'base'))?.parentId).toBe(fix);
    expect(byId.get(laneId(fix, 'step'))?.parentId).toBe(fix);
    const self = plan.nodes.find((n) => n.kind === 'Self')!;
    expect(byId.get(self.id)?.parentId).toBe(laneId(fix, 'step'));
    // Parents come before their children, as React Flow requires.
    const order = nodes.map((n) => n.id);
    for (const n of nodes)
      if (n.parentId) expect(order.indexOf(n.parentId)).toBeLessThan(order.indexOf(n.id));
    expect(edges).toHaveLength(1);
  });

  it("puts a checker's error on its port and its wire", () => {
    const { plan, peek } = sample();
    const d: Diagnostic = {
      severity: 'error',
      code: 'type-mismatch',
      message: 'nope',
      nodeId: peek,
      port: 'text',
    };
    const { nodes, edges } = view(plan, [d]);
    const n = nodes.find((x) => x.id === peek)!;
    expect(n.type === 'plan' && n.data.inputs[0]?.error).toBe('nope');
    expect(edges[0]?.className).toContain('wire-error');
  });

  it('keeps the objects of nodes an edit did not touch, so they do not re-render', () => {
    const { plan, input, peek } = sample();
    const first = view(plan);
    const previous = new Map(first.nodes.map((n) => [n.id, n]));
    const moved = moveNodes(plan, [{ id: peek, position: { x: 1000, y: 40 } }]);
    const second = view(moved, [], previous);
    const get = (nodes: FlowNode[], id: string) => nodes.find((n) => n.id === id);
    expect(get(second.nodes, input)).toBe(get(first.nodes, input));
    expect(get(second.nodes, peek)).not.toBe(get(first.nodes, peek));
  });
});

describe('a node header’s summary of its parameters', () => {
  it('leaves out a number at its default of 0 (automatic), and keeps one the user set', () => {
    const map = specOf('Map')!;
    expect(summarize({ id: 'm', kind: 'Map', params: {} } as never, map)).not.toMatch(/concurrency/);
    expect(summarize({ id: 'm', kind: 'Map', params: { concurrency: 0 } } as never, map)).toBe('');
    expect(summarize({ id: 'm', kind: 'Map', params: { concurrency: 3 } } as never, map)).toBe(
      'concurrency: 3',
    );
    const filter = specOf('Filter')!;
    expect(summarize({ id: 'f', kind: 'Filter', params: {} } as never, filter)).toMatch(
      /^if nothing is kept: /,
    );
  });
});
