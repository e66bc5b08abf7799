import { Str, Var } from '../check/types.ts';
import type { NodeSpec } from './node-spec.ts';

/**
 * Recursive container: fix(λf. λP. if |P| ≤ τ* then base(P) else step(P)), where step may call Self on
 * pieces of P cut by a Split. The termination rule (DESIGN §3.3) is checked statically by typecheck.ts.
 */
export const fixSpec: NodeSpec = {
  kind: 'Fix',
  group: 'higher-order',
  title: 'Fix',
  description: 'Recursion: base case on a short P, step case that splits P and calls Self on the pieces.',
  params: [],
  inPalette: true,
  container: { slots: ['base', 'step'] },
  ports: () => ({
    inputs: [{ name: 'text', type: Str, label: 'P' }],
    outputs: [{ name: 'result', type: Var('R'), label: 'result' }],
  }),
};
