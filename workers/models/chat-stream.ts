/**
 * Reads an OpenAI-shaped chunk stream as both in-browser engines give it (web-llm and wllama): visible
 * text streamed as it comes with `<think>` blocks held back, the final text stripped, the finish reason
 * and the token counts. Network SSE is parsed elsewhere (openai.ts); this is for in-process iterables.
 */
import { type FinishReason, type LeafResponse, stripThink, ThinkFilter } from '../lang/index.ts';

export interface EngineChunk {
  choices: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  /** llama-server's timings: wllama's streams put these on the last chunk instead of `usage`. */
  timings?: { cache_n: number; prompt_n: number; predicted_n: number };
}

export const ABORTED: LeafResponse = {
  text: '',
  usage: { promptTokens: 0, completionTokens: 0 },
  finishReason: 'abort',
};

export async function readChatStream(
  stream: AsyncIterable<EngineChunk>,
  onDelta: ((text: string) => void) | undefined,
): Promise<LeafResponse> {
  const filter = new ThinkFilter();
  let raw = '';
  let finish: string | null | undefined;
  let promptTokens = 0;
  let completionTokens = 0;
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    const piece = choice?.delta?.content ?? '';
    if (piece) {
      raw += piece;
      const visible = filter.push(piece);
      if (visible) onDelta?.(visible);
    }
    if (choice?.finish_reason) finish = choice.finish_reason;
    if (chunk.usage) {
      promptTokens = chunk.usage.prompt_tokens;
      completionTokens = chunk.usage.completion_tokens;
    } else if (chunk.timings) {
      promptTokens = chunk.timings.cache_n + chunk.timings.prompt_n;
      completionTokens = chunk.timings.predicted_n;
    }
  }
  const finishReason: FinishReason = finish === 'abort' ? 'abort' : finish === 'length' ? 'length' : 'stop';
  return { text: stripThink(raw), usage: { promptTokens, completionTokens }, finishReason };
}
