/**
 * The detection call's request: the question and a short preview of the document, asking the model which
 * task family the question is, as one of the family ids in a JSON schema. Like every model call it is
 * bounded by the window: the preview is cut to what fits beside the instructions, the question and the
 * answer, and a question that alone does not fit is refused before any call.
 */
import { fitTokens, requestTokens, type Tokenizer } from '../plan/tokenizer.ts';
import type { LeafRequest } from '../run/provider.ts';
import { TASK_FAMILIES, TASK_FAMILY_IDS } from './families.ts';

/** The answer is one short JSON object. */
export const DETECT_MAX_TOKENS = 32;
/** A preview is enough to see what kind of document it is; more costs tokens and tells little more. */
export const DETECT_PREVIEW_TOKENS = 600;

export const DETECT_SCHEMA = {
  type: 'object',
  properties: { family: { type: 'string', enum: [...TASK_FAMILY_IDS] } },
  required: ['family'],
  additionalProperties: false,
} as const;

const SYSTEM = [
  'You sort questions about long documents into task kinds, so the right pipeline can answer them.',
  'The kinds:',
  ...TASK_FAMILIES.map((f) => `- ${f.family}: ${f.describe}`),
  'Reply with a JSON object {"family": KIND}, KIND one of the names above, and nothing else.',
].join('\n');

export type DetectRequestResult =
  | { ok: true; request: LeafRequest; previewChars: number }
  | { ok: false; error: { kind: 'PromptTooLarge'; message: string } };

function userMessage(
  question: string,
  preview: string,
  cut: boolean,
  totalChars: number,
  shownChars = preview.length,
): string {
  const shown = cut
    ? `The document's first ${shownChars} of ${totalChars} characters:`
    : 'The document (whole):';
  return `Question: ${question.trim()}\n\n${shown}\n${preview}`;
}

/** The end of a cut that does not split a surrogate pair. */
function safeEnd(text: string, end: number): number {
  if (end > 0 && end < text.length) {
    const c = text.charCodeAt(end - 1);
    if (c >= 0xd800 && c <= 0xdbff) return end - 1;
  }
  return end;
}

export function detectionRequest(
  question: string,
  document: string,
  options: { contextWindow: number; tokenizer: Tokenizer; previewTokens?: number },
): DetectRequestResult {
  const empty: LeafRequest = {
    messages: [
      { role: 'system', content: SYSTEM },
      // Sized with the longest label the preview can get (its character count has the most digits).
      {
        role: 'user',
        content: userMessage(question, '', document.length > 0, document.length, document.length),
      },
    ],
    maxTokens: DETECT_MAX_TOKENS,
    temperature: 0,
    jsonSchema: DETECT_SCHEMA,
  };
  const fixed = requestTokens(empty, options.tokenizer);
  const room = options.contextWindow - DETECT_MAX_TOKENS - fixed;
  if (room < 0)
    return {
      ok: false,
      error: {
        kind: 'PromptTooLarge',
        message: `The question alone (with the detection's instructions, ${fixed} tokens, and its answer) does not fit the model's window of ${options.contextWindow} tokens.`,
      },
    };
  const budget = Math.min(room, options.previewTokens ?? DETECT_PREVIEW_TOKENS);
  let end = 0;
  if (document.length > 0 && budget > 0) {
    end = safeEnd(document, fitTokens(options.tokenizer, document, 0, budget));
    // fitTokens gives at least one character: drop it when even that is over the budget.
    if (options.tokenizer.count(document.slice(0, end)) > budget) end = 0;
  }
  const preview = document.slice(0, end);
  const request: LeafRequest = {
    ...empty,
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: userMessage(question, preview, end < document.length, document.length) },
    ],
  };
  return { ok: true, request, previewChars: end };
}
