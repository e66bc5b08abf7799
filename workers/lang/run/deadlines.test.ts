/**
 * The bound of docs/evaluation.md under the default settings: a leaf whose server hangs, trickles or
 * streams forever fails within 90 s, retries included. Checked on a fake clock, with the scheduler's own
 * defaults and models that misbehave (test doubles in this file), so no test waits and none times anything.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  attemptDeadlineMs,
  DEADLINE_DEFAULTS,
  formatDuration,
  leafBoundMs,
  replyLimits,
  replyProblem,
  SERVER_PACE,
} from './deadlines.ts';
import { RunError } from './errors.ts';
import type { LeafCallOptions, LeafModel, LeafRequest, LeafResponse } from './provider.ts';
import { ProviderError } from './provider.ts';
import { createScheduler } from './scheduler.ts';

/** The LLM node's default max tokens. */
const DEFAULT_MAX_TOKENS = 256;

const request = (maxTokens = DEFAULT_MAX_TOKENS): LeafRequest => ({
  messages: [{ role: 'user', content: 'What is the code?' }],
  maxTokens,
  temperature: 0,
});

/** A TEST DOUBLE whose every call does `behave` and ignores its abort signal, as a stuck engine would. */
function misbehaving(behave: (options: LeafCallOptions) => Promise<LeafResponse>): LeafModel & {
  calls: number;
} {
  const model = {
    id: 'misbehaving',
    capabilities: { concurrency: 1, contextWindow: 8192 },
    calls: 0,
    complete(_request: LeafRequest, options: LeafCallOptions) {
      model.calls++;
      return behave(options);
    },
  };
  return model;
}

const never = () => new Promise<LeafResponse>(() => {});

/** Runs one call to its end on the fake clock; returns the error and the fake time it took. */
async function runToEnd(model: LeafModel, req = request()) {
  const started = Date.now();
  const scheduler = createScheduler(model, { now: () => Date.now() });
  let error: unknown;
  const done = scheduler.call({ callId: 'c0', request: req }).then(
    () => undefined,
    (e: unknown) => {
      error = e;
    },
  );
  let settled = false;
  void done.then(() => {
    settled = true;
  });
  // Ten minutes of fake time at most, a second at a time; a bound that holds ends long before.
  for (let i = 0; i < 600 && !settled; i++) await vi.advanceTimersByTimeAsync(1000);
  scheduler.close();
  return { error: error as RunError | undefined, ms: Date.now() - started, settled };
}

describe('deadlines under the default settings (fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a server that never answers: the leaf fails within 90 s, retries included', async () => {
    const model = misbehaving(never);
    const { error, ms, settled } = await runToEnd(model);
    expect(settled).toBe(true);
    expect(error).toBeInstanceOf(RunError);
    expect(error?.kind).toBe('LeafFailed');
    expect(error?.reason).toBe('timeout');
    expect(ms).toBeLessThanOrEqual(90_000);
    expect(model.calls).toBeGreaterThan(1);
  });

  it('a server that trickles forever: the same bound, although bytes keep coming', async () => {
    const model = misbehaving((options) => {
      const timer = setInterval(() => options.onDelta?.('.'), 1000);
      options.signal.addEventListener('abort', () => clearInterval(timer));
      return never();
    });
    const { error, ms } = await runToEnd(model);
    expect(error?.reason).toBe('timeout');
    expect(ms).toBeLessThanOrEqual(90_000);
  });

  it('a server that fails fast every time: retries end it well within the bound', async () => {
    const model = misbehaving(async () => {
      throw new ProviderError('503 Service Unavailable', 'transient', 503);
    });
    const { error, ms } = await runToEnd(model);
    expect(error?.kind).toBe('LeafFailed');
    expect(model.calls).toBe(4);
    expect(ms).toBeLessThanOrEqual(90_000);
  });

  it('a Retry-After within the cap is waited for and is not counted in the leaf’s deadline', async () => {
    let calls = 0;
    const model = misbehaving(async () => {
      calls++;
      if (calls <= 2) throw new ProviderError('429 Too Many Requests', 'transient', 429, 55_000);
      return { text: 'K-4471', finishReason: 'stop', usage: { promptTokens: 5, completionTokens: 2 } };
    });
    const scheduler = createScheduler(model, { now: () => Date.now() });
    const result = scheduler.call({ callId: 'c0', request: request() });
    await vi.advanceTimersByTimeAsync(120_000);
    // Two waits of 55 s: longer than the leaf's 80 s, yet the call is answered.
    await expect(result).resolves.toMatchObject({ text: 'K-4471', retries: 2 });
    scheduler.close();
  });

  it('a Retry-After past the cap fails at once, saying what was asked', async () => {
    const model = misbehaving(async () => {
      throw new ProviderError('429 Too Many Requests', 'transient', 429, 999_999_000);
    });
    const { error, ms } = await runToEnd(model);
    expect(error?.reason).toBe('rate-limited');
    expect(error?.message).toMatch(/11\.6 days/);
    expect(error?.message).toMatch(/60 s/);
    expect(ms).toBeLessThanOrEqual(1000);
  });
});

describe('the numbers', () => {
  it('the default bound for the default max tokens is at most 90 s, and stated as such', () => {
    const bound = leafBoundMs(DEFAULT_MAX_TOKENS);
    expect(bound.faulty).toBeLessThanOrEqual(90_000);
    expect(bound.faulty).toBe(DEADLINE_DEFAULTS.leafTimeoutMs);
    expect(bound.rateLimited).toBe(bound.faulty + 3 * DEADLINE_DEFAULTS.retryAfterCapMs);
    expect(DEADLINE_DEFAULTS.retryAfterCapMs).toBeGreaterThanOrEqual(60_000);
  });

  it('an attempt’s deadline grows with its max tokens and with a slower engine', () => {
    expect(attemptDeadlineMs(256)).toBe(
      SERVER_PACE.firstTokenMs + (256 * 1000) / SERVER_PACE.tokensPerSecond,
    );
    expect(attemptDeadlineMs(4096)).toBeGreaterThan(attemptDeadlineMs(256));
    const cpu = { firstTokenMs: 60_000, tokensPerSecond: 2 };
    expect(attemptDeadlineMs(256, cpu)).toBeGreaterThan(attemptDeadlineMs(256));
    // A leaf is never given less time than one attempt at its engine's pace.
    expect(leafBoundMs(256, { pace: cpu }).faulty).toBe(attemptDeadlineMs(256, cpu));
    // Junk numbers give a finite deadline, not NaN (which a timer reads as 0).
    expect(Number.isFinite(attemptDeadlineMs(Number.NaN, { firstTokenMs: -1, tokensPerSecond: 0 }))).toBe(
      true,
    );
  });

  it('replies: empty and oversize are faults, a short honest one is not', () => {
    const ok = {
      text: 'K-4471',
      finishReason: 'stop' as const,
      usage: { promptTokens: 1, completionTokens: 1 },
    };
    expect(replyProblem(request(32), ok)).toBeNull();
    expect(replyProblem(request(32), { ...ok, text: '  ' })?.reason).toBe('empty-reply');
    expect(replyProblem(request(32), { ...ok, text: '<think>hmm</think>' })?.reason).toBe('empty-reply');
    expect(replyProblem(request(32), { ...ok, text: 'x'.repeat(replyLimits(32).chars + 1) })?.reason).toBe(
      'oversize-reply',
    );
    // Cut at the limit is the LLM node's own error ("raise Max tokens"), not an empty reply.
    expect(replyProblem(request(32), { ...ok, text: '', finishReason: 'length' })).toBeNull();
  });

  it('durations read at a glance', () => {
    expect(formatDuration(5)).toBe('5 ms');
    expect(formatDuration(60_000)).toBe('60 s');
    expect(formatDuration(999_999_000)).toBe('11.6 days');
  });
});
