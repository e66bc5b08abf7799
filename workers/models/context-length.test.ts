import { describe, expect, it } from 'vitest';
import { createScheduler, type LeafRequest, RunError } from '../lang/index.ts';
import { OpenAIModel } from './openai.ts';

/** TEST DOUBLE: a fetch that answers every chat request with one HTTP error, as a server would. */
const refusing =
  (status: number, body: unknown): typeof fetch =>
  async () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const request: LeafRequest = {
  messages: [{ role: 'user', content: 'Summarise this.' }],
  maxTokens: 16,
  temperature: 0,
};

describe("a server's own context-length error", () => {
  const refusals: [string, number, unknown][] = [
    [
      'vLLM',
      400,
      {
        object: 'error',
        message:
          "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4984 in the messages, 16 in the completion).",
      },
    ],
    [
      'llama.cpp',
      400,
      {
        error: {
          code: 400,
          message: 'the request exceeds the available context size',
          type: 'exceed_context_size_error',
        },
      },
    ],
    [
      'OpenAI',
      400,
      {
        error: {
          message: 'This model’s maximum context length is 8192 tokens.',
          code: 'context_length_exceeded',
        },
      },
    ],
    ['a proxy', 413, { error: 'payload too large' }],
  ];

  for (const [server, status, body] of refusals)
    it(`from ${server} is a PromptTooLarge leaf error, not retried`, async () => {
      let calls = 0;
      const fetch: typeof globalThis.fetch = async (...args) => {
        calls++;
        return refusing(status, body)(...args);
      };
      const model = new OpenAIModel({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm', fetch });
      const scheduler = createScheduler(model, { maxRetries: 3, backoffBaseMs: 1, contextWindow: 100_000 });
      const failure = await scheduler.call({ callId: 'c0', request }).catch((e: unknown) => e);
      scheduler.close();
      expect(failure).toBeInstanceOf(RunError);
      expect((failure as RunError).kind).toBe('PromptTooLarge');
      expect(calls).toBe(1);
    });

  it('an ordinary bad request stays a LeafFailed', async () => {
    const model = new OpenAIModel({
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'm',
      fetch: refusing(400, { error: { message: 'temperature must be a number' } }),
    });
    const scheduler = createScheduler(model, { maxRetries: 0, contextWindow: 100_000 });
    const failure = await scheduler.call({ callId: 'c0', request }).catch((e: unknown) => e);
    scheduler.close();
    expect((failure as RunError).kind).toBe('LeafFailed');
  });
});
