import { Bool, List, Var } from '../check/types.ts';
import { concurrencyParam } from './map.ts';
import type { NodeSpec } from './node-spec.ts';

/**
 * Container (behaviour `filter`): its body decides (A → Bool) whether an item is kept; order is kept.
 * The evaluator runs it; the planner counts the body's model calls as filter calls.
 */
export const filterSpec: NodeSpec = {
  kind: 'Filter',
  group: 'higher-order',
  title: 'Filter',
  description: 'Keeps the items for which its body answers true.',
  params: [concurrencyParam],
  container: {
    slots: ['body'],
    behaviour: 'filter',
    bodyPorts: () => ({
      entry: [{ name: 'item', type: Var('A'), label: 'item' }],
      exit: [{ name: 'keep', type: Bool, label: 'keep?' }],
    }),
  },
  ports: () => ({
    inputs: [{ name: 'items', type: List(Var('A')), label: 'items' }],
    outputs: [{ name: 'kept', type: List(Var('A')), label: 'kept' }],
  }),
  // The kept items are some of the input's: pieces of P stay pieces of P.
  passes: [{ output: 'kept', input: 'items' }],
  term: (_node, t) => `filter ${t.body('body')}${t.args}`,
};
