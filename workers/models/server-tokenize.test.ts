import { describe, expect, it } from 'vitest';
import { estimateTokenizer } from '../lang/index.ts';
import { serverTokenCounter, serverTokenizer } from './server-tokenize.ts';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** TEST DOUBLES: servers counting a token per 3 characters, each in its own dialect, or not at all. */
const vllm: typeof fetch = async (url, init) => {
  const body = JSON.parse(String(init?.body)) as { model?: string; prompt?: string };
  if (String(url) !== 'http://127.0.0.1:8000/tokenize' || body.prompt === undefined) return json({}, 404);
  return json({ count: Math.ceil(body.prompt.length / 3), max_model_len: 8192 });
};
const llamaCpp: typeof fetch = async (url, init) => {
  const body = JSON.parse(String(init?.body)) as { content?: string };
  if (String(url) !== 'http://127.0.0.1:8000/tokenize' || body.content === undefined)
    return json({ error: 'bad' }, 400);
  return json({ tokens: Array.from({ length: Math.ceil(body.content.length / 3) }, (_, i) => i) });
};
const none: typeof fetch = async () => json({ error: 'not found' }, 404);

describe("a server's own token count", () => {
  it('speaks vLLM’s and llama.cpp’s /tokenize, at the server’s root', async () => {
    for (const fetch of [vllm, llamaCpp]) {
      const count = await serverTokenCounter({ baseUrl: 'http://127.0.0.1:8000/v1', model: 'm', fetch });
      expect(await count?.('abcdefghi')).toBe(3);
    }
    expect(
      await serverTokenCounter({ baseUrl: 'http://127.0.0.1:8000/v1', model: 'm', fetch: none }),
    ).toBeUndefined();
  });

  it('calibrates the estimate to the server, once per server and model', async () => {
    let calls = 0;
    const counting: typeof fetch = async (url, init) => {
      calls++;
      return vllm(url, init);
    };
    const options = { baseUrl: 'http://127.0.0.1:8000/v1', model: 'calibrate-me', fetch: counting };
    const t = await serverTokenizer(options);
    expect(t?.name).toMatch(/calibrate-me: the estimate ×/);
    const text = 'A sentence of ordinary English words, said twice. '.repeat(20);
    expect(t?.count(text)).toBeGreaterThanOrEqual(Math.ceil(text.length / 3));
    expect(t?.count(text)).not.toBe(estimateTokenizer.count(text));
    const before = calls;
    expect(await serverTokenizer(options)).toBe(t);
    expect(calls).toBe(before);
    expect(await serverTokenizer({ ...options, model: 'other', fetch: none })).toBeUndefined();
  });
});
