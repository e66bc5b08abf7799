/**
 * Soundness of the checker against the evaluator: random plans built only from well-typed moves must
 * check clean, and running them (with a scripted model) must never hit a type error — the run ends ok or
 * with a run error (a Parse that could not read a number out of prose), never with an internal defect.
 * The same runs hold the planner to its bound: model calls ≤ N̂.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../format/load.ts';
import { estimate } from '../plan/planner.ts';
import { evaluate } from '../run/evaluator.ts';
import { oversizeRequests } from '../testing/prompt-bound.ts';
import { createScriptedModel } from '../testing/scripted-model.ts';
import { check } from './typecheck.ts';

type Ty =
  | 'Str'
  | 'Int'
  | 'Bool'
  | 'Counts'
  | 'Json'
  | 'List<Str>'
  | 'List<Int>'
  | 'List<Bool>'
  | 'List<Counts>'
  | 'List<Json>'
  | 'List<List<Str>>'
  | 'List<Pair>';
type Ref = { node: string; port: string };
interface Scope {
  parent?: string;
  slot?: 'body' | 'base' | 'step';
}

/** One answer every Parse target can read: an int, yes, bullet lines, a JSON object (also counts). */
const ANSWER = 'yes 3\n- a: 1\n- b: 2\n{"k": 1}';

class Builder {
  nodes: { id: string; kind: string; parent?: string; slot?: string; params?: Record<string, unknown> }[] =
    [];
  wires: { id: string; from: Ref; to: Ref }[] = [];
  private n = 0;
  constructor(private readonly choices: number[]) {}

  pick(k: number): number {
    const c = this.choices[this.n % this.choices.length] ?? 0;
    this.n++;
    return c % k;
  }

  add(kind: string, scope: Scope, params?: Record<string, unknown>): string {
    const id = `n${this.nodes.length}`;
    this.nodes.push({
      id,
      kind,
      ...(scope.parent ? { parent: scope.parent, slot: scope.slot ?? 'body' } : {}),
      ...(params ? { params } : {}),
    });
    return id;
  }

  wire(from: Ref, node: string, port: string) {
    this.wires.push({ id: `w${this.wires.length}`, from, to: { node, port } });
  }

  /** A body: Entry, then `grow` from its output, then Exit; returns the body's result type. */
  body(
    container: string,
    slot: 'body' | 'base' | 'step',
    entryPort: string,
    entryTy: Ty,
    exitPort: string,
    steps: number,
    depth: number,
    want?: Ty,
  ): Ty {
    const scope = { parent: container, slot };
    const entry = this.add('Entry', scope);
    let cur: { ref: Ref; ty: Ty } = { ref: { node: entry, port: entryPort }, ty: entryTy };
    for (let i = 0; i < steps && !(want && cur.ty === want && i > 0); i++)
      cur = this.grow(cur, scope, depth + 1);
    if (want && cur.ty !== want) cur = this.coerce(cur, want, scope);
    // A Map's result must be a type this generator can make a list of.
    if (!want && !LISTABLE.includes(cur.ty)) cur = this.coerce(cur, 'Str', scope);
    const exit = this.add('Exit', scope);
    this.wire(cur.ref, exit, exitPort);
    return cur.ty;
  }

  /** Makes a Str into the wanted type (Bool by Match, anything else through an LLM and Parse). */
  coerce(cur: { ref: Ref; ty: Ty }, want: Ty, scope: Scope): { ref: Ref; ty: Ty } {
    let ref = cur.ref;
    if (cur.ty !== 'Str') {
      const llm = this.add('LLM', scope, { template: 'Say {{x}}', maxTokens: 32 });
      this.wire(ref, llm, 'x');
      ref = { node: llm, port: 'text' };
    }
    if (want === 'Str') return { ref, ty: 'Str' };
    if (want === 'Bool') {
      const m = this.add('Match', scope, { keywords: 'a' });
      this.wire(ref, m, 'text');
      return { ref: { node: m, port: 'match' }, ty: 'Bool' };
    }
    const as = want === 'Int' ? 'int' : want === 'Counts' ? 'counts' : want === 'List<Str>' ? 'list' : 'json';
    const p = this.add('Parse', scope, { as });
    this.wire(ref, p, 'text');
    return { ref: { node: p, port: 'value' }, ty: want };
  }

  grow(cur: { ref: Ref; ty: Ty }, scope: Scope, depth: number): { ref: Ref; ty: Ty } {
    const { ref, ty } = cur;
    const one = (
      kind: string,
      inPort: string,
      outPort: string,
      outTy: Ty,
      params?: Record<string, unknown>,
    ) => {
      const id = this.add(kind, scope, params);
      this.wire(ref, id, inPort);
      return { ref: { node: id, port: outPort }, ty: outTy };
    };
    switch (ty) {
      case 'Str':
        switch (this.pick(depth < 2 ? 7 : 6)) {
          case 0:
            return one('Peek', 'text', 'preview', 'Str', { start: 0, end: 300 });
          case 1:
            return one('LLM', 'chunk', 'text', 'Str', {
              template: 'Q {{query}} on {{chunk}}',
              maxTokens: 32,
            });
          case 2: {
            const mode = (['auto', 'parts', 'size', 'lines', 'records'] as const)[this.pick(5)];
            return one('Split', 'text', 'parts', 'List<Str>', {
              mode,
              parts: 3,
              size: 200,
              unit: 'chars',
              lines: 3,
              delimiter: '.',
              records: 2,
              overlap: this.pick(2) * 10,
            });
          }
          case 3: {
            const [as, t] = (
              [
                ['int', 'Int'],
                ['bool', 'Bool'],
                ['list', 'List<Str>'],
                ['counts', 'Counts'],
                ['json', 'Json'],
              ] as const
            )[this.pick(5)] as [string, Ty];
            return one('Parse', 'text', 'value', t, { as });
          }
          case 4:
            return one(
              'Match',
              'text',
              'match',
              'Bool',
              this.pick(2) ? { keywords: 'a\nthe' } : { mode: 'regex', pattern: '(a|b)+c?' },
            );
          case 5:
            return one('LLM', 'chunk', 'text', 'Str', {
              template: '{{chunk}}',
              system: 'Be brief.',
              maxTokens: 32,
            });
          default: {
            // Fix: base LLM; step Split → Map(Self) → Reduce concat or Concat → LLM.
            const fix = this.add('Fix', scope);
            this.wire(ref, fix, 'text');
            const base = { parent: fix, slot: 'base' as const };
            const bIn = this.add('Entry', base);
            const bLlm = this.add('LLM', base, { template: 'Sum up {{chunk}}', maxTokens: 32 });
            const bOut = this.add('Exit', base);
            this.wire({ node: bIn, port: 'text' }, bLlm, 'chunk');
            this.wire({ node: bLlm, port: 'text' }, bOut, 'result');
            const step = { parent: fix, slot: 'step' as const };
            const sIn = this.add('Entry', step);
            const split = this.add('Split', step, { mode: this.pick(2) ? 'auto' : 'parts', parts: 2 });
            const map = this.add('Map', step);
            const mIn = this.add('Entry', { parent: map });
            const self = this.add('Self', { parent: map });
            const mOut = this.add('Exit', { parent: map });
            this.wire({ node: sIn, port: 'text' }, split, 'text');
            this.wire({ node: split, port: 'parts' }, map, 'items');
            this.wire({ node: mIn, port: 'item' }, self, 'text');
            this.wire({ node: self, port: 'result' }, mOut, 'result');
            const sOut = this.add('Exit', step);
            if (this.pick(2)) {
              const red = this.add('Reduce', step, { op: 'concat' });
              this.wire({ node: map, port: 'results' }, red, 'items');
              this.wire({ node: red, port: 'result' }, sOut, 'result');
            } else {
              const cat = this.add('Concat', step);
              const merge = this.add('LLM', step, { template: 'Merge {{chunk}}', maxTokens: 32 });
              this.wire({ node: map, port: 'results' }, cat, 'items');
              this.wire({ node: cat, port: 'text' }, merge, 'chunk');
              this.wire({ node: merge, port: 'text' }, sOut, 'result');
            }
            return { ref: { node: fix, port: 'result' }, ty: 'Str' };
          }
        }
      case 'List<Str>':
        switch (this.pick(6)) {
          case 0:
          case 1: {
            const map = this.add('Map', scope, { concurrency: this.pick(3) });
            this.wire(ref, map, 'items');
            const out = this.body(map, 'body', 'item', 'Str', 'result', 1 + this.pick(2), depth);
            return { ref: { node: map, port: 'results' }, ty: listOf(out) };
          }
          case 2: {
            const filter = this.add('Filter', scope);
            this.wire(ref, filter, 'items');
            this.body(filter, 'body', 'item', 'Str', 'keep', this.pick(2), depth, 'Bool');
            return { ref: { node: filter, port: 'kept' }, ty: 'List<Str>' };
          }
          case 3: {
            const op = (['concat', 'dedupe', 'best', 'vote', 'body'] as const)[this.pick(5)];
            const red = this.add('Reduce', scope, { op });
            this.wire(ref, red, 'items');
            if (op === 'best' || op === 'vote' || op === 'body') {
              const unit = this.add('Const', scope, { type: 'Str', value: 'none' });
              this.wire({ node: unit, port: 'value' }, red, 'unit');
            }
            if (op === 'body') {
              const b = { parent: red };
              const e = this.add('Entry', b);
              const l = this.add('LLM', b, { template: 'Merge {{left}} and {{right}}', maxTokens: 32 });
              const x = this.add('Exit', b);
              this.wire({ node: e, port: 'left' }, l, 'left');
              this.wire({ node: e, port: 'right' }, l, 'right');
              this.wire({ node: l, port: 'text' }, x, 'result');
            }
            return { ref: { node: red, port: 'result' }, ty: 'Str' };
          }
          case 4:
            return one('Concat', 'items', 'text', 'Str');
          default: {
            const pairs = one('Pairs', 'items', 'pairs', 'List<Pair>');
            return pairs;
          }
        }
      case 'List<Pair>': {
        const map = this.add('Map', scope);
        this.wire(ref, map, 'items');
        const b = { parent: map };
        const e = this.add('Entry', b);
        const l = this.add('LLM', b, { template: 'Compare {{pair}}', maxTokens: 32 });
        const x = this.add('Exit', b);
        this.wire({ node: e, port: 'item' }, l, 'pair');
        this.wire({ node: l, port: 'text' }, x, 'result');
        return { ref: { node: map, port: 'results' }, ty: 'List<Str>' };
      }
      case 'List<Int>':
        return one('Reduce', 'items', 'result', 'Int', { op: 'sum' });
      case 'List<Counts>':
        return one('Reduce', 'items', 'result', 'Counts', { op: 'merge-counts' });
      case 'List<List<Str>>':
        return one('Reduce', 'items', 'result', 'List<Str>', { op: 'union' });
      case 'List<Bool>':
      case 'List<Json>': {
        const red = this.add('Reduce', scope, { op: 'vote' });
        this.wire(ref, red, 'items');
        const unit = this.add(
          'Const',
          scope,
          ty === 'List<Bool>' ? { type: 'Bool', value: false } : { type: 'Json', value: null },
        );
        this.wire({ node: unit, port: 'value' }, red, 'unit');
        return { ref: { node: red, port: 'result' }, ty: ty === 'List<Bool>' ? 'Bool' : 'Json' };
      }
      default:
        // Int, Bool, Counts, Json: back to text through an LLM that reads it as a named input.
        return this.coerce(cur, 'Str', scope);
    }
  }
}

const LISTABLE: readonly Ty[] = ['Str', 'Int', 'Bool', 'Counts', 'Json', 'List<Str>'];

function listOf(t: Ty): Ty {
  switch (t) {
    case 'Str':
      return 'List<Str>';
    case 'Int':
      return 'List<Int>';
    case 'Bool':
      return 'List<Bool>';
    case 'Counts':
      return 'List<Counts>';
    case 'Json':
      return 'List<Json>';
    case 'List<Str>':
      return 'List<List<Str>>';
    default:
      throw new Error(`no list of ${t} in this generator`);
  }
}

function randomPlan(choices: number[], steps: number) {
  const b = new Builder(choices);
  const input = b.add('Input', {});
  let cur: { ref: Ref; ty: Ty } = { ref: { node: input, port: 'text' }, ty: 'Str' };
  for (let i = 0; i < steps; i++) cur = b.grow(cur, {}, 0);
  const out = b.add('Output', {});
  b.wire(cur.ref, out, 'value');
  return {
    format: 'fixpoint/plan',
    version: 1,
    name: 'random',
    query: 'what is a?',
    nodes: b.nodes,
    wires: b.wires,
    planner: { outputReserve: 64 },
  };
}

const words = ['alpha', 'beta', 'a', 'the', 'code', '42', 'gamma.', 'delta\n', 'b', 'c'];

const depths = new Set<number>();

describe('well-typed random plans', () => {
  it('check clean, and run without a type error and within N̂', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(1000), { minLength: 40, maxLength: 80 }),
        fc.integer({ min: 1, max: 4 }),
        fc
          .array(fc.constantFrom(...words), { minLength: 50, maxLength: 600, size: 'max' })
          .map((w) => w.join(' ')),
        async (choices, steps, input) => {
          const doc = randomPlan(choices, steps);
          const { diagnostics } = check(doc);
          const errors = diagnostics.filter((d) => d.severity === 'error');
          // The one error a well-typed plan may have: overlap before a ⊕ that would count it twice.
          expect(
            errors.filter((d) => d.code !== 'overlap'),
            JSON.stringify(doc),
          ).toEqual([]);
          if (errors.length > 0) return;
          const loaded = loadPlan(doc);
          if (!loaded.ok) throw new Error('does not load');
          const model = createScriptedModel({ contextWindow: 256, rewrite: () => ANSWER });
          const e = estimate(loaded.plan, { inputText: input, contextWindow: 256 });
          if ((e.refusals ?? []).length > 0) {
            // Refused by the planner (a call that could exceed the window): the run must refuse it too.
            for (const r of e.refusals ?? []) expect(r.code).toBe('leaf-window');
            await expect(evaluate(loaded.plan, { input, model, estimate: e, cache: null })).rejects.toThrow(
              /window/,
            );
            expect(model.requests).toEqual([]);
            return;
          }
          const out = await evaluate(loaded.plan, { input, model, estimate: e, cache: null });
          expect(oversizeRequests(model.requests, 256)).toEqual([]);
          depths.add(e.depth);
          expect(out.internal ?? false, JSON.stringify({ doc, error: out.error })).toBe(false);
          if (!out.ok) expect(out.error?.kind, JSON.stringify(out.error)).toBe('ParseFailed');
          if (e.bounded !== false) expect(out.totals.leafCalls).toBeLessThanOrEqual(e.totalCalls);
        },
      ),
      { numRuns: 150 },
    );
    // The inputs are sized so that some runs split and recurse.
    expect([...depths].some((d) => d > 0)).toBe(true);
  }, 120_000);
});
