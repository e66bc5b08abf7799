import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { ResultFile } from './benchmark.ts';
import { benchmarks } from './registry.ts';
import { renderReport } from './render-report.ts';

export const RESULTS_DIR = 'bench/results';

/** Regenerates docs/benchmarks.md from bench/results/*.json, in the registry's order. */
export function writeReport(path = 'docs/benchmarks.md'): void {
  const stored = new Map<string, ResultFile<never>>();
  for (const b of benchmarks) {
    const file = `${RESULTS_DIR}/${b.name}.json`;
    if (existsSync(file)) stored.set(b.name, JSON.parse(readFileSync(file, 'utf8')) as ResultFile<never>);
  }
  writeFileSync(path, renderReport(benchmarks, stored));
}
