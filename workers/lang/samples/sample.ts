/**
 * What a sample generator is: a pure, seeded function from a size to a document, its question, the answer
 * a correct pipeline gives, and the document's ground truth (docs/examples.md). Sizes are in tokens at
 * four characters a token ("8K tokens" is about 32,000 characters, whatever the script).
 *
 * Every generator varies its wording, layout and encoding from the seed (several phrasings of the fact and
 * of the question, the fact at any offset, blank-line, single-line or no separators, CRLF line endings,
 * Chinese or mixed-script text), and any of these can be fixed through the options for a test.
 */
import type { Layout } from './layout.ts';
import type { Script } from './prose.ts';
import type { GroundTruth } from './truth.ts';

export interface SampleOptions {
  /** Approximate size of the document in tokens (at least a few hundred are always made). */
  tokens: number;
  seed: number;
  /**
   * Called now and then with the share of the document built so far (0…1), for a progress bar: a large sample
   * takes seconds to build. Optional; generators call it through `progressOf`.
   */
  onProgress?: (fraction: number) => void;
  /** Line endings and block separators; what is not given is drawn from the seed. */
  layout?: Partial<Layout>;
  /** The script of the prose, where the family has prose; drawn from the seed when not given. */
  script?: Script;
  /** Where the fact sits, as a fraction of the document (0 its start, 1 its end); drawn when not given. */
  at?: number;
  /** Leave the evidence out: the document then holds no answer, and the expected answer is `null`. */
  withoutAnswer?: boolean;
}

export interface Sample<T = unknown> {
  text: string;
  query: string;
  /** The right answer; `null` when the document holds none (a correct run then finds nothing). */
  expected: T | null;
  /** What the document says, for the scripted test model (given out of band, never in a prompt). */
  truth: GroundTruth;
}

/** The paper's task families (and the summary), which decide how an answer is scored. */
export type TaskFamily = 'search' | 'multi-hop' | 'aggregate' | 'pairwise' | 'code' | 'classify' | 'summary';

/** What a generator is for, apart from generating (kinds.ts): the page reads this without the generators. */
export interface SampleKind<T = unknown> {
  name: string;
  /** The example plan in public/examples/ this sample is for. */
  example: string;
  family: TaskFamily;
  description: string;
  /** The family's scorer (score.ts): how right a result is, in [0, 1]. */
  score(result: unknown, expected: T | null): number;
  /** A full score. */
  isCorrect(result: unknown, expected: T | null): boolean;
}

export interface SampleGenerator<T = unknown> extends SampleKind<T> {
  generate(options: SampleOptions): Sample<T>;
}

/** A generator: its kind (kinds.ts) and its `generate`. */
export function defineGenerator<T>(g: SampleGenerator<T>): SampleGenerator<T> {
  return {
    ...g,
    // The truth says which family made it, so a test double knows what kind of task its question is.
    generate: (options) => {
      const sample = g.generate(options);
      return { ...sample, truth: { family: g.family, ...sample.truth } };
    },
  };
}

/**
 * A generator's fill loop reports its length through this: at most a hundred calls to `onProgress` however
 * long the document, and none without one.
 */
export function progressOf(
  onProgress: SampleOptions['onProgress'],
  targetChars: number,
): (length: number) => void {
  if (!onProgress) return () => {};
  const step = Math.max(1, targetChars / 100);
  let next = step;
  return (length) => {
    if (length < next) return;
    next = length + step;
    onProgress(Math.min(1, length / Math.max(1, targetChars)));
  };
}

/** Characters for a token budget, never fewer than `min`. */
export function charsFor(tokens: number, min = 400): number {
  return Math.max(min, Math.floor(Number.isFinite(tokens) ? tokens : 0) * 4);
}
