/** The sample generators by name (the name an example plan's `input.generator.name` refers to). */
import { multidocQaSample } from './multidoc-qa.ts';
import { oolongSample } from './oolong.ts';
import { oolongPairsSample } from './oolong-pairs.ts';
import type { SampleGenerator } from './sample.ts';
import { sniahSample } from './sniah.ts';
import { summarySample } from './summary.ts';

export type { Sample, SampleGenerator, SampleOptions } from './sample.ts';

export const sampleGenerators: Record<string, SampleGenerator> = {
  sniah: sniahSample as SampleGenerator,
  oolong: oolongSample as SampleGenerator,
  'oolong-pairs': oolongPairsSample as SampleGenerator,
  'multidoc-qa': multidocQaSample as SampleGenerator,
  summary: summarySample as SampleGenerator,
};

export function sampleGenerator(name: string): SampleGenerator | undefined {
  return Object.hasOwn(sampleGenerators, name) ? sampleGenerators[name] : undefined;
}
