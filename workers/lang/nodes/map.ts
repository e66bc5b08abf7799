import { List, Var } from '../check/types.ts';
import type { NodeSpec, ParamSpec } from './node-spec.ts';

export const concurrencyParam: ParamSpec = {
  name: 'concurrency',
  label: 'Concurrency',
  kind: 'int',
  default: 0,
  min: 0,
  max: 256,
  description: "Items in flight at once; 0 uses the model's own limit.",
};

/** Container: its body maps one item A to B. Interpreted by the evaluator (bounded concurrency, order kept). */
export const mapSpec: NodeSpec = {
  kind: 'Map',
  group: 'higher-order',
  title: 'Map',
  description: 'Runs its body on every item of a list, in parallel, keeping the order.',
  params: [concurrencyParam],
  inPalette: true,
  container: { slots: ['body'] },
  ports: () => ({
    inputs: [{ name: 'items', type: List(Var('A')), label: 'items' }],
    outputs: [{ name: 'results', type: List(Var('B')), label: 'results' }],
  }),
};
