import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../check/typecheck.ts';
import { loadPlan } from '../format/load.ts';
import type { Plan } from '../format/plan.ts';
import { evaluate } from '../run/evaluator.ts';
import { createScriptedModel } from '../testing/scripted-model.ts';
import { depthFor, estimate, sizingOf } from './planner.ts';
import { estimateTokenizer } from './tokenizer.ts';

function fixture(name: string): Plan {
  const r = loadPlan(
    JSON.parse(readFileSync(new URL(`../format/fixtures/v1/${name}`, import.meta.url), 'utf8')),
  );
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.plan;
}

const prose = (words: number) => Array.from({ length: words }, (_, i) => `word${i % 97}`).join(' ');

describe('depthFor', () => {
  it('is the least d with k^d·τ ≥ n', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 2, max: 50 }),
        fc.integer({ min: 1, max: 1e6 }),
        (n, k, tau) => {
          const d = depthFor(n, k, tau);
          expect(k ** d * tau).toBeGreaterThanOrEqual(n);
          if (d > 0) expect(k ** (d - 1) * tau).toBeLessThan(n);
        },
      ),
    );
  });
});

describe('estimate', () => {
  const needle = fixture('needle.json');
  const summary = fixture('summary.json');

  it('does not split an input that fits the window', () => {
    const e = estimate(summary, { inputText: prose(100), contextWindow: 4096 });
    expect(e).toMatchObject({ kStar: 1, depth: 0, leafCalls: 1, combineCalls: 0, totalCalls: 1 });
    expect(e.tauStar).toBe(e.n);
    expect(e.notes.join(' ')).toMatch(/fits the leaf window/);
  });

  it('computes K from the window, the largest template, the query and the answer reserve', () => {
    const e = estimate(summary, { inputTokens: 100, contextWindow: 4096 });
    const fixedTokens = estimateTokenizer.count(
      'Summarise this text in a few sentences, keeping names and numbers.\n\n',
    );
    const system = estimateTokenizer.count('You write faithful, compact summaries.');
    expect(e.K).toBe(4096 - 512 - (fixedTokens + system + 16));
  });

  it('uses sqrt for a neural ⊕ and bounds leaves and merges by the recursion', () => {
    const e = estimate(summary, { inputTokens: 200_000, contextWindow: 4096 });
    expect(e.kRule).toBe('sqrt');
    expect(e.kStar).toBeGreaterThanOrEqual(2);
    expect(e.tauStar).toBe(Math.min(e.K, Math.ceil(e.n / e.kStar)));
    expect(e.depth).toBe(depthFor(e.n, e.kStar, e.tauStar));
    expect(e.leafCalls).toBe(e.kStar ** e.depth);
    // Each internal node of the tree merges k* results with k* − 1 calls.
    expect(e.combineCalls).toBe(e.kStar ** e.depth - 1);
    expect(e.totalCalls).toBe(e.leafCalls + e.combineCalls);
    expect(e.accuracyBound).toBeCloseTo((0.95 * 0.9 ** (e.tauStar / e.K) * 0.9) ** e.depth, 10);
  });

  it('counts a Fix step that merges with its own LLM as a neural ⊕, and caps k* so the merge fits', () => {
    // The summary fixture with its pairwise Reduce body replaced by Concat → LLM over all k* answers.
    const plan = structuredClone(summary);
    plan.nodes = plan.nodes.filter((n) => n.parent !== 'step.reduce' && n.id !== 'step.reduce');
    plan.nodes.push(
      { id: 'step.cat', kind: 'Concat', parent: 'fix', slot: 'step', params: {} },
      {
        id: 'step.merge',
        kind: 'LLM',
        parent: 'fix',
        slot: 'step',
        params: { template: 'Merge:\n{{chunk}}', maxTokens: 400, notFound: '' },
      },
    );
    plan.wires = plan.wires.filter((w) => !['w8', 'w9', 'w10', 'w11', 'w12'].includes(w.id));
    plan.wires.push(
      { id: 'a', from: { node: 'step.map', port: 'results' }, to: { node: 'step.cat', port: 'items' } },
      { id: 'b', from: { node: 'step.cat', port: 'text' }, to: { node: 'step.merge', port: 'chunk' } },
      { id: 'c', from: { node: 'step.merge', port: 'text' }, to: { node: 'step.out', port: 'result' } },
    );
    expect(check(plan).diagnostics).toEqual([]);
    const e = estimate(plan, { inputTokens: 1_000_000, contextWindow: 4096 });
    expect(e.kRule).toBe('sqrt');
    // Each answer may be 200 tokens (the base LLM): k* answers must fit the merge's window.
    expect(e.kStar).toBeLessThanOrEqual(Math.floor(e.K / 200));
    expect(e.notes.join(' ')).toMatch(/capped/);
    expect(e.leafCalls).toBe(e.kStar ** e.depth);
    // One merge per internal node of the recursion tree.
    expect(e.combineCalls).toBe((e.kStar ** e.depth - 1) / (e.kStar - 1));
  });

  it('uses flat for a symbolic ⊕: one level of ⌈n/K⌉ leaves', () => {
    const plan = { ...summary, planner: { ...summary.planner, kRule: 'flat' as const, alpha: 0.5 } };
    const e = estimate(plan, { inputTokens: 50_000, contextWindow: 8192 });
    expect(e.kStar).toBe(Math.ceil(50_000 / e.K));
    expect(e.depth).toBe(1);
  });

  it('binary keeps k* = 2', () => {
    const plan = { ...summary, planner: { ...summary.planner, kRule: 'binary' as const } };
    const e = estimate(plan, { inputTokens: 20_000, contextWindow: 4096 });
    expect(e.kStar).toBe(2);
    expect(e.leafCalls).toBe(2 ** e.depth);
  });

  it('raises k* until α holds, or says it cannot', () => {
    const strict = { ...summary, planner: { ...summary.planner, alpha: 0.75, kRule: 'sqrt' as const } };
    const e = estimate(strict, { inputTokens: 400_000, contextWindow: 4096 });
    expect(e.meetsTarget).toBe(true);
    expect(e.accuracyBound).toBeGreaterThanOrEqual(0.75);
    expect(e.notes.join(' ')).toMatch(/k\* raised from 20 to \d+ so the accuracy bound reaches/);
    const impossible = { ...summary, planner: { ...summary.planner, alpha: 0.9 } };
    const f = estimate(impossible, { inputTokens: 400_000, contextWindow: 4096 });
    expect(f.meetsTarget).toBe(false);
    expect(f.notes.join(' ')).toMatch(/cannot be met/);
  });

  it('raises k* only to a k whose bound is higher', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20_000, max: 2_000_000 }),
        fc.double({ min: 0.5, max: 0.95, noNaN: true }),
        fc.constantFrom(2048, 4096, 8192),
        (n, alpha, window) => {
          const plan = { ...summary, planner: { ...summary.planner, alpha, kRule: 'sqrt' as const } };
          const e = estimate(plan, { inputTokens: n, contextWindow: window });
          const base = estimate(
            { ...plan, planner: { ...plan.planner, alpha: 0 } },
            { inputTokens: n, contextWindow: window },
          );
          if (e.kStar !== base.kStar) expect(e.accuracyBound).toBeGreaterThan(base.accuracyBound);
          else expect(e.notes.join(' ')).not.toMatch(/k\* raised/);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('runs a size Split and a symbolic filter on the input: the leaves read what the filter keeps', () => {
    // Every 100th word says where a code is, so some pieces pass the filter and most do not.
    const words = Array.from({ length: 5000 }, (_, i) =>
      i % 700 === 350 ? 'secret code: 4711.' : `word${i % 97}`,
    );
    const text = words.join(' ');
    const e = estimate(needle, { inputText: text, contextWindow: 4096 });
    expect(e.filterCalls).toBe(0);
    expect(e.combineCalls).toBe(0);
    // Split by 2000 characters with 50 of overlap (about 18 pieces); 8 of them hold a code.
    const pieces = Math.ceil(text.length / 2000);
    expect(e.leafCalls).toBeGreaterThanOrEqual(7);
    expect(e.leafCalls).toBeLessThanOrEqual(9);
    expect(e.leafCalls).toBeLessThan(pieces);
    expect(e.promptTokens).toBeGreaterThan(e.leafCalls * 450);
    expect(e.completionTokens).toBe(e.leafCalls * 32);
  });

  it('says when a budget is crossed', () => {
    const plan = { ...summary, planner: { ...summary.planner, budgets: { maxCalls: 3 } } };
    const e = estimate(plan, { inputTokens: 100_000, contextWindow: 4096 });
    expect(e.notes.join(' ')).toMatch(/over the budget of 3/);
    expect(sizingOf(e)).toMatchObject({ kStar: e.kStar, tauStar: e.tauStar, depth: e.depth, K: e.K });
  });
});

/** Split (k* parts) → neural Filter → Map(LLM) → Reduce best, with a unit. */
function neuralFilterPlan(): Plan {
  const r = loadPlan({
    format: 'fixpoint/plan',
    version: 1,
    name: 'neural filter',
    nodes: [
      { id: 'in', kind: 'Input' },
      { id: 'split', kind: 'Split', params: { mode: 'auto', overlap: 20 } },
      { id: 'f', kind: 'Filter' },
      { id: 'f.in', kind: 'Entry', parent: 'f' },
      { id: 'f.llm', kind: 'LLM', parent: 'f', params: { template: 'Relevant? {{chunk}}', maxTokens: 8 } },
      { id: 'f.parse', kind: 'Parse', parent: 'f', params: { as: 'bool' } },
      { id: 'f.out', kind: 'Exit', parent: 'f' },
      { id: 'm', kind: 'Map' },
      { id: 'm.in', kind: 'Entry', parent: 'm' },
      { id: 'm.llm', kind: 'LLM', parent: 'm' },
      { id: 'm.out', kind: 'Exit', parent: 'm' },
      { id: 'none', kind: 'Const', params: { type: 'Str', value: 'none' } },
      { id: 'best', kind: 'Reduce', params: { op: 'best' } },
      { id: 'out', kind: 'Output' },
    ],
    wires: [
      ['in', 'text', 'split', 'text'],
      ['split', 'parts', 'f', 'items'],
      ['f.in', 'item', 'f.llm', 'chunk'],
      ['f.llm', 'text', 'f.parse', 'text'],
      ['f.parse', 'value', 'f.out', 'keep'],
      ['f', 'kept', 'm', 'items'],
      ['m.in', 'item', 'm.llm', 'chunk'],
      ['m.llm', 'text', 'm.out', 'result'],
      ['m', 'results', 'best', 'items'],
      ['none', 'value', 'best', 'unit'],
      ['best', 'result', 'out', 'value'],
    ].map(([a, b, c, d], i) => ({ id: `w${i}`, from: { node: a, port: b }, to: { node: c, port: d } })),
  });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.plan;
}

describe('estimate on broken plans', () => {
  it('never throws, whatever the graph', () => {
    const base = fixture('summary.json');
    const kinds = [
      'Split',
      'Map',
      'Filter',
      'Reduce',
      'Fix',
      'Self',
      'LLM',
      'Entry',
      'Exit',
      'Pairs',
      'Cross',
    ] as const;
    fc.assert(
      fc.property(
        fc.array(fc.record({ i: fc.nat(), j: fc.nat(), kind: fc.constantFrom(...kinds), op: fc.nat(3) }), {
          maxLength: 6,
        }),
        fc.integer({ min: 0, max: 100_000 }),
        (mutations, n) => {
          const plan = structuredClone(base);
          for (const m of mutations) {
            const node = plan.nodes[m.i % plan.nodes.length];
            const other = plan.nodes[m.j % plan.nodes.length];
            if (!node || !other) continue;
            if (m.op === 0) node.kind = m.kind;
            if (m.op === 1) node.parent = other.id;
            if (m.op === 2)
              plan.wires.push({
                id: `x${plan.wires.length}`,
                from: { node: node.id, port: 'result' },
                to: { node: other.id, port: 'text' },
              });
            if (m.op === 3) node.params = { op: 'body', mode: 'size', size: 0, parts: -1, maxItems: 'x' };
          }
          const e = estimate(plan, { inputTokens: n, contextWindow: 4096 });
          expect(Number.isFinite(e.totalCalls)).toBe(true);
          expect(e.totalCalls).toBeGreaterThanOrEqual(0);
          expect(e.leafCalls).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the bound holds against the evaluator', () => {
  it('counts a neural filter as filter calls', () => {
    // Known only by its size, the input may be cut into up to 2·n/τ* + 1 pieces (a cut leaves each piece
    // at least half its room); on the text itself, into exactly what the Split makes.
    const e = estimate(neuralFilterPlan(), { inputTokens: 20_000, contextWindow: 4096 });
    expect(e.filterCalls).toBe(e.leafCalls);
    expect(e.leafCalls).toBeGreaterThanOrEqual(Math.ceil(20_000 / e.tauStar));
    expect(e.leafCalls).toBeLessThanOrEqual(Math.ceil((2 * 20_000) / (e.tauStar - 20)) + 1);
    const text = prose(12_000);
    const known = estimate(neuralFilterPlan(), { inputText: text, contextWindow: 4096 });
    expect(known.filterCalls).toBe(known.kStar);
    expect(known.leafCalls).toBe(known.kStar);
    expect(known.kStar).toBeLessThanOrEqual(Math.ceil((2 * known.n) / known.tauStar));
  });

  it('never makes more calls than N̂ on the fixtures, for inputs of any size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('summary.json', 'needle.json', 'neural-filter'),
        fc.integer({ min: 0, max: 4000 }),
        fc.integer({ min: 1200, max: 4096 }),
        async (name, words, window) => {
          const plan = name === 'neural-filter' ? neuralFilterPlan() : fixture(name);
          const input = `${prose(words)} the secret code: 4711`;
          const model = createScriptedModel({
            contextWindow: window,
            rewrite: (_t, _r, i) => (i % 2 ? 'yes' : 'no'),
          });
          const e = estimate(plan, { inputText: input, contextWindow: window, tokenizer: estimateTokenizer });
          const out = await evaluate(plan, { input, model, estimate: e, cache: null });
          // totals.calls counts trace calls (every node); leafCalls counts model calls.
          expect(out.totals.leafCalls).toBeLessThanOrEqual(e.totalCalls);
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);
});
