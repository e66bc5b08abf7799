import { describe, expect, it } from 'vitest';
import { EndpointLimiter } from './rate-limiter.ts';

/**
 * Sends as soon as the limiter allows, on a fake clock; each answer's headers come back `rttMs` after its
 * send (when the limits start counting it). Returns the send times.
 */
function drive(limiter: EndpointLimiter, n: number, tokens = 1, rttMs = 5): number[] {
  const times: number[] = [];
  let pending: { at: number; settle: (at: number) => void }[] = [];
  let now = 0;
  for (let i = 0; i < n; i++) {
    for (;;) {
      for (const p of pending) if (p.at <= now) p.settle(p.at);
      pending = pending.filter((p) => p.at > now);
      const wait = limiter.wait(tokens, now);
      if (wait.ms === 0) break;
      // Until an answer: jump to the next one; else to the moment the limiter named.
      now = wait.untilAnswer ? Math.min(...pending.map((p) => p.at)) : now + wait.ms;
    }
    const mark = limiter.take(tokens, now);
    pending.push({ at: now + rttMs, settle: (at) => mark.settle(at) });
    times.push(now);
  }
  return times;
}

/** The most sent within any window of `windowMs` (a sliding window, the strictest server). */
function peakInWindow(times: number[], windowMs: number, amount = 1): number {
  let peak = 0;
  for (let i = 0; i < times.length; i++) {
    let sum = 0;
    for (let j = i; j < times.length && times[j]! < times[i]! + windowMs; j++) sum += amount;
    peak = Math.max(peak, sum);
  }
  return peak;
}

describe('EndpointLimiter: limits the user set', () => {
  it('sends at most the request limit in any window, and no slower than it allows', () => {
    const limiter = new EndpointLimiter({ requests: 5, windowMs: 1000 });
    const times = drive(limiter, 23);
    expect(peakInWindow(times, 1000)).toBe(5);
    // The first five go at once, then five a window (counted from each answer's headers).
    expect(times.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(times[22]).toBeLessThanOrEqual(4 * 1100);
  });

  it('counts a request until its headers come back, however late that is', () => {
    const limiter = new EndpointLimiter({ requests: 1, windowMs: 1000 });
    const mark = limiter.take(1, 0);
    expect(limiter.wait(1, 5000)).toMatchObject({ untilAnswer: true });
    mark.settle(5000);
    expect(limiter.wait(1, 5500).ms).toBeGreaterThanOrEqual(500);
    expect(limiter.wait(1, 6100).ms).toBe(0);
  });

  it('counts tokens as prompt plus max tokens, and refuses a request larger than the whole limit', () => {
    const limiter = new EndpointLimiter({ tokens: 1000, windowMs: 60_000 });
    const times = drive(limiter, 9, 300);
    expect(peakInWindow(times, 60_000, 300)).toBeLessThanOrEqual(1000);
    expect(limiter.wait(1001, 0)).toMatchObject({ never: true, dimension: 'tokens' });
    expect(limiter.wait(300, times.at(-1)!)).toMatchObject({ dimension: 'tokens', source: 'set' });
  });
});

describe('EndpointLimiter: what the server reports', () => {
  it('sends no more than the server says is left before its reset, then what the reset gives back', () => {
    const limiter = new EndpointLimiter();
    // The first request's headers: 2 of 3 left, whole again in 1 s.
    limiter.take(1, 0).settle(10);
    limiter.report({ requests: { limit: 3, remaining: 2, resetMs: 1000 } }, 10);
    expect(limiter.wait(1, 10).ms).toBe(0);
    limiter.take(1, 10).settle(15);
    limiter.take(1, 10).settle(15);
    const wait = limiter.wait(1, 20);
    expect(wait).toMatchObject({ dimension: 'requests', source: 'server' });
    expect(wait.ms).toBeGreaterThanOrEqual(990);
    // At the reset, what the report had used (1) comes back; the two sent since, a period after they were seen.
    const at = 20 + wait.ms;
    expect(limiter.wait(1, at).ms).toBe(0);
    limiter.take(1, at).settle(at + 5);
    const next = limiter.wait(1, at + 5).ms;
    expect(next).toBeGreaterThan(0);
    expect(next).toBeLessThanOrEqual(1100);
    expect(limiter.limits()).toEqual({ requests: 3 });
  });

  it('counts requests still on their way as used: the report may not include them', () => {
    const limiter = new EndpointLimiter();
    const onTheirWay = [limiter.take(250, 0), limiter.take(250, 0)];
    limiter.take(100, 0).settle(5);
    limiter.report({ tokens: { limit: 1000, remaining: 600, resetMs: 500 } }, 5);
    expect(limiter.wait(100, 5).ms).toBe(0);
    expect(limiter.wait(101, 5).ms).toBeGreaterThan(0);
    for (const m of onTheirWay) m.settle(6);
    expect(limiter.wait(101, 6).ms).toBeGreaterThan(0);
  });

  it('lets a request go when the server says nothing of when its limit comes back', () => {
    const limiter = new EndpointLimiter();
    limiter.take(1, 0).settle(1);
    limiter.report({ requests: { remaining: 0 } }, 1);
    expect(limiter.wait(1, 1).ms).toBe(0);
  });

  it('waits for the stricter of the set limit and the server', () => {
    const limiter = new EndpointLimiter({ requests: 100, windowMs: 60_000 });
    limiter.report({ requests: { limit: 10, remaining: 0, resetMs: 2000 } }, 0);
    expect(limiter.wait(1, 0)).toMatchObject({ source: 'server' });
    expect(limiter.limits()).toEqual({ requests: 10 });
  });
});
