import { describe, expect, it } from 'vitest';
import { connectionProblem, connectionRules } from './connection-rules.ts';
import { addNode, connect, emptyPlan } from './plan-edit.ts';

function chain() {
  let plan = emptyPlan();
  const ids: string[] = [];
  for (const kind of ['Input', 'Peek', 'Split'] as const) {
    const r = addNode(plan, { kind, position: { x: 0, y: 0 } });
    plan = r.plan;
    ids.push(r.id);
  }
  const [input, peek, split] = ids as [string, string, string];
  plan = connect(plan, { node: input, port: 'text' }, { node: peek, port: 'text' }).plan;
  return { plan, input, peek, split };
}

describe('connection rules', () => {
  it('a wire onto an input that has one replaces it, so the question leaves the old wire out', () => {
    const { plan, input, peek, split } = chain();
    // The Peek's input is taken by the Input: a wire onto it is still asked about (it would replace the old
    // one), and a list refused there is refused for its type, not for "already has a wire".
    expect(connectionProblem(plan, { node: input, port: 'text' }, { node: peek, port: 'text' })).toBeNull();
    expect(connectionProblem(plan, { node: split, port: 'parts' }, { node: peek, port: 'text' })).toMatch(
      /expects Str/,
    );
  });

  it('is asked of one analysis per plan: the same answers, however often and in whatever order', () => {
    const { plan, input, peek, split } = chain();
    const ask = connectionRules(plan);
    expect(connectionRules(plan)).toBe(ask);
    const questions = [
      [
        { node: input, port: 'text' },
        { node: split, port: 'text' },
      ],
      [
        { node: split, port: 'parts' },
        { node: peek, port: 'text' },
      ],
      [
        { node: peek, port: 'preview' },
        { node: split, port: 'text' },
      ],
    ] as const;
    const first = questions.map(([f, t]) => ask(f, t));
    const again = [...questions].reverse().map(([f, t]) => ask(f, t));
    expect(again.reverse()).toEqual(first);
    expect(first.map((r) => r === null)).toEqual([true, false, true]);
  });
});
