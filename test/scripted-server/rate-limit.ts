/**
 * TEST DOUBLE: the scripted server's rate limit, enforced the strictest common way: a sliding window (at most
 * the limit in ANY window of that length, so a client pacing itself by fixed windows can still be caught).
 * A request counts as 1 request and as its prompt tokens plus its `max_tokens`, when it arrives, as OpenAI
 * counts it. Refused requests are not counted, and every refusal is a violation the tests can read.
 *
 * Headers, as OpenAI sends them: `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, the reset as a
 * duration (`850ms`, `1.2s`) until the window holds nothing of what it holds now; a 429 carries
 * `retry-after` (seconds, rounded up) and `retry-after-ms`.
 */
export interface ScriptedRateLimit {
  /** Requests allowed in any window. */
  requests?: number;
  /** Tokens (prompt + max_tokens) allowed in any window. */
  tokens?: number;
  windowMs: number;
  /** Send the x-ratelimit-* headers (default true); without them only a 429's Retry-After tells. */
  headers?: boolean;
}

export interface RateVerdict {
  refused: boolean;
  headers: Record<string, string>;
}

export class ScriptedRateLimiter {
  private times: number[] = [];
  private amounts: number[] = [];
  /** Requests refused with a 429: a client that paces itself right makes none. */
  violations = 0;

  constructor(readonly limit: ScriptedRateLimit) {}

  admit(tokens: number, now: number): RateVerdict {
    const { windowMs } = this.limit;
    while (this.times.length > 0 && this.times[0]! <= now - windowMs) {
      this.times.shift();
      this.amounts.shift();
    }
    const used = { requests: this.times.length, tokens: this.amounts.reduce((a, b) => a + b, 0) };
    const overRequests = this.limit.requests !== undefined && used.requests + 1 > this.limit.requests;
    const overTokens = this.limit.tokens !== undefined && used.tokens + tokens > this.limit.tokens;
    const refused = overRequests || overTokens;
    if (refused) this.violations++;
    else {
      this.times.push(now);
      this.amounts.push(tokens);
      used.requests++;
      used.tokens += tokens;
    }
    const headers: Record<string, string> = {};
    if (this.limit.headers !== false) {
      const whole = this.times.length > 0 ? this.times.at(-1)! + windowMs - now : 0;
      if (this.limit.requests !== undefined) {
        headers['x-ratelimit-limit-requests'] = String(this.limit.requests);
        headers['x-ratelimit-remaining-requests'] = String(Math.max(0, this.limit.requests - used.requests));
        headers['x-ratelimit-reset-requests'] = duration(whole);
      }
      if (this.limit.tokens !== undefined) {
        headers['x-ratelimit-limit-tokens'] = String(this.limit.tokens);
        headers['x-ratelimit-remaining-tokens'] = String(Math.max(0, this.limit.tokens - used.tokens));
        headers['x-ratelimit-reset-tokens'] = duration(whole);
      }
    }
    if (refused) {
      const wait = this.waitFor(tokens, now);
      headers['retry-after'] = String(Math.ceil(wait / 1000));
      headers['retry-after-ms'] = String(Math.ceil(wait));
    }
    return { refused, headers };
  }

  /** ms until a request of `tokens` would be admitted. */
  private waitFor(tokens: number, now: number): number {
    let requests = this.times.length;
    let used = this.amounts.reduce((a, b) => a + b, 0);
    for (let i = 0; i < this.times.length; i++) {
      requests--;
      used -= this.amounts[i]!;
      const fits =
        (this.limit.requests === undefined || requests + 1 <= this.limit.requests) &&
        (this.limit.tokens === undefined || used + tokens <= this.limit.tokens);
      if (fits) return Math.max(0, this.times[i]! + this.limit.windowMs - now);
    }
    return this.limit.windowMs;
  }
}

/** A duration as OpenAI writes it: `850ms`, `1.25s`, `1m3s`. */
function duration(ms: number): string {
  const whole = Math.max(0, Math.ceil(ms));
  if (whole < 1000) return `${whole}ms`;
  const minutes = Math.floor(whole / 60_000);
  const seconds = (whole % 60_000) / 1000;
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}
