/**
 * How a node kind is declared: one file per kind under `nodes/`, one line in the catalog (catalog.ts).
 * A kind's spec carries everything the language and the editor need to know about it: its ports and
 * parameters, their validation, its semantics, what the planner may assume about its outputs and the
 * model calls it makes, whether a list it gives may be empty, extra checks, how it reads as a λ-term,
 * whether it is a container and how its bodies run, and its palette group. The checker, the planner,
 * the evaluator and the editor read kinds only through this interface, so a new symbolic kind is one
 * file and one catalog line (docs/language.md, "Adding a node kind").
 *
 * Port types live here, never in handle ids. Ports may depend on the node's parameters (an LLM's named
 * template inputs) and on where it sits (an Entry's ports depend on its container), so they are
 * computed from the plan.
 */

import type { DiagnosticCode } from '../check/diagnostics.ts';
import type { Type } from '../check/types.ts';
import type { Plan, PlanNode, Slot } from '../format/plan.ts';
import type { Tokenizer } from '../plan/tokenizer.ts';
import type { LeafRequest, LeafResponse } from '../run/provider.ts';
import type { Absent } from './absent.ts';
import type { Catalog } from './catalog.ts';

/** Plain JSON, the runtime form of `Json`. */
export type JsonValue = null | string | number | boolean | JsonValue[] | { [key: string]: JsonValue };

/**
 * Runtime values: Str → string, Int → number, Bool → boolean, Counts → Record<string, number>,
 * List<T> → T[], Pair<A, B> → [A, B], Json → JsonValue, and ABSENT ("no answer here", of every type;
 * absent.ts). Values are plain JSON, ABSENT aside, so they can be traced, cached and exported; the run log
 * writes ABSENT with an encoding of its own.
 */
export type Value = string | number | boolean | Record<string, number> | Value[] | JsonValue | Absent;

/** Character span `[from, to)` into the run's input P. */
export type Span = [number, number];

/**
 * How Splits are sized, from the planner (planner.ts). `tauStar` is the leaf bound: no piece a Split
 * makes is larger, and a Fix runs its base case only on a P of at most `tauStar` tokens. `kStar` is how
 * many parts a Split in a Fix step cuts P into; `depth` is the recursion depth the planner measured.
 */
export interface SplitSizing {
  kStar: number;
  tauStar: number;
  depth: number;
  /** The leaf window K: no piece a Split makes outside a Fix step is larger (τ* when absent). */
  K?: number;
  /**
   * The deepest each Fix may recurse (by node id), from the planner's dry run: its actual depth on a P
   * the planner knew, a generous bound on one it knew only by size. A piece still over τ* there is
   * refused (PromptTooLarge), never sent, so the call bound N̂ holds.
   */
  fixDepth?: Record<string, number>;
}

/** What a kind's pure `compute` may use. The evaluator and the planner build one per evaluation. */
export interface ComputeContext {
  /** The plan node being evaluated (for errors). */
  nodeId: string;
  /** The user's question, available to every template as `{{query}}`. */
  query: string;
  tokenizer: Tokenizer;
  /** Planner sizing for Splits (and inside Fix steps). */
  sizing: SplitSizing;
  /** True when the node sits (at any depth) in a Fix step: a Split there must return ≥ 2 strictly smaller parts. */
  inFixStep: boolean;
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

/**
 * What a kind's `evaluate` may use: `compute`'s context, the run's signal and the model. Nodes never see
 * the scheduler, the trace or other nodes: only their inputs, params and this.
 */
export interface EvalContext extends ComputeContext {
  signal: AbortSignal;
  /**
   * One model call, through the run's scheduler (retries, cache, budgets, trace). Throws RunError
   * (LeafFailed, BudgetExceeded, Aborted, ProviderUnavailable); never returns error text.
   */
  leaf(request: LeafRequest, meta: { label: string }): Promise<LeafResponse>;
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
  /** The input exists because a template names it (`{{name}}`): an unwired one is a template problem. */
  fromTemplate?: boolean;
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

/** Palette groups; `structure` kinds (Entry, Exit, Self) come with their container, not from the palette. */
export type NodeGroup = 'source' | 'symbolic' | 'higher-order' | 'neural' | 'output' | 'structure';

/**
 * Upper bounds on a value, as the planner reasons about values it cannot compute before the run (a
 * model's answer, a list parsed from one): a list's length, a text's characters and tokens, and the
 * bounds of a list's items. `Infinity` means unknown.
 */
export interface Bound {
  size: number;
  chars: number;
  tokens: number;
  /** The tokens a text is expected to take, where that is less than its bound (a model's answer). */
  expected?: number;
  item: Bound | null;
}

/** A value as the planner sees it: its bounds always, the value itself when the planner could compute it. */
export interface Planned {
  value?: Value;
  bound: Bound;
}

/** What the planner's hooks may use. */
export interface PlanContext {
  nodeId: string;
  tokenizer: Tokenizer;
  query: string;
  queryTokens: number;
  sizing: SplitSizing;
  inFixStep: boolean;
}

/** A model call one evaluation of a node may make, as the planner counts it (upper bounds). */
export interface PlannedCall {
  /** Filed by the planner by where the node sits (leaf, filter, combine) unless it says `repair`. */
  part?: 'repair';
  promptTokens: number;
  completionTokens: number;
  /** What the call is expected to cost, where that is less than the bound (a repair that may not happen). */
  expected?: { calls: number; promptTokens: number; completionTokens: number };
}

/** What a kind's own checks may use (check/typecheck.ts builds it). */
export interface CheckContext {
  node: PlanNode;
  params: Params;
  plan: Plan;
  kinds: Catalog;
  /** Whether an input port has a wire. */
  wired(port: string): boolean;
  /** Whether the list arriving on an input port may be empty at run time (conservative: unknown → yes). */
  mayBeEmpty(port: string): boolean;
  /** How a node is named in messages: `Kind "label"`. */
  name(nodeId: string): string;
  /** The written type of one of this node's ports after inference. */
  shown(port: string, dir: 'in' | 'out'): string;
  /** The model's context window, when the checker knows it (the plan's setting or the caller's). */
  window?: number;
  /** Counts tokens as the planner will (the conservative estimate unless the caller has the model's). */
  tokenizer: Tokenizer;
}

/** A problem a kind's own check found; the checker adds the node id. */
export interface NodeProblem {
  code: DiagnosticCode;
  message: string;
  severity?: 'error' | 'warning';
  port?: string;
  param?: string;
  expected?: string;
}

/** What a kind's λ-term rendering may use (lambda-term.ts builds it). */
export interface TermContext {
  /** The node's wired arguments, rendered: ` x` for one, ` {a = x, b = y}` for several, '' for none. */
  args: string;
  /** A literal, shortened for reading. */
  literal(value: unknown): string;
  /** One body of this container as a λ (for Fix: its lets and result, without the λ). */
  body(slot: Slot): string;
  /** The current indentation, for kinds that lay out several lines. */
  indent: string;
}

/**
 * How the evaluator and the planner run a container's bodies. These are interpreted by the evaluator and
 * the planner themselves (they own the frames, the trace and the concurrency), by this behaviour rather
 * than by kind, so another container kind may reuse one:
 * - `map`: the body on every item of input `items`, output `results` in item order;
 * - `filter`: the body (→ Bool) on every item of `items`, output `kept`;
 * - `find`: the body on the items of `items`, in a reading order, until one gives an answer (not absent),
 *   output `result`;
 * - `fold`: a left fold of `items` with the body (left, right) → result, output `result`;
 * - `fix`: recursion on input `text`: the `base` body when P fits the leaf bound, else `step`, where a
 *   node with role `self` re-enters the Fix on a smaller piece.
 */
export interface ContainerSpec {
  slots: readonly Slot[];
  behaviour: 'map' | 'filter' | 'find' | 'fold' | 'fix';
  /** What a body's Entry gives (the item, the pair, P) and its Exit takes (the result). */
  bodyPorts(container: PlanNode, slot: Slot): { entry: PortSpec[]; exit: PortSpec[] };
  /**
   * Why the container has no body with these params (Reduce with a built-in ⊕), or null when it has its
   * bodies. A container without a body is checked and run as a plain node.
   */
  bodyless?: (params: Params) => string | null;
}

/**
 * Roles of kinds the evaluator supplies itself: `input` is P, `entry` and `exit` are a body's argument and
 * result, `self` is the recursive call of the enclosing Fix, `result` is the plan's result (exactly one).
 */
export type NodeRole = 'input' | 'entry' | 'exit' | 'self' | 'result';

export interface NodeSpec {
  kind: string;
  group: NodeGroup;
  title: string;
  /** One line, shown in the palette. */
  description: string;
  params: readonly ParamSpec[];
  /** `kinds` is the catalog the plan is read with (a body's Entry asks its container's spec). */
  ports(node: PlanNode, plan: Plan, kinds: Catalog): { inputs: PortSpec[]; outputs: PortSpec[] };
  /** Containers: their bodies and how they run. */
  container?: ContainerSpec;
  /** Kinds with a role are interpreted by the evaluator and the planner (see NodeRole). */
  role?: NodeRole;
  /**
   * Where the node may sit: `top` only at the top level (Output), `body` only inside a body (Entry,
   * Exit), `recursion` only inside the recursive body of a Fix (Self). Anywhere when absent.
   */
  placement?: 'top' | 'body' | 'recursion';
  /** Whose type variables the ports use: the container's (Entry, Exit) or the enclosing Fix's (Self). */
  typeScope?: 'container' | 'recursion';
  /** False for nodes not worth a line in the run log (a constant). Default true. */
  logged?: boolean;
  /**
   * Checks beyond what the param specs say (ranges, enums and kinds are checked generically):
   * cross-field rules, regex safety, JSON schema shape. Receives params with defaults filled in.
   */
  validate?: (params: Params) => ParamProblem[];
  /** Rules that need the plan around the node (what is wired, what may be empty). */
  check?: (ctx: CheckContext) => NodeProblem[];
  /**
   * Semantics of a symbolic kind, pure and synchronous: the evaluator runs it (unless the kind has
   * `evaluate`), and so does the planner when it knows the inputs before the run. Receives params with
   * defaults filled in; inputs by port name (unwired optional ports are absent). Throws RunError on failure.
   */
  compute?: (inputs: Record<string, Value>, params: Params, ctx: ComputeContext) => Record<string, Value>;
  /**
   * Semantics of a kind that calls the model (LLM; Parse, whose repair call asks the model to reformat):
   * what the evaluator runs. A kind with both keeps in `compute` the part the planner may run (Parse's
   * reading without the repair). Kinds with neither are interpreted (see `role`, `container`).
   */
  evaluate?: (
    inputs: Record<string, Value>,
    params: Params,
    ctx: EvalContext,
  ) => Promise<Record<string, Value>>;
  /**
   * Planner: bounds on the outputs when the planner cannot compute them (an input is a model's answer,
   * or the kind calls the model). Unknown (Infinity) when absent.
   */
  bound?: (inputs: Record<string, Planned>, params: Params, ctx: PlanContext) => Record<string, Bound>;
  /**
   * Planner, for kinds that call the model on a piece of the input: what one call spends of the window
   * besides the piece (template and system prompt, the question if it is used, the answer), and whether it
   * reads a piece (`{{chunk}}`). The leaf window K is what the largest of these leaves for the piece.
   */
  leafShape?: (
    params: Params,
    tokenizer: Tokenizer,
  ) => { fixedTokens: number; usesQuery: boolean; answerTokens: number; readsPiece: boolean };
  /** Planner: the model calls one evaluation may make (LLM: one; Parse: its repair call). */
  calls?: (inputs: Record<string, Planned>, params: Params, ctx: PlanContext) => PlannedCall[];
  /**
   * Whether the list on this kind's (only) list output may be empty, given whether its inputs' lists may
   * be: `mayBeEmpty(port)`. Absent: it may.
   */
  mayBeEmpty?: (params: Params, inputMayBeEmpty: (port: string) => boolean) => boolean;
  /**
   * Termination: an output that is made of pieces of an input. `shrinks` says why the pieces are not
   * strictly smaller with these params (null when they are): a Fix may recurse only on such pieces.
   */
  pieces?: { output: string; input: string; shrinks: (params: Params) => string | null };
  /**
   * For kinds that combine a list: whether an item repeated (a fact in the overlap of two pieces) is
   * tolerated (`best`, `union`: still one answer) or counted twice (`merge-counts`, `sum`, Concat). Splits
   * choose their automatic overlap and cuts from it, and the checker refuses overlap before a kind that
   * counts.
   */
  duplicates?: (params: Params) => 'tolerated' | 'counted' | undefined;
  /**
   * Params the kind resolves from the plan around it when they are left automatic (a Split's overlap and
   * where it cuts): the evaluator and the planner use these, the document keeps the user's choice.
   */
  derive?: (node: PlanNode, plan: Plan, kinds: Catalog) => Params;
  /** Outputs made of (parts of) an input, passed along on the way from a Split to a Self (Filter, Peek). */
  passes?: readonly { output: string; input: string }[];
  /** How the node reads as a λ-term (the default: its kind, lower-case, and its arguments). */
  term?: (node: PlanNode, ctx: TermContext) => string;
}
