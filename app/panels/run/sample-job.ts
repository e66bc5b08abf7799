/**
 * One sample generation, as the sample worker runs it: the generator builds the document and reports its
 * progress; the text, its token count and the expected answer come back in one message. Pure apart from
 * `post`, so it is tested in Node.
 */
import { estimateTokenizer, sampleGenerator } from '../../../workers/lang/index.ts';

export interface SampleJob {
  generator: string;
  tokens: number;
  seed: number;
}

export type SampleMessage =
  | { type: 'progress'; fraction: number }
  | { type: 'done'; text: string; query: string; expected: unknown; tokens: number }
  | { type: 'error'; error: string };

export function runSampleJob(job: SampleJob, post: (m: SampleMessage) => void): void {
  const gen = sampleGenerator(job.generator);
  if (!gen) {
    post({ type: 'error', error: `there is no sample generator named “${job.generator}”` });
    return;
  }
  try {
    const sample = gen.generate({
      tokens: job.tokens,
      seed: job.seed,
      onProgress: (fraction) => post({ type: 'progress', fraction }),
    });
    post({
      type: 'done',
      text: sample.text,
      query: sample.query,
      expected: sample.expected,
      // Counted here too: a tokenizer pass over tens of MB is work the page should not do.
      tokens: estimateTokenizer.count(sample.text),
    });
  } catch (error) {
    // A size the engine cannot hold ends as RangeError "Invalid string length", not as a frozen page.
    post({ type: 'error', error: error instanceof Error ? error.message : String(error) });
  }
}
