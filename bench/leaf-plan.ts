/**
 * The plan the runtime benchmarks time: the OOLONG example (public/examples/oolong.json) with its Split
 * set to one line per chunk and without its answer step, so an input of N question lines makes exactly N
 * leaf calls (each prompt is different, so nothing is shared or cached), merged symbolically. Its right
 * answer is easy to check: with the scripted model told to count every label, the tallies add up to N.
 */
import type { Plan } from '../workers/lang/format/plan.ts';
import { type GroundTruth, TREC_LABELS } from '../workers/lang/samples/index.ts';
import { type Example, loadExamples } from '../workers/lang/testing/examples.ts';

export function example(file: string): Example {
  const found = loadExamples().find((e) => e.file === file);
  if (!found) throw new Error(`public/examples/${file} is missing`);
  return found;
}

export function perLinePlan(): Plan {
  const { plan } = example('oolong.json');
  const answer = plan.wires.find((w) => w.to.node === 'output')!.from.node;
  const totals = plan.wires.find((w) => w.to.node === answer)!.from;
  return {
    ...plan,
    nodes: plan.nodes
      .filter((n) => n.id !== answer)
      .map((n) => (n.kind === 'Split' ? { ...n, params: { mode: 'lines', lines: 1, cut: 'lines' } } : n)),
    wires: [
      ...plan.wires.filter((w) => w.from.node !== answer && w.to.node !== answer),
      { id: 'w-totals', from: totals, to: { node: 'output', port: 'value' } },
    ],
  };
}

/**
 * N question lines from the OOLONG generator, the plan's query, and ground truth for the scripted model
 * that counts every label (so the tallies add up to N).
 */
export function questionLines(n: number, seed = 1): { text: string; query: string; truth: GroundTruth } {
  const { generator } = example('oolong.json');
  // About 40 characters (10 tokens) a line: ask for enough, then keep the first n.
  const sample = generator.generate({
    tokens: n * 25 + 100,
    seed,
    layout: { newline: '\n', separator: 'single' },
  });
  const lines = sample.text.split('\n');
  if (lines.length < n) throw new Error(`the OOLONG generator made ${lines.length} lines, fewer than ${n}`);
  const truth: GroundTruth = {
    ...sample.truth,
    records: sample.truth.records!.slice(0, n),
    categories: [...TREC_LABELS],
  };
  return { text: lines.slice(0, n).join('\n'), query: sample.query, truth };
}

/** Whether a tally over N lines counts every line once. */
export function talliesAll(result: unknown, n: number): boolean {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return false;
  return (
    Object.values(result).reduce((s: number, v) => s + (typeof v === 'number' ? v : Number.NaN), 0) === n
  );
}
