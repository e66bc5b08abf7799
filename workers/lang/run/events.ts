/**
 * The run log (DESIGN §3.6): an append-only stream of events. The recursion tree, the timeline, the
 * counters, replay and export are all functions of this log. Every field is plain JSON.
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
  | (EventBase & { type: 'call.done'; callId: string; summary: string; value?: unknown })
  | (EventBase & { type: 'call.error'; callId: string; error: { kind: RunErrorKind; message: string } })
  | (EventBase & {
      type: 'run.done';
      ok: boolean;
      result?: unknown;
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
