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

/**
 * Container (behaviour `map`): its body maps one item A to B. The evaluator runs the items with bounded
 * concurrency and keeps their order; the planner counts the body once per item.
 */
export const mapSpec: NodeSpec = {
  kind: 'Map',
  group: 'higher-order',
  title: 'Map',
  description: 'Runs its body on every item of a list, in parallel, keeping the order.',
  params: [concurrencyParam],
  container: {
    slots: ['body'],
    behaviour: 'map',
    bodyPorts: () => ({
      entry: [{ name: 'item', type: Var('A'), label: 'item' }],
      exit: [{ name: 'result', type: Var('B'), label: 'result' }],
    }),
  },
  ports: () => ({
    inputs: [{ name: 'items', type: List(Var('A')), label: 'items' }],
    outputs: [{ name: 'results', type: List(Var('B')), label: 'results' }],
  }),
  mayBeEmpty: (_params, input) => input('items'),
  term: (_node, t) => `map ${t.body('body')}${t.args}`,
};
