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
