/**
 * A token counter measured on the model itself. The language sizes leaves with a conservative estimate
 * by script (it must not count low: a piece sized by too small a count overflows the window); a model
 * that can count for itself lets leaves be sized closer to its window. No engine here offers a
 * synchronous tokenizer (web-llm keeps its own private, wllama has no tokenize call, a server's
 * `/tokenize` is a request away), so the engine counts a few samples, one per script that tokenizers treat
 * differently (English prose, CJK, numbers, code), and the estimate is scaled by the largest ratio
 * measured over them, with a margin. A vocabulary that splits some script finer than the estimate assumes
 * raises the scale for every script, so the count stays on the safe side; the scheduler's last guard
 * and the server's own context-length error are there for what a sample could not foresee.
 */
import { estimateTokenizer, type Tokenizer } from '../lang/index.ts';

/** English prose with numbers, names and punctuation, like the documents leaves see. */
export const CALIBRATION_TEXT =
  'The committee met on 14 March 2024 to review the quarterly report. Revenue rose 12.5% to $4.2 million, ' +
  'driven by new contracts in Europe and Asia, while costs grew more slowly than expected. Dr. Alice Moreno ' +
  'presented the findings: three of the five regional offices exceeded their targets, one met it, and one ' +
  '(Lisbon) fell short because of delays in hiring. The board asked for a revised plan by June, including ' +
  'a timeline, a budget and the names of the people responsible for each step. "We are on track," she said, ' +
  '"but the next two quarters will decide whether the expansion pays off." Questions followed about the ' +
  'supply chain, currency risk and the new data-protection rules that take effect next year.';

/** One sample per kind of text whose tokens differ: prose, CJK, numbers, code. */
export const CALIBRATION_SAMPLES: readonly string[] = [
  CALIBRATION_TEXT,
  '委员会于二〇二四年三月十四日开会，审议季度报告。收入增长百分之十二点五，达到四百二十万美元。会議は予定どおり午後三時に始まり、報告書の内容について活発な議論が行われました。',
  'Order 4417203: 12 x 1,250.75 = 15,009.00; ref 2024-03-14T09:30:00Z; ids 88231, 90412, 77310, 61204.',
  'function total(items) {\n  return items.reduce((sum, it) => sum + it.price * it.qty, 0);\n}\nconst x = total([{ price: 2, qty: 3 }]);',
];

/** Safety margin on the measured scale: prompts vary, and an overflow costs a whole failed leaf. */
const MARGIN = 1.1;

/**
 * The conservative estimate scaled by what the model counted: `measured[i]` is the model's token count for
 * `samples[i]` (with its chat formatting: a little high, which errs on the safe side), or a non-positive
 * number when it could not say. Without any count, the estimate itself.
 */
export function calibratedTokenizer(
  modelName: string,
  samples: readonly string[],
  measured: readonly number[],
): Tokenizer {
  let scale = 0;
  samples.forEach((text, i) => {
    const m = measured[i] ?? 0;
    const e = estimateTokenizer.count(text);
    if (m > 0 && e > 0) scale = Math.max(scale, m / e);
  });
  if (!(scale > 0)) return estimateTokenizer;
  const factor = Math.min(4, scale * MARGIN);
  return {
    name: `${modelName}: the estimate ×${factor.toFixed(2)}, measured on the model`,
    count(input: string): number {
      return Math.ceil(estimateTokenizer.count(input) * factor);
    },
  };
}

/**
 * Measures the samples with `count` (one prompt's tokens by the model), giving up on a sample that fails
 * or takes longer than `timeoutMs`: a calibration never stops a model from loading.
 */
export async function measureSamples(
  count: (text: string) => Promise<number>,
  samples: readonly string[] = CALIBRATION_SAMPLES,
  timeoutMs = 10_000,
): Promise<number[]> {
  const out: number[] = [];
  for (const text of samples) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const n = await Promise.race([
        count(text),
        new Promise<number>((resolve) => {
          timer = setTimeout(() => resolve(0), timeoutMs);
        }),
      ]);
      out.push(Number.isFinite(n) && n > 0 ? n : 0);
    } catch {
      out.push(0);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }
  return out;
}
