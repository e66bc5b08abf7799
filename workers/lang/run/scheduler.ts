/**
 * The one scheduler every leaf call goes through: concurrency, retries with backoff on transient errors,
 * deadlines per attempt and per leaf, a cap on Retry-After, reply checks, abort, a content-addressed cache,
 * budgets, and the last guard of the leaf bound: a prompt that, with its answer, would not fit the model's
 * window is refused (PromptTooLarge), never sent.
 *
 * The interface is what the evaluator depends on; the implementation lives beside it in this file.
 */
import { estimateTokenizer, requestTokens, type Tokenizer } from '../plan/tokenizer.ts';
import { type BudgetHold, BudgetLedger, type SchedulerBudgets } from './budget-ledger.ts';
import type { CallPricing } from './cost.ts';
import {
  attemptDeadlineMs,
  DEADLINE_DEFAULTS,
  DEFAULT_MAX_RETRIES,
  formatDuration,
  replyProblem,
  SERVER_PACE,
} from './deadlines.ts';
import { type LeafFailureReason, RunError } from './errors.ts';
import { type LeafCache, leafCacheKey } from './leaf-cache.ts';
import { Limiter, type LimiterTicket } from './limiter.ts';
import { type LeafModel, type LeafRequest, type LeafResponse, ProviderError } from './provider.ts';
import type { SchedulerPool } from './scheduler-pool.ts';

export type { SchedulerBudgets } from './budget-ledger.ts';

export interface ScheduledCall {
  /** The trace call id this leaf belongs to (for deltas and retries in the log). */
  callId: string;
  request: LeafRequest;
  /** The request's cache key when the caller already computed it (keyOf), to save hashing it twice. */
  cacheKey?: string;
  /**
   * Skip the cache read: the model is asked again, unless this same run already asked it this request
   * (then its answer is shared). The fresh answer is still stored, so the next run reuses it. "Run from
   * the selected node" sets this.
   */
  bypassCache?: boolean;
  onDelta?: (text: string) => void;
  /** Told before each retry: the streamed text so far is void, the next attempt streams afresh. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

export interface ScheduledResult extends LeafResponse {
  cached: boolean;
  retries: number;
  ms: number;
  cacheKey: string;
}

export interface SchedulerTotals {
  /** Model calls made (cache hits excluded; a retried call counts once). */
  calls: number;
  cachedCalls: number;
  promptTokens: number;
  completionTokens: number;
  /** Attempts repeated after a transient error. */
  retries: number;
}

export interface LeafScheduler {
  /**
   * Throws RunError (LeafFailed, PromptTooLarge, BudgetExceeded, Aborted, ProviderUnavailable); never
   * returns error text.
   */
  call(call: ScheduledCall): Promise<ScheduledResult>;
  readonly totals: SchedulerTotals;
  /** How many model calls may be in flight at once (what a Map defaults to). */
  readonly concurrency: number;
  /** The cache key a request gets, for the `leaf.request` event before the call is made. */
  keyOf(request: LeafRequest): string;
  /** Set once the scheduler has stopped for good (abort, budget, provider unavailable). */
  readonly stopped: RunError | undefined;
  /** Stops everything: queued and in-flight calls reject with `reason`, later calls too. */
  stop(reason: RunError): void;
  /** Releases timers and listeners; call when the run is over. */
  close(): void;
}

export interface SchedulerOptions {
  /** In-flight limit; defaults to the model's own (WebLLM: 1) and never exceeds it. */
  concurrency?: number;
  /** Retries after the first attempt on transient errors (429, 5xx, network, timeout). */
  maxRetries?: number;
  /** First backoff delay; doubles each retry, with jitter. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /**
   * Deadline of one attempt from its dispatch, in ms; 0 turns it off. Absent: scaled from the request's
   * max tokens and the model's pace (`attemptDeadlineMs`).
   */
  timeoutMs?: number;
  /**
   * Deadline of one leaf call over all its attempts and backoff, in ms (waits a server asked for are not
   * counted); never shorter than one attempt's deadline. 0 turns it off. Default 80 s.
   */
  leafTimeoutMs?: number;
  /** The longest Retry-After honoured, in ms; a server asking for more fails the call. Default 60 s. */
  retryAfterCapMs?: number;
  /** The run's signal: aborting it stops the scheduler with RunError('Aborted'). */
  signal?: AbortSignal;
  cache?: LeafCache | null;
  budgets?: SchedulerBudgets;
  /**
   * The window every prompt and its answer must fit (the model's own unless the plan says otherwise), and
   * the tokenizer to count prompts with when the model cannot count them itself.
   */
  contextWindow?: number;
  tokenizer?: Tokenizer;
  /** Prices the calls: needed for a money budget (`budgets.maxCost`). */
  pricing?: CallPricing;
  /**
   * Shared with the schedulers of other runs (a batch): the calls in flight are limited over all of them
   * and the pool's budgets hold over all of them, besides this run's own.
   */
  pool?: SchedulerPool;
  /** Jitter source, in [0, 1). Injectable so tests are reproducible. */
  random?: () => number;
  now?: () => number;
}

export const SCHEDULER_DEFAULTS = {
  maxRetries: DEFAULT_MAX_RETRIES,
  backoffBaseMs: 500,
  backoffMaxMs: 20_000,
  ...DEADLINE_DEFAULTS,
} as const;

/** Why one attempt failed, as the retry loop sees it. */
type AttemptFailure =
  | { retry: true; reason: string; retryAfterMs?: number; code?: LeafFailureReason }
  | { retry: false; error: RunError };

class Scheduler implements LeafScheduler {
  readonly totals: SchedulerTotals = {
    calls: 0,
    cachedCalls: 0,
    promptTokens: 0,
    completionTokens: 0,
    retries: 0,
  };
  stopped: RunError | undefined;

  readonly concurrency: number;
  private readonly maxRetries: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  /** undefined: scaled per request from the model's pace. */
  private readonly timeoutMs: number | undefined;
  private readonly leafTimeoutMs: number;
  private readonly retryAfterCapMs: number;
  private readonly cache: LeafCache | null;
  private readonly budgets: SchedulerBudgets;
  private readonly ledger: BudgetLedger;
  private readonly pricing: CallPricing | undefined;
  private readonly pool: SchedulerPool | undefined;
  private readonly slots: Limiter;
  /** This run's calls waiting for a slot: withdrawn when it stops. */
  private readonly waiting = new Set<LimiterTicket>();
  private unsubscribePool: (() => void) | undefined;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly window: number;
  private readonly tokenizer: Tokenizer;
  /**
   * Told when the scheduler stops: every in-flight attempt and backoff wait. A plain set rather than
   * listeners on one AbortSignal, which warns past ten listeners and costs more per call.
   */
  private readonly onHalt = new Set<() => void>();
  private readonly inFlight = new Map<string, Promise<ScheduledResult>>();
  /** Keys this scheduler has asked the model for and stored: forced calls may reuse those. */
  private readonly answered = new Set<string>();
  private wallTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onRunAbort: (() => void) | undefined;
  private readonly runSignal: AbortSignal | undefined;

  constructor(
    private readonly model: LeafModel,
    options: SchedulerOptions,
  ) {
    const own = Math.max(1, Math.floor(model.capabilities.concurrency || 1));
    this.concurrency = Math.max(1, Math.min(own, Math.floor(options.concurrency ?? own)));
    this.maxRetries = Math.max(0, options.maxRetries ?? SCHEDULER_DEFAULTS.maxRetries);
    this.backoffBaseMs = Math.max(0, options.backoffBaseMs ?? SCHEDULER_DEFAULTS.backoffBaseMs);
    this.backoffMaxMs = Math.max(this.backoffBaseMs, options.backoffMaxMs ?? SCHEDULER_DEFAULTS.backoffMaxMs);
    this.timeoutMs = options.timeoutMs === undefined ? undefined : Math.max(0, options.timeoutMs);
    this.leafTimeoutMs = Math.max(0, options.leafTimeoutMs ?? SCHEDULER_DEFAULTS.leafTimeoutMs);
    this.retryAfterCapMs = Math.max(0, options.retryAfterCapMs ?? SCHEDULER_DEFAULTS.retryAfterCapMs);
    this.cache = options.cache ?? null;
    this.budgets = options.budgets ?? {};
    this.ledger = new BudgetLedger(this.budgets);
    this.pricing = options.pricing;
    this.pool = options.pool;
    this.slots = this.pool?.slots ?? new Limiter(this.concurrency);
    this.random = options.random ?? Math.random;
    this.window = options.contextWindow ?? model.capabilities.contextWindow;
    this.tokenizer = options.tokenizer ?? model.capabilities.tokenizer ?? estimateTokenizer;
    this.now = options.now ?? (() => performance.now());
    this.runSignal = options.signal;
    if (this.runSignal) {
      if (this.runSignal.aborted) {
        this.stop(new RunError('Aborted', 'The run was aborted.'));
      } else {
        this.onRunAbort = () => this.stop(new RunError('Aborted', 'The run was aborted.'));
        this.runSignal.addEventListener('abort', this.onRunAbort, { once: true });
      }
    }
    // A shared budget crossed by another run stops this one too.
    if (this.pool && !this.stopped) this.unsubscribePool = this.pool.onStop((reason) => this.stop(reason));
    const wall = this.budgets.maxWallMs;
    if (wall !== undefined && !this.stopped) {
      this.wallTimer = setTimeout(
        () => this.stop(new RunError('BudgetExceeded', `Wall-time budget of ${wall} ms exceeded.`)),
        wall,
      );
      // In Node a pending budget timer must not keep the process alive after the run.
      (this.wallTimer as { unref?: () => void }).unref?.();
    }
  }

  keyOf(request: LeafRequest): string {
    return leafCacheKey(this.model.id, request);
  }

  stop(reason: RunError): void {
    if (this.stopped) return;
    this.stopped = reason;
    for (const notify of [...this.onHalt]) notify();
    this.onHalt.clear();
    for (const ticket of [...this.waiting]) ticket.withdraw(reason);
    this.waiting.clear();
    this.clearTimers();
  }

  close(): void {
    this.clearTimers();
    if (this.onRunAbort) this.runSignal?.removeEventListener('abort', this.onRunAbort);
    this.unsubscribePool?.();
    this.unsubscribePool = undefined;
  }

  private clearTimers(): void {
    if (this.wallTimer !== undefined) clearTimeout(this.wallTimer);
    this.wallTimer = undefined;
  }

  async call(call: ScheduledCall): Promise<ScheduledResult> {
    if (this.stopped) throw this.stopped;
    await this.guardWindow(call);
    if (this.stopped) throw this.stopped;
    const key = call.cacheKey ?? this.keyOf(call.request);

    // A sampled answer (temperature > 0) is one draw among many: reusing it would make, say, a vote
    // over repeated prompts see the same answer k times. Only deterministic requests are reused.
    if (!(call.request.temperature <= 0)) return this.runFresh(call, key, false);
    // A forced call passes over what was cached before this run, but an answer this run itself got is
    // as fresh as a new one: asking for it twice would only cost more.
    if (!call.bypassCache || this.answered.has(key)) {
      const hit = await this.lookup(key);
      if (this.stopped) throw this.stopped;
      if (hit) {
        this.totals.cachedCalls++;
        return { ...hit, cached: true, retries: 0, ms: 0, cacheKey: key };
      }
    }
    // The same request already on its way (always a model call of this run): share its answer rather
    // than pay for it twice.
    const pending = this.inFlight.get(key);
    if (pending) {
      const shared = await pending;
      this.totals.cachedCalls++;
      return { ...shared, cached: true, retries: 0, ms: 0 };
    }
    const run = this.runFresh(call, key, true);
    this.inFlight.set(key, run);
    try {
      return await run;
    } finally {
      // Two forced calls of one request may overlap: each removes only its own entry.
      if (this.inFlight.get(key) === run) this.inFlight.delete(key);
    }
  }

  /**
   * The leaf bound's last guard: the prompt (counted by the model where it can, else conservatively) and
   * its longest answer must fit the window. Whatever the planner and the Splits did, an oversize prompt
   * is never sent.
   */
  private async guardWindow(call: ScheduledCall): Promise<void> {
    const { request } = call;
    const window = this.window;
    if (!(window > 0)) return;
    const count = this.model.capabilities.countTokens;
    const counted = count ? await this.modelCount(count, request) : Number.NaN;
    const exact = Number.isFinite(counted);
    const prompt = exact ? counted : requestTokens(request, this.tokenizer);
    if (prompt + request.maxTokens <= window) return;
    throw new RunError(
      'PromptTooLarge',
      `the prompt is ${prompt.toLocaleString('en')} tokens${exact ? '' : ' (counted conservatively)'} and its answer may take ${request.maxTokens.toLocaleString('en')}, over the model's ${window.toLocaleString('en')}-token window; it was not sent`,
      undefined,
      call.callId,
    );
  }

  /**
   * The model's own count of a prompt, or NaN when it cannot say: it failed, took longer than
   * COUNT_TIMEOUT_MS, or the scheduler stopped meanwhile. A count is bounded like every other wait, and
   * without one the conservative estimate decides.
   */
  private modelCount(
    count: NonNullable<LeafModel['capabilities']['countTokens']>,
    request: LeafRequest,
  ): Promise<number> {
    return new Promise((resolve) => {
      const controller = new AbortController();
      const settle = (n: number) => {
        clearTimeout(timer);
        this.onHalt.delete(giveUp);
        controller.abort();
        resolve(n);
      };
      const giveUp = () => settle(Number.NaN);
      const timer = setTimeout(giveUp, COUNT_TIMEOUT_MS);
      this.onHalt.add(giveUp);
      count(request.messages, controller.signal).then(
        (n) => settle(Number.isFinite(n) ? n : Number.NaN),
        giveUp,
      );
    });
  }

  private lookup(key: string): LeafResponse | undefined | Promise<LeafResponse | undefined> {
    if (!this.cache) return undefined;
    try {
      const got = this.cache.get(key);
      // A broken cache only costs a model call, never the run.
      return got instanceof Promise ? got.catch(() => undefined) : got;
    } catch {
      return undefined;
    }
  }

  private async runFresh(call: ScheduledCall, key: string, store: boolean): Promise<ScheduledResult> {
    await this.acquire();
    let holds: { own: BudgetHold; shared?: BudgetHold } | undefined;
    try {
      holds = this.admit(call);
      this.totals.calls++;
      const started = this.now();
      const { response, retries } = await this.attempts(call);
      this.totals.promptTokens += response.usage.promptTokens;
      this.totals.completionTokens += response.usage.completionTokens;
      const cost = this.pricing?.of(response.usage);
      this.ledger.settle(holds.own, response.usage, cost);
      if (holds.shared) this.pool?.ledger.settle(holds.shared, response.usage, cost);
      holds = undefined;
      const over = this.ledger.overTokens(call.callId);
      if (over) {
        this.stop(over);
        throw over;
      }
      const sharedOver = this.pool?.ledger.overTokens(call.callId);
      if (sharedOver) {
        this.pool?.stop(sharedOver);
        throw sharedOver;
      }
      if (store && this.cache && response.finishReason !== 'abort') {
        try {
          const stored = this.cache.set(key, response);
          if (stored instanceof Promise) stored.catch(() => undefined);
          this.answered.add(key);
        } catch {
          // A cache that cannot store is not the run's problem.
        }
      }
      return { ...response, cached: false, retries, ms: this.now() - started, cacheKey: key };
    } finally {
      // A call that was not answered costs nothing more: what it held goes back.
      if (holds) {
        this.ledger.release(holds.own);
        if (holds.shared) this.pool?.ledger.release(holds.shared);
      }
      this.release();
    }
  }

  /**
   * Budget checks before a model call is made, the run's own and then the pool's: a call that could cross
   * one is never sent. A run's budget stops the run; a pool's stops every run in the pool.
   */
  private admit(call: ScheduledCall): { own: BudgetHold; shared?: BudgetHold } {
    if (this.stopped) throw this.stopped;
    const bound = this.pricing?.bound(call.request);
    let own: BudgetHold;
    try {
      own = this.ledger.admit(this.pricing, bound, call.callId);
    } catch (e) {
      if (e instanceof RunError) this.stop(e);
      throw e;
    }
    if (!this.pool) return { own };
    try {
      return { own, shared: this.pool.ledger.admit(this.pricing, bound, call.callId) };
    } catch (e) {
      this.ledger.release(own);
      if (e instanceof RunError) this.pool.stop(e);
      throw e;
    }
  }

  /** This request's attempt deadline in ms (0: none). */
  private attemptMs(request: LeafRequest): number {
    if (this.timeoutMs !== undefined) return this.timeoutMs;
    return attemptDeadlineMs(request.maxTokens, this.model.capabilities.pace ?? SERVER_PACE);
  }

  /**
   * Attempts until one answers, under two deadlines: each attempt's own, from its dispatch, and the
   * leaf's, over every attempt and backoff. Waiting for a server's Retry-After is not an attempt and is
   * not counted; a Retry-After past the cap is not waited for at all.
   */
  private async attempts(call: ScheduledCall): Promise<{ response: LeafResponse; retries: number }> {
    const attemptMs = this.attemptMs(call.request);
    const leafMs = this.leafTimeoutMs > 0 ? Math.max(this.leafTimeoutMs, attemptMs) : 0;
    let spent = 0;
    let last: { reason: string; code?: LeafFailureReason } = { reason: '' };
    let attempt = 0;
    for (; ; attempt++) {
      if (this.stopped) throw this.stopped;
      const left = leafMs > 0 ? leafMs - spent : Number.POSITIVE_INFINITY;
      const deadline = Math.min(attemptMs > 0 ? attemptMs : Number.POSITIVE_INFINITY, left);
      const sent: { at?: number } = {};
      const outcome = await this.attempt(call, Number.isFinite(deadline) ? Math.max(1, deadline) : 0, sent);
      // A paced model's time in its own queue (a rate limit, a busy endpoint) is not the leaf's.
      if (sent.at !== undefined) spent += this.now() - sent.at;
      if ('response' in outcome) return { response: outcome.response, retries: attempt };
      const failure = outcome.failure;
      if (!failure.retry) {
        if (failure.error.kind === 'ProviderUnavailable') this.stop(failure.error);
        throw failure.error;
      }
      last = failure;
      const asked = failure.retryAfterMs;
      if (asked !== undefined && asked > this.retryAfterCapMs) {
        throw new RunError(
          'LeafFailed',
          `The server asked to wait ${formatDuration(asked)} before asking again (Retry-After), more than the ${formatDuration(this.retryAfterCapMs)} this run waits: ${failure.reason}`,
          undefined,
          call.callId,
          'rate-limited',
        );
      }
      if (leafMs > 0 && spent >= leafMs) return this.outOfTime(call, leafMs, attempt + 1, last);
      if (attempt >= this.maxRetries) break;
      const delayMs = this.backoff(attempt, asked);
      // A wait the server asked for is not the leaf's time; our own backoff is.
      if (asked === undefined) {
        if (leafMs > 0 && spent + delayMs >= leafMs) return this.outOfTime(call, leafMs, attempt + 1, last);
        spent += delayMs;
      }
      this.totals.retries++;
      call.onRetry?.({ attempt: attempt + 1, delayMs, reason: failure.reason });
      await this.sleep(delayMs);
    }
    throw new RunError(
      'LeafFailed',
      `The model failed ${this.maxRetries + 1} time${this.maxRetries === 0 ? '' : 's'}: ${last.reason}`,
      undefined,
      call.callId,
      last.code,
    );
  }

  private outOfTime(call: ScheduledCall, leafMs: number, attempts: number, last: { reason: string }): never {
    throw new RunError(
      'LeafFailed',
      `No whole answer within ${formatDuration(leafMs)} (${attempts} attempt${attempts === 1 ? '' : 's'}); the last: ${last.reason}`,
      undefined,
      call.callId,
      'timeout',
    );
  }

  /** Exponential backoff with equal jitter; a server's Retry-After is a floor. */
  private backoff(attempt: number, retryAfterMs: number | undefined): number {
    const ceiling = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** attempt);
    const jittered = ceiling / 2 + this.random() * (ceiling / 2);
    return Math.round(Math.max(jittered, retryAfterMs ?? 0));
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onHalt = () => {
        clearTimeout(timer);
        reject(this.stopped);
      };
      const timer = setTimeout(() => {
        this.onHalt.delete(onHalt);
        resolve();
      }, ms);
      this.onHalt.add(onHalt);
    });
  }

  /**
   * One request to the model under its own AbortSignal (deadline or halt); `deadlineMs` 0: none. The
   * deadline runs from the send: at once, or for a paced model from each time it says it sent (`sent.at`).
   */
  private attempt(
    call: ScheduledCall,
    deadlineMs: number,
    sent: { at?: number },
  ): Promise<{ response: LeafResponse } | { failure: AttemptFailure }> {
    return new Promise((resolve) => {
      const controller = new AbortController();
      let settled = false;
      let timedOut = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (v: { response: LeafResponse } | { failure: AttemptFailure }) => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) clearTimeout(timer);
        this.onHalt.delete(onHalt);
        resolve(v);
      };
      // On halt the caller is answered at once, whether or not the model honours its signal.
      const onHalt = () => {
        controller.abort(this.stopped);
        finish({ failure: { retry: false, error: this.stopped! } });
      };
      this.onHalt.add(onHalt);
      const arm = () => {
        if (settled) return;
        sent.at = this.now();
        if (deadlineMs <= 0) return;
        if (timer !== undefined) clearTimeout(timer);
        timer = setTimeout(() => {
          timedOut = true;
          controller.abort(new Error('timeout'));
          finish({
            failure: {
              retry: true,
              reason: `no answer within ${formatDuration(deadlineMs)} of asking`,
              code: 'timeout',
            },
          });
        }, deadlineMs);
      };
      const paced = this.model.capabilities.paced === true;
      if (!paced) arm();
      const onDelta = call.onDelta
        ? (text: string) => {
            if (!settled) call.onDelta!(text);
          }
        : undefined;
      let pending: Promise<LeafResponse>;
      try {
        pending = this.model.complete(call.request, {
          signal: controller.signal,
          retryAfterCapMs: this.retryAfterCapMs,
          ...(onDelta && { onDelta }),
          ...(paced && { onSend: arm }),
        });
      } catch (e) {
        pending = Promise.reject(e);
      }
      pending.then(
        (response) => {
          if (!isLeafResponse(response)) {
            finish({
              failure: {
                retry: false,
                error: new RunError(
                  'LeafFailed',
                  'The model returned a malformed answer.',
                  undefined,
                  call.callId,
                ),
              },
            });
          } else if (response.finishReason === 'abort') {
            // An abort we did not ask for is a dropped connection: worth another try.
            finish({ failure: { retry: true, reason: 'the answer was cut off', code: 'cut-reply' } });
          } else {
            // Whatever the provider: an empty or oversize reply is a fault, never an answer.
            const problem = replyProblem(call.request, response);
            if (!problem) finish({ response });
            else if (problem.retry)
              finish({ failure: { retry: true, reason: problem.message, code: problem.reason } });
            else
              finish({
                failure: {
                  retry: false,
                  error: new RunError(
                    'LeafFailed',
                    `The model's reply was refused: ${problem.message}.`,
                    undefined,
                    call.callId,
                    problem.reason,
                  ),
                },
              });
          }
        },
        (e: unknown) => {
          if (timedOut) return;
          finish({ failure: classify(e, call.callId) });
        },
      );
    });
  }

  /** Waits for a slot (this run's, or the pool's shared by several runs). */
  private async acquire(): Promise<void> {
    if (this.stopped) throw this.stopped;
    const ticket = this.slots.take();
    this.waiting.add(ticket);
    try {
      await ticket.ready;
    } finally {
      this.waiting.delete(ticket);
    }
    if (this.stopped) {
      this.slots.release();
      throw this.stopped;
    }
  }

  private release(): void {
    this.slots.release();
  }
}

function isLeafResponse(r: unknown): r is LeafResponse {
  if (typeof r !== 'object' || r === null) return false;
  const o = r as Partial<LeafResponse>;
  return (
    typeof o.text === 'string' &&
    typeof o.usage === 'object' &&
    o.usage !== null &&
    Number.isFinite(o.usage.promptTokens) &&
    Number.isFinite(o.usage.completionTokens) &&
    (o.finishReason === 'stop' || o.finishReason === 'length' || o.finishReason === 'abort')
  );
}

function classify(e: unknown, callId: string): AttemptFailure {
  if (e instanceof ProviderError) {
    const what = e.status !== undefined ? `${e.status} ${e.message}` : e.message;
    if (e.kind === 'transient') {
      const failure: AttemptFailure = { retry: true, reason: what };
      if (e.retryAfterMs !== undefined) failure.retryAfterMs = e.retryAfterMs;
      if (e.reason !== undefined) failure.code = e.reason;
      return failure;
    }
    if (e.kind === 'too-large')
      return { retry: false, error: new RunError('PromptTooLarge', what, undefined, callId) };
    if (e.kind === 'unavailable') {
      return { retry: false, error: new RunError('ProviderUnavailable', what, undefined, callId, e.reason) };
    }
    return { retry: false, error: new RunError('LeafFailed', what, undefined, callId, e.reason) };
  }
  if (e instanceof RunError) return { retry: false, error: e };
  // Anything else thrown by a provider is a lower-level failure (fetch's TypeError, a dropped socket).
  return { retry: true, reason: e instanceof Error ? e.message : String(e) };
}

/** How long the scheduler waits for a model's own count of a prompt before it counts conservatively. */
export const COUNT_TIMEOUT_MS = 10_000;

/** The scheduler for one run over one model. */
export function createScheduler(model: LeafModel, options: SchedulerOptions = {}): LeafScheduler {
  return new Scheduler(model, options);
}
