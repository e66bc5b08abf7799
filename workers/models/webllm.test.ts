import { describe, expect, it } from 'vitest';
import { ProviderError } from '../lang/index.ts';
import { EngineUnavailableError } from './engine-trouble.ts';
import { WebLLMModel } from './webllm.ts';

/**
 * TEST DOUBLE for web-llm's engine client: streams scripted chunks, records the requests, and ends the
 * stream with finish_reason "abort" once interrupted, as web-llm does.
 */
function fakeEngine(script: { pieces: string[]; finish?: string; fail?: string; stepMs?: number }) {
  const requests: Record<string, unknown>[] = [];
  let interrupted = false;
  let active = 0;
  let maxActive = 0;
  const engine = {
    interruptGenerate: () => {
      interrupted = true;
    },
    chat: {
      completions: {
        create: async (request: Record<string, unknown>) => {
          requests.push(request);
          if (script.fail) throw new Error(script.fail);
          interrupted = false;
          return (async function* () {
            active++;
            maxActive = Math.max(maxActive, active);
            try {
              for (const piece of script.pieces) {
                await new Promise((r) => setTimeout(r, script.stepMs ?? 0));
                if (interrupted) {
                  yield { choices: [{ delta: {}, finish_reason: 'abort' }] };
                  return;
                }
                yield { choices: [{ delta: { content: piece }, finish_reason: null }] };
              }
              yield {
                choices: [{ delta: {}, finish_reason: script.finish ?? 'stop' }],
                usage: { prompt_tokens: 11, completion_tokens: script.pieces.length },
              };
            } finally {
              active--;
            }
          })();
        },
      },
    },
  };
  return { engine: engine as never, requests, maxActive: () => maxActive };
}

const request = { messages: [{ role: 'user' as const, content: 'Q' }], maxTokens: 32, temperature: 0 };
const live = () => ({ signal: new AbortController().signal });

describe('WebLLMModel (against a fake web-llm engine)', () => {
  it('turns thinking off, streams, strips <think>, and reports usage', async () => {
    const fake = fakeEngine({ pieces: ['<think>\n\n</think>\n\n', 'Hello', ' world'] });
    const model = new WebLLMModel(fake.engine, 'Qwen3-0.6B-q4f32_1-MLC', 4096, () => true);
    const deltas: string[] = [];
    const response = await model.complete(
      { ...request, jsonSchema: { type: 'object' } },
      {
        ...live(),
        onDelta: (d) => deltas.push(d),
      },
    );
    expect(response).toEqual({
      text: 'Hello world',
      usage: { promptTokens: 11, completionTokens: 3 },
      finishReason: 'stop',
    });
    expect(deltas.join('')).toBe('Hello world');
    expect(fake.requests[0]).toMatchObject({
      max_tokens: 32,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
      extra_body: { enable_thinking: false },
      response_format: { type: 'json_object', schema: '{"type":"object"}' },
    });
    expect(model.id).toBe('webllm:Qwen3-0.6B-q4f32_1-MLC');
    expect(model.capabilities).toMatchObject({ concurrency: 1, contextWindow: 4096 });
  });

  it('reports an answer cut at max tokens as finish "length"', async () => {
    const fake = fakeEngine({ pieces: ['a', 'b'], finish: 'length' });
    const response = await new WebLLMModel(fake.engine, 'm', 4096, () => true).complete(request, live());
    expect(response.finishReason).toBe('length');
  });

  it('aborts through interruptGenerate()', async () => {
    const fake = fakeEngine({ pieces: ['a', 'b', 'c', 'd', 'e'], stepMs: 5 });
    const model = new WebLLMModel(fake.engine, 'm', 4096, () => true);
    const controller = new AbortController();
    const pending = model.complete(request, {
      signal: controller.signal,
      onDelta: () => controller.abort(),
    });
    const response = await pending;
    expect(response.finishReason).toBe('abort');
  });

  it('runs one request at a time even when called concurrently', async () => {
    const fake = fakeEngine({ pieces: ['x', 'y', 'z'], stepMs: 2 });
    const model = new WebLLMModel(fake.engine, 'm', 4096, () => true);
    await Promise.all([
      model.complete(request, live()),
      model.complete(request, live()),
      model.complete(request, live()),
    ]);
    expect(fake.requests).toHaveLength(3);
    expect(fake.maxActive()).toBe(1);
  });

  it('explains a lost device and missing weights as unavailable; an unknown failure is fatal', async () => {
    const lost = new WebLLMModel(
      fakeEngine({ pieces: [], fail: 'DeviceLostError: The WebGPU device was lost' }).engine,
      'm',
      4096,
      () => true,
    );
    const error = await lost.complete(request, live()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as EngineUnavailableError).trouble.code).toBe('device-lost');

    const odd = new WebLLMModel(fakeEngine({ pieces: [], fail: 'odd' }).engine, 'm', 4096, () => true);
    const fatal = await odd.complete(request, live()).catch((e: unknown) => e);
    expect(fatal).toBeInstanceOf(ProviderError);
    expect((fatal as ProviderError).kind).toBe('fatal');
  });

  it('refuses to answer once another model replaced it', async () => {
    const model = new WebLLMModel(fakeEngine({ pieces: ['a'] }).engine, 'old', 4096, () => false);
    await expect(model.complete(request, live())).rejects.toThrow(/no longer loaded/);
  });
});
