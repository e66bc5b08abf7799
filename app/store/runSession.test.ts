import { beforeEach, describe, expect, it } from 'vitest';
import { syntheticLog } from '../../test/synthetic-log.ts';
import { runFromLog } from './run.ts';
import {
  addImportedRun,
  appendLiveEvents,
  beginLiveRun,
  replayTick,
  startReplay,
  useRunSession,
  viewRun,
} from './runSession.ts';

const log = syntheticLog({ k: 3, depth: 2, runId: 'r1' });

describe('run session', () => {
  beforeEach(() => useRunSession.setState({ records: [], viewing: null, replay: null, liveRunId: null }));

  it('shows a live run as its batches arrive and ends it on run.done', () => {
    beginLiveRun('r1', 'test');
    appendLiveEvents('r1', log.slice(0, 10));
    expect(useRunSession.getState().view.eventCount).toBe(10);
    expect(useRunSession.getState().liveRunId).toBe('r1');
    appendLiveEvents('r1', log.slice(10));
    const s = useRunSession.getState();
    expect(s.liveRunId).toBeNull();
    expect(s.view.status).toBe('done');
    expect(s.records[0]!.events).toHaveLength(log.length);
  });

  it('replays a log into the same tree, at a given speed', () => {
    addImportedRun(log, 'file');
    const whole = runFromLog(log);
    startReplay('r1', 1);
    expect(useRunSession.getState().view.eventCount).toBe(0);
    replayTick(5);
    const partial = useRunSession.getState().view.eventCount;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(log.length);
    while (replayTick(50));
    const v = useRunSession.getState().view;
    expect([...v.calls.values()]).toEqual([...whole.calls.values()]);
    expect(useRunSession.getState().replay).toBeNull();
  });

  it('an instant replay shows everything at once', () => {
    addImportedRun(log, 'file');
    startReplay('r1', Number.POSITIVE_INFINITY);
    expect(useRunSession.getState().view.eventCount).toBe(log.length);
  });

  it('keeps imported runs apart in the history, even with the same id', () => {
    const a = addImportedRun(log, 'a');
    const b = addImportedRun(log, 'b');
    expect(a).not.toBe(b);
    expect(useRunSession.getState().records).toHaveLength(2);
    viewRun(a);
    expect(useRunSession.getState().viewing).toBe(a);
  });

  it('a live batch makes a new record for its run only: the others, and the old record, stay as they were', () => {
    const other = addImportedRun(log, 'earlier');
    beginLiveRun('r2', 'live');
    appendLiveEvents('r2', log.slice(0, 10));
    const before = useRunSession.getState().records;
    const liveBefore = before.find((r) => r.runId === 'r2')!;
    const eventsBefore = liveBefore.events;
    appendLiveEvents('r2', log.slice(10, 20));
    const after = useRunSession.getState().records;
    expect(after).not.toBe(before);
    expect(after.find((r) => r.runId === other)).toBe(before.find((r) => r.runId === other));
    const liveAfter = after.find((r) => r.runId === 'r2')!;
    expect(liveAfter).not.toBe(liveBefore);
    expect(liveAfter.events).toHaveLength(20);
    // The record a view rendered from is never edited behind its back.
    expect(liveBefore.events).toBe(eventsBefore);
    expect(liveBefore.events).toHaveLength(10);
    expect(liveBefore.final.eventCount).toBe(10);
  });
});
