/**
 * How long a leaf call may take and how much it may send back (docs/evaluation.md, "Bounds"). A server
 * that hangs, trickles one byte a second, streams forever or asks to be waited for for days must not hold
 * a run: every attempt gets a deadline from its dispatch, scaled from its max tokens and the engine's pace;
 * every leaf gets a deadline over all its attempts; a Retry-After is honoured up to a cap; and a reply is
 * capped in size from its max tokens. These are the numbers; the scheduler and the providers apply them.
 */

import type { LeafFailureReason } from './errors.ts';
import type { LeafPace, LeafRequest, LeafResponse } from './provider.ts';
import { stripThink } from './think.ts';

/**
 * A remote server's pace when the model states none: slow enough for a busy or modest server (20 s to the
 * first token, 20 tokens a second), fast enough that a silent or trickling one is noticed.
 */
export const SERVER_PACE: LeafPace = { firstTokenMs: 20_000, tokensPerSecond: 20 };

/** Retries after the first attempt on a transient failure (the scheduler's default). */
export const DEFAULT_MAX_RETRIES = 3;

export const DEADLINE_DEFAULTS = {
  /**
   * All attempts of one leaf call, backoff included (waits a server asked for with Retry-After are not
   * counted: they are not attempts). Never less than one attempt's own deadline, so an answer that needs
   * a long time at the engine's pace can still arrive once.
   */
  leafTimeoutMs: 80_000,
  /** The longest Retry-After honoured; a server asking for more fails the call with what it asked. */
  retryAfterCapMs: 60_000,
} as const;

/** Deadline of one attempt from its dispatch, in ms: time to the first token plus the answer at the pace. */
export function attemptDeadlineMs(maxTokens: number, pace: LeafPace = SERVER_PACE): number {
  const tokens = Number.isFinite(maxTokens) && maxTokens > 0 ? maxTokens : 1;
  const tps = Number.isFinite(pace.tokensPerSecond) && pace.tokensPerSecond > 0 ? pace.tokensPerSecond : 1;
  const first = Number.isFinite(pace.firstTokenMs) && pace.firstTokenMs > 0 ? pace.firstTokenMs : 0;
  return Math.ceil(first + (tokens * 1000) / tps);
}

export interface LeafBoundOptions {
  pace?: LeafPace;
  /** A fixed attempt deadline (the scheduler's `timeoutMs`); scaled from the pace when absent. */
  attemptTimeoutMs?: number;
  leafTimeoutMs?: number;
  retryAfterCapMs?: number;
  maxRetries?: number;
}

/**
 * The longest one leaf call of `maxTokens` can take from its dispatch, in ms (docs/evaluation.md):
 * `faulty` whatever the server does short of rate-limiting (hangs, trickles, streams forever, fails),
 * and `rateLimited` when it also asks to wait, up to the cap, before each retry. A run of N̂ calls ends
 * within N̂ × this, however the calls overlap.
 */
export function leafBoundMs(
  maxTokens: number,
  options: LeafBoundOptions = {},
): { attempt: number; faulty: number; rateLimited: number } {
  const attempt = options.attemptTimeoutMs ?? attemptDeadlineMs(maxTokens, options.pace ?? SERVER_PACE);
  const leaf = options.leafTimeoutMs ?? DEADLINE_DEFAULTS.leafTimeoutMs;
  const faulty = leaf > 0 ? Math.max(leaf, attempt) : Number.POSITIVE_INFINITY;
  const waits =
    (options.maxRetries ?? DEFAULT_MAX_RETRIES) *
    (options.retryAfterCapMs ?? DEADLINE_DEFAULTS.retryAfterCapMs);
  return { attempt, faulty, rateLimited: faulty + waits };
}

/**
 * The most a reply of `maxTokens` tokens may hold. A token is rarely longer than a few characters, and
 * never 64 (runs of spaces in code vocabularies are the longest); a stream's framing (SSE lines, the JSON
 * of each chunk) is counted in bytes, generously. Past these, the reply is not an answer of that length.
 */
export function replyLimits(maxTokens: number): { chars: number; streamBytes: number } {
  const tokens = Number.isFinite(maxTokens) && maxTokens > 0 ? Math.ceil(maxTokens) : 1;
  return { chars: 4096 + 64 * tokens, streamBytes: 65_536 + 2048 * tokens };
}

/** Why a finished reply is not an answer, or null when it is one. */
export function replyProblem(
  request: LeafRequest,
  response: LeafResponse,
): { reason: LeafFailureReason; message: string; retry: boolean } | null {
  const limit = replyLimits(request.maxTokens).chars;
  if (response.text.length > limit) {
    return {
      reason: 'oversize-reply',
      message: `the reply is ${response.text.length.toLocaleString('en')} characters long, more than ${request.maxTokens.toLocaleString('en')} tokens can hold (at most ${limit.toLocaleString('en')}): the server ignores the max tokens`,
      retry: false,
    };
  }
  if (response.finishReason === 'stop' && stripThink(response.text).trim() === '') {
    // An empty reply is not "no answer here" (that is the node's declared sentinel): it is a fault.
    return { reason: 'empty-reply', message: 'the reply was empty', retry: true };
  }
  return null;
}

/** `5 ms`, `12 s`, `2.5 min`, `11.6 days`: a duration a reader takes in at a glance. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  if (s < 172_800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86_400).toFixed(1)} days`;
}
