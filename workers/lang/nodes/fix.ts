import { Str, Var } from '../check/types.ts';
import type { NodeSpec } from './node-spec.ts';

/**
 * Recursive container (behaviour `fix`): fix(λf. λP. if |P| ≤ τ* then base(P) else step(P)), where step
 * may call Self on pieces of P cut by a Split. The evaluator and the planner run the recursion; the
 * termination rule (docs/language.md) is checked statically by the checker from the `pieces` and
 * `passes` the kinds declare.
 */
export const fixSpec: NodeSpec = {
  kind: 'Fix',
  group: 'higher-order',
  title: 'Fix',
  description: 'Recursion: base case on a short P, step case that splits P and calls Self on the pieces.',
  params: [],
  container: {
    slots: ['base', 'step'],
    behaviour: 'fix',
    bodyPorts: () => ({
      entry: [{ name: 'text', type: Str, label: 'P' }],
      exit: [{ name: 'result', type: Var('R'), label: 'result' }],
    }),
  },
  ports: () => ({
    inputs: [{ name: 'text', type: Str, label: 'P' }],
    outputs: [{ name: 'result', type: Var('R'), label: 'result' }],
  }),
  term: (_node, t) => {
    const gap = (b: string) => (b.startsWith('\n') ? b : ` ${b}`);
    return `fix (λself. λP.\n${t.indent}  if |P| ≤ τ* then${gap(t.body('base'))}\n${t.indent}  else${gap(t.body('step'))})${t.args}`;
  },
};
