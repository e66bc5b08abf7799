import { Str } from '../check/types.ts';
import type { NodeSpec } from './node-spec.ts';

export const querySpec: NodeSpec = {
  kind: 'Query',
  group: 'source',
  title: 'Query',
  description: "The user's question; every LLM template can also use it as {{query}}.",
  params: [],
  inPalette: true,
  ports: () => ({ inputs: [], outputs: [{ name: 'text', type: Str, label: 'query' }] }),
  evaluate: async (_inputs, _params, ctx) => ({ text: ctx.query }),
};
