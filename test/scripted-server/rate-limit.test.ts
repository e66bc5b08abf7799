import { afterEach, describe, expect, it } from 'vitest';
import { type ScriptedServer, type ScriptedServerOptions, startScriptedServer } from './server.ts';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: ScriptedServerOptions): Promise<ScriptedServer> {
  server = await startScriptedServer(options);
  return server;
}

const chat = (s: ScriptedServer, content = 'Summarize the following text.\n\nA b.', signal?: AbortSignal) =>
  fetch(`${s.url}/chat/completions`, {
    method: 'POST',
    ...(signal && { signal }),
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'fixpoint-scripted',
      max_tokens: 40,
      messages: [{ role: 'user', content }],
    }),
  });

describe('scripted server: rate limit', () => {
  it('refuses the request over the limit with 429, Retry-After and x-ratelimit headers, and counts it', async () => {
    const s = await start({ rateLimit: { requests: 2, windowMs: 60_000 } });
    const first = await chat(s);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(first.headers.get('x-ratelimit-reset-requests')).toMatch(/^(59\.\d+|60)s$|^1m0s$/);
    expect((await chat(s)).status).toBe(200);
    const over = await chat(s);
    expect(over.status).toBe(429);
    expect(over.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(Number(over.headers.get('retry-after-ms'))).toBeGreaterThan(50_000);
    expect(s.rateLimitViolations()).toBe(1);
    expect(s.chatRequests().map((r) => r.limited ?? false)).toEqual([false, false, true]);
  });

  it('counts tokens as prompt plus max_tokens, and can stay silent about its limits', async () => {
    // 'x' is 1 prompt token; 1 + 40 fits twice in 90, not three times.
    const s = await start({ rateLimit: { tokens: 90, windowMs: 60_000, headers: false } });
    expect((await chat(s, 'x')).status).toBe(200);
    const second = await chat(s, 'x');
    expect(second.status).toBe(200);
    expect(second.headers.get('x-ratelimit-remaining-tokens')).toBeNull();
    const third = await chat(s, 'x');
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).not.toBeNull();
  });

  it('lets requests in again once the window has moved past them', async () => {
    const s = await start({ rateLimit: { requests: 1, windowMs: 150 } });
    expect((await chat(s)).status).toBe(200);
    expect((await chat(s)).status).toBe(429);
    await new Promise((r) => setTimeout(r, 200));
    expect((await chat(s)).status).toBe(200);
  });
});

describe('scripted server: stopping mid-run', () => {
  it('dies when the request after `stopAfter` comes: that one is reset, later ones refused', async () => {
    const s = await start({ stopAfter: 2 });
    expect((await chat(s)).status).toBe(200);
    expect((await chat(s)).status).toBe(200);
    await expect(chat(s)).rejects.toThrow();
    expect(s.stopped).toBe(true);
    const refused = await chat(s).then(
      () => 'answered',
      (e: Error & { cause?: { code?: string } }) => e.cause?.code,
    );
    expect(refused).toBe('ECONNREFUSED');
  });
});

describe('scripted server: slots', () => {
  it('answers at most `slots` requests at once; the next waits for a slot to free', async () => {
    const s = await start({ slots: 2, schedule: ['hang', 'hang', null] });
    const hangers = [new AbortController(), new AbortController()];
    const hanging = hangers.map((c) => chat(s, undefined, c.signal).catch(() => 'aborted'));
    for (;;) {
      if (s.chatRequests().length === 2) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const third = chat(s).then((r) => r.status);
    const early = await Promise.race([third, new Promise((r) => setTimeout(() => r('waiting'), 200))]);
    expect(early).toBe('waiting');
    hangers[0]!.abort();
    expect(await third).toBe(200);
    hangers[1]!.abort();
    await Promise.all(hanging);
  });
});
