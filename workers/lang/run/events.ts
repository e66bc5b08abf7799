/**
 * The run log: an append-only stream of events. The recursion tree, the timeline, the counters, replay
 * and export are all functions of this log. Every field is plain JSON.
 *
 * Versions (`logVersion` in `run.start`; a log without one is version 1):
 * - 1: the first format.
 * - 2: values in `call.done` and `run.done` are written with `encodeValue` (absent as `{"$absent": true}`,
 *   object keys beginning with `$` escaped with one more); `call.done` and `run.done` say `absent: true`
 *   when the value is absent; `filter.empty` reports a Filter that kept nothing.
 * Readers take both (`decodeValue(value, logVersion)`).
 */

import type { Plan } from '../format/plan.ts';
import type { PlanEstimate } from '../plan/estimate.ts';
import type { ModelPrice } from './cost.ts';
import type { LeafFailureReason, RunErrorKind } from './errors.ts';
import type { ChatMessage, FinishReason } from './provider.ts';

interface EventBase {
  runId: string;
  /** Monotonic from 0 within a run. */
  seq: number;
  /** Milliseconds since the run started. */
  t: number;
}

export type TraceEvent =
  | (EventBase & {
      type: 'run.start';
      /**
       * Wall-clock time the run started, in Unix epoch milliseconds: with `t`, when each event happened
       * (exports to tracing tools need it). Logs written before it was recorded have none.
       */
      startedAt?: number;
      /** The log's format version (absent in version-1 logs). */
      logVersion?: number;
      plan: Plan;
      estimate: PlanEstimate;
      inputChars: number;
      query: string;
      model: string;
      /** The model's price the run was costed at, when it had one (docs/models.md, "Cost"). */
      price?: ModelPrice;
      /**
       * Set by "run from the selected node": the nodes whose leaf calls asked the model again (the selected
       * node and everything downstream of it), in plan order. Their `leaf.done` say `cached: false`.
       */
      refreshNodes?: string[];
    })
  | (EventBase & {
      type: 'call.start';
      callId: string;
      parentId: string | null;
      depth: number;
      nodeId: string;
      /** Character span [from, to) of the input P this call works on, when it is a slice of P. */
      span: [number, number] | null;
      label: string;
    })
  | (EventBase & { type: 'leaf.request'; callId: string; messages: ChatMessage[]; cacheKey: string })
  | (EventBase & { type: 'leaf.delta'; callId: string; text: string })
  | (EventBase & {
      type: 'leaf.done';
      callId: string;
      text: string;
      promptTokens: number;
      completionTokens: number;
      /** Of the prompt tokens, those the server read from its prompt cache, when it said (priced apart). */
      cachedPromptTokens?: number;
      ms: number;
      cached: boolean;
      retries: number;
      finishReason: FinishReason;
    })
  | (EventBase & {
      type: 'call.done';
      callId: string;
      summary: string;
      /** The value, when small (encoded: see above). */
      value?: unknown;
      /** The call's value is absent ("no answer here"). */
      absent?: true;
    })
  | (EventBase & { type: 'call.error'; callId: string; error: { kind: RunErrorKind; message: string } })
  | (EventBase & {
      /** A Filter's body kept none of its items (kept 0 of `of`); `policy` is what followed. */
      type: 'filter.empty';
      callId: string;
      nodeId: string;
      of: number;
      policy: 'all' | 'none' | 'error';
    })
  | (EventBase & {
      type: 'run.done';
      ok: boolean;
      result?: unknown;
      /** The run found no answer: its result is absent (`totals.leafCalls` pieces were read). */
      absent?: true;
      error?: { kind: RunErrorKind; message: string; nodeId?: string; reason?: LeafFailureReason };
      totals: {
        calls: number;
        leafCalls: number;
        cachedCalls: number;
        promptTokens: number;
        completionTokens: number;
        ms: number;
      };
    });

export type TraceEventType = TraceEvent['type'];

/** The run log's current format version (see above). */
export const LOG_VERSION = 2;
