/** Counts tokens. The planner sizes everything in tokens through this (DESIGN §3.4). */
export interface Tokenizer {
  readonly name: string;
  count(text: string): number;
}

/**
 * The default estimate: about four characters per token for English prose, which is what BPE
 * tokenizers of the Qwen and GPT families give on average. Exact where a model supplies its own.
 */
export const estimateTokenizer: Tokenizer = {
  name: 'estimate (4 chars/token)',
  count(text: string): number {
    return Math.ceil(text.length / 4);
  },
};

/** Chat formatting around each message (role markers and separators), in tokens. */
export const MESSAGE_OVERHEAD = 8;

/** Tokens a chat request's prompt takes: its messages and their formatting. */
export function requestTokens(
  request: { messages: readonly { content: string }[] },
  tokenizer: Tokenizer,
): number {
  let n = 0;
  for (const m of request.messages) n += tokenizer.count(m.content) + MESSAGE_OVERHEAD;
  return n;
}
