import { List, Var } from '../check/types.ts';
import { promptText } from './llm.ts';
import { concurrencyParam } from './map.ts';
import { containsKeyword } from './match.ts';
import type { NodeSpec, ParamSpec, Params, Value } from './node-spec.ts';
import { queryKeywords } from './query-words.ts';

export const FIND_ORDERS = ['question-words', 'given'] as const;
export type FindOrder = (typeof FIND_ORDERS)[number];

const orderParam: ParamSpec = {
  name: 'order',
  label: 'Read first',
  kind: 'enum',
  options: FIND_ORDERS,
  default: 'question-words',
  description:
    "question-words: the items that hold more of the question's words, and rarer ones, first (then in the list's order); given: in the list's order. Either way every item is read before Find says there is no answer.",
};

/**
 * The order Find reads its items in: with `question-words`, by how much of the question each item holds,
 * each word weighted by how rare it is among the items (a word every item holds tells nothing), ties in
 * the list's order. A ranking only: no item is ever dropped, unlike a Filter on the same words, so an item
 * that words the answer unlike the question is still read, only later.
 */
export function findOrder(items: readonly string[], query: string, order: FindOrder): number[] {
  const positions = items.map((_, i) => i);
  if (order === 'given') return positions;
  const keys = queryKeywords(query);
  if (keys.length === 0) return positions;
  const lower = items.map((t) => t.toLowerCase());
  const holds = keys.map((k) => lower.map((t) => containsKeyword(t, k, false)));
  const weight = holds.map((h) => {
    const df = h.filter(Boolean).length;
    return df === 0 ? 0 : Math.log((items.length + 1) / df);
  });
  const score = positions.map((i) => holds.reduce((s, h, k) => (h[i] ? s + weight[k]! : s), 0));
  return positions.sort((a, b) => score[b]! - score[a]! || a - b);
}

/** The order a Find with these params reads these items in (as the evaluator runs it and the planner counts it). */
export function readingOrder(items: readonly Value[], query: string, params: Params): number[] {
  const order: FindOrder = params.order === 'given' ? 'given' : 'question-words';
  return findOrder(
    items.map((v) => promptText(v)),
    query,
    order,
  );
}

/**
 * Container (behaviour `find`): reads its items, most promising first, until its body gives an answer
 * (anything but absent), and returns the first answer in its reading order; absent when no item gives one.
 * Items go up to `concurrency` at a time; once an item has answered, no item after it in the reading order
 * is started, and the answer is the earliest one in that order (so it does not depend on concurrency).
 * The planner counts the body once per item (the worst case: no item answers) and expects fewer.
 */
export const findSpec: NodeSpec = {
  kind: 'Find',
  group: 'higher-order',
  title: 'Find',
  description:
    'Reads items, those that hold the question’s words first, until one gives an answer; every item is read before it says there is none.',
  params: [concurrencyParam, orderParam],
  container: {
    slots: ['body'],
    behaviour: 'find',
    bodyPorts: () => ({
      entry: [{ name: 'item', type: Var('A'), label: 'item' }],
      exit: [{ name: 'result', type: Var('B'), label: 'answer' }],
    }),
  },
  ports: () => ({
    inputs: [{ name: 'items', type: List(Var('A')), label: 'items' }],
    outputs: [{ name: 'result', type: Var('B'), label: 'answer' }],
  }),
  // The answer is one item's answer, as `best` takes one: overlapping pieces cannot count a fact twice.
  duplicates: () => 'tolerated',
  term: (node, t) =>
    `find${node.params.order === 'given' ? '' : '[by words(query)]'} ${t.body('body')}${t.args}`,
};
