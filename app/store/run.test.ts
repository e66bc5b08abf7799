import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticLog } from '../../test/synthetic-log.ts';
import type { TraceEvent } from '../../workers/lang/index.ts';
import { applyEvents, emptyRun, runFromLog } from './run.ts';

describe('applyEvents', () => {
  it('builds the recursion tree with parents, children in start order, depth and spans', () => {
    const s = runFromLog(syntheticLog({ k: 3, depth: 2, inputChars: 900 }));
    expect(s.status).toBe('done');
    expect(s.roots).toHaveLength(1);
    const root = s.calls.get(s.roots[0]!)!;
    expect(root.depth).toBe(0);
    expect(root.span).toEqual([0, 900]);
    expect(root.children).toHaveLength(3);
    const kids = root.children.map((id) => s.calls.get(id)!);
    expect(kids.map((c) => c.span)).toEqual([
      [0, 300],
      [300, 600],
      [600, 900],
    ]);
    expect(kids.every((c) => c.children.length === 3 && c.depth === 1)).toBe(true);
    expect(s.counters.calls).toBe(13);
    expect(s.counters.leafCalls).toBe(9);
    expect(s.maxDepth).toBe(2);
    expect(s.order).toHaveLength(13);
    expect(s.anomalies).toEqual([]);
  });

  it('gives the same state whether the log arrives at once or in any batches', () => {
    const log = syntheticLog({
      k: 2,
      depth: 4,
      deltas: true,
      failLeaves: new Set([5]),
      cachedLeaves: new Set([1]),
    });
    const whole = runFromLog(log);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 40 }), (sizes) => {
        let s = emptyRun;
        let i = 0;
        let j = 0;
        while (i < log.length) {
          const n = sizes[j++ % sizes.length]!;
          s = applyEvents(s, log.slice(i, i + n));
          i += n;
        }
        expect(s.counters).toEqual(whole.counters);
        expect(s.byNode).toEqual(whole.byNode);
        expect([...s.calls.values()]).toEqual([...whole.calls.values()]);
        expect(s.status).toBe(whole.status);
      }),
      { numRuns: 30 },
    );
  });

  it('never mutates an earlier state', () => {
    const log = syntheticLog({ k: 2, depth: 3, deltas: true });
    const half = applyEvents(emptyRun, log.slice(0, 20));
    const snapshot = JSON.stringify([...half.calls.values()]);
    const countersBefore = { ...half.counters };
    applyEvents(half, log.slice(20));
    expect(JSON.stringify([...half.calls.values()])).toBe(snapshot);
    expect(half.counters).toEqual(countersBefore);
    expect(emptyRun.calls.size).toBe(0);
  });

  it('accumulates streamed text and replaces it with the final text', () => {
    const log = syntheticLog({ k: 2, depth: 1, deltas: true, leafText: (i) => `answer-${i}` });
    const firstDone = log.findIndex((e) => e.type === 'leaf.done');
    const before = runFromLog(log.slice(0, firstDone));
    const streaming = [...before.calls.values()].find((c) => c.leaf && c.output.length > 0);
    expect(streaming?.output).toMatch(/^answer-\d$/);
    const after = runFromLog(log);
    const leaves = [...after.calls.values()].filter((c) => c.leaf);
    expect(leaves.map((c) => c.output).sort()).toEqual(['answer-0', 'answer-1']);
  });

  it('counts tokens, cache hits, errors and per plan node counts', () => {
    const s = runFromLog(
      syntheticLog({ k: 4, depth: 1, failLeaves: new Set([2]), cachedLeaves: new Set([0, 1]) }),
    );
    expect(s.counters.errors).toBe(1);
    expect(s.counters.cachedCalls).toBe(2);
    expect(s.counters.running).toBe(0);
    expect(s.byNode.leaf).toEqual({ started: 4, running: 0, done: 3, cached: 2, errors: 1, cost: 0 });
    const failed = [...s.calls.values()].find((c) => c.status === 'error')!;
    expect(failed.error?.kind).toBe('LeafFailed');
    expect(failed.error?.message).toMatch(/500/);
    expect([...s.calls.values()].filter((c) => c.status === 'cached')).toHaveLength(2);
    expect(s.status).toBe('failed');
    expect(s.counters.promptTokens).toBe(s.totals?.promptTokens);
  });

  it('marks a run aborted and keeps running calls running', () => {
    const log = syntheticLog({ k: 3, depth: 1 });
    const cut = log.findIndex((e) => e.type === 'leaf.done');
    const partial = log.slice(0, cut);
    const last = partial[partial.length - 1]!;
    const aborted: TraceEvent = {
      runId: last.runId,
      seq: last.seq + 1,
      t: last.t + 5,
      type: 'run.done',
      ok: false,
      error: { kind: 'Aborted', message: 'stopped by the user' },
      totals: { calls: 4, leafCalls: 3, cachedCalls: 0, promptTokens: 0, completionTokens: 0, ms: 10 },
    };
    const s = runFromLog([...partial, aborted]);
    expect(s.status).toBe('aborted');
    expect(s.error?.message).toBe('stopped by the user');
    expect(s.counters.running).toBeGreaterThan(0);
    // A call stopped by the abort is marked aborted, not failed.
    const leaf = [...s.calls.values()].find((c) => c.leaf && c.status === 'running')!;
    const stopped: TraceEvent = {
      runId: last.runId,
      seq: last.seq + 2,
      t: last.t + 6,
      type: 'call.error',
      callId: leaf.id,
      error: { kind: 'Aborted', message: 'stopped' },
    };
    const s2 = applyEvents(s, [stopped]);
    expect(s2.calls.get(leaf.id)?.status).toBe('aborted');
    expect(s2.counters.errors).toBe(0);
    expect(s2.counters.aborted).toBe(1);
  });

  it('reports events it cannot place instead of dropping them silently', () => {
    const log = syntheticLog({ k: 2, depth: 1 });
    const stray: TraceEvent = {
      runId: log[0]!.runId,
      seq: 999,
      t: 1,
      type: 'leaf.delta',
      callId: 'nope',
      text: 'x',
    };
    const other: TraceEvent = { ...stray, runId: 'other-run', seq: 1000 };
    const s = runFromLog([...log, stray, other]);
    expect(s.anomalies.some((a) => a.includes('unknown call nope'))).toBe(true);
    expect(s.anomalies.some((a) => a.includes('other-run'))).toBe(true);
  });

  it('folds a 10,000-leaf log', () => {
    const s = runFromLog(syntheticLog({ k: 100, depth: 2, inputChars: 4_000_000 }));
    expect(s.counters.leafCalls).toBe(10_000);
    expect(s.counters.calls).toBe(10_101);
    expect(s.hasResult).toBe(true);
  });
});
