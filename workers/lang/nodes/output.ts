import { Var } from '../check/types.ts';
import type { NodeSpec } from './node-spec.ts';

/** The plan's result (role `result`: exactly one per plan, at the top level). */
export const outputSpec: NodeSpec = {
  kind: 'Output',
  group: 'output',
  title: 'Output',
  description: "The pipeline's result.",
  params: [],
  role: 'result',
  placement: 'top',
  logged: false,
  ports: () => ({ inputs: [{ name: 'value', type: Var('T'), label: 'result' }], outputs: [] }),
  compute: (inputs) => ({ value: inputs.value ?? null }),
};
