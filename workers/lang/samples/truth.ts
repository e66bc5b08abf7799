/**
 * The ground truth of a sample document: what a reader who understood the document knows, in plain JSON.
 * The generators return it beside the text so tests can hand it to the scripted test model out of band
 * (never through the prompt): the test double then answers a prompt only from the evidence the prompt
 * actually holds, the way a model that reads well would, whatever the plan's templates say.
 * docs/examples.md describes how the test double reads it.
 */
import type { JsonValue } from '../nodes/node-spec.ts';
import type { TaskFamily } from './sample.ts';

/** A fact: once every evidence string is in front of the reader, the answer is known. */
export interface TruthFact {
  /** Verbatim passages of the document (or of what a plan derives from it) that establish the answer. */
  evidence: string[];
  answer: JsonValue;
}

/** A record of the document (one line, one paragraph, one file) and what a reader learns from it. */
export interface TruthRecord {
  /** The record verbatim, as it appears in the document. */
  text: string;
  /** What the record says, by field name: `label` (its category) and any attributes (`user`, `id`…). */
  fields: Record<string, string>;
}

/** How a reader answers about records when no output format is declared. */
export type RecordReply = 'counts' | 'majority' | 'records';

export interface GroundTruth {
  /** The task family of the generator that made the sample (what a reader knows the question is). */
  family?: TaskFamily;
  /**
   * The question the sample asks (the run's query, as `{{query}}` puts it into a prompt). A reader only
   * answers a prompt that asks it. Omitted for tasks that need no question (a summary).
   */
  question?: string;
  facts?: TruthFact[];
  records?: TruthRecord[];
  /** The categories the question names: the keys of the counts a reader reports. */
  categories?: string[];
  /** How a reader reports records when the prompt declares no output format. */
  recordReply?: RecordReply;
  /** For summaries: the sentences that carry the document, in document order (the first leads). */
  keySentences?: string[];
}
