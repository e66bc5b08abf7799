/**
 * One endpoint's rate limits, in requests and in tokens: when the next request may be sent so that the
 * server never has to refuse it. Two sources, and a request waits for the stricter:
 *
 * - **Limits the user set** (requests and tokens per minute): at most the limit in any window of that
 *   length. That is safe against a server counting in fixed windows, in a sliding window or with a token
 *   bucket alike.
 * - **What the server reports** (`x-ratelimit-*`, rate-limit-headers.ts): after a response says "r left,
 *   whole again in t", at most r is sent before t, less whatever was already on its way and perhaps not yet
 *   counted; at t, what that report had used comes back. A later report replaces an earlier one.
 *
 * A request counts as 1 request and as its prompt (estimated) plus its max tokens, which is how OpenAI
 * counts a request against a token limit when it arrives. It counts from when its response's headers came
 * back, not from when it was sent: the server saw it somewhere in between, and network or event-loop delays
 * make "a window after sending" come too early for a server that saw the request late. Until its headers
 * come (or it fails), a request is counted as used.
 */
import type { LimitReport, RateLimitReport } from './rate-limit-headers.ts';

export interface WindowLimits {
  /** Requests per window. */
  requests?: number;
  /** Tokens (prompt + max tokens) per window. */
  tokens?: number;
  /** The window, in ms (60 000: per minute). */
  windowMs: number;
}

/** Why a request must wait, for messages: which limit, and whose. */
export interface LimitWait {
  /** 0: it may go now. Infinity with `untilAnswer`: a request on its way must come back first. */
  ms: number;
  dimension: 'requests' | 'tokens';
  /** `set`: the limit given in the settings; `server`: what the server reported. */
  source: 'set' | 'server';
  /** Nothing frees room by the clock alone: an answer (headers or failure) of a request on its way will. */
  untilAnswer?: boolean;
  /** The request is larger than the whole limit: it can never go. */
  never?: boolean;
}

/** One request as the limits count it; `settle` once the server has seen it (or never will). */
export interface SentMark {
  settle(now: number): void;
}

/** Slack for clocks that round to the millisecond and timers that fire early. */
const MARGIN_MS = 10;

interface Entry {
  at: number;
  amount: number;
  settled: boolean;
}

type Wait = { ms: number; untilAnswer?: boolean; never?: boolean };

/** When enough of `entries` has expired for `amount` to fit in `limit`, given each entry's expiry. */
function waitFor(
  entries: readonly Entry[],
  amount: number,
  limit: number,
  now: number,
  expiry: (e: Entry) => number,
  base = 0,
): Wait {
  let used = base;
  const freeing: { at: number; amount: number }[] = [];
  for (const e of entries) {
    if (!e.settled) used += e.amount;
    else {
      const until = expiry(e);
      if (until > now) {
        used += e.amount;
        freeing.push({ at: until, amount: e.amount });
      }
    }
  }
  if (used + amount <= limit) return { ms: 0 };
  freeing.sort((a, b) => a.at - b.at);
  for (const f of freeing) {
    used -= f.amount;
    if (used + amount <= limit) return { ms: Math.max(1, f.at - now) };
  }
  return { ms: Number.POSITIVE_INFINITY, untilAnswer: true };
}

class SlidingLog {
  private entries: Entry[] = [];

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
  ) {}

  private expiry = (e: Entry) => e.at + this.windowMs + MARGIN_MS;

  wait(amount: number, now: number): Wait {
    if (amount > this.limit) return { ms: Number.POSITIVE_INFINITY, never: true };
    this.entries = this.entries.filter((e) => !e.settled || this.expiry(e) > now);
    return waitFor(this.entries, amount, this.limit, now, this.expiry);
  }

  take(amount: number, now: number): Entry {
    const entry = { at: now, amount, settled: false };
    this.entries.push(entry);
    return entry;
  }
}

/**
 * The server's last word on one limit, kept up to date with what was sent since. What the report counted
 * as used comes back at its reset; what was sent after it (or was on its way and perhaps not counted) comes
 * back a period after the server saw it, and never before that reset (a fixed window forgives nothing
 * early). The period is the longest reset any report gave: about the window's length.
 */
class ServerBudget {
  limit: number | undefined;
  private highest = 0;
  private period = 0;
  private reported = false;
  private base = 0;
  private returnsAt: number | undefined;
  private sent: Entry[] = [];

  private expiry = (e: Entry) => Math.max(e.at + this.period, this.returnsAt ?? 0) + MARGIN_MS;

  private whole(): number {
    return this.limit ?? this.highest;
  }

  wait(amount: number, now: number): Wait {
    if (this.limit !== undefined && amount > this.limit) return { ms: Number.POSITIVE_INFINITY, never: true };
    if (!this.reported) return { ms: 0 };
    this.sent = this.sent.filter((e) => !e.settled || this.expiry(e) > now);
    // As a limit of `whole` with the report's use as one more entry, back at `returnsAt`.
    const whole = this.whole();
    const reportUse: Entry = { at: 0, amount: whole - this.base, settled: true };
    const entries = this.returnsAt !== undefined ? [...this.sent, reportUse] : this.sent;
    const expiry = (e: Entry) => (e === reportUse ? this.returnsAt! : this.expiry(e));
    const base = this.returnsAt !== undefined ? 0 : whole - this.base;
    const wait = waitFor(entries, amount, whole, now, expiry, base);
    // Nothing says when it comes back: send, and let the server's answer (a 429, a report) tell.
    if (wait.untilAnswer && this.sent.every((e) => e.settled)) return { ms: 0 };
    return wait;
  }

  take(amount: number, now: number): Entry {
    // Before any report only what is on its way matters (the first report may not count it).
    if (!this.reported && this.sent.length > 64) this.sent = this.sent.filter((e) => !e.settled);
    const entry = { at: now, amount, settled: false };
    this.sent.push(entry);
    return entry;
  }

  report(r: LimitReport, now: number): void {
    if (r.limit !== undefined && r.limit > 0) this.limit = r.limit;
    if (r.resetMs !== undefined) this.period = Math.max(this.period, r.resetMs);
    if (r.remaining === undefined) return;
    this.highest = Math.max(this.highest, r.remaining);
    this.reported = true;
    this.base = Math.min(r.remaining, this.whole());
    this.returnsAt = r.resetMs !== undefined ? now + r.resetMs + MARGIN_MS : undefined;
    // Requests whose headers came before this report's were counted in it; those still on their way may
    // not be, and stay counted until their own answer comes.
    this.sent = this.sent.filter((e) => !e.settled);
  }
}

export class EndpointLimiter {
  private readonly setRequests: SlidingLog | undefined;
  private readonly setTokens: SlidingLog | undefined;
  private readonly serverRequests = new ServerBudget();
  private readonly serverTokens = new ServerBudget();

  constructor(limits?: WindowLimits) {
    const window = limits?.windowMs ?? 60_000;
    if (limits?.requests !== undefined) this.setRequests = new SlidingLog(limits.requests, window);
    if (limits?.tokens !== undefined) this.setTokens = new SlidingLog(limits.tokens, window);
  }

  /** The longest wait before a request of `tokens` may be sent; `ms` 0 when it may go now. */
  wait(tokens: number, now: number): LimitWait {
    let worst: LimitWait = { ms: 0, dimension: 'requests', source: 'set' };
    const consider = (w: Wait, dimension: LimitWait['dimension'], source: LimitWait['source']) => {
      if (worst.never) return;
      if (w.never || w.ms > worst.ms) worst = { ...w, dimension, source };
    };
    if (this.setRequests) consider(this.setRequests.wait(1, now), 'requests', 'set');
    if (this.setTokens) consider(this.setTokens.wait(tokens, now), 'tokens', 'set');
    consider(this.serverRequests.wait(1, now), 'requests', 'server');
    consider(this.serverTokens.wait(tokens, now), 'tokens', 'server');
    return worst;
  }

  /** A request of `tokens` was sent; settle the mark when its headers come back or it fails. */
  take(tokens: number, now: number): SentMark {
    const entries = [
      this.setRequests?.take(1, now),
      this.setTokens?.take(tokens, now),
      this.serverRequests.take(1, now),
      this.serverTokens.take(tokens, now),
    ].filter((e): e is Entry => e !== undefined);
    return {
      settle(at: number) {
        for (const e of entries) {
          if (e.settled) continue;
          e.at = at;
          e.settled = true;
        }
      },
    };
  }

  /**
   * A server's report, from the response headers of a request whose own mark is settled. Give only reports
   * about requests sent after the one that gave the report in force: an older one counted less.
   */
  report(report: RateLimitReport, now: number): void {
    if (report.requests) this.serverRequests.report(report.requests, now);
    if (report.tokens) this.serverTokens.report(report.tokens, now);
  }

  /** The limits in force: set, or learned from the server (the stricter when both). */
  limits(): { requests?: number; tokens?: number } {
    const out: { requests?: number; tokens?: number } = {};
    const requests = stricter(this.setRequests?.limit, this.serverRequests.limit);
    const tokens = stricter(this.setTokens?.limit, this.serverTokens.limit);
    if (requests !== undefined) out.requests = requests;
    if (tokens !== undefined) out.tokens = tokens;
    return out;
  }
}

function stricter(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.min(a, b);
}
