import { List, Pair, Var } from '../check/types.ts';
import { isAbsent } from './absent.ts';
import type { NodeSpec, Value } from './node-spec.ts';

export const crossSpec: NodeSpec = {
  kind: 'Cross',
  group: 'symbolic',
  title: 'Cross',
  description: 'Every pair (a, b) with a from the left list and b from the right one.',
  params: [],
  ports: () => ({
    inputs: [
      { name: 'left', type: List(Var('A')), label: 'left' },
      { name: 'right', type: List(Var('B')), label: 'right' },
    ],
    outputs: [{ name: 'pairs', type: List(Pair(Var('A'), Var('B'))), label: 'pairs' }],
  }),
  compute: (inputs) => {
    // Absent items (no answer here) have nothing to pair.
    const left = ((inputs.left ?? []) as Value[]).filter((v) => !isAbsent(v));
    const right = ((inputs.right ?? []) as Value[]).filter((v) => !isAbsent(v));
    const pairs: Value[] = [];
    for (const a of left) for (const b of right) pairs.push([a, b]);
    return { pairs };
  },
  bound: (inputs) => ({
    pairs: {
      size: (inputs.left?.bound.size ?? Infinity) * (inputs.right?.bound.size ?? Infinity),
      chars: Infinity,
      tokens: Infinity,
      item: null,
    },
  }),
  mayBeEmpty: (_params, input) => input('left') || input('right'),
};
