/** Number and duration formats shared by the run views (one style everywhere: 1,234 · 3.2 s · 45 ms). */
import type { CellErrorKind, ModelPrice, RunErrorKind } from '../../workers/lang/index.ts';
import { formatCost } from '../../workers/lang/index.ts';

export const int = (n: number): string => Math.round(n).toLocaleString('en');

export function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Money at the run's price; "no price" when it had none (never a cost of zero). */
export function money(amount: number, price: ModelPrice | null): string {
  return price ? formatCost(amount, price.currency) : 'no price';
}

export function chars(n: number): string {
  if (n < 10_000) return `${int(n)} ch`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 100_000 ? 1 : 0)}k ch`;
  return `${(n / 1_000_000).toFixed(1)}M ch`;
}

/**
 * An error in one sentence or two: what the kind means, then what happened — without saying it twice (an
 * abort used to read "Aborted. Stopped before it finished. The run was aborted.").
 */
export function errorSentence(kind: RunErrorKind, message: string): string {
  const said = message.trim().replace(/\.?$/, '.');
  if (kind === 'Aborted') {
    if (/^the run was aborted\.?$/i.test(message.trim())) return 'You stopped the run before it finished.';
    if (/^stopped\b/i.test(said)) return `${said.charAt(0).toUpperCase()}${said.slice(1)}`;
    return `Stopped before it finished: ${said.charAt(0).toLowerCase()}${said.slice(1)}`;
  }
  return said.length > 1
    ? `${errorInWords[kind]} ${said.charAt(0).toUpperCase()}${said.slice(1)}`
    : errorInWords[kind];
}
/** What stopped an RLM code cell, in words, before the sandbox's message. */
export const cellErrorInWords: Record<CellErrorKind, string> = {
  Timeout: 'The code ran past its time limit and was stopped.',
  OutOfMemory: "The code went over the sandbox's memory and was stopped.",
  StackOverflow: 'The code recursed too deeply and was stopped.',
  SyntaxError: 'The code does not parse.',
  NotAvailable:
    'The code reached for something the sandbox does not have (network, DOM, modules, host objects).',
  Thrown: 'The code threw an error it did not catch.',
  Crashed: 'The sandbox itself failed and was started afresh.',
};

/** What each error kind means to a user, before the message itself. */
export const errorInWords: Record<RunErrorKind, string> = {
  LeafFailed: 'The model call failed (after its retries).',
  ParseFailed: 'The model answered, but its answer did not parse into the type the plan expects.',
  BudgetExceeded:
    'A budget (calls, tokens, time or money; in RLM mode also root calls and code cells) was reached, so the run stopped.',
  Aborted: 'Stopped before it finished.',
  ProviderUnavailable: 'The model provider could not be used at all (not loaded, unreachable, or refused).',
  PromptTooLarge: "A prompt and its answer would not fit the model's window, so it was not sent.",
  FilterEmpty: 'A Filter kept none of its pieces, and its policy says that is an error.',
};

/**
 * What a call's outcome says beyond its status: an absent value ("no answer here") or a Filter that kept
 * nothing ("kept 0 of 14"), for the tree and the inspector. Null when there is nothing to add.
 */
export function callOutcomeNote(c: {
  absent: boolean;
  keptNoneOf: { of: number; policy: string } | null;
}): string | null {
  if (c.keptNoneOf) {
    const then =
      c.keptNoneOf.policy === 'all'
        ? 'passed all on'
        : c.keptNoneOf.policy === 'error'
          ? 'stopped the run'
          : 'kept none';
    return `kept 0 of ${int(c.keptNoneOf.of)} (${then})`;
  }
  return c.absent ? 'absent: no answer here' : null;
}
