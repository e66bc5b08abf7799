import { Str, Var } from '../check/types.ts';
import type { NodeSpec } from './node-spec.ts';

/** The recursive call f(piece) inside a Fix step; R is the enclosing Fix's result type. */
export const selfSpec: NodeSpec = {
  kind: 'Self',
  group: 'structure',
  title: 'Self',
  description: 'The recursive call of the enclosing Fix on a smaller piece of P.',
  params: [],
  inPalette: false,
  ports: () => ({
    inputs: [{ name: 'text', type: Str, label: 'piece' }],
    outputs: [{ name: 'result', type: Var('R'), label: 'result' }],
  }),
};
