import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ScriptedServer, startScriptedServer } from '../../test/scripted-server/server.ts';
import { scriptedPromptTokens, scriptedTokenCount } from '../../test/scripted-server/tokenizer.ts';
import type { GroundTruth, LeafRequest } from '../lang/index.ts';
import { createScheduler } from '../lang/index.ts';
import { ApiError, normalizeBaseUrl, OpenAIModel, type OpenAIModelOptions } from './openai.ts';

const FAKE_KEY = 'sk-fixpoint-FAKE-KEY-0123456789abcdef';

function needle(key: string, value: string, filler = 3): string {
  const prose = 'The river bends slowly past the old mill. ';
  return `${prose.repeat(filler)}The secret code for ${key} is ${value}. ${prose.repeat(filler)}`;
}

function secretRequest(key: string, value: string, extra: Partial<LeafRequest> = {}): LeafRequest {
  return {
    messages: [
      { role: 'system', content: 'You answer briefly.' },
      {
        role: 'user',
        content: `Find the secret code in the text.\nQuestion: What is the secret code for ${key}?\nText:\n${needle(key, value)}`,
      },
    ],
    maxTokens: 64,
    temperature: 0,
    ...extra,
  };
}

/** What the scripted model (a test double) knows: each key's code, and the summaries' sentences. */
const CODES: [string, string][] = [
  ['ORCHID', 'K-4471'],
  ['ORCHID', 'K-1'],
  ['A', 'B'],
  ...Array.from({ length: 40 }, (_, i) => [`KEY${i}`, `V-${i * 7}`] as [string, string]),
];
const TRUTH: GroundTruth[] = [
  ...CODES.map(([key, value]) => ({
    question: `What is the secret code for ${key}?`,
    facts: [{ evidence: [`The secret code for ${key} is ${value}.`], answer: value }],
  })),
  {
    keySentences: [
      'One two three four five six.',
      'Alpha beta gamma delta epsilon zeta.',
      'Alpha beta gamma delta epsilon.',
    ],
  },
];

let server: ScriptedServer;

beforeAll(async () => {
  server = await startScriptedServer({ apiKey: FAKE_KEY, truth: TRUTH });
});
afterAll(() => server.close());
afterEach(() => {
  server.configure({ schedule: [], faults: { rate: 0 }, latencyMs: 0, tokenLatencyMs: 0, usage: true });
  server.clearLog();
  vi.unstubAllGlobals();
});

function model(options: Partial<OpenAIModelOptions> = {}): OpenAIModel {
  return new OpenAIModel({ baseUrl: server.url, model: 'fixpoint-scripted', apiKey: FAKE_KEY, ...options });
}

const signal = () => new AbortController().signal;

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('OpenAIModel against the scripted server', () => {
  it('streams an answer: deltas add up to the text, usage comes from the stream', async () => {
    const deltas: string[] = [];
    const res = await model().complete(secretRequest('ORCHID', 'K-4471'), {
      signal: signal(),
      onDelta: (t) => deltas.push(t),
    });
    expect(res.text).toBe('K-4471');
    expect(res.finishReason).toBe('stop');
    expect(deltas.join('')).toBe('K-4471');
    const [req] = server.chatRequests();
    expect(req?.stream).toBe(true);
    expect(req?.body?.stream_options).toEqual({ include_usage: true });
    expect(req?.authorization).toBe(`Bearer ${FAKE_KEY}`);
    expect(res.usage.completionTokens).toBe(scriptedTokenCount('K-4471'));
    expect(res.usage.promptTokens).toBe(scriptedPromptTokens(secretRequest('ORCHID', 'K-4471').messages));
  });

  it('answers without streaming too', async () => {
    const res = await model({ stream: false }).complete(secretRequest('ORCHID', 'K-4471'), {
      signal: signal(),
    });
    expect(res).toMatchObject({ text: 'K-4471', finishReason: 'stop' });
    expect(server.chatRequests()[0]?.stream).toBe(false);
  });

  it('estimates usage when the server sends none', async () => {
    server.configure({ usage: false });
    const res = await model().complete(secretRequest('ORCHID', 'K-4471'), { signal: signal() });
    expect(res.usage.promptTokens).toBeGreaterThan(20);
    expect(res.usage.completionTokens).toBeGreaterThan(0);
  });

  it('reports finish_reason "length" when the answer is cut by max tokens', async () => {
    const req: LeafRequest = {
      messages: [
        { role: 'user', content: 'Summarize the following text.\n\nOne two three four five six. Seven.' },
      ],
      maxTokens: 2,
      temperature: 0,
    };
    const res = await model().complete(req, { signal: signal() });
    expect(res.finishReason).toBe('length');
    expect(res.text).toBe('One two');
  });

  it('turns thinking off for Qwen3 and strips <think> when a server thinks anyway', async () => {
    const quiet = await model({ model: 'qwen3-scripted' }).complete(secretRequest('ORCHID', 'K-1'), {
      signal: signal(),
    });
    expect(server.chatRequests()[0]?.body?.chat_template_kwargs).toEqual({ enable_thinking: false });
    expect(quiet.text).toBe('K-1');

    const deltas: string[] = [];
    const thinking = await model({ model: 'qwen3-scripted', disableThinking: false }).complete(
      secretRequest('ORCHID', 'K-1'),
      { signal: signal(), onDelta: (t) => deltas.push(t) },
    );
    expect(server.chatRequests()[1]?.body?.chat_template_kwargs).toBeUndefined();
    expect(thinking.text).toBe('K-1');
    expect(deltas.join('')).toBe('K-1');
  });

  it('maps 429 to a transient error with Retry-After', async () => {
    server.configure({ schedule: ['429'], retryAfterSeconds: 2 });
    const err = await failure(model().complete(secretRequest('A', 'B'), { signal: signal() }));
    expect(err).toMatchObject({ kind: 'transient', code: 'rate-limit', status: 429, retryAfterMs: 2000 });
    expect(err.message).toMatch(/rate-limiting/);
  });

  it('maps 500 to a transient error', async () => {
    server.configure({ schedule: ['500'] });
    const err = await failure(model().complete(secretRequest('A', 'B'), { signal: signal() }));
    expect(err).toMatchObject({ kind: 'transient', code: 'server', status: 500 });
  });

  it('times out a hung server as a transient error', async () => {
    server.configure({ schedule: ['hang'] });
    const err = await failure(
      model({ timeoutMs: 300 }).complete(secretRequest('A', 'B'), { signal: signal() }),
    );
    expect(err).toMatchObject({ kind: 'transient', code: 'timeout' });
  });

  it('rejects malformed SSE without accepting the partial text', async () => {
    server.configure({ schedule: ['malformed'] });
    const deltas: string[] = [];
    const req = secretRequest('A', 'B', {
      messages: [
        { role: 'user', content: 'Summarize the following text.\n\nAlpha beta gamma delta epsilon zeta.' },
      ],
    });
    const err = await failure(model().complete(req, { signal: signal(), onDelta: (t) => deltas.push(t) }));
    expect(err).toMatchObject({ kind: 'transient', code: 'malformed' });
    expect(deltas.join('')).toBe('Alpha beta gamma');
  });

  it('rejects a truncated stream (no finish_reason) and a reset connection', async () => {
    const req: LeafRequest = {
      messages: [
        { role: 'user', content: 'Summarize the following text.\n\nAlpha beta gamma delta epsilon zeta.' },
      ],
      maxTokens: 50,
      temperature: 0,
    };
    server.configure({ schedule: ['truncated', 'reset'] });
    const truncated = await failure(model().complete(req, { signal: signal() }));
    expect(truncated).toMatchObject({ kind: 'transient', code: 'truncated' });
    const reset = await failure(model().complete(req, { signal: signal() }));
    expect(reset).toMatchObject({ kind: 'transient', code: 'reset', reason: 'connection-reset' });
    expect(reset.message).toMatch(/reset the connection/);
  });

  it('rejects malformed and truncated JSON bodies when not streaming', async () => {
    server.configure({ schedule: ['malformed', 'truncated'] });
    const m = model({ stream: false });
    expect(await failure(m.complete(secretRequest('A', 'B'), { signal: signal() }))).toMatchObject({
      kind: 'transient',
      code: 'malformed',
    });
    expect(await failure(m.complete(secretRequest('A', 'B'), { signal: signal() }))).toMatchObject({
      kind: 'transient',
      code: 'malformed',
    });
  });

  it('times out on inactivity, not on the length of an answer that keeps streaming', async () => {
    // Five words 60 ms apart: 300 ms in all, more than the 250 ms timeout, but never 250 ms of silence.
    server.configure({ schedule: ['slow'], slowTokenMs: 60 });
    const req: LeafRequest = {
      messages: [
        { role: 'user', content: 'Summarize the following text.\n\nAlpha beta gamma delta epsilon.' },
      ],
      maxTokens: 50,
      temperature: 0,
    };
    const deltas: string[] = [];
    const res = await model({ timeoutMs: 250 }).complete(req, {
      signal: signal(),
      onDelta: (t) => deltas.push(t),
    });
    expect(res.finishReason).toBe('stop');
    expect(deltas.length).toBeGreaterThan(3);
    // The same answer with a silence longer than the timeout between two words does time out.
    server.configure({ schedule: ['slow'], slowTokenMs: 600 });
    const err = await failure(model({ timeoutMs: 250 }).complete(req, { signal: signal() }));
    expect(err).toMatchObject({ kind: 'transient', code: 'timeout' });
  });

  it('aborts a streaming call through its signal', async () => {
    server.configure({ schedule: ['slow'], slowTokenMs: 200 });
    const controller = new AbortController();
    const req: LeafRequest = {
      messages: [
        { role: 'user', content: 'Summarize the following text.\n\nAlpha beta gamma delta epsilon.' },
      ],
      maxTokens: 50,
      temperature: 0,
    };
    const call = model().complete(req, {
      signal: controller.signal,
      onDelta: () => controller.abort(),
    });
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses to start a call whose signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      model().complete(secretRequest('A', 'B'), { signal: controller.signal }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(server.chatRequests()).toHaveLength(0);
  });

  it('says a wrong key is refused, without repeating the key', async () => {
    const wrong = 'sk-WRONG-fake-key-9999999999';
    const err = await failure(
      model({ apiKey: wrong }).complete(secretRequest('A', 'B'), { signal: signal() }),
    );
    expect(err).toMatchObject({ kind: 'unavailable', code: 'auth', status: 401 });
    expect(err.message).toMatch(/refused the API key/);
    expect(err.message).not.toContain(wrong);
    const none = await failure(model({ apiKey: '' }).complete(secretRequest('A', 'B'), { signal: signal() }));
    expect(none.message).toMatch(/needs an API key/);
  });

  it('says which model is missing, and a wrong base URL', async () => {
    const missing = await failure(
      model({ model: 'gpt-9' }).complete(secretRequest('A', 'B'), { signal: signal() }),
    );
    expect(missing).toMatchObject({ kind: 'unavailable', code: 'model-not-found' });
    expect(missing.message).toMatch(/no model "gpt-9"/);
    const wrongPath = await failure(
      model({ baseUrl: server.url.replace('/v1', '/nope') }).complete(secretRequest('A', 'B'), {
        signal: signal(),
      }),
    );
    expect(wrongPath).toMatchObject({ kind: 'unavailable', code: 'not-found' });
    expect(wrongPath.message).toMatch(/usually ends in \/v1/);
  });

  it('lists models and tests the connection', async () => {
    const m = model();
    const models = await m.listModels();
    expect(models.map((x) => x.id)).toContain('fixpoint-scripted');
    expect(models[0]?.contextWindow).toBe(8192);
    const ok = await m.testConnection();
    expect(ok).toMatchObject({ ok: true, modelListed: true });
    expect(ok.message).toMatch(/^Chat works/);
    expect(ok).toMatchObject({
      verdict: 'chat-works',
      checks: { reachable: true, models: 'listed', chat: 'works' },
    });
    const wrong = await model({ model: 'nope' }).testConnection();
    expect(wrong).toMatchObject({ ok: false, modelListed: false, error: { code: 'model-not-found' } });
    expect(wrong.message).toMatch(/fixpoint-scripted/);
    const refused = await model({ apiKey: 'sk-nope-nope' }).testConnection();
    expect(refused).toMatchObject({ ok: false, error: { code: 'auth' } });
  });
});

describe('OpenAIModel without a reachable server', () => {
  it('calls an unreachable server unavailable before it ever answered, a blip after', async () => {
    const gone = await startScriptedServer();
    const url = gone.url;
    const m = new OpenAIModel({ baseUrl: url, model: 'fixpoint-scripted' });
    await m.complete(secretRequest('A', 'B'), { signal: signal() });
    await gone.close();
    const blip = await failure(m.complete(secretRequest('A', 'B'), { signal: signal() }));
    expect(blip).toMatchObject({ kind: 'transient', code: 'network' });
    const fresh = await failure(
      new OpenAIModel({ baseUrl: url, model: 'x' }).complete(secretRequest('A', 'B'), { signal: signal() }),
    );
    expect(fresh).toMatchObject({ kind: 'unavailable', code: 'network' });
    expect(fresh.message).toMatch(/server is running/);
  });

  it('explains a CORS refusal in a browser, naming the page origin for Ollama', async () => {
    vi.stubGlobal('location', { origin: 'http://localhost:5173' });
    const refused = async () => {
      throw new TypeError('Failed to fetch');
    };
    const m = new OpenAIModel({
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'qwen3:0.6b',
      fetch: refused as typeof fetch,
    });
    const err = await failure(m.complete(secretRequest('A', 'B'), { signal: signal() }));
    expect(err).toMatchObject({ kind: 'unavailable', code: 'cors' });
    expect(err.message).toContain('OLLAMA_ORIGINS=http://localhost:5173');
    expect(err.message).toMatch(/LM Studio/);
  });

  it('masks the key when a server echoes it in an error', async () => {
    const echo = async (_url: string | URL | Request, init?: RequestInit) =>
      new Response(
        JSON.stringify({
          error: {
            message: `Key ${String((init?.headers as Record<string, string> | undefined)?.authorization)} is not valid here`,
          },
        }),
        { status: 400, headers: { 'content-type': 'application/json' } },
      );
    const m = new OpenAIModel({
      baseUrl: 'http://x.test/v1',
      model: 'm',
      apiKey: FAKE_KEY,
      fetch: echo as typeof fetch,
    });
    const err = await failure(m.complete(secretRequest('A', 'B'), { signal: signal() }));
    expect(err).toMatchObject({ kind: 'fatal', code: 'bad-request' });
    expect(err.message).not.toContain(FAKE_KEY);
    expect(err.message).toContain('[redacted]');
  });

  it("adapts to OpenAI's newer models: max_completion_tokens, no temperature", async () => {
    const bodies: Record<string, unknown>[] = [];
    const strict = async (_url: string | URL | Request, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
      bodies.push(body);
      const refuse = (message: string) =>
        new Response(JSON.stringify({ error: { message, type: 'invalid_request_error' } }), { status: 400 });
      if ('max_tokens' in body)
        return refuse("Unsupported parameter: 'max_tokens'. Use 'max_completion_tokens' instead.");
      if ('temperature' in body)
        return refuse("Unsupported value: 'temperature' does not support 0 with this model.");
      return new Response(
        'data: {"choices":[{"delta":{"content":"ok"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
        {
          status: 200,
          headers: { 'content-type': 'text/event-stream' },
        },
      );
    };
    const m = new OpenAIModel({
      baseUrl: 'https://api.example.test/v1',
      model: 'gpt-5-mini',
      fetch: strict as typeof fetch,
    });
    expect((await m.complete(secretRequest('A', 'B'), { signal: signal() })).text).toBe('ok');
    expect(bodies.at(-1)).toMatchObject({ max_completion_tokens: 64 });
    expect(bodies.at(-1)).not.toHaveProperty('temperature');
    bodies.length = 0;
    await m.complete(secretRequest('A', 'B'), { signal: signal() });
    expect(bodies).toHaveLength(1);
  });

  it('refuses a stream closed by [DONE] without a finish_reason, and one closed by neither', async () => {
    const sse = (body: string) => async () =>
      new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    const piece = 'data: {"choices":[{"delta":{"content":"forty-two"}}]}\n\n';
    const done = new OpenAIModel({
      baseUrl: 'http://x.test/v1',
      model: 'm',
      fetch: sse(`${piece}data: [DONE]\n\n`) as typeof fetch,
    });
    // [DONE] closes the stream, not the answer: without a finish reason the answer may be cut.
    const ended = await failure(done.complete(secretRequest('A', 'B'), { signal: signal() }));
    expect(ended).toMatchObject({ kind: 'transient', code: 'truncated', reason: 'cut-reply' });
    expect(ended.message).toMatch(/\[DONE\]\) without a finish reason/);
    const cut = new OpenAIModel({
      baseUrl: 'http://x.test/v1',
      model: 'm',
      fetch: sse(piece) as typeof fetch,
    });
    expect(await failure(cut.complete(secretRequest('A', 'B'), { signal: signal() }))).toMatchObject({
      code: 'truncated',
    });
  });

  it('says so when the base URL is a web page rather than the API', async () => {
    const page = async () =>
      new Response('<!doctype html><title>Fixpoint</title>', {
        status: 200,
        headers: { 'content-type': 'text/html' },
      });
    const m = new OpenAIModel({ baseUrl: 'http://localhost:5173', model: 'm', fetch: page as typeof fetch });
    const err = await failure(m.complete(secretRequest('A', 'B'), { signal: signal() }));
    expect(err).toMatchObject({ kind: 'unavailable', code: 'not-found' });
    expect(err.message).toMatch(/web page/);
    const report = await m.testConnection();
    expect(report).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('drops stream_options for a server that refuses it, and asks again', async () => {
    const bodies: Record<string, unknown>[] = [];
    const picky = async (_url: string | URL | Request, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
      bodies.push(body);
      if (body.stream_options) {
        return new Response(JSON.stringify({ error: 'unknown field stream_options' }), { status: 400 });
      }
      return new Response(
        'data: {"choices":[{"delta":{"content":"hi"},"finish_reason":null}]}\n\ndata: {"choices":[{"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
        { status: 200, headers: { 'content-type': 'text/event-stream' } },
      );
    };
    const m = new OpenAIModel({ baseUrl: 'http://x.test/v1', model: 'm', fetch: picky as typeof fetch });
    const res = await m.complete(secretRequest('A', 'B'), { signal: signal() });
    expect(res.text).toBe('hi');
    expect(bodies).toHaveLength(2);
    expect(bodies[1]?.stream_options).toBeUndefined();
  });
});

describe('normalizeBaseUrl', () => {
  it('adds /v1 to a bare origin and drops a pasted /chat/completions', () => {
    expect(normalizeBaseUrl('http://localhost:11434')).toBe('http://localhost:11434/v1');
    expect(normalizeBaseUrl('http://localhost:8000/v1/')).toBe('http://localhost:8000/v1');
    expect(normalizeBaseUrl('https://openrouter.ai/api/v1/chat/completions')).toBe(
      'https://openrouter.ai/api/v1',
    );
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => normalizeBaseUrl('localhost:8000')).toThrow(/http/);
    expect(() => normalizeBaseUrl('file:///etc/passwd')).toThrow(/http/);
  });
});

describe('through the scheduler, under injected faults', () => {
  it('every answer is right under 20% faults of every kind, and no error text lands in one', async () => {
    server.configure({ faults: { rate: 0.2, seed: 42 }, slowTokenMs: 5 });
    const m = model({ timeoutMs: 250, concurrency: 6 });
    const scheduler = createScheduler(m, {
      maxRetries: 10,
      backoffBaseMs: 1,
      backoffMaxMs: 5,
      timeoutMs: 5000,
    });
    const keys = Array.from({ length: 40 }, (_, i) => [`KEY${i}`, `V-${i * 7}`] as const);
    const results = await Promise.all(
      keys.map(([k, v], i) => scheduler.call({ callId: `c${i}`, request: secretRequest(k, v) })),
    );
    scheduler.close();
    expect(results.map((r) => r.text)).toEqual(keys.map(([, v]) => v));
    // A slow answer is still an answer; every other fault costs exactly one retry.
    const failed = server.chatRequests().filter((r) => r.fault !== null && r.fault !== 'slow');
    expect(failed.length).toBeGreaterThan(3);
    expect(results.reduce((n, r) => n + r.retries, 0)).toBe(failed.length);
  });
});
