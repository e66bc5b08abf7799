import { List, Pair, Var } from '../check/types.ts';
import { isAbsent } from './absent.ts';
import type { NodeSpec, Value } from './node-spec.ts';

export const pairsSpec: NodeSpec = {
  kind: 'Pairs',
  group: 'symbolic',
  title: 'Pairs',
  description: 'All pairs (xᵢ, xⱼ) with i < j, as in OOLONG-Pairs.',
  params: [],
  ports: () => ({
    inputs: [{ name: 'items', type: List(Var('A')), label: 'items' }],
    outputs: [{ name: 'pairs', type: List(Pair(Var('A'), Var('A'))), label: 'pairs' }],
  }),
  compute: (inputs) => {
    // Absent items (no answer here) have nothing to pair.
    const items = ((inputs.items ?? []) as Value[]).filter((v) => !isAbsent(v));
    const pairs: Value[] = [];
    for (let i = 0; i < items.length; i++)
      for (let j = i + 1; j < items.length; j++) pairs.push([items[i] as Value, items[j] as Value]);
    return { pairs };
  },
  bound: (inputs) => {
    const m = inputs.items?.bound.size ?? Infinity;
    return { pairs: { size: (m * (m - 1)) / 2, chars: Infinity, tokens: Infinity, item: null } };
  },
};
