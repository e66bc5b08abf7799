/**
 * TEST HELPER. The example plans of public/examples/, loaded and paired with their sample generators, for
 * the evaluator's tests and properties.
 */
import { readFileSync } from 'node:fs';
import { loadPlan } from '../format/load.ts';
import type { Plan } from '../format/plan.ts';
import { type SampleGenerator, sampleGenerator } from '../samples/index.ts';

export interface Example {
  file: string;
  plan: Plan;
  generator: SampleGenerator;
}

const dir = new URL('../../../public/examples/', import.meta.url);

export function loadExamples(): Example[] {
  const index = JSON.parse(readFileSync(new URL('index.json', dir), 'utf8')) as { file: string }[];
  return index.map(({ file }) => {
    const loaded = loadPlan(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
    if (!loaded.ok)
      throw new Error(`${file} does not load: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
    const generator = sampleGenerator(loaded.plan.input.generator?.name ?? '');
    if (!generator) throw new Error(`${file} names no known sample generator`);
    return { file, plan: loaded.plan, generator };
  });
}

/**
 * The window a test gives an example when it would give `preferred`: multi-document QA's last call reads
 * the notes of every piece, so on the tests' few-thousand-token documents it needs 4,096 tokens (on less,
 * the planner refuses it before any call, which the properties test checks).
 */
export function testWindow(example: Pick<Example, 'file'>, preferred: number): number {
  return example.file === 'multidoc-qa.json' ? Math.max(preferred, 4096) : preferred;
}
