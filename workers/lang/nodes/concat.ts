import { List, Str } from '../check/types.ts';
import { ABSENT, isAbsent } from './absent.ts';
import type { NodeSpec, Value } from './node-spec.ts';

export const concatSpec: NodeSpec = {
  kind: 'Concat',
  group: 'symbolic',
  title: 'Concat',
  description: 'Joins a list of texts into one, with a separator.',
  params: [
    {
      name: 'separator',
      label: 'Separator',
      kind: 'string',
      default: '\n\n',
      description: 'Put between items.',
    },
  ],
  ports: () => ({
    inputs: [{ name: 'items', type: List(Str), label: 'texts' }],
    outputs: [{ name: 'text', type: Str, label: 'text' }],
  }),
  // Absent items are skipped; a list of nothing but absent items is absent.
  compute: (inputs, params) => {
    const all = (inputs.items ?? []) as Value[];
    const present = all.filter((v) => !isAbsent(v)) as string[];
    return { text: present.length === 0 && all.length > 0 ? ABSENT : present.join(String(params.separator)) };
  },
  bound: (inputs) => {
    const items = inputs.items?.bound;
    const size = items?.size ?? Infinity;
    const item = items?.item;
    return {
      text: {
        size: 1,
        chars: size * (item?.chars ?? Infinity),
        tokens: size * (item?.tokens ?? Infinity),
        item: null,
      },
    };
  },
  // Two pieces that share an overlap would repeat its text.
  duplicates: () => 'counted',
  term: (node, t) =>
    `concat${node.params.separator !== undefined ? `[${t.literal(node.params.separator)}]` : ''}${t.args}`,
};
