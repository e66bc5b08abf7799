/**
 * What each sample generator is for, without its generator: the example it serves, its task family, a line
 * describing it, and its family's scorer. The page reads these (the Input tab's description, the Result tab's
 * "matches the expected answer") without loading the generators, which run in the sample worker.
 */
import type { UserPair } from './oolong-pairs.ts';
import type { SampleKind } from './sample.ts';
import {
  choiceScore,
  labelScore,
  oolongScore,
  pairsScore,
  qaScore,
  type SummaryExpectation,
  summaryScore,
} from './score.ts';

function kind<T>(k: Omit<SampleKind<T>, 'isCorrect'>): SampleKind<T> {
  return { ...k, isCorrect: (result, expected) => k.score(result, expected) === 1 };
}

export const sampleKinds = {
  sniah: kind<string>({
    name: 'sniah',
    example: 'sniah.json',
    family: 'search',
    description:
      'Filler prose with one special magic number hidden at any depth, worded one of several ways.',
    score: qaScore,
  }),
  oolong: kind<number | string>({
    name: 'oolong',
    example: 'oolong.json',
    family: 'aggregate',
    description:
      'A long list of TREC-style questions; count the labels the question names and answer from the totals.',
    score: oolongScore,
  }),
  'oolong-pairs': kind<UserPair[]>({
    name: 'oolong-pairs',
    example: 'oolong-pairs.json',
    family: 'pairwise',
    description:
      'A long list of users’ questions; every pair of users whose question labels meet the condition asked.',
    score: pairsScore,
  }),
  'multidoc-qa': kind<string>({
    name: 'multidoc-qa',
    example: 'multidoc-qa.json',
    family: 'multi-hop',
    description:
      'Many short documents; the question paraphrases the sentences that answer it, for half the questions two sentences in different documents.',
    score: qaScore,
  }),
  'code-qa': kind<string>({
    name: 'code-qa',
    example: 'code-qa.json',
    family: 'code',
    description: 'A repository dump, file by file; which of four functions does what the question describes?',
    score: choiceScore,
  }),
  classify: kind<string>({
    name: 'classify',
    example: 'classify.json',
    family: 'classify',
    description: 'Many short news items; which of four topics is the collection mostly about?',
    score: labelScore,
  }),
  summary: kind<SummaryExpectation>({
    name: 'summary',
    example: 'summary.json',
    family: 'summary',
    description: 'Paragraphs of prose; summarise them, recursively.',
    score: summaryScore,
  }),
};

/** The kind of sample a generator name stands for (a plan's `input.generator.name`), if it is one. */
export function sampleKind(name: string): SampleKind | undefined {
  return Object.hasOwn(sampleKinds, name)
    ? (sampleKinds[name as keyof typeof sampleKinds] as SampleKind)
    : undefined;
}
