/**
 * OOLONG (trec_coarse): a long dump of TREC-style questions, one per line, each with a coarse label the
 * document never states. The question names one, two or three labels and asks for a count, a sum or which
 * is more common; the answer is read off the per-label totals. Line layouts vary (OOLONG's own
 * "Date: … || User: … || Instance: …", bare questions, numbered, CSV), as do line endings and blank lines.
 */

import { sampleKinds } from './kinds.ts';
import { pickLayout, withNewlines } from './layout.ts';
import { type Rng, seededRandom } from './random.ts';
import { charsFor, defineGenerator, progressOf } from './sample.ts';
import { RECORD_FORMATS, recordLine, TREC_LABELS, type TrecLabel, trecQuestion } from './trec.ts';
import type { TruthRecord } from './truth.ts';

interface Ask {
  query: string;
  categories: TrecLabel[];
  answer(counts: Record<string, number>): number | string | null;
  /** Whether the answer is a label (ties must be broken before it is asked). */
  comparison: boolean;
}

const q = (label: string) => `'${label}'`;

function leader(counts: Record<string, number>, labels: readonly string[]): string | null {
  const sorted = [...labels].sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0));
  const top = counts[sorted[0]!] ?? 0;
  return top > 0 && (counts[sorted[1]!] ?? 0) < top ? sorted[0]! : null;
}

function pickAsk(rng: Rng): Ask {
  const [a, b, c] = rng.shuffle(TREC_LABELS);
  switch (rng.int(4)) {
    case 0:
      return {
        query: rng.pick([
          `In the data above, how many questions should be classified as ${q(a!)}?`,
          `How many of these questions carry the label ${q(a!)}?`,
          `Count the questions whose label would be ${q(a!)}. How many are there?`,
        ]),
        categories: [a!],
        answer: (n) => n[a!] ?? 0,
        comparison: false,
      };
    case 1:
      return {
        query: rng.pick([
          `How many questions are labelled either ${q(a!)} or ${q(b!)}?`,
          `Taken together, how many questions fall under ${q(a!)} or ${q(b!)}?`,
        ]),
        categories: [a!, b!],
        answer: (n) => (n[a!] ?? 0) + (n[b!] ?? 0),
        comparison: false,
      };
    case 2:
      return {
        query: rng.pick([
          `Which label is more common in the data: ${q(a!)} or ${q(b!)}?`,
          `Are there more questions labelled ${q(a!)} or labelled ${q(b!)}? Answer with the label.`,
        ]),
        categories: [a!, b!],
        answer: (n) => leader(n, [a!, b!]),
        comparison: true,
      };
    default:
      return {
        query: `Of the labels ${q(a!)}, ${q(b!)} and ${q(c!)}, which occurs most often in the data?`,
        categories: [a!, b!, c!],
        answer: (n) => leader(n, [a!, b!, c!]),
        comparison: true,
      };
  }
}

export const oolongSample = defineGenerator<number | string>({
  ...sampleKinds.oolong,
  generate({ tokens, seed, layout: given, withoutAnswer, onProgress }) {
    const rng = seededRandom(seed);
    const layout = pickLayout(rng, given);
    const format = rng.pick(RECORD_FORMATS);
    const ask = pickAsk(rng);
    // Each document has its own mix of labels.
    const weights = TREC_LABELS.map((l) =>
      withoutAnswer && ask.categories.includes(l) ? 0 : 1 + rng.int(4),
    );
    const total = weights.reduce((x, y) => x + y, 0);
    const drawLabel = (): TrecLabel => {
      let r = rng.next() * total;
      for (let i = 0; i < TREC_LABELS.length; i++) {
        r -= weights[i]!;
        if (r < 0) return TREC_LABELS[i]!;
      }
      return TREC_LABELS.at(-1)!;
    };
    const users = Array.from({ length: 40 + rng.int(200) }, () => String(10_000 + rng.int(90_000)));
    const records: TruthRecord[] = [];
    const counts: Record<string, number> = {};
    const add = (label: TrecLabel) => {
      const user = rng.pick(users);
      const text = recordLine(rng, format, records.length + 1, user, trecQuestion(rng, label));
      records.push({ text, fields: { label, user } });
      counts[label] = (counts[label] ?? 0) + 1;
      return text.length + 1;
    };
    const target = charsFor(tokens);
    const grew = progressOf(onProgress, target);
    for (let length = 0; length < target; grew(length)) length += add(drawLabel());
    // A comparison must have one answer: break a tie with one more question of a tied label.
    if (ask.comparison && !withoutAnswer)
      while (ask.answer(counts) === null)
        add(ask.categories.find((c) => (counts[c] ?? 0) > 0) ?? ask.categories[0]!);

    const answer = ask.answer(counts);
    const gap = layout.separator === 'blank' ? '\n\n' : '\n';
    const text = withNewlines(records.map((r) => r.text).join(gap), layout);
    return {
      text,
      query: ask.query,
      expected: answer,
      truth: {
        question: ask.query,
        records,
        categories: ask.categories,
        recordReply: 'counts',
        // Reading the answer off the totals: a reader who sees every named label's total knows it.
        facts: [{ evidence: ask.categories.map((c) => `"${c}":${counts[c] ?? 0}`), answer }],
      },
    };
  },
});
