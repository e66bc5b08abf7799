import { List, Str } from '../check/types.ts';
import type { NodeSpec } from './node-spec.ts';

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
  inPalette: true,
  ports: () => ({
    inputs: [{ name: 'items', type: List(Str), label: 'texts' }],
    outputs: [{ name: 'text', type: Str, label: 'text' }],
  }),
  evaluate: async (inputs, params) => ({
    text: ((inputs.items ?? []) as string[]).join(String(params.separator)),
  }),
};
