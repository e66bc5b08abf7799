/**
 * Run errors are values with kinds, never strings merged into an answer (docs/language.md, "Run errors").
 */
export const RUN_ERROR_KINDS = [
  'LeafFailed',
  'ParseFailed',
  'BudgetExceeded',
  'Aborted',
  'ProviderUnavailable',
  /** A prompt and its answer would not fit the model's window: refused before it was sent, or by the server. */
  'PromptTooLarge',
  /** A Filter kept nothing and its policy says that is an error. */
  'FilterEmpty',
] as const;
export type RunErrorKind = (typeof RUN_ERROR_KINDS)[number];

/**
 * Why a leaf call failed, when the scheduler or the provider knows (docs/evaluation.md, "Bounds"): a typed
 * reason beside the words, so a program (the CLI's `--json`, the tests) need not read the message.
 * - `timeout`: no whole answer within the attempt's deadline or the leaf's (a silent, trickling or
 *   endless server);
 * - `rate-limited`: the server asked to wait longer than the Retry-After cap;
 * - `empty-reply`, `cut-reply`, `oversize-reply`: the answer was empty, ended before its finish reason,
 *   or was longer than its max tokens allow (never taken as an answer);
 * - `connection-reset`: the server accepted the connection and dropped it.
 */
export type LeafFailureReason =
  | 'timeout'
  | 'rate-limited'
  | 'empty-reply'
  | 'cut-reply'
  | 'oversize-reply'
  | 'connection-reset';

export class RunError extends Error {
  constructor(
    readonly kind: RunErrorKind,
    message: string,
    /** The plan node where it happened, when known. */
    readonly nodeId?: string,
    /** The call in the trace where it happened, when known. */
    readonly callId?: string,
    /** For a failed leaf call, why, when known. */
    readonly reason?: LeafFailureReason,
  ) {
    super(message);
    this.name = 'RunError';
  }
}

export function isRunError(e: unknown): e is RunError {
  return e instanceof RunError;
}
