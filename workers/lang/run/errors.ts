/**
 * Run errors are values with kinds (DESIGN §3.5), never strings merged into an answer.
 */
export type RunErrorKind =
  | 'LeafFailed'
  | 'ParseFailed'
  | 'BudgetExceeded'
  | 'Aborted'
  | 'ProviderUnavailable';

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
