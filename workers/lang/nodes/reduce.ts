import { Counts, Int, List, Str, type Type, Var } from '../check/types.ts';
import { RunError } from '../run/errors.ts';
import { combine } from './combine.ts';
import type { Bound, NodeSpec, Params, PortSpec, Value } from './node-spec.ts';

/**
 * Built-in ⊕ operators and `body` (a user-drawn (B, B) → B). The functions themselves live in
 * combine.ts; with a body the Reduce is a container (behaviour `fold`) that the evaluator folds left to
 * right, with a built-in ⊕ it is a plain symbolic node.
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

const opOf = (params: Params): string => String(params.op ?? 'concat');

/** ⊕ that give one answer however often a fact is seen, and ⊕ that count every copy. */
const TOLERANT: readonly string[] = ['best', 'union', 'dedupe'];
const COUNTING: readonly string[] = ['merge-counts', 'sum', 'concat', 'vote'];

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
        'concat: join texts; merge-counts: add tallies; sum: add numbers; union: lists without repeats; dedupe: distinct lines; vote: most frequent; best: the first answer; body: your own (B, B) → B. Absent answers (no answer here) are skipped.',
    },
    {
      name: 'separator',
      label: 'Separator',
      kind: 'string',
      default: '\n\n',
      description: 'Put between texts (concat).',
      visible: (p) => p.op === 'concat',
    },
    {
      name: 'notFoundText',
      label: 'Skip "not found" texts',
      kind: 'boolean',
      default: false,
      description:
        'best: also skip answers that read as "not found" ("NOT FOUND", "none", "The text does not mention…"), as plan format 1 did. Off: only absent answers (an LLM node\'s no-answer reply) are skipped.',
      visible: (p) => p.op === 'best',
    },
  ],
  container: {
    slots: ['body'],
    behaviour: 'fold',
    bodyless: (params) =>
      opOf(params) === 'body'
        ? null
        : `that Reduce uses the built-in ⊕ "${opOf(params)}"; set ⊕ to "body" to use a body`,
    bodyPorts: (container) => {
      const { result } = reduceTypes(container.params.op ?? 'concat');
      return {
        entry: [
          { name: 'left', type: result, label: 'left' },
          { name: 'right', type: result, label: 'right' },
        ],
        exit: [{ name: 'result', type: result, label: 'result' }],
      };
    },
  },
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
  // A built-in ⊕ (with a body the evaluator folds).
  compute: (inputs, params, ctx) => {
    const items = inputs.items as Value[];
    const op = opOf(params) as Exclude<ReduceOp, 'body'>;
    if (items.length === 0 && inputs.unit === undefined && !OPS_WITH_UNIT.includes(op))
      throw new RunError('ParseFailed', `Reduce (${op}) got an empty list and has no unit`, ctx.nodeId);
    return {
      result: combine(op, items, {
        separator: String(params.separator ?? '\n\n'),
        notFoundText: params.notFoundText === true,
        ...(inputs.unit !== undefined ? { unit: inputs.unit } : {}),
      }),
    };
  },
  bound: (inputs, params) => {
    const items = inputs.items?.bound;
    const item: Bound = items?.item ?? unknownBound;
    const size = items?.size ?? Infinity;
    switch (opOf(params)) {
      case 'concat':
      case 'dedupe':
        return {
          result: {
            size: 1,
            chars: size * item.chars,
            tokens: size * item.tokens,
            expected: size * (item.expected ?? item.tokens),
            item: null,
          },
        };
      case 'union':
        // Written into a prompt, the union of lists is no longer than the lists written one after another.
        return {
          result: {
            size: size * item.size,
            chars: Infinity,
            tokens: size * item.tokens,
            expected: size * (item.expected ?? item.tokens),
            item: item.item,
          },
        };
      default:
        return { result: item };
    }
  },
  duplicates: (params) =>
    TOLERANT.includes(opOf(params)) ? 'tolerated' : COUNTING.includes(opOf(params)) ? 'counted' : undefined,
  check: (ctx) => {
    const op = opOf(ctx.params);
    if ((OPS_WITH_UNIT as readonly string[]).includes(op) || ctx.wired('unit')) return [];
    if (!ctx.wired('items') || !ctx.mayBeEmpty('items')) return [];
    return [
      {
        code: 'empty-reduce',
        message: `${ctx.name(ctx.node.id)} combines with "${op}", which has no value for an empty list, and its list may be empty: wire a unit (e.g. a Const) into "unit"`,
        port: 'unit',
        expected: ctx.shown('unit', 'in'),
      },
    ];
  },
  term: (node, t) =>
    node.params.op === 'body'
      ? `reduce ${t.body('body')}${t.args}`
      : `reduce[${String(node.params.op ?? 'concat')}]${t.args}`,
};

const unknownBound: Bound = { size: Infinity, chars: Infinity, tokens: Infinity, item: null };
