/**
 * The one scheduler every leaf call goes through (DESIGN §3.5): concurrency, retries with backoff on
 * transient errors, per-call timeout, abort, a content-addressed cache, and budgets.
 *
 * The interface is what the evaluator depends on; the implementation lives beside it in this file.
 */
import type { LeafRequest, LeafResponse } from './provider.ts';

export interface ScheduledCall {
  /** The trace call id this leaf belongs to (for deltas and retries in the log). */
  callId: string;
  request: LeafRequest;
  onDelta?: (text: string) => void;
}

export interface ScheduledResult extends LeafResponse {
  cached: boolean;
  retries: number;
  ms: number;
  cacheKey: string;
}

export interface LeafScheduler {
  /** Throws RunError (LeafFailed, BudgetExceeded, Aborted, ProviderUnavailable); never returns error text. */
  call(call: ScheduledCall): Promise<ScheduledResult>;
  readonly totals: { calls: number; cachedCalls: number; promptTokens: number; completionTokens: number };
}
