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
