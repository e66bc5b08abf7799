/**
 * One leaf model served by one or more OpenAI-compatible endpoints (a vLLM or SGLang fleet, or two
 * providers), each with its own URL, key, model name, weight, concurrency and rate limits. To the scheduler
 * it is one `LeafModel`: the language never knows there are endpoints (docs/scale-out.md).
 *
 * How a request travels (one scheduler attempt is one `complete` call):
 * 1. It waits in the pool's queue, first come first served, until an endpoint can take it: one that is up,
 *    has a free slot in its window, is not paused by a 429, and whose rate limits let it through now
 *    (rate-limiter.ts). The model is `paced`: the scheduler's deadline starts only when the request is sent.
 * 2. Of the endpoints that can take it, the least loaded for its weight gets it ((in flight + 1) / weight),
 *    so leaves spread by weight while every endpoint has room, and by free capacity once some are full.
 * 3. A 429 is not an attempt: the endpoint is paused for its Retry-After, its window is halved, and the
 *    request goes back to the head of the queue (to that endpoint after the pause, or to another). Each
 *    success widens the window again by 1/window, up to the endpoint's concurrency (AIMD).
 * 4. An endpoint that cannot be reached (connection refused, DNS) was never sent the request: it is marked
 *    down and the request goes to another at once. One that resets, answers 5xx or times out has had an
 *    attempt: the scheduler sees the error and retries, and the retry prefers an endpoint this request has
 *    not failed on; three such failures in a row mark an endpoint down. A down endpoint gets one probe
 *    request at a time after a cool-down (1 s, doubling to 30 s) and is up again after one answer.
 *    An endpoint that refuses the key or does not have the model is out for the run, when others remain.
 *
 * The cache key (the model's `id`) does not depend on which endpoint answered: endpoints serving the same
 * model name are the same model, so a pool of one name has the id a single endpoint of that name has.
 * A pool mixing names (two providers naming one model differently) is keyed by all its names, sorted.
 */
import {
  DEADLINE_DEFAULTS,
  estimateTokenizer,
  formatDuration,
  type LeafCallOptions,
  type LeafModel,
  type LeafModelCapabilities,
  type LeafPace,
  type LeafRequest,
  type LeafResponse,
  ProviderError,
  RunError,
  requestTokens,
  SERVER_PACE,
  type Tokenizer,
} from '../lang/index.ts';
import { ApiError, DEFAULT_API_CONTEXT_WINDOW, OpenAIModel } from './openai.ts';
import { readRateLimitHeaders } from './rate-limit-headers.ts';
import { EndpointLimiter } from './rate-limiter.ts';

export interface EndpointOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Requests in flight at once on this endpoint (default 4): the most its window opens to. */
  concurrency?: number;
  /** Its share of the leaves while several endpoints have room (default 1). */
  weight?: number;
  requestsPerMinute?: number;
  /** Prompt plus max tokens of the requests sent in a minute. */
  tokensPerMinute?: number;
  /** The window the two limits above are counted in, in ms (default 60 000: a minute); tests shorten it. */
  limitWindowMs?: number;
  /** Inactivity timeout of one exchange (OpenAIModel's). */
  timeoutMs?: number;
  stream?: boolean;
  disableThinking?: boolean;
}

export interface EndpointPoolOptions {
  endpoints: readonly EndpointOptions[];
  /** The window the planner sizes leaves to (default 8192); the smallest endpoint's, when they differ. */
  contextWindow?: number;
  pace?: LeafPace;
  /** The servers' token count (calibrated on the first endpoint, server-tokenize.ts); the estimate without one. */
  tokenizer?: Tokenizer;
  fetch?: typeof fetch;
}

export type EndpointState = 'up' | 'down' | 'out';

/** What one endpoint did during the run, for the CLI's summary and the tests. Never a key. */
export interface EndpointStats {
  /** Origin and path, never a query string. */
  url: string;
  model: string;
  weight: number;
  concurrency: number;
  /** Requests sent (a 429 and the request after it are two). */
  sent: number;
  answered: number;
  /** 429s received. */
  rateLimited: number;
  /** Other failed requests (unreachable, reset, 5xx, timeouts, bad replies). */
  failed: number;
  /** Requests that went to another endpoint after this one failed them. */
  movedAway: number;
  state: EndpointState;
  /** Why it is down or out. */
  reason?: string;
  /** Limits in force: set, or learned from the server's headers. */
  limits: { requests?: number; tokens?: number };
  /** The window at the end (in flight at most), after any halving on 429s. */
  window: number;
  peakInFlight: number;
}

/** Enough for any fleet; few enough that a wrong setting cannot open thousands of connections. */
export const MAX_POOL_ENDPOINTS = 64;
/** After this many 429s in one attempt, the 429 goes to the scheduler (which counts it as a failed attempt). */
const MAX_RATE_LIMITED_PER_ATTEMPT = 8;
/** Consecutive failures (reset, 5xx, timeout) that mark an endpoint down. */
const STRIKES_TO_DOWN = 3;
const COOL_DOWN_MS = { first: 1000, max: 30_000 };
/** Pause after a 429 with no Retry-After and no reset header: doubling from here, up to the cap. */
const RATE_LIMIT_BACKOFF_MS = 500;

interface Endpoint {
  index: number;
  model: OpenAIModel;
  url: string;
  name: string;
  weight: number;
  concurrency: number;
  limiter: EndpointLimiter;
  /** AIMD window: how many may be in flight now. */
  window: number;
  inFlight: number;
  peakInFlight: number;
  /** No response seen yet: one request at a time until its limits are known. */
  heard: boolean;
  nextSeq: number;
  lastReportSeq: number;
  pausedUntil: number;
  /** When the window was last halved: requests sent before it do not halve it again. */
  lastCutAt: number;
  consecutive429: number;
  state: EndpointState;
  strikes: number;
  downUntil: number;
  coolDownMs: number;
  reason?: string;
  stats: { sent: number; answered: number; rateLimited: number; failed: number; movedAway: number };
}

interface Ticket {
  request: LeafRequest;
  options: LeafCallOptions;
  tokens: number;
  failedOn: Set<Endpoint>;
  rateLimited: number;
  /** Endpoints tried and found unreachable in this attempt, to bound the failovers. */
  hops: number;
  resolve: (r: LeafResponse) => void;
  reject: (e: unknown) => void;
  done: boolean;
  sentAt: number;
}

export class EndpointPool implements LeafModel {
  readonly id: string;
  readonly capabilities: LeafModelCapabilities;
  private readonly endpoints: Endpoint[];
  private queue: Ticket[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(options: EndpointPoolOptions) {
    if (options.endpoints.length === 0) throw new Error('An endpoint pool needs at least one endpoint.');
    if (options.endpoints.length > MAX_POOL_ENDPOINTS)
      throw new Error(`${options.endpoints.length} endpoints: a pool takes at most ${MAX_POOL_ENDPOINTS}.`);
    this.endpoints = options.endpoints.map((o, index) => makeEndpoint(o, index, options.fetch));
    const names = [...new Set(this.endpoints.map((e) => e.name))].sort();
    this.id = `api:${names.join('+')}`;
    this.capabilities = {
      concurrency: this.endpoints.reduce((n, e) => n + e.concurrency, 0),
      contextWindow: options.contextWindow ?? DEFAULT_API_CONTEXT_WINDOW,
      pace: options.pace ?? SERVER_PACE,
      paced: true,
      ...(options.tokenizer && { tokenizer: options.tokenizer }),
    };
  }

  complete(request: LeafRequest, options: LeafCallOptions): Promise<LeafResponse> {
    const { signal } = options;
    if (signal.aborted) return Promise.reject(abortError(signal));
    return new Promise<LeafResponse>((resolve, reject) => {
      const ticket: Ticket = {
        request,
        options,
        tokens: limitTokens(request, this.capabilities.tokenizer ?? estimateTokenizer),
        failedOn: new Set(),
        rateLimited: 0,
        hops: 0,
        done: false,
        sentAt: 0,
        resolve: (r) => {
          if (ticket.done) return;
          ticket.done = true;
          signal.removeEventListener('abort', onAbort);
          resolve(r);
        },
        reject: (e) => {
          if (ticket.done) return;
          ticket.done = true;
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      const onAbort = () => {
        // Sent requests end through their own signal; one still queued leaves the queue.
        const at = this.queue.indexOf(ticket);
        if (at >= 0) {
          this.queue.splice(at, 1);
          ticket.reject(abortError(signal));
          this.pump();
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(ticket);
      this.pump();
    });
  }

  /** What each endpoint did so far. */
  stats(): EndpointStats[] {
    return this.endpoints.map((e) => {
      const s: EndpointStats = {
        url: e.url,
        model: e.name,
        weight: e.weight,
        concurrency: e.concurrency,
        ...e.stats,
        state: e.state,
        limits: e.limiter.limits(),
        window: Math.floor(e.window),
        peakInFlight: e.peakInFlight,
      };
      if (e.reason !== undefined && e.state !== 'up') s.reason = e.reason;
      return s;
    });
  }

  /** Sends what can be sent, in queue order; arms a timer for the earliest moment something else can go. */
  private pump(): void {
    const now = Date.now();
    let wakeAt = Number.POSITIVE_INFINITY;
    while (this.queue.length > 0) {
      const ticket = this.queue[0]!;
      const choice = this.choose(ticket, now);
      if ('endpoint' in choice) {
        this.queue.shift();
        this.send(ticket, choice.endpoint, now);
      } else if ('fail' in choice) {
        this.queue.shift();
        ticket.reject(choice.fail);
      } else {
        wakeAt = choice.wakeAt;
        break;
      }
    }
    this.wakeAt(wakeAt);
  }

  private wakeAt(at: number): void {
    if (at === this.timerAt) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = at;
    if (!Number.isFinite(at)) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.pump();
      },
      Math.max(0, at - Date.now()),
    );
  }

  private choose(
    ticket: Ticket,
    now: number,
  ): { endpoint: Endpoint } | { fail: unknown } | { wakeAt: number } {
    const usable = this.endpoints.filter((e) => e.state !== 'out');
    if (usable.length === 0) {
      return { fail: new ProviderError(this.outReasons(), 'unavailable') };
    }
    // Up endpoints, and down ones whose cool-down is over (one probe at a time); of those, the ones this
    // request has not failed on. With every endpoint down and cooling, all of them: the scheduler's own
    // retries and deadlines bound what follows.
    const live = usable.filter((e) => e.state === 'up' || now >= e.downUntil);
    const fresh = live.filter((e) => !ticket.failedOn.has(e));
    const pool = fresh.length > 0 ? fresh : live.length > 0 ? live : usable;
    const probing = live.length > 0;
    const capMs = ticket.options.retryAfterCapMs ?? DEADLINE_DEFAULTS.retryAfterCapMs;
    let best: Endpoint | undefined;
    let bestScore = Number.POSITIVE_INFINITY;
    let wakeAt = Number.POSITIVE_INFINITY;
    const refusals: string[] = [];
    for (const e of pool) {
      const wait = e.limiter.wait(ticket.tokens, now);
      if (wait.untilAnswer) continue; // an answer will pump again
      if (wait.never) {
        refusals.push(
          `this leaf needs about ${ticket.tokens.toLocaleString('en')} tokens (prompt and max tokens), more than the ${e.limiter.limits().tokens?.toLocaleString('en')} tokens ${this.label(e)} allows in its window`,
        );
        continue;
      }
      if (wait.source === 'server' && wait.ms > capMs) {
        refusals.push(
          `${this.label(e)} reports its ${wait.dimension} limit used up for the next ${formatDuration(wait.ms)} (x-ratelimit-reset-${wait.dimension}), longer than the ${formatDuration(capMs)} this run waits`,
        );
        continue;
      }
      const waitMs = Math.max(wait.ms, e.pausedUntil - now);
      if (waitMs > 0) {
        wakeAt = Math.min(wakeAt, now + waitMs);
        continue;
      }
      const slots = !e.heard ? 1 : e.state === 'down' && probing ? 1 : Math.max(1, Math.floor(e.window));
      if (e.inFlight >= slots) continue; // an answer will pump again
      const score = (e.inFlight + 1) / e.weight;
      if (score < bestScore) {
        best = e;
        bestScore = score;
      }
    }
    if (best) return { endpoint: best };
    if (refusals.length === pool.length) {
      return {
        fail: new ProviderError(
          `Rate limits: ${refusals.join('; ')}.`,
          'fatal',
          429,
          undefined,
          'rate-limited',
        ),
      };
    }
    return { wakeAt };
  }

  private send(ticket: Ticket, e: Endpoint, now: number): void {
    e.inFlight++;
    e.peakInFlight = Math.max(e.peakInFlight, e.inFlight);
    e.stats.sent++;
    const mark = e.limiter.take(ticket.tokens, now);
    const seq = e.nextSeq++;
    ticket.sentAt = now;
    let streamed = false;
    const { onDelta, signal } = ticket.options;
    const onHeaders = (headers: Headers) => {
      const at = Date.now();
      mark.settle(at);
      if (!e.heard) {
        // Its limits (or their absence) are known now: the requests held back for them may go.
        e.heard = true;
        queueMicrotask(() => this.pump());
      }
      const report = readRateLimitHeaders(headers);
      if (!report) return;
      // A report about a request sent before the one in force is older news: the server counted less.
      if (seq < e.lastReportSeq) return;
      e.lastReportSeq = seq;
      e.limiter.report(report, at);
    };
    ticket.options.onSend?.();
    let pending: Promise<LeafResponse>;
    try {
      pending = e.model.complete(ticket.request, {
        signal,
        onHeaders,
        ...(onDelta && {
          onDelta: (text: string) => {
            streamed = true;
            onDelta(text);
          },
        }),
      });
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending
      .then(
        (response) => {
          this.succeeded(e);
          ticket.resolve(response);
        },
        (error: unknown) => this.failed(ticket, e, error, streamed),
      )
      .finally(() => {
        e.inFlight--;
        // Without headers (unreachable, cut, aborted) the server saw it before now, if at all.
        mark.settle(Date.now());
        this.pump();
      });
  }

  private succeeded(e: Endpoint): void {
    e.stats.answered++;
    e.strikes = 0;
    e.consecutive429 = 0;
    e.coolDownMs = COOL_DOWN_MS.first;
    if (e.state === 'down') {
      e.state = 'up';
      delete e.reason;
    }
    e.window = Math.min(e.concurrency, e.window + 1 / Math.max(1, e.window));
  }

  private failed(ticket: Ticket, e: Endpoint, error: unknown, streamed: boolean): void {
    const now = Date.now();
    const { signal } = ticket.options;
    if (signal.aborted) {
      // The scheduler's deadline (not its halt, which is the run stopping) is the endpoint's failure.
      if (!(signal.reason instanceof RunError)) {
        e.stats.failed++;
        this.strike(e, 'no answer before the attempt deadline', now);
        ticket.failedOn.add(e);
      }
      ticket.reject(error);
      return;
    }
    if (!(error instanceof ApiError)) {
      e.stats.failed++;
      ticket.reject(error);
      return;
    }
    if (error.status === 429 && !streamed) {
      e.stats.rateLimited++;
      e.consecutive429++;
      if (ticket.sentAt >= e.lastCutAt) {
        e.window = Math.max(1, e.window / 2);
        e.lastCutAt = now;
      }
      const capMs = ticket.options.retryAfterCapMs ?? DEADLINE_DEFAULTS.retryAfterCapMs;
      const asked = error.retryAfterMs;
      ticket.rateLimited++;
      if ((asked !== undefined && asked > capMs) || ticket.rateLimited > MAX_RATE_LIMITED_PER_ATTEMPT) {
        // Past the cap, the scheduler fails the call with its words; past the count, it is an attempt.
        ticket.reject(error);
        return;
      }
      // The limiter also holds the endpoint until a reset the 429's headers gave.
      const pause = asked ?? Math.min(capMs, RATE_LIMIT_BACKOFF_MS * 2 ** (e.consecutive429 - 1));
      e.pausedUntil = Math.max(e.pausedUntil, now + pause);
      this.queue.unshift(ticket);
      return;
    }
    e.stats.failed++;
    if (!streamed && (error.code === 'network' || error.code === 'cors')) {
      // Nothing listened: the request was never received, so sending it elsewhere is not a retry.
      ticket.failedOn.add(e);
      this.markDown(e, error.message, now);
      if (ticket.hops < 2 * this.endpoints.length && this.hasOther(e, now)) {
        ticket.hops++;
        e.stats.movedAway++;
        this.queue.unshift(ticket);
        return;
      }
      ticket.reject(error);
      return;
    }
    if (error.kind === 'unavailable' && ['auth', 'model-not-found', 'not-found'].includes(error.code)) {
      if (this.endpoints.some((o) => o !== e && o.state !== 'out')) {
        e.state = 'out';
        e.reason = error.message;
        e.stats.movedAway++;
        this.queue.unshift(ticket);
        return;
      }
      ticket.reject(error);
      return;
    }
    if (error.kind === 'transient') {
      ticket.failedOn.add(e);
      this.strike(e, error.message, now);
      if (this.hasOther(e, now)) e.stats.movedAway++;
    }
    ticket.reject(error);
  }

  private strike(e: Endpoint, reason: string, now: number): void {
    e.strikes++;
    if (e.strikes >= STRIKES_TO_DOWN || e.state === 'down') this.markDown(e, reason, now);
  }

  private markDown(e: Endpoint, reason: string, now: number): void {
    // One endpoint is never down: with nowhere else to go, the scheduler's retries decide.
    if (this.endpoints.length === 1) return;
    if (e.state === 'down') e.coolDownMs = Math.min(COOL_DOWN_MS.max, e.coolDownMs * 2);
    e.state = 'down';
    e.reason = reason;
    e.downUntil = now + e.coolDownMs;
  }

  /** Whether another endpoint can take a request now or soon (not out, not cooling down). */
  private hasOther(e: Endpoint, now: number): boolean {
    return this.endpoints.some(
      (o) => o !== e && o.state !== 'out' && (o.state === 'up' || now >= o.downUntil),
    );
  }

  private label(e: Endpoint): string {
    return this.endpoints.length === 1 ? e.url : `endpoint ${e.index + 1} (${e.url})`;
  }

  private outReasons(): string {
    return `No endpoint can serve this model: ${this.endpoints.map((e) => `${this.label(e)}: ${e.reason ?? 'out'}`).join(' ')}`;
  }
}

function makeEndpoint(o: EndpointOptions, index: number, fetchImpl: typeof fetch | undefined): Endpoint {
  const where = `Endpoint ${index + 1}`;
  const concurrency = o.concurrency ?? 4;
  const weight = o.weight ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error(`${where}: the concurrency must be a whole number of at least 1, got ${concurrency}.`);
  if (!Number.isFinite(weight) || weight <= 0)
    throw new Error(`${where}: the weight must be a number above 0, got ${weight}.`);
  for (const [name, v] of [
    ['requests per minute', o.requestsPerMinute],
    ['tokens per minute', o.tokensPerMinute],
  ] as const) {
    if (v !== undefined && (!Number.isFinite(v) || v <= 0))
      throw new Error(`${where}: the ${name} must be a number above 0, got ${v}.`);
  }
  if (!o.model.trim()) throw new Error(`${where}: the model name is empty.`);
  const model = new OpenAIModel({
    baseUrl: o.baseUrl,
    model: o.model,
    concurrency,
    ...(o.apiKey !== undefined && { apiKey: o.apiKey }),
    ...(o.timeoutMs !== undefined && { timeoutMs: o.timeoutMs }),
    ...(o.stream !== undefined && { stream: o.stream }),
    ...(o.disableThinking !== undefined && { disableThinking: o.disableThinking }),
    ...(fetchImpl && { fetch: fetchImpl }),
  });
  const url = new URL(model.baseUrl);
  return {
    index,
    model,
    url: `${url.origin}${url.pathname}`,
    name: o.model,
    weight,
    concurrency,
    limiter: new EndpointLimiter({
      ...(o.requestsPerMinute !== undefined && { requests: o.requestsPerMinute }),
      ...(o.tokensPerMinute !== undefined && { tokens: o.tokensPerMinute }),
      windowMs: o.limitWindowMs ?? 60_000,
    }),
    window: concurrency,
    inFlight: 0,
    peakInFlight: 0,
    heard: false,
    nextSeq: 0,
    lastReportSeq: -1,
    pausedUntil: 0,
    lastCutAt: 0,
    consecutive429: 0,
    state: 'up',
    strikes: 0,
    downUntil: 0,
    coolDownMs: COOL_DOWN_MS.first,
    stats: { sent: 0, answered: 0, rateLimited: 0, failed: 0, movedAway: 0 },
  };
}

/** What a request counts against a token limit: its prompt (estimated, with chat framing) and its max tokens. */
function limitTokens(request: LeafRequest, tokenizer: Tokenizer): number {
  return requestTokens(request, tokenizer) + Math.max(0, Math.ceil(request.maxTokens));
}

function abortError(signal: AbortSignal): unknown {
  const reason = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('The leaf call was aborted.', 'AbortError');
}
