/**
 * An RLM run's log in the page's reducer: the tree (iterations → cells → llm_query sub-calls), code and
 * printed output on the cells, a failed cell as an error call, and the same state from a replayed `.jsonl`.
 */
import { describe, expect, it } from 'vitest';
import {
  type GroundTruth,
  parseTrace,
  sampleGenerators,
  serializeTrace,
  type TraceEvent,
} from '../../workers/lang/index.ts';
import { createScriptedModel } from '../../workers/lang/testing/scripted-model.ts';
import { runRlm } from '../../workers/rlm/index.ts';
import { applyEvents, emptyRun, runFromLog } from './run.ts';

async function logOf(query: string, input: string, truth: GroundTruth | GroundTruth[], limits = {}) {
  const events: TraceEvent[] = [];
  await runRlm({
    input,
    query,
    model: createScriptedModel({ contextWindow: 4096, streamChunk: 7, truth }),
    deltaIntervalMs: 0,
    budgets: { maxIterations: 3 },
    limits,
    onEvent: (e) => events.push(e),
  });
  return events;
}

describe('an RLM run in the run view', () => {
  it('builds the tree: iterations at the root, cells under them, sub-calls under their cell', async () => {
    const sample = sampleGenerators.sniah!.generate({ tokens: 8000, seed: 5 });
    const events = await logOf(sample.query as string, sample.text, sample.truth);
    const state = runFromLog(events);
    expect(state.mode).toBe('rlm');
    expect(state.status).toBe('done');
    expect(state.result).toBe(sample.expected);
    expect(state.plan).toBeNull();
    expect(state.anomalies).toEqual([]);
    const label = (id: string) => state.calls.get(id)!.label;
    expect(state.roots.map(label)).toEqual(['iteration 1', 'iteration 2']);
    const first = state.calls.get(state.roots[0]!)!;
    expect(first.leaf).toBe(true);
    expect(first.messages?.[0]?.role).toBe('system');
    const cell = state.calls.get(first.children[0]!)!;
    expect(cell.cell?.code).toContain('llm_query_batched');
    expect(cell.cell?.output).toContain('answers found');
    expect(cell.children.length).toBeGreaterThan(1);
    for (const id of cell.children) {
      const sub = state.calls.get(id)!;
      expect(sub.nodeId).toBe('rlm.llm_query');
      expect(sub.leaf).toBe(true);
      expect(sub.status).toBe('done');
    }
    const last = state.calls.get(state.calls.get(state.roots[1]!)!.children[0]!)!;
    expect(last.cell?.final).toBe(sample.expected);
    expect(state.maxDepth).toBe(2);
    expect(state.counters.leafCalls).toBe(2 + cell.children.length);
  });

  it('the log replayed from a .jsonl file gives the same state as the live run, batch by batch', async () => {
    const sample = sampleGenerators.sniah!.generate({ tokens: 6000, seed: 9 });
    const events = await logOf(`Ask for everything: ${sample.query}`, sample.text, sample.truth);
    let live = emptyRun;
    for (let i = 0; i < events.length; i += 5) live = applyEvents(live, events.slice(i, i + 5));
    const read = parseTrace(serializeTrace(events));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(runFromLog(read.events)).toEqual(live);
  });

  it('a cell stopped by the sandbox is an error call with its kind; the run goes on to its budget', async () => {
    const events = await logOf('Loop forever, then tell me what is in it.', 'a short document', [], {
      cellMs: 100,
    });
    const state = runFromLog(events);
    const cells = [...state.calls.values()].filter((c) => c.nodeId === 'rlm.cell');
    expect(cells).toHaveLength(3);
    for (const c of cells) {
      expect(c.status).toBe('error');
      expect(c.cell?.error?.kind).toBe('Timeout');
    }
    expect(state.counters.errors).toBe(3);
    expect(state.status).toBe('failed');
    expect(state.error?.kind).toBe('BudgetExceeded');
  });
});
