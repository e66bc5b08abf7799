/**
 * One timed run of a plan through the real evaluator (planner, scheduler, trace and all), as the app and
 * the CLI run it, with the time spent inside the model told apart from the time spent around it.
 */

import type { Plan } from '../workers/lang/format/plan.ts';
import type { PlanEstimate } from '../workers/lang/plan/estimate.ts';
import { estimate } from '../workers/lang/plan/planner.ts';
import { evaluate, type RunOutcome } from '../workers/lang/run/evaluator.ts';
import type { LeafModel } from '../workers/lang/run/provider.ts';

export interface TimedRun {
  /** From planning to `run.done`, in ms. */
  wallMs: number;
  outcome: RunOutcome;
  estimate: PlanEstimate;
  /** Events in the run log. */
  events: number;
  /** Sum of the durations of the model's `complete` calls, in ms (they overlap when concurrent). */
  modelMs: number;
  /** Model calls made (answered or failed). */
  modelCalls: number;
  /** Most model calls ever in flight at once. */
  peakInFlight: number;
  /** Share of the input that some model call's prompt held (by the spans of the calls that asked the model). */
  read: number;
}

export interface TimedRunOptions {
  input: string;
  query: string;
  model: LeafModel;
  /** Leaf calls in flight at once (the scheduler's limit); the model's own when absent. */
  concurrency?: number;
}

export async function timedRun(plan: Plan, options: TimedRunOptions): Promise<TimedRun> {
  const timing = { ms: 0, calls: 0, now: 0, peak: 0 };
  const model = timed(options.model, timing);
  let events = 0;
  const spans = new Map<string, readonly [number, number]>();
  const asked = new Set<string>();
  const t0 = performance.now();
  const e = estimate(plan, {
    inputText: options.input,
    contextWindow: model.capabilities.contextWindow,
    query: options.query,
  });
  const outcome = await evaluate(plan, {
    input: options.input,
    query: options.query,
    model,
    estimate: e,
    cache: null,
    ...(options.concurrency !== undefined ? { scheduler: { concurrency: options.concurrency } } : {}),
    onEvent: (event) => {
      events++;
      if (event.type === 'call.start' && event.span) spans.set(event.callId, event.span);
      if (event.type === 'leaf.request') asked.add(event.callId);
    },
  });
  const wallMs = performance.now() - t0;
  return {
    wallMs,
    outcome,
    estimate: e,
    events,
    modelMs: timing.ms,
    modelCalls: timing.calls,
    peakInFlight: timing.peak,
    read: coveredShare(
      [...asked].flatMap((id) => (spans.has(id) ? [spans.get(id)!] : [])),
      options.input.length,
    ),
  };
}

/** The share of [0, length) the spans cover together. */
function coveredShare(spans: (readonly [number, number])[], length: number): number {
  if (length === 0) return 1;
  let covered = 0;
  let end = 0;
  for (const [from, to] of [...spans].sort((a, b) => a[0] - b[0])) {
    const start = Math.max(from, end);
    if (to > start) covered += to - start;
    end = Math.max(end, to);
  }
  return Math.min(1, covered / length);
}

/** The model, with the time spent in its calls added up and the calls in flight counted. */
function timed(model: LeafModel, into: { ms: number; calls: number; now: number; peak: number }): LeafModel {
  return {
    id: model.id,
    capabilities: model.capabilities,
    async complete(request, options) {
      const t = performance.now();
      into.calls++;
      into.now++;
      into.peak = Math.max(into.peak, into.now);
      try {
        return await model.complete(request, options);
      } finally {
        into.ms += performance.now() - t;
        into.now--;
      }
    },
  };
}
