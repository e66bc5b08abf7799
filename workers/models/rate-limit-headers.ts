/**
 * What a server says about its rate limits in the common `x-ratelimit-*` headers, as OpenAI, OpenRouter,
 * Groq, Together, and gateways in front of vLLM or SGLang (LiteLLM, Kong, Envoy) send them:
 *
 *   x-ratelimit-limit-requests   x-ratelimit-remaining-requests   x-ratelimit-reset-requests
 *   x-ratelimit-limit-tokens     x-ratelimit-remaining-tokens     x-ratelimit-reset-tokens
 *   x-ratelimit-limit            x-ratelimit-remaining            x-ratelimit-reset   (no suffix: requests)
 *
 * A reset comes in many shapes: a duration (`1s`, `6m0s`, `250ms`, OpenAI's), a number of seconds, a Unix
 * time in seconds or milliseconds (OpenRouter's), or a date. It is read as "the time until the limit is
 * whole again", which is what OpenAI documents and what a fixed window's end and a token bucket's refill
 * both mean. A header that does not parse is ignored, never guessed at.
 */

export interface LimitReport {
  /** Requests (or tokens) the window allows. */
  limit?: number;
  /** How many are left now. */
  remaining?: number;
  /** Milliseconds until the limit is whole again. */
  resetMs?: number;
}

export interface RateLimitReport {
  requests?: LimitReport;
  tokens?: LimitReport;
}

/** The rate-limit report in `headers`, or undefined when there is none. */
export function readRateLimitHeaders(
  headers: Pick<Headers, 'get'>,
  now: number = Date.now(),
): RateLimitReport | undefined {
  const requests = readLimit(headers, '-requests', now) ?? readLimit(headers, '', now);
  const tokens = readLimit(headers, '-tokens', now);
  if (!requests && !tokens) return undefined;
  const report: RateLimitReport = {};
  if (requests) report.requests = requests;
  if (tokens) report.tokens = tokens;
  return report;
}

function readLimit(headers: Pick<Headers, 'get'>, suffix: string, now: number): LimitReport | undefined {
  const limit = count(headers.get(`x-ratelimit-limit${suffix}`));
  const remaining = count(headers.get(`x-ratelimit-remaining${suffix}`));
  const resetMs = parseReset(headers.get(`x-ratelimit-reset${suffix}`), now);
  if (limit === undefined && remaining === undefined) return undefined;
  const out: LimitReport = {};
  if (limit !== undefined) out.limit = limit;
  if (remaining !== undefined) out.remaining = remaining;
  if (resetMs !== undefined) out.resetMs = resetMs;
  return out;
}

function count(raw: string | null): number | undefined {
  if (raw === null) return undefined;
  const n = Number(raw.trim());
  return raw.trim() !== '' && Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;
}

const UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 1e-3,
  µs: 1e-3,
  ns: 1e-6,
};

/**
 * Milliseconds until a reset, from any of the shapes above; undefined when it does not parse. A plain number
 * is seconds unless it is large enough to be a Unix time (seconds past 10⁹, milliseconds past 10¹²).
 */
export function parseReset(raw: string | null | undefined, now: number = Date.now()): number | undefined {
  if (raw === null || raw === undefined) return undefined;
  const value = raw.trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    if (n >= 1e12) return Math.max(0, n - now);
    if (n >= 1e9) return Math.max(0, n * 1000 - now);
    return n * 1000;
  }
  if (/^(\d+(\.\d+)?(h|ms|m|s|us|µs|ns))+$/.test(value)) {
    let ms = 0;
    for (const part of value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) {
      ms += Number(part[1]) * UNIT_MS[part[2]!]!;
    }
    return ms;
  }
  // A date has a month name or a time in it; bare signs and digits are not one (Date.parse reads "-3" as a year).
  if (!/[a-z]|\d:\d/i.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
