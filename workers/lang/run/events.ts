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

/**
 * Why a code cell of an RLM run stopped without finishing (docs/rlm.md): over its time, memory or stack
 * limit, code that does not parse, something the sandbox does not have (network, DOM, modules), an error
 * the code did not catch, or the engine itself failing (then the sandbox starts afresh).
 */
export const CELL_ERROR_KINDS = [
  'Timeout',
  'OutOfMemory',
  'StackOverflow',
  'SyntaxError',
  'NotAvailable',
  'Thrown',
  'Crashed',
] as const;
export type CellErrorKind = (typeof CELL_ERROR_KINDS)[number];

/** What an RLM run was allowed, as `run.start` records it. */
export interface RlmRunSettings {
  /** The window every model call had to fit, in tokens. */
  contextWindow: number;
  /** Longest answer of a root call and of an `llm_query` sub-call, in tokens. */
  rootMaxTokens: number;
  subMaxTokens: number;
  /** Sandbox limits: code time per cell (ms), heap and stack (bytes), printed characters kept per cell. */
  limits: { cellMs: number; memoryBytes: number; stackBytes: number; outputChars: number };
  budgets: {
    maxCalls?: number;
    maxTokens?: number;
    maxWallMs?: number;
    maxIterations: number;
    maxCells: number;
  };
}

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
  /**
   * An RLM run begins here instead of `run.start`: the model writes code rather than following a plan, so
   * there is no plan and no estimate. Its calls are root iterations (nodeId `rlm.root`), the code cells each
   * ran (`rlm.cell`, children of their iteration) and the `llm_query` sub-calls a cell made
   * (`rlm.llm_query`, children of their cell); it ends with `run.done` like any run.
   */
  | (EventBase & {
      type: 'rlm.start';
      /** Unix epoch milliseconds, as in `run.start`. */
      startedAt: number;
      /** The run-log format, as in `run.start`. */
      logVersion?: number;
      /** The model's price the run was costed at, when it had one, as in `run.start`. */
      price?: ModelPrice;
      settings: RlmRunSettings;
      inputChars: number;
      query: string;
      model: string;
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
  /** RLM run: the code a cell runs, written by the model (text, never run outside the sandbox). */
  | (EventBase & { type: 'cell.code'; callId: string; code: string })
  /** RLM run: what the cell printed (cut at the sandbox's limit), and how it ended. */
  | (EventBase & {
      type: 'cell.output';
      callId: string;
      output: string;
      /** Printed characters not kept. */
      droppedChars: number;
      /** Milliseconds the code ran (waits for llm_query excluded). */
      ms: number;
      error?: { kind: CellErrorKind; message: string };
      /** The answer, when the cell called FINAL or FINAL_VAR. */
      final?: string;
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
