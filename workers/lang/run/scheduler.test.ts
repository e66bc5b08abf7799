import { describe, expect, it } from 'vitest';
import { RunError } from './errors.ts';
import { leafCacheKey, MemoryLeafCache } from './leaf-cache.ts';
import type { LeafCallOptions, LeafModel, LeafRequest, LeafResponse } from './provider.ts';
import { ProviderError } from './provider.ts';
import { createScheduler } from './scheduler.ts';

const req = (content: string, extra: Partial<LeafRequest> = {}): LeafRequest => ({
  messages: [{ role: 'user', content }],
  maxTokens: 64,
  temperature: 0,
  ...extra,
});

const ok = (text: string, tokens = 10): LeafResponse => ({
  text,
  usage: { promptTokens: tokens, completionTokens: 1 },
  finishReason: 'stop',
});

/** A test double whose behaviour per call is given by `script` (call index → outcome). */
function fakeModel(
  script: (i: number, r: LeafRequest, o: LeafCallOptions) => Promise<LeafResponse> | LeafResponse,
  concurrency = 4,
) {
  const seen: { request: LeafRequest; signal: AbortSignal }[] = [];
  const model: LeafModel = {
    id: 'test-double',
    capabilities: { concurrency, contextWindow: 4096 },
    async complete(request, options) {
      const i = seen.length;
      seen.push({ request, signal: options.signal });
      return script(i, request, options);
    },
  };
  return { model, seen };
}

/** A promise that never settles unless the signal aborts (then it rejects like fetch does). */
const hang = (signal: AbortSignal) =>
  new Promise<LeafResponse>((_, reject) => {
    signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
  });

const fast = { backoffBaseMs: 1, backoffMaxMs: 2, random: () => 0.5 };

async function kindOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof RunError ? e.kind : `other: ${String(e)}`;
  }
}

describe('scheduler', () => {
  it('keeps at most `concurrency` calls in flight and answers each with its own text', async () => {
    let inFlight = 0;
    let peak = 0;
    const { model } = fakeModel(async (_, r) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((res) => setTimeout(res, 2));
      inFlight--;
      return ok(`echo ${r.messages[0]!.content}`);
    }, 8);
    const s = createScheduler(model, { concurrency: 3 });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => s.call({ callId: `c${i}`, request: req(`q${i}`) })),
    );
    expect(results.map((r) => r.text)).toEqual(Array.from({ length: 10 }, (_, i) => `echo q${i}`));
    expect(peak).toBe(3);
    expect(s.totals.calls).toBe(10);
  });

  it('defaults to the model’s own concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const { model } = fakeModel(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((res) => setTimeout(res, 1));
      inFlight--;
      return ok('x');
    }, 1);
    const s = createScheduler(model);
    await Promise.all(Array.from({ length: 5 }, (_, i) => s.call({ callId: `c${i}`, request: req(`${i}`) })));
    expect(peak).toBe(1);
  });

  it('retries transient errors (429, 5xx, network) and reports the retries', async () => {
    const { model, seen } = fakeModel((i) => {
      if (i === 0) throw new ProviderError('rate limited', 'transient', 429, 3);
      if (i === 1) throw new ProviderError('bad gateway', 'transient', 502);
      if (i === 2) throw new TypeError('Failed to fetch');
      return ok('fine');
    });
    const retries: number[] = [];
    const s = createScheduler(model, fast);
    const r = await s.call({ callId: 'c', request: req('q'), onRetry: (x) => retries.push(x.delayMs) });
    expect(r.text).toBe('fine');
    expect(r.retries).toBe(3);
    expect(seen).toHaveLength(4);
    // Retry-After is a floor on the first delay.
    expect(retries[0]).toBeGreaterThanOrEqual(3);
    expect(s.totals).toMatchObject({ calls: 1, retries: 3 });
  });

  it('does not retry fatal 4xx errors', async () => {
    const { model, seen } = fakeModel(() => {
      throw new ProviderError('bad request', 'fatal', 400);
    });
    const s = createScheduler(model, fast);
    expect(await kindOf(s.call({ callId: 'c', request: req('q') }))).toBe('LeafFailed');
    expect(seen).toHaveLength(1);
  });

  it('fails with LeafFailed once retries are exhausted, never with error text as an answer', async () => {
    const { model, seen } = fakeModel(() => {
      throw new ProviderError('overloaded', 'transient', 503);
    });
    const s = createScheduler(model, { ...fast, maxRetries: 2 });
    const p = s.call({ callId: 'c7', request: req('q') });
    await expect(p).rejects.toMatchObject({ kind: 'LeafFailed', callId: 'c7' });
    expect(seen).toHaveLength(3);
  });

  it('rejects a malformed answer instead of passing it on', async () => {
    const { model } = fakeModel(() => ({ text: 42 }) as unknown as LeafResponse);
    const s = createScheduler(model, fast);
    expect(await kindOf(s.call({ callId: 'c', request: req('q') }))).toBe('LeafFailed');
  });

  it('times out each attempt with its own signal and retries', async () => {
    const { model, seen } = fakeModel((_, __, o) => hang(o.signal));
    const s = createScheduler(model, { ...fast, timeoutMs: 5, maxRetries: 1 });
    const p = s.call({ callId: 'c', request: req('q') });
    await expect(p).rejects.toMatchObject({ kind: 'LeafFailed' });
    expect(seen).toHaveLength(2);
    expect(seen.every((x) => x.signal.aborted)).toBe(true);
    expect(seen[0]!.signal).not.toBe(seen[1]!.signal);
  });

  it('aborts promptly: in-flight requests are aborted and queued ones never start', async () => {
    // This double ignores its signal: the scheduler must answer anyway.
    const { model, seen } = fakeModel(() => new Promise<LeafResponse>(() => {}), 1);
    const controller = new AbortController();
    const s = createScheduler(model, { signal: controller.signal, timeoutMs: 0 });
    const a = s.call({ callId: 'a', request: req('a') });
    const b = s.call({ callId: 'b', request: req('b') });
    await new Promise((res) => setTimeout(res, 1));
    controller.abort();
    expect(await kindOf(a)).toBe('Aborted');
    expect(await kindOf(b)).toBe('Aborted');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.signal.aborted).toBe(true);
    expect(await kindOf(s.call({ callId: 'c', request: req('c') }))).toBe('Aborted');
  });

  it('aborts during a backoff wait', async () => {
    const { model } = fakeModel(() => {
      throw new ProviderError('busy', 'transient', 503, 60_000);
    });
    const controller = new AbortController();
    const s = createScheduler(model, { signal: controller.signal });
    const p = s.call({ callId: 'a', request: req('a') });
    await new Promise((res) => setTimeout(res, 2));
    controller.abort();
    expect(await kindOf(p)).toBe('Aborted');
  });

  it('is aborted from the start when the signal already is', async () => {
    const { model, seen } = fakeModel(() => ok('x'));
    const controller = new AbortController();
    controller.abort();
    const s = createScheduler(model, { signal: controller.signal });
    expect(await kindOf(s.call({ callId: 'a', request: req('a') }))).toBe('Aborted');
    expect(seen).toHaveLength(0);
  });

  it('serves repeated requests from the cache, keyed by model and whole request', async () => {
    const { model, seen } = fakeModel((_, r) => ok(`${r.messages[0]!.content}@${r.temperature}`));
    const cache = new MemoryLeafCache();
    const s = createScheduler(model, { cache });
    const first = await s.call({ callId: 'a', request: req('q') });
    const again = await s.call({ callId: 'b', request: req('q') });
    const longer = await s.call({ callId: 'c', request: req('q', { maxTokens: 65 }) });
    expect(first.cached).toBe(false);
    expect(again).toMatchObject({ cached: true, text: 'q@0', cacheKey: first.cacheKey });
    expect(longer.cached).toBe(false);
    expect(longer.cacheKey).not.toBe(first.cacheKey);
    expect(seen).toHaveLength(2);
    // A second run (a new scheduler) over the same cache makes no model call.
    const s2 = createScheduler(model, { cache });
    expect((await s2.call({ callId: 'a', request: req('q') })).cached).toBe(true);
    expect(seen).toHaveLength(2);
    expect(s2.totals).toMatchObject({ calls: 0, cachedCalls: 1 });
  });

  it('a call that bypasses the cache asks the model again and stores the fresh answer', async () => {
    let n = 0;
    const { model, seen } = fakeModel(() => ok(`answer ${++n}`));
    const cache = new MemoryLeafCache();
    await createScheduler(model, { cache }).call({ callId: 'a', request: req('q') });
    // The next run forces the call past what the first one cached.
    const s = createScheduler(model, { cache });
    const forced = await s.call({ callId: 'b', request: req('q'), bypassCache: true });
    expect(forced).toMatchObject({ cached: false, text: 'answer 2' });
    expect(seen).toHaveLength(2);
    // The next ordinary call is served the fresh answer, not the first one.
    expect(await s.call({ callId: 'c', request: req('q') })).toMatchObject({
      cached: true,
      text: 'answer 2',
    });
    expect(s.totals).toMatchObject({ calls: 1, cachedCalls: 1 });
  });

  it('forced calls of one request in one run ask the model once, whether in flight or done', async () => {
    const { model, seen } = fakeModel(async () => {
      await new Promise((res) => setTimeout(res, 2));
      return ok('fresh');
    });
    const cache = new MemoryLeafCache();
    const old = createScheduler(model, { cache });
    await old.call({ callId: 'a', request: req('q') });
    const s = createScheduler(model, { cache });
    const forced = { request: req('q'), bypassCache: true };
    const [a, b] = await Promise.all([
      s.call({ callId: 'a', ...forced }),
      s.call({ callId: 'b', ...forced }),
    ]);
    const c = await s.call({ callId: 'c', ...forced });
    expect(seen).toHaveLength(2);
    expect([a.cached, b.cached, c.cached]).toEqual([false, true, true]);
  });

  it('never reuses a sampled answer (temperature > 0): each draw is asked for', async () => {
    const { model, seen } = fakeModel(async () => {
      await new Promise((res) => setTimeout(res, 1));
      return ok('draw');
    });
    const cache = new MemoryLeafCache();
    const s = createScheduler(model, { cache });
    const warm = req('q', { temperature: 0.7 });
    const draws = await Promise.all([1, 2, 3].map((i) => s.call({ callId: `c${i}`, request: warm })));
    await s.call({ callId: 'c4', request: warm });
    expect(seen).toHaveLength(4);
    expect(draws.every((d) => !d.cached)).toBe(true);
    expect(cache.size).toBe(0);
  });

  it('shares one model call between identical requests in flight', async () => {
    const { model, seen } = fakeModel(async () => {
      await new Promise((res) => setTimeout(res, 2));
      return ok('shared');
    });
    const s = createScheduler(model);
    const [a, b] = await Promise.all([
      s.call({ callId: 'a', request: req('q') }),
      s.call({ callId: 'b', request: req('q') }),
    ]);
    expect(seen).toHaveLength(1);
    expect([a.cached, b.cached]).toEqual([false, true]);
    expect(b.text).toBe('shared');
  });

  it('works with an asynchronous cache and survives a broken one', async () => {
    const { model, seen } = fakeModel(() => ok('x'));
    const store = new Map<string, LeafResponse>();
    const asyncCache = {
      get: async (k: string) => store.get(k),
      set: async (k: string, v: LeafResponse) => void store.set(k, v),
    };
    const s = createScheduler(model, { cache: asyncCache });
    await s.call({ callId: 'a', request: req('q') });
    await new Promise((res) => setTimeout(res, 0));
    expect((await s.call({ callId: 'b', request: req('q') })).cached).toBe(true);
    const broken = {
      get: () => {
        throw new Error('quota');
      },
      set: () => Promise.reject(new Error('quota')),
    };
    const s2 = createScheduler(model, { cache: broken });
    expect((await s2.call({ callId: 'a', request: req('q') })).text).toBe('x');
    expect(seen).toHaveLength(2);
  });

  it('stops with BudgetExceeded when the call budget is crossed', async () => {
    const { model, seen } = fakeModel(() => ok('x'));
    const s = createScheduler(model, { budgets: { maxCalls: 2 } });
    await s.call({ callId: 'a', request: req('a') });
    await s.call({ callId: 'b', request: req('b') });
    expect(await kindOf(s.call({ callId: 'c', request: req('c') }))).toBe('BudgetExceeded');
    expect(seen).toHaveLength(2);
    expect(s.stopped?.kind).toBe('BudgetExceeded');
  });

  it('stops with BudgetExceeded when the token budget is crossed', async () => {
    const { model } = fakeModel(() => ok('x', 30));
    const s = createScheduler(model, { budgets: { maxTokens: 50 } });
    await s.call({ callId: 'a', request: req('a') });
    expect(await kindOf(s.call({ callId: 'b', request: req('b') }))).toBe('BudgetExceeded');
    expect(await kindOf(s.call({ callId: 'c', request: req('c') }))).toBe('BudgetExceeded');
  });

  it('stops with BudgetExceeded when the wall-time budget runs out', async () => {
    const { model } = fakeModel((_, __, o) => hang(o.signal));
    const s = createScheduler(model, { budgets: { maxWallMs: 5 }, timeoutMs: 0 });
    expect(await kindOf(s.call({ callId: 'a', request: req('a') }))).toBe('BudgetExceeded');
    s.close();
  });

  it('stops the whole run with ProviderUnavailable', async () => {
    const { model, seen } = fakeModel(() => {
      throw new ProviderError('no WebGPU', 'unavailable');
    });
    const s = createScheduler(model, fast);
    expect(await kindOf(s.call({ callId: 'a', request: req('a') }))).toBe('ProviderUnavailable');
    expect(await kindOf(s.call({ callId: 'b', request: req('b') }))).toBe('ProviderUnavailable');
    expect(seen).toHaveLength(1);
  });

  it('passes streamed deltas through, and none after the attempt ended', async () => {
    const { model } = fakeModel((i, _, o) => {
      o.onDelta?.('par');
      if (i === 0) throw new ProviderError('reset', 'transient', 500);
      o.onDelta?.('tial');
      return ok('partial');
    });
    const deltas: string[] = [];
    const s = createScheduler(model, fast);
    await s.call({
      callId: 'a',
      request: req('a'),
      onDelta: (t) => deltas.push(t),
      onRetry: () => deltas.push('|'),
    });
    expect(deltas.join('')).toBe('par|partial');
  });
});

describe('scheduler: a paced model (one that queues requests itself)', () => {
  /** Holds each request `queueMs` in its own queue, then sends it (telling onSend) and answers after `answerMs`. */
  function pacedModel(queueMs: number, answerMs: number | 'never', paced = true) {
    const model: LeafModel = {
      id: 'paced-double',
      capabilities: { concurrency: 4, contextWindow: 4096, ...(paced && { paced: true }) },
      async complete(_request, options) {
        await new Promise((r) => setTimeout(r, queueMs));
        options.onSend?.();
        if (answerMs === 'never') return hang(options.signal);
        await new Promise((r) => setTimeout(r, answerMs));
        return ok('answered');
      },
    };
    return model;
  }

  it('starts the attempt deadline at the send, not while the model queues the request', async () => {
    const s = createScheduler(pacedModel(150, 10), { ...fast, timeoutMs: 60, maxRetries: 0 });
    await expect(s.call({ callId: 'a', request: req('a') })).resolves.toMatchObject({ text: 'answered' });
    // The same waits in a model that does not say it queues: the deadline runs from the call, and cuts it.
    const plain = createScheduler(pacedModel(150, 10, false), { ...fast, timeoutMs: 60, maxRetries: 0 });
    await expect(plain.call({ callId: 'b', request: req('b') })).rejects.toMatchObject({ reason: 'timeout' });
  });

  it('still cuts an attempt that hangs after its send, and passes the Retry-After cap along', async () => {
    let cap: number | undefined;
    const model = pacedModel(20, 'never');
    const complete = model.complete.bind(model);
    model.complete = (request, options) => {
      cap = options.retryAfterCapMs;
      return complete(request, options);
    };
    const s = createScheduler(model, { ...fast, timeoutMs: 40, maxRetries: 0, retryAfterCapMs: 1234 });
    await expect(s.call({ callId: 'a', request: req('a') })).rejects.toMatchObject({ reason: 'timeout' });
    expect(cap).toBe(1234);
  });
});

describe('leaf cache key', () => {
  it('ignores key order in a JSON schema but not its content, nor the model', () => {
    const a = req('q', { jsonSchema: { type: 'object', properties: { a: 1 } } });
    const b = req('q', { jsonSchema: { properties: { a: 1 }, type: 'object' } });
    const c = req('q', { jsonSchema: { properties: { a: 2 }, type: 'object' } });
    expect(leafCacheKey('m', a)).toBe(leafCacheKey('m', b));
    expect(leafCacheKey('m', a)).not.toBe(leafCacheKey('m', c));
    expect(leafCacheKey('m', a)).not.toBe(leafCacheKey('m2', a));
    expect(leafCacheKey('m', a)).toMatch(/^leaf:[0-9a-f]{28}$/);
  });
});

describe('the leaf bound’s last guard', () => {
  it('refuses a prompt that with its answer would not fit the window, without sending it', async () => {
    const { model, seen } = fakeModel(() => ok('fine'));
    const s = createScheduler(model, { ...fast, contextWindow: 100 });
    // 'word ' is a token of the estimate: 120 tokens plus the message's formatting and 64 of answer.
    expect(await kindOf(s.call({ callId: 'c0', request: req('word '.repeat(120)) }))).toBe('PromptTooLarge');
    // Just within: 20 tokens, 8 of formatting, 64 of answer.
    expect(await kindOf(s.call({ callId: 'c1', request: req('word '.repeat(20)) }))).toBe('ok');
    expect(seen).toHaveLength(1);
    expect(s.totals.calls).toBe(1);
    s.close();
  });

  it('counts CJK, digits and emoji near a token a character', async () => {
    const { model, seen } = fakeModel(() => ok('fine'));
    const s = createScheduler(model, { ...fast, contextWindow: 200 });
    for (const text of ['魔法数字'.repeat(40), '4417203'.repeat(20), '😀'.repeat(70)])
      expect(await kindOf(s.call({ callId: text.slice(0, 4), request: req(text) }))).toBe('PromptTooLarge');
    expect(seen).toHaveLength(0);
    s.close();
  });

  it("uses the model's own count where it has one", async () => {
    const { model, seen } = fakeModel(() => ok('fine'));
    model.capabilities.countTokens = async (messages) => messages.reduce((n, m) => n + m.content.length, 0);
    const s = createScheduler(model, { ...fast, contextWindow: 100 });
    // This model counts a token a character: 30 and 64 of answer fit.
    expect(await kindOf(s.call({ callId: 'a', request: req('x'.repeat(30)) }))).toBe('ok');
    // 40 letters are 10 tokens to the estimate (it would send them), 40 to the model: refused.
    expect(await kindOf(s.call({ callId: 'b', request: req('a'.repeat(40)) }))).toBe('PromptTooLarge');
    expect(seen).toHaveLength(1);
    s.close();
  });

  it("counts conservatively when the model's count fails, and a count that never ends holds up no abort", async () => {
    const { model, seen } = fakeModel(() => ok('fine'));
    model.capabilities.countTokens = async () => {
      throw new Error('tokenize endpoint gone');
    };
    const s = createScheduler(model, { ...fast, contextWindow: 200 });
    expect(await kindOf(s.call({ callId: 'a', request: req('word '.repeat(20)) }))).toBe('ok');
    expect(await kindOf(s.call({ callId: 'b', request: req('word '.repeat(200)) }))).toBe('PromptTooLarge');
    expect(seen).toHaveLength(1);
    s.close();

    const run = new AbortController();
    let counting = 0;
    model.capabilities.countTokens = (_m, signal) =>
      new Promise<number>((_resolve, reject) => {
        counting++;
        signal.addEventListener('abort', () => reject(new Error('count aborted')));
      });
    const hung = createScheduler(model, { ...fast, contextWindow: 200, signal: run.signal });
    const call = kindOf(hung.call({ callId: 'c', request: req('word') }));
    await new Promise((r) => setTimeout(r, 0));
    expect(counting).toBe(1);
    run.abort();
    expect(await call).toBe('Aborted');
    expect(seen).toHaveLength(1);
    hung.close();
  });
});
