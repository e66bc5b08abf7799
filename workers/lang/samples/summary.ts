/**
 * Hierarchical summary: paragraphs of prose separated by blank lines. There is no single right summary;
 * a correct pipeline's summary (by the leaf rule of docs/examples.md: the first sentence of each
 * paragraph, at most 200 characters) always begins with the document's first sentence, and is short.
 */
import { paragraphsUpTo } from './prose.ts';
import { seededRandom } from './random.ts';
import { charsFor, progressOf, type SampleGenerator } from './sample.ts';

export const SUMMARY_MAX_CHARS = 200;

export const summarySample: SampleGenerator<string> = {
  name: 'summary',
  example: 'summary.json',
  description: 'Paragraphs of prose; summarise them, recursively.',
  generate({ tokens, seed, onProgress }) {
    const rng = seededRandom(seed);
    const target = charsFor(tokens);
    const paragraphs = paragraphsUpTo(rng, target, progressOf(onProgress, target));
    const first = paragraphs[0]!.split(/(?<=\.) /)[0]!;
    return { text: paragraphs.join('\n\n'), query: 'Summarize the document.', expected: first };
  },
  isCorrect(result, expected) {
    return typeof result === 'string' && result.startsWith(expected) && result.length <= SUMMARY_MAX_CHARS;
  },
};
