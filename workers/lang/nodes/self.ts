import { Str, Var } from '../check/types.ts';
import type { NodeSpec } from './node-spec.ts';

/**
 * The recursive call f(piece) inside a Fix step; R is the enclosing Fix's result type. Role `self`: the
 * evaluator and the planner re-enter the enclosing Fix one level deeper on the piece (they own the
 * recursion); the checker's termination rule says which pieces it may get.
 */
export const selfSpec: NodeSpec = {
  kind: 'Self',
  group: 'structure',
  title: 'Self',
  description: 'The recursive call of the enclosing Fix on a smaller piece of P.',
  params: [],
  role: 'self',
  placement: 'recursion',
  typeScope: 'recursion',
  ports: () => ({
    inputs: [{ name: 'text', type: Str, label: 'piece' }],
    outputs: [{ name: 'result', type: Var('R'), label: 'result' }],
  }),
  term: (_node, t) => `self${t.args}`,
};
