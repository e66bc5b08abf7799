/**
 * Run errors are values with kinds (DESIGN §3.5), never strings merged into an answer.
 */
export type RunErrorKind =
  | 'LeafFailed'
  | 'ParseFailed'
  | 'BudgetExceeded'
  | 'Aborted'
  | 'ProviderUnavailable'
  /** A prompt and its answer would not fit the model's window: refused before it was sent. */
  | 'PromptTooLarge';

export class RunError extends Error {
  constructor(
    readonly kind: RunErrorKind,
    message: string,
    /** The plan node where it happened, when known. */
    readonly nodeId?: string,
    /** The call in the trace where it happened, when known. */
    readonly callId?: string,
  ) {
    super(message);
    this.name = 'RunError';
  }
}

export function isRunError(e: unknown): e is RunError {
  return e instanceof RunError;
}
