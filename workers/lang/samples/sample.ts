/**
 * What a sample generator is: a pure, seeded function from a size to a document, its query and the answer
 * a correct pipeline gives (DESIGN §3, docs/examples.md). Sizes are in tokens through the default
 * estimate (four characters per token), so "8K tokens" means about 32,000 characters.
 */
export interface SampleOptions {
  /** Approximate size of the document in tokens (at least a few hundred are always made). */
  tokens: number;
  seed: number;
  /**
   * Called now and then with the share of the document built so far (0…1), for a progress bar: a large sample
   * takes seconds to build. Optional; generators call it through `progressOf`.
   */
  onProgress?: (fraction: number) => void;
}

export interface Sample<T = unknown> {
  text: string;
  query: string;
  expected: T;
}

export interface SampleGenerator<T = unknown> {
  name: string;
  /** The example plan in public/examples/ this sample is for. */
  example: string;
  description: string;
  generate(options: SampleOptions): Sample<T>;
  /** Whether a pipeline's result is the right answer (tolerant of representation, strict on content). */
  isCorrect(result: unknown, expected: T): boolean;
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
