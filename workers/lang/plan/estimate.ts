/** What the planner predicts before any model call (DESIGN §3.4); shown in the plan preview. */
export interface PlanEstimate {
  /** Input size in tokens (through the tokenizer named below). */
  n: number;
  /** Usable leaf window in tokens: context window minus template, query and output reserve. */
  K: number;
  kRule: 'flat' | 'sqrt' | 'binary';
  kStar: number;
  tauStar: number;
  depth: number;
  /** Leaf calls (k*)^d, and the other neural calls the plan makes. */
  leafCalls: number;
  filterCalls: number;
  combineCalls: number;
  /** Upper bound of all model calls: a run never makes more. */
  totalCalls: number;
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
  /** Plain-words notes: why this k, why the target cannot be met, budgets crossed. */
  notes: string[];
}
