/**
 * The sandbox RLM mode runs model-written JavaScript in (docs/rlm.md): what a cell may use, what it gives
 * back, the limits it runs under, and the typed errors that stop it. Two implementations share this
 * interface: QuickJS in this thread (`quickjs-sandbox.ts`: Node, the CLI, tests) and the same engine in a
 * Web Worker of its own (`worker-sandbox.ts`: the page).
 *
 * Inside, the code sees only what the prelude defines (`prelude.ts`): `context`, `query`, `llm_query`,
 * `llm_query_batched`, `print`, `FINAL`, `FINAL_VAR` and the language's own built-ins. No network, no DOM,
 * no modules, no host objects.
 */

import type { CellErrorKind } from '../lang/index.ts';

export interface SandboxLimits {
  /**
   * Milliseconds a cell may spend running code (QuickJS's interrupt handler checks it). Time spent waiting
   * for `llm_query` answers is not counted: those calls have their own deadlines and the run's budgets.
   */
  cellMs: number;
  /** QuickJS heap limit in bytes (the document itself counts against it). */
  memoryBytes: number;
  /**
   * QuickJS stack limit in bytes: bounds recursion depth (128 KiB is several hundred nested calls). It
   * must stay well under the host thread's own stack, which the engine's WebAssembly frames use too: at
   * 512 KiB deep recursion overflows the host's stack before QuickJS notices, so 256 KiB is the most
   * allowed.
   */
  stackBytes: number;
  /** Printed characters kept per cell; the rest is counted, not kept. */
  outputChars: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  cellMs: 10_000,
  memoryBytes: 256 * 1024 * 1024,
  stackBytes: 128 * 1024,
  outputChars: 8_000,
};

/** Clamps untrusted limits (from the page, the CLI) to sane ranges; missing ones take the defaults. */
export function sandboxLimits(given: Partial<SandboxLimits> | undefined): SandboxLimits {
  const pick = (v: unknown, fallback: number, min: number, max: number) => {
    const n = Number(v);
    return Number.isFinite(n) && v !== undefined && v !== null
      ? Math.min(max, Math.max(min, Math.floor(n)))
      : fallback;
  };
  const d = DEFAULT_SANDBOX_LIMITS;
  return {
    cellMs: pick(given?.cellMs, d.cellMs, 10, 600_000),
    memoryBytes: pick(given?.memoryBytes, d.memoryBytes, 4 * 1024 * 1024, 1024 * 1024 * 1024),
    stackBytes: pick(given?.stackBytes, d.stackBytes, 32 * 1024, 256 * 1024),
    outputChars: pick(given?.outputChars, d.outputChars, 100, 1_000_000),
  };
}

/**
 * Why a cell stopped without finishing (the kinds live with the run log, which records them):
 * - `Timeout`: it ran longer than `cellMs` (or the run was stopped while it ran);
 * - `OutOfMemory`: it went over `memoryBytes`;
 * - `StackOverflow`: recursion deeper than `stackBytes` allows;
 * - `SyntaxError`: the code does not parse;
 * - `NotAvailable`: it reached for what the sandbox does not have (fetch, require, process, import, the DOM);
 * - `Thrown`: the code threw and did not catch it (its own error, a TypeError, an `llm_query` error…);
 * - `Crashed`: the engine itself failed or had to be killed; the sandbox starts afresh, variables are lost.
 */
export type SandboxErrorKind = CellErrorKind;

export interface SandboxError {
  kind: SandboxErrorKind;
  /** What the code would see: the error's name and message, in one line or a few. */
  message: string;
}

/**
 * What `llm_query` may throw inside the sandbox (the code can catch each by `e.name`):
 * - `PromptTooLarge`: the prompt and its answer would not fit the model's window; nothing was sent;
 * - `LlmQueryFailed`: the model failed (after retries), or its answer was cut off;
 * - `BudgetExceeded` / `Aborted`: the run is stopping; the cell is stopped right after.
 */
export const LLM_QUERY_ERROR_KINDS = [
  'PromptTooLarge',
  'LlmQueryFailed',
  'BudgetExceeded',
  'Aborted',
] as const;
export type LlmQueryErrorKind = (typeof LLM_QUERY_ERROR_KINDS)[number];

export type LlmQueryAnswer =
  | { ok: true; text: string }
  | { ok: false; kind: LlmQueryErrorKind; message: string };

/** What the host does for a cell: answer `llm_query` calls (several at once for `llm_query_batched`). */
export interface CellHost {
  llmQuery(prompts: string[]): Promise<{ answers: LlmQueryAnswer[]; stop: boolean }>;
}

export interface CellOptions {
  /** Wall-clock time (Date.now()) past which the cell is stopped whatever its own limit (the run's). */
  stopAt?: number;
  /** The run's signal: aborting it stops the cell. */
  signal?: AbortSignal;
}

export interface CellResult {
  /** What the cell printed (and the value of its last expression), cut at `outputChars`. */
  output: string;
  /** Printed characters not kept. */
  droppedChars: number;
  error?: SandboxError;
  /** Set when the cell called FINAL or FINAL_VAR: the answer, as text. */
  final?: string;
  /** Milliseconds the cell spent running code (waits for llm_query excluded). */
  ms: number;
}

export interface Sandbox {
  /** Makes `context` and `query` available; call once before the first cell. */
  load(context: string, query: string): Promise<void>;
  run(code: string, host: CellHost, options?: CellOptions): Promise<CellResult>;
  /** The value of a global variable as FINAL would give it, for `FINAL_VAR(name)` written outside code. */
  readVariable(name: string): Promise<{ ok: true; value: string } | { ok: false; message: string }>;
  /** False once the engine crashed or was killed: make a new sandbox. */
  readonly alive: boolean;
  dispose(): void;
}

export type SandboxFactory = (limits: SandboxLimits) => Promise<Sandbox>;
