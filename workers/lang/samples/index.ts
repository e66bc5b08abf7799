/** The sample generators by name (the name an example plan's `input.generator.name` refers to). */
import { classifySample } from './classify.ts';
import { codeQaSample } from './code-qa.ts';
import { multidocQaSample } from './multidoc-qa.ts';
import { oolongSample } from './oolong.ts';
import { oolongPairsSample } from './oolong-pairs.ts';
import type { SampleGenerator } from './sample.ts';
import { sniahSample } from './sniah.ts';
import { summarySample } from './summary.ts';

export * from './kinds.ts';
export type { Layout } from './layout.ts';
export type { Script } from './prose.ts';
export type { Sample, SampleGenerator, SampleKind, SampleOptions, TaskFamily } from './sample.ts';
export * from './score.ts';
export { TREC_LABELS, type TrecLabel } from './trec.ts';
export type { GroundTruth, RecordReply, TruthFact, TruthRecord } from './truth.ts';

export const sampleGenerators: Record<string, SampleGenerator> = {
  sniah: sniahSample as SampleGenerator,
  oolong: oolongSample as SampleGenerator,
  'oolong-pairs': oolongPairsSample as SampleGenerator,
  'multidoc-qa': multidocQaSample as SampleGenerator,
  'code-qa': codeQaSample as SampleGenerator,
  classify: classifySample as SampleGenerator,
  summary: summarySample as SampleGenerator,
};

export function sampleGenerator(name: string): SampleGenerator | undefined {
  return Object.hasOwn(sampleGenerators, name) ? sampleGenerators[name] : undefined;
}
