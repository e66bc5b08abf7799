/**
 * Every benchmark `npm run bench` runs, in this order (the report follows it too). Add yours here; its
 * `name` is what `--only NAME` selects.
 */
import type { Benchmark } from './benchmark.ts';
import { compareBenchmark } from './compare.ts';
import { editorBenchmark } from './editor.ts';
import { firstScreenBenchmark } from './first-screen.ts';
import { overheadBenchmark } from './overhead.ts';
import { regexBenchmark } from './regex.ts';
import { scaleOutBenchmark } from './scale-out.ts';
import { shareBenchmark } from './share.ts';
import { speedupBenchmark } from './speedup.ts';
import { taskFamiliesBenchmark } from './task-families.ts';
import { traceBenchmark } from './trace.ts';
import { uiLoadBenchmark } from './ui-load.ts';

export const benchmarks: Benchmark<never>[] = [
  overheadBenchmark as Benchmark<never>,
  speedupBenchmark as Benchmark<never>,
  scaleOutBenchmark as Benchmark<never>,
  taskFamiliesBenchmark as Benchmark<never>,
  compareBenchmark as Benchmark<never>,
  firstScreenBenchmark as Benchmark<never>,
  shareBenchmark as Benchmark<never>,
  uiLoadBenchmark as Benchmark<never>,
  editorBenchmark as Benchmark<never>,
  traceBenchmark as Benchmark<never>,
  regexBenchmark as Benchmark<never>,
];
