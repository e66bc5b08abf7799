/**
 * A token counter measured on the model itself. The planner sizes leaves in tokens (DESIGN §3.4) and
 * assumes about four characters a token, which holds for the BPE vocabularies of common instruct models;
 * a GGUF may have a very different vocabulary (a small or byte-level one gives one token a character), and
 * a leaf sized by the assumption would then overflow the context. wllama offers no tokenizer call, so the
 * engine measures one completion's prompt count on a sample and counts by that ratio, with a margin, and
 * never lower than the conservative estimate by script.
 */
import { atLeast, estimateTokenizer, type Tokenizer } from '../lang/index.ts';

/** English prose with numbers, names and punctuation, like the documents leaves see. */
export const CALIBRATION_TEXT =
  'The committee met on 14 March 2024 to review the quarterly report. Revenue rose 12.5% to $4.2 million, ' +
  'driven by new contracts in Europe and Asia, while costs grew more slowly than expected. Dr. Alice Moreno ' +
  'presented the findings: three of the five regional offices exceeded their targets, one met it, and one ' +
  '(Lisbon) fell short because of delays in hiring. The board asked for a revised plan by June, including ' +
  'a timeline, a budget and the names of the people responsible for each step. "We are on track," she said, ' +
  '"but the next two quarters will decide whether the expansion pays off." Questions followed about the ' +
  'supply chain, currency risk and the new data-protection rules that take effect next year.';

/** Safety margin on the measured ratio: prompts vary, and an overflow costs a whole failed leaf. */
const MARGIN = 1.1;

/**
 * `promptTokens` as the model counted `text` (special tokens such as BOS included, so the ratio errs on
 * the safe side). Falls back to one token a character when the count is missing.
 */
export function calibratedTokenizer(modelName: string, text: string, promptTokens: number): Tokenizer {
  const charsPerToken = promptTokens > 0 ? text.length / promptTokens : 1;
  const ratio = Math.max(0.5, charsPerToken / MARGIN);
  const measured: Tokenizer = {
    name: 'measured',
    count(input: string): number {
      return Math.ceil(input.length / ratio);
    },
  };
  // The calibration text is English: the per-script estimate covers what it did not measure (CJK, emoji).
  return atLeast(
    `${modelName}: measured, ${charsPerToken.toFixed(2)} characters a token`,
    measured,
    estimateTokenizer,
  );
}
