/**
 * What a benchmark is, for `npm run bench`: a name (its results file and `--only NAME`), a run that measures
 * and returns plain JSON, and a report that turns that JSON into a section of docs/benchmarks.md. The
 * harness (run.ts) records the machine and date beside every result; report.ts regenerates the markdown
 * from bench/results/*.json alone, so a section can be rewritten without measuring again.
 *
 * To add one: write `bench/<name>.ts` exporting a `Benchmark`, and list it in `bench/registry.ts`.
 */
import type { Browser } from 'playwright-core';
import type { Machine } from './machine.ts';

/** Options from the command line that benchmarks may read (task families use the model ones). */
export interface BenchOptions {
  /** Repetitions of each measured figure; the report gives the median and the spread. At least 5. */
  runs: number;
  /** A real OpenAI-compatible endpoint for the task families (otherwise the scripted server). */
  baseUrl?: string;
  model?: string;
  /** Name of the environment variable holding the API key (the key itself is never an argument). */
  apiKeyEnv?: string;
  /** Context window of the real model, in tokens. */
  contextWindow?: number;
  /** Requests in flight against the real model. */
  concurrency?: number;
  /** Task-family sizes in tokens (default 8K…128K). */
  sizes?: number[];
}

export interface BenchContext {
  readonly options: BenchOptions;
  /** The production build (`vite build --outDir`), made once before the first benchmark that needs it. */
  readonly dist: string;
  /** `vite preview` of that build, started on first use and stopped at the end of the run. */
  preview(): Promise<string>;
  /** Debian's Chromium through Playwright with the project's launch flags, shared by UI benchmarks. */
  browser(): Promise<Browser>;
  log(line: string): void;
}

export interface Benchmark<R = unknown> {
  /** Kebab-case; results go to `bench/results/<name>.json`. */
  name: string;
  title: string;
  /** Whether `run` needs the production build (and so the build step runs first). */
  needsBuild?: boolean;
  /**
   * Seconds after which the harness gives up on this benchmark (default 180), closes the shared browser
   * and preview under it, and goes on with the next: the whole of `npm run bench` must stay under ten
   * minutes.
   */
  timeLimitS?: number;
  run(ctx: BenchContext): Promise<R>;
  /** Markdown lines for docs/benchmarks.md: what the figure means, how it was measured, the table. */
  report(result: R, recorded: Recorded): string[];
  /** One line for the summary at the top of the page: the figure that matters, against its goal if any. */
  headline?(result: R): string;
}

/** What the harness stores beside a benchmark's own result. */
export interface Recorded {
  machine: Machine;
  /** Wall time of the benchmark's `run`, in seconds. */
  seconds: number;
}

export interface ResultFile<R = unknown> extends Recorded {
  benchmark: string;
  title: string;
  result: R;
}
