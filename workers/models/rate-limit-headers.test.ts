import { describe, expect, it } from 'vitest';
import { parseReset, readRateLimitHeaders } from './rate-limit-headers.ts';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

describe('parseReset', () => {
  it('reads durations as OpenAI writes them', () => {
    expect(parseReset('12ms', NOW)).toBe(12);
    expect(parseReset('1s', NOW)).toBe(1000);
    expect(parseReset('1.5s', NOW)).toBe(1500);
    expect(parseReset('6m0s', NOW)).toBe(360_000);
    expect(parseReset('1h2m3.5s', NOW)).toBe(3_723_500);
  });

  it('reads plain seconds, Unix seconds and Unix milliseconds', () => {
    expect(parseReset('30', NOW)).toBe(30_000);
    expect(parseReset('0.25', NOW)).toBe(250);
    expect(parseReset(String(NOW / 1000 + 20), NOW)).toBe(20_000);
    expect(parseReset(String(NOW + 1500), NOW)).toBe(1500);
    // A reset already past is "now", never negative.
    expect(parseReset(String(NOW - 5000), NOW)).toBe(0);
  });

  it('reads a date, and ignores what does not parse', () => {
    expect(parseReset(new Date(NOW + 60_000).toUTCString(), NOW)).toBe(60_000);
    expect(parseReset('soon', NOW)).toBeUndefined();
    expect(parseReset('', NOW)).toBeUndefined();
    expect(parseReset('-3', NOW)).toBeUndefined();
    expect(parseReset(null, NOW)).toBeUndefined();
  });
});

describe('readRateLimitHeaders', () => {
  it('reads requests and tokens from OpenAI-style headers', () => {
    const headers = new Headers({
      'x-ratelimit-limit-requests': '5000',
      'x-ratelimit-remaining-requests': '4999',
      'x-ratelimit-reset-requests': '12ms',
      'x-ratelimit-limit-tokens': '160000',
      'x-ratelimit-remaining-tokens': '159976',
      'x-ratelimit-reset-tokens': '9ms',
    });
    expect(readRateLimitHeaders(headers, NOW)).toEqual({
      requests: { limit: 5000, remaining: 4999, resetMs: 12 },
      tokens: { limit: 160_000, remaining: 159_976, resetMs: 9 },
    });
  });

  it('reads the unsuffixed headers as a request limit (OpenRouter, gateways), with a Unix-ms reset', () => {
    const headers = new Headers({
      'X-RateLimit-Limit': '20',
      'X-RateLimit-Remaining': '3',
      'X-RateLimit-Reset': String(NOW + 4000),
    });
    expect(readRateLimitHeaders(headers, NOW)).toEqual({
      requests: { limit: 20, remaining: 3, resetMs: 4000 },
    });
  });

  it('is undefined without rate-limit headers, and skips values that are not counts', () => {
    expect(readRateLimitHeaders(new Headers({ 'content-type': 'text/event-stream' }), NOW)).toBeUndefined();
    const odd = new Headers({ 'x-ratelimit-limit-requests': 'lots', 'x-ratelimit-remaining-requests': '7' });
    expect(readRateLimitHeaders(odd, NOW)).toEqual({ requests: { remaining: 7 } });
  });
});
