/**
 * A fact placed exactly across a cut: for each search example, the document is split as the plan splits it,
 * the evidence is written across the first cut, and the run must still find it (the pieces overlap). The
 * same plan with its overlap taken away must miss it: the test can fail. (Multi-document QA cuts only at
 * line breaks and gathers every piece's sentences before answering: its two-hop facts in different pieces
 * are tested in regressions.test.ts.)
 */
import { describe, expect, it, vi } from 'vitest';
import type { Plan } from '../format/plan.ts';
import type { Sample } from '../samples/index.ts';
import { cutsOf, withoutOverlap } from '../testing/cuts.ts';
import { loadExamples } from '../testing/examples.ts';
import { explain, runExample } from '../testing/run-example.ts';

// Whole runs of the examples: seconds each on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const examples = loadExamples();
const WINDOW = 2048;

/** Where the plan's Split makes its first cut in `text` (the end of its first piece). */
function firstCut(plan: Plan, text: string, query: string): number {
  const spans = cutsOf(plan, text, query, WINDOW);
  expect(spans.length).toBeGreaterThan(1);
  return spans[0]![1];
}

/** The sample with its evidence (one block: sentences, or lines for code) written across the first cut. */
function straddling(file: string, seed: number): Sample {
  const ex = examples.find((e) => e.file === file)!;
  // Prose run on without line breaks: a cut then falls between words, wherever the budget ends (with line
  // breaks nearby, it would fall at one, between paragraphs).
  const layout = { newline: '\n', separator: file === 'sniah.json' ? 'none' : 'blank' } as const;
  const base = ex.generator.generate({ tokens: 6000, seed, script: 'latin', layout });
  const fact = base.truth.facts![0]!;
  const empty = ex.generator.generate({ tokens: 6000, seed, script: 'latin', layout, withoutAnswer: true });
  const lines = file !== 'sniah.json';
  const boundary = lines ? '\n' : ' ';
  const block = fact.evidence.join(boundary);
  // Inserting text moves the cuts (the pieces are sized from the whole): try the places around the first
  // cut, at a line break (line-cut plans) or a space, until the block crosses the cut.
  const cut0 = firstCut(ex.plan, empty.text, empty.query);
  for (let at = cut0 + block.length; at > cut0 - 4 * block.length; at--) {
    if (empty.text[at] !== boundary) continue;
    const text = `${empty.text.slice(0, at + 1)}${block}${boundary}${empty.text.slice(at + 1)}`;
    const cut = firstCut(withoutOverlap(ex.plan), text, empty.query);
    if (at + 1 < cut && cut < at + 1 + block.length) return { ...base, text };
  }
  throw new Error(`${file} seed ${seed}: no place where the evidence crosses the first cut`);
}

describe('a fact written across the cut the plan makes', () => {
  for (const [file, seeds] of [
    ['sniah.json', [1, 2, 3]],
    // Python seeds: a signature and the docstring under it. A comment above a signature (the TypeScript seeds)
    // is not cut from it at all: Split moves the cut before the comment (own-documents.test.ts).
    ['code-qa.json', [6, 7, 12]],
  ] as const) {
    it(`${file}: is found, and is missed with the overlap taken away`, async () => {
      const ex = examples.find((e) => e.file === file)!;
      expect(seeds.length).toBeGreaterThan(0);
      for (const seed of seeds) {
        const sample = straddling(file, seed);
        // The evidence does cross the cut: neither piece alone holds it without the overlap.
        const cut = firstCut(withoutOverlap(ex.plan), sample.text, sample.query);
        const block = sample.truth.facts![0]!.evidence;
        const from = sample.text.indexOf(block[0]!);
        const to = sample.text.indexOf(block.at(-1)!) + block.at(-1)!.length;
        expect(from).toBeLessThan(cut);
        expect(to).toBeGreaterThan(cut);
        const run = await runExample(ex, sample, { contextWindow: WINDOW });
        expect(run.score, explain(run)).toBe(1);
        const cutOff = await runExample(ex, sample, { contextWindow: WINDOW, plan: withoutOverlap(ex.plan) });
        expect(cutOff.score, explain(cutOff)).toBe(0);
      }
    });
  }
});
