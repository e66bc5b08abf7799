import { Var } from '../check/types.ts';
import type { NodeSpec } from './node-spec.ts';

export const outputSpec: NodeSpec = {
  kind: 'Output',
  group: 'output',
  title: 'Output',
  description: "The pipeline's result.",
  params: [],
  inPalette: true,
  ports: () => ({ inputs: [{ name: 'value', type: Var('T'), label: 'result' }], outputs: [] }),
  evaluate: async (inputs) => ({ value: inputs.value ?? null }),
};
