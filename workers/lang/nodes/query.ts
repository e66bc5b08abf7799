import { Str } from '../check/types.ts';
import type { NodeSpec } from './node-spec.ts';

export const querySpec: NodeSpec = {
  kind: 'Query',
  group: 'source',
  title: 'Query',
  description: "The user's question; every LLM template can also use it as {{query}}.",
  params: [],
  ports: () => ({ inputs: [], outputs: [{ name: 'text', type: Str, label: 'query' }] }),
  compute: (_inputs, _params, ctx) => ({ text: ctx.query }),
  term: () => 'query',
};
