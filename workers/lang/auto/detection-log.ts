/**
 * Carrying the detection call into the run that follows it, so that run's log is the whole story: its
 * `run.start` (with N̂ counting the detection), then the detection call, then the plan's own calls, and
 * `run.done` with totals that include it. The run is taken to start when the detection started: the
 * plan's events are shifted by the detection's time.
 */
import type { PlanEstimate } from '../plan/estimate.ts';
import type { RunTotals } from '../run/evaluator.ts';
import type { TraceEvent } from '../run/events.ts';
import type { DetectionRecord } from './detect.ts';

/** The estimate with the detection call as one more part of N̂ (and its tokens in the totals). */
export function withDetectCall(
  estimate: PlanEstimate,
  detection: Pick<DetectionRecord, 'promptTokens' | 'completionTokens'>,
): PlanEstimate {
  return {
    ...estimate,
    detectCalls: 1,
    totalCalls: estimate.totalCalls + 1,
    promptTokens: estimate.promptTokens + detection.promptTokens,
    completionTokens: estimate.completionTokens + detection.completionTokens,
    ...(estimate.expected && {
      expected: {
        calls: estimate.expected.calls + 1,
        promptTokens: estimate.expected.promptTokens + detection.promptTokens,
        completionTokens: estimate.expected.completionTokens + detection.completionTokens,
      },
    }),
  };
}

/** The totals with the detection call added (the wall time counts from the detection's start). */
export function withDetectTotals<T extends RunTotals>(totals: T, detection: DetectionRecord): T {
  return {
    ...totals,
    calls: totals.calls + 1,
    leafCalls: totals.leafCalls + 1,
    cachedCalls: totals.cachedCalls + (detection.cached ? 1 : 0),
    promptTokens: totals.promptTokens + detection.promptTokens,
    completionTokens: totals.completionTokens + detection.completionTokens,
    ms: Math.round((totals.ms + detection.ms) * 1000) / 1000,
  };
}

/**
 * A sink for the plan run's events that writes the detection into them: after `run.start`, the detection
 * call's events; every later event renumbered and shifted in time; `run.done` with the detection counted.
 */
export function carryDetection(
  detection: DetectionRecord,
  sink: (event: TraceEvent) => void,
): (event: TraceEvent) => void {
  const n = detection.events.length;
  const shift = detection.ms;
  const later = (t: number) => Math.round((t + shift) * 1000) / 1000;
  return (event) => {
    if (event.type === 'run.start') {
      sink({
        ...event,
        t: 0,
        startedAt: detection.startedAt,
        estimate: withDetectCall(event.estimate, detection),
      });
      detection.events.forEach((e, i) => {
        sink({ ...e, runId: event.runId, seq: event.seq + 1 + i });
      });
      return;
    }
    const moved = { ...event, seq: event.seq + n, t: later(event.t) } as TraceEvent;
    if (moved.type === 'run.done') sink({ ...moved, totals: withDetectTotals(moved.totals, detection) });
    else sink(moved);
  };
}
