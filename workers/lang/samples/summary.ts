/**
 * Hierarchical summary: paragraphs of prose (English, Chinese or mixed; separated by a blank line, one line
 * break, or run together). There is no single right summary; the ground truth names each paragraph's
 * opening sentence as what carries it, and a correct pipeline's summary begins with the document's first
 * sentence and stays short.
 */

import { sampleKinds } from './kinds.ts';
import { joinBlocks, pickLayout } from './layout.ts';
import { joinSentences, paragraphSentences, type Script } from './prose.ts';
import { seededRandom } from './random.ts';
import { charsFor, defineGenerator, progressOf } from './sample.ts';
import type { SummaryExpectation } from './score.ts';

export const SUMMARY_MAX_CHARS = 200;

export const summarySample = defineGenerator<SummaryExpectation>({
  ...sampleKinds.summary,
  generate({ tokens, seed, layout: given, script: givenScript, onProgress }) {
    const rng = seededRandom(seed);
    const script: Script = givenScript ?? (['latin', 'latin', 'cjk', 'mixed'] as const)[rng.int(4)]!;
    const layout = pickLayout(rng, given);
    const target = charsFor(tokens);
    const paragraphs: string[][] = [];
    const grew = progressOf(onProgress, target);
    for (let length = 0; length < target; grew(length)) {
      const p = paragraphSentences(rng, script);
      paragraphs.push(p);
      length += p.reduce((n, s) => n + s.length + 1, 0) + 1;
    }
    const keySentences = paragraphs.map((p) => p[0]!);
    return {
      text: joinBlocks(
        paragraphs.map((p) => joinSentences(p, script)),
        layout,
      ),
      query: script === 'cjk' ? '请概括这篇文档。' : 'Summarize the document.',
      expected: { lead: keySentences[0]!, maxChars: SUMMARY_MAX_CHARS },
      truth: { keySentences },
    };
  },
});
