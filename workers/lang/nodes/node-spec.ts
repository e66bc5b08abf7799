/**
 * How a node kind is declared in the catalog (one file per kind under `nodes/`). Port types live here,
 * never in handle ids. Ports may depend on the node's parameters (an LLM's named template inputs) and
 * on where it sits (an Entry's ports depend on its container), so they are computed from the plan.
 */

import type { Type } from '../check/types.ts';
import type { NodeKind, Plan, PlanNode } from '../format/plan.ts';
import type { Tokenizer } from '../plan/tokenizer.ts';
import type { LeafRequest, LeafResponse } from '../run/provider.ts';

/** Plain JSON, the runtime form of `Json`. */
export type JsonValue = null | string | number | boolean | JsonValue[] | { [key: string]: JsonValue };

/**
 * Runtime values: Str → string, Int → number, Bool → boolean, Counts → Record<string, number>,
 * List<T> → T[], Pair<A, B> → [A, B], Json → JsonValue. Values are plain JSON so they can be traced,
 * cached and exported as they are.
 */
export type Value = string | number | boolean | Record<string, number> | Value[] | JsonValue;

/** Character span `[from, to)` into the run's input P. */
export type Span = [number, number];

/**
 * How Splits are sized, from the planner (estimate.ts / planner.ts). A Split in `auto` mode cuts its input
 * into `kStar` parts. The evaluator runs a Fix's base case when `tokens(P) ≤ tauStar` **or** the
 * recursion is already `depth` levels deep, which is what makes the planner's call bound N̂ exact.
 */
export interface SplitSizing {
  kStar: number;
  tauStar: number;
  depth: number;
}

/**
 * What a non-container node's `evaluate` may use. The evaluator builds one per node call.
 * Nodes never see the scheduler, the trace or other nodes: only their inputs, params and this.
 */
export interface EvalContext {
  /** The plan node being evaluated (for errors). */
  nodeId: string;
  /** The user's question, available to every template as `{{query}}`. */
  query: string;
  tokenizer: Tokenizer;
  signal: AbortSignal;
  /** Planner sizing for `auto` Splits (and inside Fix steps). */
  sizing: SplitSizing;
  /** True when the node sits (at any depth) in a Fix step: a Split there must return ≥ 2 strictly smaller parts. */
  inFixStep: boolean;
  /**
   * One model call, through the run's scheduler (retries, cache, budgets, trace). Throws RunError
   * (LeafFailed, BudgetExceeded, Aborted, ProviderUnavailable); never returns error text.
   */
  leaf(request: LeafRequest, meta: { label: string }): Promise<LeafResponse>;
  /** Span into P of the value arriving on input `port`, when that value is a slice of P; null otherwise. */
  inputSpan(port: string): Span | null;
  /**
   * Declares that output `port` is made of slices of the string on input `relativeTo`, at these offsets
   * (relative to that input's start): one span for a Str output, one per item for a List<Str> output.
   * The evaluator adds the input's own span (if any) so the trace can show which slice of P each call
   * works on.
   */
  recordSpans(port: string, relativeTo: string, spans: Span | Span[]): void;
}

/** Parameters after defaults are filled in (see catalog.ts `resolveParams`). */
export type Params = Record<string, unknown>;

/** A problem with one parameter, as reported by a kind's own validation. */
export interface ParamProblem {
  param: string;
  message: string;
}

export interface PortSpec {
  name: string;
  type: Type;
  label: string;
  /** An optional input may be left unwired. */
  optional?: boolean;
  description?: string;
}

export type ParamKind = 'string' | 'text' | 'template' | 'int' | 'number' | 'boolean' | 'enum' | 'json';

export interface ParamSpec {
  name: string;
  label: string;
  kind: ParamKind;
  default: unknown;
  description: string;
  /** For enums. */
  options?: readonly string[];
  min?: number;
  max?: number;
  /** null is a valid value (e.g. Peek's end: "to the end"). */
  nullable?: boolean;
  /** Shown only when this returns true for the node's current params (e.g. size only for split by size). */
  visible?: (params: Record<string, unknown>) => boolean;
}

export type NodeGroup = 'source' | 'symbolic' | 'higher-order' | 'neural' | 'output' | 'structure';

export interface NodeSpec {
  kind: NodeKind;
  group: NodeGroup;
  title: string;
  /** One line, shown in the palette. */
  description: string;
  params: readonly ParamSpec[];
  ports(node: PlanNode, plan: Plan): { inputs: PortSpec[]; outputs: PortSpec[] };
  /** Containers list the bodies they own. */
  container?: { slots: readonly ('body' | 'base' | 'step')[] };
  /** Structure nodes (Entry, Exit, Self) are created with their container, not from the palette. */
  inPalette: boolean;
  /**
   * Checks beyond what the param specs say (ranges, enums and kinds are checked generically):
   * cross-field rules, regex safety, JSON schema shape. Receives params with defaults filled in.
   */
  validate?: (params: Params) => ParamProblem[];
  /**
   * Semantics of a non-container kind. Container kinds (Map, Filter, Reduce, Fix) and structure kinds
   * (Self, Entry, Exit) are interpreted by the evaluator and have none. Receives params with defaults
   * filled in; inputs by port name (unwired optional ports are absent). Throws RunError on failure.
   */
  evaluate?: (
    inputs: Record<string, Value>,
    params: Params,
    ctx: EvalContext,
  ) => Promise<Record<string, Value>>;
}
