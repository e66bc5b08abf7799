import { Counts, Int, List, Str, type Type, Var } from '../check/types.ts';
import type { NodeSpec, PortSpec } from './node-spec.ts';

/**
 * Built-in ⊕ operators (DESIGN §3.2) and `body` (a user-drawn (B, B) → B). The functions themselves live
 * in combine.ts; the evaluator folds left to right.
 */
export const REDUCE_OPS = [
  'concat',
  'merge-counts',
  'sum',
  'union',
  'dedupe',
  'vote',
  'best',
  'body',
] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

/** Ops with a natural unit are defined on the empty list; the others need a `unit` input for it. */
export const OPS_WITH_UNIT: readonly ReduceOp[] = ['concat', 'merge-counts', 'sum', 'union', 'dedupe'];

/** The item and result types of an op (B and B for the generic ones). */
export function reduceTypes(op: unknown): { item: Type; result: Type } {
  switch (op) {
    case 'concat':
    case 'best':
      return { item: Str, result: Str };
    case 'dedupe':
      return { item: Str, result: Str };
    case 'merge-counts':
      return { item: Counts, result: Counts };
    case 'sum':
      return { item: Int, result: Int };
    case 'union':
      return { item: List(Var('A')), result: List(Var('A')) };
    default:
      return { item: Var('B'), result: Var('B') };
  }
}

export const reduceSpec: NodeSpec = {
  kind: 'Reduce',
  group: 'higher-order',
  title: 'Reduce',
  description: 'Combines a list into one value with ⊕: a built-in operator or a body (B, B) → B.',
  params: [
    {
      name: 'op',
      label: 'Combine (⊕)',
      kind: 'enum',
      options: REDUCE_OPS,
      default: 'concat',
      description:
        'concat: join texts; merge-counts: add tallies; sum: add numbers; union: lists without repeats; dedupe: distinct lines; vote: most frequent; best: first real answer; body: your own (B, B) → B.',
    },
    {
      name: 'separator',
      label: 'Separator',
      kind: 'string',
      default: '\n\n',
      description: 'Put between texts (concat).',
      visible: (p) => p.op === 'concat',
    },
  ],
  inPalette: true,
  container: { slots: ['body'] },
  ports: (node) => {
    const { item, result } = reduceTypes(node.params.op ?? 'concat');
    const inputs: PortSpec[] = [{ name: 'items', type: List(item), label: 'items' }];
    inputs.push({
      name: 'unit',
      type: result,
      label: 'unit',
      optional: true,
      description: 'The result for an empty list (required when the list may be empty and ⊕ has no unit).',
    });
    return { inputs, outputs: [{ name: 'result', type: result, label: 'result' }] };
  },
};
