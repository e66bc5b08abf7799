import { List, Var } from '../check/types.ts';
import { concurrencyParam } from './map.ts';
import type { NodeSpec } from './node-spec.ts';

/** Container: its body decides (A → Bool) whether an item is kept. Order is kept. */
export const filterSpec: NodeSpec = {
  kind: 'Filter',
  group: 'higher-order',
  title: 'Filter',
  description: 'Keeps the items for which its body answers true.',
  params: [concurrencyParam],
  inPalette: true,
  container: { slots: ['body'] },
  ports: () => ({
    inputs: [{ name: 'items', type: List(Var('A')), label: 'items' }],
    outputs: [{ name: 'kept', type: List(Var('A')), label: 'kept' }],
  }),
};
