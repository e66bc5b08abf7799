/**
 * Test double: writes a run log of a k-ary recursion without running anything, so the trace views, the
 * reducer, replay and the benchmark can be exercised at any size (10,000 calls and more). Deterministic for
 * given options. Used by unit tests, e2e (as an imported `.jsonl`) and `bench/trace.ts`; never by the app.
 */

import { type Plan, planSchema } from '../workers/lang/format/plan.ts';
import type { PlanEstimate } from '../workers/lang/plan/estimate.ts';
import type { TraceEvent } from '../workers/lang/run/events.ts';

export interface SyntheticLogOptions {
  runId?: string;
  /** Branching factor at every inner call. */
  k: number;
  /** Depth of the leaves (root is depth 0). */
  depth: number;
  inputChars?: number;
  /** Leaf answer text; by default a short count. `i` is the leaf's index. */
  leafText?: (i: number) => string;
  /** Leaves that fail (by index). */
  failLeaves?: ReadonlySet<number>;
  /** Leaves served from the cache (by index). */
  cachedLeaves?: ReadonlySet<number>;
  /** Leaf calls in flight at once, to make the timeline show lanes. */
  concurrency?: number;
  /** Emit deltas for each leaf. */
  deltas?: boolean;
  /** Multiplies every leaf's latency (a slower run to replay). */
  slowdown?: number;
  /** Stop after this many events without run.done (a run still going). */
  truncateAt?: number;
}

export function syntheticPlan(): Plan {
  return planSchema.parse({
    format: 'fixpoint/plan',
    version: 2,
    name: 'Synthetic recursion',
    nodes: [
      { id: 'in', kind: 'Input' },
      { id: 'fix', kind: 'Fix' },
      { id: 'leaf', kind: 'LLM', parent: 'fix', slot: 'base', params: { template: 'Count in {{chunk}}' } },
      { id: 'out', kind: 'Output' },
    ],
    wires: [],
  });
}

export function syntheticEstimate(k: number, depth: number, inputChars: number): PlanEstimate {
  const leaves = k ** depth;
  return {
    n: Math.ceil(inputChars / 4),
    K: Math.ceil(inputChars / 4 / leaves),
    kRule: 'flat',
    kStar: k,
    tauStar: Math.ceil(inputChars / 4 / leaves),
    depth,
    leafCalls: leaves,
    filterCalls: 0,
    combineCalls: 0,
    totalCalls: leaves,
    promptTokens: Math.ceil(inputChars / 4) + leaves * 40,
    completionTokens: leaves * 8,
    accuracyBound: 0.95 ** depth,
    alpha: 0.8,
    meetsTarget: true,
    tokenizer: 'estimate (4 chars/token)',
    notes: [],
  };
}

export function syntheticLog(o: SyntheticLogOptions): TraceEvent[] {
  const runId = o.runId ?? 'run-synthetic';
  const inputChars = o.inputChars ?? 4000 * o.k ** o.depth;
  const conc = Math.max(1, o.concurrency ?? 4);
  const events: TraceEvent[] = [];
  let seq = 0;
  const push = (e: Record<string, unknown>) => {
    events.push({ runId, seq: seq++, ...e } as TraceEvent);
  };
  push({
    type: 'run.start',
    t: 0,
    plan: syntheticPlan(),
    estimate: syntheticEstimate(o.k, o.depth, inputChars),
    inputChars,
    query: 'How many widgets?',
    model: 'scripted/test',
  });
  let leafIndex = 0;
  let callCount = 0;
  const lanes = new Array<number>(conc).fill(1);
  let total = 0;
  let errors = 0;
  let cached = 0;
  let prompt = 0;
  let completion = 0;

  // Depth-first: the evaluator starts children in order and awaits them; good enough for a picture.
  const visit = (
    parentId: string | null,
    depth: number,
    from: number,
    to: number,
  ): { value: number; t: number } => {
    const callId = `c${callCount++}`;
    const lane = leafIndex % conc;
    const t0 = depth === o.depth ? lanes[lane]! : Math.min(...lanes);
    push({
      type: 'call.start',
      t: t0,
      callId,
      parentId,
      depth,
      nodeId: depth === o.depth ? 'leaf' : 'fix',
      span: [from, to],
      label: depth === o.depth ? `leaf ${leafIndex}` : `split ${from}–${to}`,
    });
    if (depth === o.depth) {
      const i = leafIndex++;
      const isCached = o.cachedLeaves?.has(i) ?? false;
      const ms = isCached ? 0 : (20 + ((i * 37) % 50) + (i % 97 === 0 ? 200 : 0)) * (o.slowdown ?? 1);
      push({
        type: 'leaf.request',
        t: t0,
        callId,
        messages: [
          { role: 'system', content: 'Answer with a number.' },
          { role: 'user', content: `Count widgets in chars ${from}–${to}.` },
        ],
        cacheKey: `key-${i}`,
      });
      const text = o.leafText ? o.leafText(i) : String(i % 7);
      if (o.deltas && !isCached) {
        push({ type: 'leaf.delta', t: t0 + ms / 2, callId, text: text.slice(0, Math.ceil(text.length / 2)) });
        push({ type: 'leaf.delta', t: t0 + ms, callId, text: text.slice(Math.ceil(text.length / 2)) });
      }
      const t1 = t0 + ms;
      lanes[lane] = t1 + 1;
      if (o.failLeaves?.has(i)) {
        push({
          type: 'call.error',
          t: t1,
          callId,
          error: { kind: 'LeafFailed', message: `the model server answered 500 three times for leaf ${i}` },
        });
        errors++;
        return { value: 0, t: t1 };
      }
      const pt = 40 + Math.ceil((to - from) / 4);
      push({
        type: 'leaf.done',
        t: t1,
        callId,
        text,
        promptTokens: isCached ? 0 : pt,
        completionTokens: isCached ? 0 : 2,
        ms,
        cached: isCached,
        retries: i % 50 === 3 ? 1 : 0,
        finishReason: 'stop',
      });
      if (isCached) cached++;
      else {
        prompt += pt;
        completion += 2;
      }
      total++;
      const value = Number.parseInt(text, 10) || 0;
      push({ type: 'call.done', t: t1, callId, summary: String(value), value });
      return { value, t: t1 };
    }
    let sum = 0;
    let tEnd = t0;
    const step = (to - from) / o.k;
    for (let j = 0; j < o.k; j++) {
      const r = visit(callId, depth + 1, Math.round(from + j * step), Math.round(from + (j + 1) * step));
      sum += r.value;
      tEnd = Math.max(tEnd, r.t);
    }
    push({ type: 'call.done', t: tEnd, callId, summary: String(sum), value: sum });
    return { value: sum, t: tEnd };
  };
  const root = visit(null, 0, 0, inputChars);
  push({
    type: 'run.done',
    t: root.t + 1,
    ok: errors === 0,
    ...(errors === 0
      ? { result: root.value }
      : { error: { kind: 'LeafFailed', message: `${errors} leaf calls failed` } }),
    totals: {
      calls: callCount,
      leafCalls: total + errors,
      cachedCalls: cached,
      promptTokens: prompt,
      completionTokens: completion,
      ms: root.t + 1,
    },
  });
  // Events of concurrent leaves interleave in time; a real log is in seq order with t non-decreasing.
  const sorted = events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.t - b.e.t || a.i - b.i)
    .map(({ e }, i) => ({ ...e, seq: i }));
  return o.truncateAt === undefined ? sorted : sorted.slice(0, o.truncateAt);
}
