/**
 * The task families a question can be (the λ-RLM paper's task detection), each with the example plan in
 * public/examples/ that is its template. The ids are the sample generators' `TaskFamily`s, so a sample's
 * ground truth and a detection speak the same names.
 */
import type { TaskFamily } from '../samples/sample.ts';

export interface TaskFamilyInfo {
  family: TaskFamily;
  /** What the picker and the CLI show. */
  label: string;
  /** What the detection prompt tells the model this family is. */
  describe: string;
  /** The example plan (a file of public/examples/) instantiated for it. */
  example: string;
}

export const TASK_FAMILIES: readonly TaskFamilyInfo[] = [
  {
    family: 'search',
    label: 'Search: find one fact',
    describe: 'find one specific fact, value, code or number stated somewhere in the document',
    example: 'sniah.json',
  },
  {
    family: 'multi-hop',
    label: 'Multi-hop QA: answer from several passages',
    describe:
      'answer a question about people, places, things or events described in the document, possibly combining two statements',
    example: 'multidoc-qa.json',
  },
  {
    family: 'aggregate',
    label: 'Aggregate: count or compare over all items',
    describe:
      'count, total or compare how often kinds of items occur across the whole document (how many, which is most common)',
    example: 'oolong.json',
  },
  {
    family: 'pairwise',
    label: 'Pairwise: pairs of items meeting a condition',
    describe: 'list every pair of items (users, records) that together meet a condition',
    example: 'oolong-pairs.json',
  },
  {
    family: 'code',
    label: 'Code QA: a question about source code',
    describe: 'answer a question about source code or a repository, such as which function does something',
    example: 'code-qa.json',
  },
  {
    family: 'classify',
    label: 'Classify: what the document is mostly about',
    describe: 'say which of some named topics or classes the document as a whole belongs to',
    example: 'classify.json',
  },
  {
    family: 'summary',
    label: 'Summarise the document',
    describe: 'summarise or give an overview of the whole document',
    example: 'summary.json',
  },
];

export const TASK_FAMILY_IDS: readonly TaskFamily[] = TASK_FAMILIES.map((f) => f.family);

export function isTaskFamily(value: unknown): value is TaskFamily {
  return typeof value === 'string' && (TASK_FAMILY_IDS as readonly string[]).includes(value);
}

export function taskFamilyInfo(family: TaskFamily): TaskFamilyInfo {
  return TASK_FAMILIES.find((f) => f.family === family) as TaskFamilyInfo;
}
