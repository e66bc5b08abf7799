/**
 * TEST HELPER. Random well-typed plans, built as pipelines from Input to Output where each step is chosen
 * among the nodes that accept the current type: Split, Peek, LLM, Parse, Match, Map (with a random body),
 * Filter, Reduce (built-in ⊕ or a neural body), Concat, Pairs and Fix with Self. Used by the property
 * "well-typed random plans never hit a type error while running".
 */
import fc from 'fast-check';
import { PLAN_VERSION, type Plan, type PlanInput, planSchema, type Slot } from '../format/plan.ts';

type Shape = 'Str' | 'ListStr' | 'ListListStr' | 'ListInt' | 'ListCounts' | 'Bool' | 'Other';

interface Builder {
  nodes: PlanInput['nodes'];
  wires: PlanInput['wires'];
  next: number;
}

interface Step {
  /** Makes the step's nodes after `from` (node, port) in `parent`/`slot`; returns its output port. */
  build(b: Builder, from: { node: string; port: string }, scope: Scope): { node: string; port: string };
  out: Shape;
}

interface Scope {
  parent?: string;
  slot?: Slot;
}

const fresh = (b: Builder, prefix: string) => `${prefix}${b.next++}`;

function add(b: Builder, kind: string, scope: Scope, params: Record<string, unknown> = {}): string {
  const id = fresh(b, kind.toLowerCase());
  b.nodes.push({ id, kind: kind as never, params, ...scope });
  return id;
}

function wire(b: Builder, from: { node: string; port: string }, to: { node: string; port: string }): void {
  b.wires.push({ id: fresh(b, 'w'), from, to });
}

/** A node with one input and one output port. */
function simple(
  kind: string,
  inPort: string,
  outPort: string,
  params: Record<string, unknown>,
  out: Shape,
): Step {
  return {
    out,
    build(b, from, scope) {
      const id = add(b, kind, scope, params);
      wire(b, from, { node: id, port: inPort });
      return { node: id, port: outPort };
    },
  };
}

/** A container whose one body runs `inner` from its Entry to its Exit. */
function container(
  kind: 'Map' | 'Filter',
  params: Record<string, unknown>,
  inner: Step[],
  exitPort: string,
  out: Shape,
): Step {
  return {
    out,
    build(b, from, scope) {
      const id = add(b, kind, scope, params);
      wire(b, from, { node: id, port: 'items' });
      const bodyScope = { parent: id, slot: 'body' as const };
      const entry = add(b, 'Entry', bodyScope);
      const exit = add(b, 'Exit', bodyScope);
      let at = { node: entry, port: 'item' };
      for (const step of inner) at = step.build(b, at, bodyScope);
      wire(b, at, { node: exit, port: exitPort });
      return { node: id, port: kind === 'Map' ? 'results' : 'kept' };
    },
  };
}

const llm = (template: string, maxTokens = 64) =>
  simple('LLM', 'chunk', 'text', { template, maxTokens, temperature: 0 }, 'Str');

const strToStr: fc.Arbitrary<Step> = fc.oneof(
  fc
    .record({ start: fc.integer({ min: 0, max: 50 }), len: fc.integer({ min: 1, max: 400 }) })
    .map(({ start, len }) => simple('Peek', 'text', 'preview', { start, end: start + len }, 'Str')),
  fc
    .integer({ min: 1, max: 300 })
    .map((n) => simple('Peek', 'text', 'preview', { start: -n, end: null }, 'Str')),
  fc
    .constantFrom('Answer briefly.\n\nQuestion: {{query}}\n\nText:\n{{chunk}}', 'Say it shorter:\n{{chunk}}')
    .map((t) => llm(t)),
);

const strToList: fc.Arbitrary<Step> = fc.oneof(
  fc
    .integer({ min: 1, max: 30 })
    .map((lines) => simple('Split', 'text', 'parts', { mode: 'lines', lines }, 'ListStr')),
  fc.constant(simple('Split', 'text', 'parts', { mode: 'auto' }, 'ListStr')),
  fc
    .integer({ min: 2, max: 6 })
    .map((parts) => simple('Split', 'text', 'parts', { mode: 'parts', parts }, 'ListStr')),
  fc
    .integer({ min: 40, max: 2000 })
    .map((size) => simple('Split', 'text', 'parts', { mode: 'size', size, unit: 'chars' }, 'ListStr')),
);

/**
 * A Reduce whose list may be empty, with a Const unit (best, vote and body have none of their own); a body
 * reduce gets an LLM that merges the two sides.
 */
function reduceWithUnit(op: 'best' | 'vote' | 'body', unitValue: string): Step {
  return {
    out: 'Str',
    build(b, from, scope) {
      const id = add(b, 'Reduce', scope, { op });
      const unit = add(b, 'Const', scope, { type: 'Str', value: unitValue });
      wire(b, from, { node: id, port: 'items' });
      wire(b, { node: unit, port: 'value' }, { node: id, port: 'unit' });
      if (op === 'body') {
        const s = { parent: id, slot: 'body' as const };
        const entry = add(b, 'Entry', s);
        const join = add(b, 'LLM', s, { template: 'Merge {{left}} with:\n{{chunk}}', maxTokens: 64 });
        const exit = add(b, 'Exit', s);
        wire(b, { node: entry, port: 'left' }, { node: join, port: 'left' });
        wire(b, { node: entry, port: 'right' }, { node: join, port: 'chunk' });
        wire(b, { node: join, port: 'text' }, { node: exit, port: 'result' });
      }
      return { node: id, port: 'result' };
    },
  };
}

const match = fc
  .constantFrom('the', 'river', 'zebra', 'a')
  .map((k) => simple('Match', 'text', 'match', { mode: 'keywords', keywords: k }, 'Bool'));

const listToStr: fc.Arbitrary<Step> = fc.oneof(
  fc.constant(simple('Concat', 'items', 'text', { separator: '\n' }, 'Str')),
  fc.constantFrom('concat', 'dedupe').map((op) => simple('Reduce', 'items', 'result', { op }, 'Str')),
  fc.constant(reduceWithUnit('best', 'none')),
  fc.constant(reduceWithUnit('body', '')),
);

const fix: Step = {
  out: 'Str',
  build(b, from, scope) {
    const id = add(b, 'Fix', scope);
    wire(b, from, { node: id, port: 'text' });
    const base = { parent: id, slot: 'base' as const };
    const bIn = add(b, 'Entry', base);
    const bLeaf = add(b, 'LLM', base, {
      template: 'Summarize the following text.\n\nText:\n{{chunk}}',
      maxTokens: 64,
    });
    const bOut = add(b, 'Exit', base);
    wire(b, { node: bIn, port: 'text' }, { node: bLeaf, port: 'chunk' });
    wire(b, { node: bLeaf, port: 'text' }, { node: bOut, port: 'result' });
    const step = { parent: id, slot: 'step' as const };
    const sIn = add(b, 'Entry', step);
    const split = add(b, 'Split', step, { mode: 'auto' });
    const map = add(b, 'Map', step);
    const concat = add(b, 'Concat', step);
    const sOut = add(b, 'Exit', step);
    const inner = { parent: map, slot: 'body' as const };
    const mIn = add(b, 'Entry', inner);
    const self = add(b, 'Self', inner);
    const mOut = add(b, 'Exit', inner);
    wire(b, { node: sIn, port: 'text' }, { node: split, port: 'text' });
    wire(b, { node: split, port: 'parts' }, { node: map, port: 'items' });
    wire(b, { node: mIn, port: 'item' }, { node: self, port: 'text' });
    wire(b, { node: self, port: 'result' }, { node: mOut, port: 'result' });
    wire(b, { node: map, port: 'results' }, { node: concat, port: 'items' });
    wire(b, { node: concat, port: 'text' }, { node: sOut, port: 'result' });
    return { node: id, port: 'result' };
  },
};

/** Steps from a list of texts to a list of texts: Map with a random body, Filter on a Match. */
const listToList: fc.Arbitrary<Step> = fc.oneof(
  fc
    .tuple(fc.array(strToStr, { minLength: 1, maxLength: 2 }), fc.integer({ min: 0, max: 4 }))
    .map(([body, concurrency]) => container('Map', { concurrency }, body, 'result', 'ListStr')),
  fc
    .tuple(match, fc.option(strToStr, { nil: undefined }))
    .map(([m, pre]) => container('Filter', {}, pre ? [pre, m] : [m], 'keep', 'ListStr')),
);

/** Each item to a number or a tally through the model, then the matching symbolic ⊕. */
const listToNumbers: fc.Arbitrary<Step> = fc.constantFrom(
  container(
    'Map',
    {},
    [llm('How many words are there?\n{{chunk}}'), simple('Parse', 'text', 'value', { as: 'int' }, 'Other')],
    'result',
    'ListInt',
  ),
  container(
    'Map',
    {},
    [llm('Tally the words:\n{{chunk}}'), simple('Parse', 'text', 'value', { as: 'counts' }, 'Other')],
    'result',
    'ListCounts',
  ),
);

/** A Fix inside a Map body: recursion per item. */
const listFix: Step = container('Map', { concurrency: 2 }, [fix], 'result', 'ListStr');

/** Cross of a list with itself: both inputs wired from the same output. */
const crossSelf: Step = {
  out: 'Other',
  build(b, from, scope) {
    const id = add(b, 'Cross', scope);
    wire(b, from, { node: id, port: 'left' });
    wire(b, from, { node: id, port: 'right' });
    return { node: id, port: 'pairs' };
  },
};

const vote = reduceWithUnit('vote', 'none');

const listToListList: Step = container(
  'Map',
  {},
  [
    llm('List the words:\n{{chunk}}'),
    simple('Parse', 'text', 'value', { as: 'list', maxItems: 50 }, 'ListStr'),
  ],
  'result',
  'ListListStr',
);

/** A random pipeline: up to `steps` steps from Str, ending where an Output takes whatever arrives. */
function pipeline(steps: number): fc.Arbitrary<Step[]> {
  const from = (shape: Shape, left: number): fc.Arbitrary<Step[]> => {
    if (left === 0 || shape === 'Bool' || shape === 'Other') return fc.constant([]);
    const choices: fc.Arbitrary<Step>[] =
      shape === 'Str'
        ? [strToStr, strToList, match, fc.constant(fix)]
        : shape === 'ListStr'
          ? [
              listToList,
              listToStr,
              listToNumbers,
              fc.constantFrom(listToListList, listFix, crossSelf, vote),
              fc.constant(simple('Pairs', 'items', 'pairs', {}, 'Other')),
            ]
          : shape === 'ListInt'
            ? [fc.constant(simple('Reduce', 'items', 'result', { op: 'sum' }, 'Other'))]
            : shape === 'ListCounts'
              ? [fc.constant(simple('Reduce', 'items', 'result', { op: 'merge-counts' }, 'Other'))]
              : [fc.constant(simple('Reduce', 'items', 'result', { op: 'union' }, 'ListStr'))];
    return fc.oneof(...choices).chain((step) => from(step.out, left - 1).map((rest) => [step, ...rest]));
  };
  return from('Str', steps);
}

export function randomPlan(maxSteps = 5): fc.Arbitrary<Plan> {
  return fc.integer({ min: 1, max: maxSteps }).chain((n) =>
    pipeline(n).map((steps) => {
      const b: Builder = { nodes: [], wires: [], next: 0 };
      const input = add(b, 'Input', {});
      let at = { node: input, port: 'text' };
      for (const step of steps) at = step.build(b, at, {});
      const out = add(b, 'Output', {});
      wire(b, at, { node: out, port: 'value' });
      return planSchema.parse({
        format: 'fixpoint/plan',
        version: PLAN_VERSION,
        name: 'random',
        query: 'What does the river carry?',
        nodes: b.nodes,
        wires: b.wires,
      });
    }),
  );
}
