/**
 * TEST HELPER. Runs an example plan on a sample against the scripted test model (given the sample's
 * ground truth out of band) and reports what the properties of the examples check: the score of the
 * answer, the calls made against the planner's N̂, and every prompt against the model's window as the
 * model itself counts it.
 */

import { scriptedPromptTokens } from '../../../test/scripted-server/tokenizer.ts';
import type { Plan } from '../format/plan.ts';
import { evaluate, type RunOutcome } from '../run/evaluator.ts';
import type { TraceEvent } from '../run/events.ts';
import type { Sample, SampleGenerator } from '../samples/index.ts';
import type { Example } from './examples.ts';
import { createScriptedModel, type ScriptedModel, type ScriptedModelOptions } from './scripted-model.ts';

export interface ExampleRun {
  outcome: RunOutcome;
  events: TraceEvent[];
  model: ScriptedModel;
  sample: Sample;
  score: number;
  /** The planner's call bound N̂ for this run. */
  predictedCalls: number;
  /** Requests whose prompt and answer would not fit the window (by the model's own count). */
  oversize: { prompt: number; maxTokens: number }[];
}

export interface RunSettings extends Omit<ScriptedModelOptions, 'truth'> {
  /** The plan to run instead of the example's (a variant of it). */
  plan?: Plan;
  /** Run this sample instead of generating one. */
  sample?: Sample;
}

export async function runExample(
  ex: { plan: Plan; generator: SampleGenerator } | Example,
  sample: Sample,
  settings: RunSettings = {},
): Promise<ExampleRun> {
  const { plan = ex.plan, ...modelOptions } = settings;
  const contextWindow = modelOptions.contextWindow ?? 4096;
  const model = createScriptedModel({ ...modelOptions, contextWindow, truth: sample.truth });
  const events: TraceEvent[] = [];
  const outcome = await evaluate(plan, {
    input: sample.text,
    query: sample.query,
    model,
    onEvent: (e) => events.push(e),
  });
  const start = events.find((e): e is Extract<TraceEvent, { type: 'run.start' }> => e.type === 'run.start');
  const oversize = model.requests
    .map((r) => ({ prompt: scriptedPromptTokens(r.messages), maxTokens: r.maxTokens }))
    .filter((r) => r.prompt + r.maxTokens > contextWindow);
  return {
    outcome,
    events,
    model,
    sample,
    score: outcome.ok ? ex.generator.score(outcome.result, sample.expected) : 0,
    predictedCalls: start?.estimate.totalCalls ?? Number.NaN,
    oversize,
  };
}

/** A short account of a run that went wrong, for a failing assertion's message. */
export function explain(run: ExampleRun): string {
  const bases = run.model.bases.join(',');
  return `query ${JSON.stringify(run.sample.query)}; result ${JSON.stringify(run.outcome.result)}; expected ${JSON.stringify(run.sample.expected)}; error ${run.outcome.error ? `${run.outcome.error.kind}: ${run.outcome.error.message}` : 'none'}; calls ${run.outcome.totals.leafCalls}/${run.predictedCalls}; replies ${bases}`;
}
