/**
 * An RLM run as the worker and the CLI start it: `runRlm` of workers/rlm with the same guarantee as a plan
 * run (run-plan.ts): the API key never leaves it, whatever the model writes into its code, prints, or
 * echoes (docs/models.md, "The API key").
 */
import { type RlmOptions, type RlmOutcome, runRlm as runRlmUnredacted } from '../rlm/index.ts';
import { createRedactor } from './redact-events.ts';

export interface RunRlmRequest extends RlmOptions {
  /** Strings that must never leave the run (the API key): `[redacted]` in every event and in the outcome. */
  secrets?: readonly (string | undefined)[];
}

export async function runRlm(request: RunRlmRequest): Promise<RlmOutcome> {
  const { secrets, onEvent, ...options } = request;
  const redactor = createRedactor(secrets ?? []);
  const outcome = await runRlmUnredacted({
    ...options,
    ...(onEvent && { onEvent: (event) => onEvent(redactor.event(event)) }),
  });
  return redactor.value(outcome);
}
