/**
 * TEST HELPER. What every run log must satisfy, whatever the plan, input or model did (docs/evaluation.md):
 * returns the violations found (empty when the log is sound), so property tests can assert on them.
 */
import type { TraceEvent } from '../run/events.ts';

export function logViolations(events: readonly TraceEvent[]): string[] {
  const problems: string[] = [];
  const say = (m: string) => {
    if (problems.length < 20) problems.push(m);
  };
  if (events[0]?.type !== 'run.start' && events[0]?.type !== 'rlm.start')
    say('the log does not begin with run.start or rlm.start');
  if (events.at(-1)?.type !== 'run.done') say('the log does not end with run.done');
  const runId = events[0]?.runId;
  const open = new Map<string, { parentId: string | null; children: number }>();
  const ended = new Set<string>();
  let leafCalls = 0;
  let cached = 0;
  let calls = 0;
  events.forEach((e, i) => {
    if (e.seq !== i) say(`event ${i} has seq ${e.seq}`);
    if (e.runId !== runId) say(`event ${i} belongs to run ${e.runId}`);
    if (i > 0 && e.t < events[i - 1]!.t) say(`event ${i} goes back in time`);
    if (
      (e.type === 'run.start' || e.type === 'rlm.start' || e.type === 'run.done') &&
      i !== 0 &&
      i !== events.length - 1
    )
      say(`${e.type} in the middle of the log (event ${i})`);
    switch (e.type) {
      case 'call.start':
        calls++;
        if (open.has(e.callId) || ended.has(e.callId)) say(`call ${e.callId} started twice`);
        if (e.parentId !== null && !open.has(e.parentId))
          say(`call ${e.callId} starts under ${e.parentId}, not running`);
        if (e.span && !(e.span[0] >= 0 && e.span[0] <= e.span[1])) say(`call ${e.callId} has span ${e.span}`);
        open.set(e.callId, { parentId: e.parentId, children: 0 });
        if (e.parentId !== null) open.get(e.parentId)!.children++;
        break;
      case 'leaf.request':
        leafCalls++;
        if (!open.has(e.callId)) say(`leaf.request for call ${e.callId}, not running`);
        break;
      case 'filter.empty':
        if (!open.has(e.callId)) say(`filter.empty for call ${e.callId}, not running`);
        break;
      case 'leaf.delta':
      case 'leaf.done':
        if (!open.has(e.callId)) say(`${e.type} for call ${e.callId}, not running`);
        if (e.type === 'leaf.done' && e.cached) cached++;
        break;
      case 'call.done':
      case 'call.error': {
        const c = open.get(e.callId);
        if (!c) {
          say(`${e.type} for call ${e.callId}, not running`);
          break;
        }
        if (c.children > 0) say(`call ${e.callId} ended before ${c.children} of its children`);
        open.delete(e.callId);
        ended.add(e.callId);
        if (c.parentId !== null && open.has(c.parentId)) open.get(c.parentId)!.children--;
        break;
      }
      case 'run.done':
        if (e.totals.calls !== calls) say(`run.done counts ${e.totals.calls} calls, the log has ${calls}`);
        if (e.totals.leafCalls !== leafCalls)
          say(`run.done counts ${e.totals.leafCalls} leaf calls, the log has ${leafCalls}`);
        if (e.totals.cachedCalls !== cached)
          say(`run.done counts ${e.totals.cachedCalls} cached, the log has ${cached}`);
        if (e.ok && e.error) say('run.done is ok and has an error');
        if (!e.ok && !e.error) say('run.done failed without an error');
        break;
    }
  });
  if (open.size > 0) say(`${open.size} calls never ended: ${[...open.keys()].slice(0, 5).join(', ')}`);
  return problems;
}

/** The log without its clock: what must be identical between two runs of a deterministic model. */
export function timeless(events: readonly TraceEvent[]): unknown[] {
  return events.map((e) => {
    const {
      t: _t,
      runId: _r,
      startedAt: _s,
      ...rest
    } = e as TraceEvent & { ms?: number; totals?: { ms: number }; startedAt?: number };
    if ('ms' in rest) (rest as { ms?: number }).ms = 0;
    if ('totals' in rest && rest.totals) rest.totals = { ...rest.totals, ms: 0 };
    return rest;
  });
}
