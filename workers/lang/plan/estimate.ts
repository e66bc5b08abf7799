import type { Diagnostic } from '../check/diagnostics.ts';
import type { SplitSizing } from '../nodes/node-spec.ts';

/** What the planner predicts before any model call; shown in the plan preview. */
export interface PlanEstimate {
  /** Input size in tokens (through the tokenizer named below). */
  n: number;
  /** Usable leaf window in tokens: context window minus template, query and output reserve. */
  K: number;
  kRule: 'flat' | 'sqrt' | 'binary';
  /** Pieces the first Split made of the input (when the planner had it), else k* of the k rule. */
  kStar: number;
  /** The leaf bound: no piece a leaf reads is larger, and a Fix runs its base case only on P ≤ τ*. */
  tauStar: number;
  /** Recursion depth: the deepest the plan goes on this input (when the planner had it), else ⌈log_k*(n/τ*)⌉. */
  depth: number;
  /** What the evaluator sizes Splits and Fix recursion by (k* of the k rule, τ*, K). */
  sizing?: SplitSizing;
  /** N̂ by parts: leaf calls, filter calls (model calls in Filter bodies), combine calls (model calls in
   * Reduce bodies and Fix steps), repair calls (a Parse asking the model to reformat its answer). */
  leafCalls: number;
  filterCalls: number;
  combineCalls: number;
  repairCalls?: number;
  /** The task-detection call made before the plan was chosen (a run started from a question), when there was one. */
  detectCalls?: number;
  /** Upper bound of all model calls: a run never makes more (retries are outside it). */
  totalCalls: number;
  /**
   * What the run is expected to use: the calls and tokens of the dry run on this input, where the planner
   * knows the prompts, and the bounds where it does not (a repair call is not expected).
   */
  expected?: { calls: number; promptTokens: number; completionTokens: number };
  /**
   * Model calls that could exceed the window: the planner refuses to run the plan, with the node, the
   * sizes and the fix (diagnostics with code `leaf-window`). Absent or empty: none.
   */
  refusals?: Diagnostic[];
  /**
   * False when some list's length cannot be bounded before the run (then totalCalls counts only what can
   * be, and a note says which node). Absent means true.
   */
  bounded?: boolean;
  promptTokens: number;
  completionTokens: number;
  /** (A(τ*)·A_⊕)^d, the per-path bound the planner holds to α. */
  accuracyBound: number;
  alpha: number;
  meetsTarget: boolean;
  tokenizer: string;
  /** Plain-words notes: why this k, why the target cannot be met, budgets crossed, what the bound assumes. */
  notes: string[];
}
