import { Bool, List, Var } from '../check/types.ts';
import { concurrencyParam } from './map.ts';
import type { NodeSpec, ParamSpec } from './node-spec.ts';

export const NONE_KEPT_POLICIES = ['all', 'none', 'error'] as const;
export type NoneKeptPolicy = (typeof NONE_KEPT_POLICIES)[number];

/** What a Filter does when its body keeps none of its items: it always says so in the run log. */
export const ifNoneKeptParam: ParamSpec = {
  name: 'ifNoneKept',
  label: 'If nothing is kept',
  kind: 'enum',
  options: NONE_KEPT_POLICIES,
  default: 'all',
  description:
    'all: pass every item on, so what follows reads them all (a filter that found nothing may have missed the answer); none: an empty list; error: stop the run with FilterEmpty. The run log says "kept 0 of N" in every case.',
};

/**
 * Container (behaviour `filter`): its body decides (A → Bool) whether an item is kept; order is kept.
 * The evaluator runs it; the planner counts the body's model calls as filter calls. A Filter that keeps
 * nothing never hides it: a `filter.empty` event, and `ifNoneKept` says what follows.
 */
export const filterSpec: NodeSpec = {
  kind: 'Filter',
  group: 'higher-order',
  title: 'Filter',
  description: 'Keeps the items for which its body answers true.',
  params: [concurrencyParam, ifNoneKeptParam],
  container: {
    slots: ['body'],
    behaviour: 'filter',
    bodyPorts: () => ({
      entry: [{ name: 'item', type: Var('A'), label: 'item' }],
      exit: [{ name: 'keep', type: Bool, label: 'keep?' }],
    }),
  },
  ports: () => ({
    inputs: [{ name: 'items', type: List(Var('A')), label: 'items' }],
    outputs: [{ name: 'kept', type: List(Var('A')), label: 'kept' }],
  }),
  // The kept items are some of the input's: pieces of P stay pieces of P.
  passes: [{ output: 'kept', input: 'items' }],
  // Keeping nothing passes every item on (all) or stops the run (error): only the policy none is ever empty.
  mayBeEmpty: (params, input) => params.ifNoneKept === 'none' || input('items'),
  term: (_node, t) => `filter ${t.body('body')}${t.args}`,
};
