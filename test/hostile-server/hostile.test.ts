/**
 * Every faulty mode of the hostile server ends, through the real provider and scheduler, in the right
 * typed error: never an answer, never a wait without end. Deadlines are short and set here (the defaults'
 * bound is checked on a fake clock in workers/lang/run/deadlines.test.ts); nothing asserts a duration:
 * "bounded" shows as a bounded number of requests and of bytes read.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createScheduler,
  type LeafFailureReason,
  type LeafRequest,
  RunError,
  replyLimits,
} from '../../workers/lang/index.ts';
import { OpenAIModel } from '../../workers/models/openai.ts';
import { HOSTILE_MODEL, type HostileMode, type HostileServer, startHostileServer } from './server.ts';

const KEY = 'sk-hostile-test-0123456789abcdef';

let server: HostileServer;
beforeAll(async () => {
  server = await startHostileServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.tickMs = 20;
});

/** fetch that counts the response bytes the client actually read. */
function countingFetch() {
  const counter = { bytes: 0 };
  const f: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (!res.body) return res;
    const counted = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          counter.bytes += chunk.byteLength;
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  return { fetch: f, counter };
}

const request: LeafRequest = {
  messages: [{ role: 'user', content: 'What is the secret code? Text: the code is K-4471.' }],
  maxTokens: 32,
  temperature: 0,
};

/** Short, settable deadlines: inactivity 400 ms, an attempt 1 s, a leaf 2.5 s, Retry-After up to 1 s. */
const SHORT = { inactivityMs: 400, attemptMs: 1000, leafMs: 2500 };
/**
 * For the modes that must fail on what the server sends, not on time: deadlines a busy machine cannot reach
 * (at load 12 a 20 MB reply took more than 400 ms to start, and 'huge' ended as a timeout).
 */
const ROOMY = { inactivityMs: 10_000, attemptMs: 20_000, leafMs: 40_000 };

async function failureOf(mode: HostileMode, deadlines = SHORT) {
  server.mode = mode;
  const { fetch, counter } = countingFetch();
  const model = new OpenAIModel({
    baseUrl: server.url,
    model: HOSTILE_MODEL,
    apiKey: KEY,
    timeoutMs: deadlines.inactivityMs,
    fetch,
  });
  const scheduler = createScheduler(model, {
    timeoutMs: deadlines.attemptMs,
    leafTimeoutMs: deadlines.leafMs,
    retryAfterCapMs: 1000,
    maxRetries: 2,
    backoffBaseMs: 10,
    backoffMaxMs: 20,
    random: () => 0.5,
  });
  try {
    const answer = await scheduler.call({ callId: 'c0', request });
    return { error: undefined, answer, bytesRead: counter.bytes };
  } catch (error) {
    return { error: error as RunError, answer: undefined, bytesRead: counter.bytes };
  } finally {
    scheduler.close();
  }
}

describe('the hostile server: every faulty mode ends in its typed error', () => {
  it('an honest answer still comes through', async () => {
    const { answer, error } = await failureOf('ok');
    expect(error).toBeUndefined();
    expect(answer?.text).toBe('K-4471');
  });

  const cases: [HostileMode, LeafFailureReason, { requests: number | 'retried' }][] = [
    ['slow-loris', 'timeout', { requests: 'retried' }],
    ['keep-alive', 'timeout', { requests: 'retried' }],
    ['silent', 'timeout', { requests: 'retried' }],
    ['endless', 'oversize-reply', { requests: 1 }],
    ['huge', 'oversize-reply', { requests: 1 }],
    ['empty', 'empty-reply', { requests: 3 }],
    ['cut-done', 'cut-reply', { requests: 3 }],
    ['retry-after', 'rate-limited', { requests: 1 }],
    ['reset', 'connection-reset', { requests: 3 }],
  ];
  for (const [mode, reason, expected] of cases) {
    it(`${mode} → LeafFailed (${reason})`, async () => {
      const { error, answer, bytesRead } = await failureOf(mode, reason === 'timeout' ? SHORT : ROOMY);
      expect(answer).toBeUndefined();
      expect(error).toBeInstanceOf(RunError);
      expect(error?.kind).toBe('LeafFailed');
      expect(error?.reason).toBe(reason);
      const n = server.requests.length;
      // Bounded: at most the first attempt and the two retries, however the server behaves.
      if (expected.requests === 'retried') expect(n).toBeGreaterThanOrEqual(2);
      else expect(n).toBe(expected.requests);
      expect(n).toBeLessThanOrEqual(3);
      // Never read to the end: at most the cap of a 32-token reply, and a chunk or two past it.
      expect(bytesRead).toBeLessThan(replyLimits(32).streamBytes + 2 * 65_536);
    });
  }

  it('a Retry-After past the cap says what the server asked, and is not waited for', async () => {
    const { error } = await failureOf('retry-after');
    expect(error?.message).toMatch(/asked to wait 11\.6 days/);
    expect(error?.message).toMatch(/more than the 1 s this run waits/);
  });

  it('a reset connection is named as such, not as an unreachable server', async () => {
    const { error } = await failureOf('reset');
    expect(error?.message).toMatch(/reset the connection/);
    expect(error?.message).not.toMatch(/Could not reach|not running/);
  });

  it('the endless stream is abandoned by the client, not followed for ever', async () => {
    server.tickMs = 5;
    await failureOf('endless');
    // The server sees the client go away (its writes stop when the socket closes).
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests[0]?.abandoned).toBe(true);
  });

  it('an error body that quotes the key never repeats it', async () => {
    const { error } = await failureOf('echo-key-error');
    expect(error?.message).toMatch(/500/);
    expect(error?.message).not.toContain(KEY);
  });
});
