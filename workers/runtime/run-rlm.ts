/**
 * An RLM run as the worker and the CLI start it: `runRlm` of workers/rlm with the same guarantees as a plan
 * run (run-plan.ts): the API key never leaves it, whatever the model writes into its code, prints, or
 * echoes (docs/models.md, "The API key"), and with a price the run is costed as a plan run is: the price in
 * `rlm.start`, the cost of every answered call added up.
 */
import { costOf, type ModelPrice, type TraceEvent } from '../lang/index.ts';
import { type RlmOptions, type RlmOutcome, runRlm as runRlmUnredacted } from '../rlm/index.ts';
import { createRedactor } from './redact-events.ts';
import type { RunCost } from './run-plan.ts';

export interface RunRlmRequest extends RlmOptions {
  /** Strings that must never leave the run (the API key): `[redacted]` in every event and in the outcome. */
  secrets?: readonly (string | undefined)[];
  /** The model's price, when the user gave one: the run is costed at it (recorded in `rlm.start`). */
  price?: ModelPrice | null;
}

export interface RunRlmOutcome extends RlmOutcome {
  /** Absent when the model has no price (which is not a cost of zero). */
  cost?: RunCost;
}

export async function runRlm(request: RunRlmRequest): Promise<RunRlmOutcome> {
  const { secrets, onEvent, price: given, ...options } = request;
  const redactor = createRedactor(secrets ?? []);
  const price = given ?? undefined;
  const cost = price && { amount: 0, currency: price.currency };
  const priced = (event: TraceEvent): TraceEvent => {
    if (price && event.type === 'rlm.start') return { ...event, price };
    if (cost && event.type === 'leaf.done') cost.amount += costOf(price, event);
    return event;
  };
  const outcome = await runRlmUnredacted({
    ...options,
    onEvent: (event) => {
      const out = priced(event);
      onEvent?.(redactor.event(out));
    },
  });
  return redactor.value({ ...outcome, ...(cost && { cost }) });
}
