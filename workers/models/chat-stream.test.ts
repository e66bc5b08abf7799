import { describe, expect, it } from 'vitest';
import { type EngineChunk, readChatStream } from './chat-stream.ts';

async function* chunks(list: EngineChunk[]): AsyncIterable<EngineChunk> {
  for (const c of list) yield c;
}
const piece = (content: string, finish: string | null = null): EngineChunk => ({
  choices: [{ delta: { content }, finish_reason: finish }],
});

describe('readChatStream', () => {
  it('streams only visible text, strips the thinking, and reports length and usage', async () => {
    const deltas: string[] = [];
    const response = await readChatStream(
      chunks([
        piece('<thi'),
        piece('nk>plan the answer</th'),
        piece('ink>\n\nParis'),
        piece(' is', null),
        {
          choices: [{ delta: {}, finish_reason: 'length' }],
          usage: { prompt_tokens: 12, completion_tokens: 7 },
        },
      ]),
      (d) => deltas.push(d),
    );
    expect(response).toEqual({
      text: 'Paris is',
      usage: { promptTokens: 12, completionTokens: 7 },
      finishReason: 'length',
    });
    expect(deltas.join('')).toBe('Paris is');
  });

  it("takes counts from llama-server timings and knows web-llm's abort", async () => {
    const response = await readChatStream(
      chunks([
        { choices: [{ delta: { content: null } }] },
        piece('ab'),
        { choices: [{ finish_reason: 'abort' }], timings: { cache_n: 3, prompt_n: 28, predicted_n: 2 } },
      ]),
      undefined,
    );
    expect(response).toEqual({
      text: 'ab',
      usage: { promptTokens: 31, completionTokens: 2 },
      finishReason: 'abort',
    });
  });

  it('treats a stream that ends without a reason as a stop', async () => {
    expect((await readChatStream(chunks([piece('x')]), undefined)).finishReason).toBe('stop');
  });
});
