import { describe, expect, it } from 'vitest';
import { syntheticLog } from '../../test/synthetic-log.ts';
import { runFromLog } from '../store/run.ts';
import { BAR_GAP, barAt, barRect, layoutTimeline } from './timelineLayout.ts';

describe('layoutTimeline', () => {
  it('uses as many lanes as calls were in flight at once, and no two bars overlap in a lane', () => {
    const s = runFromLog(syntheticLog({ k: 4, depth: 2, concurrency: 3 }));
    const t = layoutTimeline(s.calls, s.order, s.t);
    expect(t.ids).toHaveLength(16);
    expect(t.lanes).toBe(3);
    for (let i = 0; i < t.ids.length; i++)
      for (let j = i + 1; j < t.ids.length; j++)
        if (t.lane[i] === t.lane[j]) expect(t.end[i]! <= t.start[j]! || t.end[j]! <= t.start[i]!).toBe(true);
  });

  it('draws a running call up to now', () => {
    const log = syntheticLog({ k: 2, depth: 1 });
    const s = runFromLog(
      log.slice(
        0,
        log.findIndex((e) => e.type === 'leaf.done'),
      ),
    );
    const t = layoutTimeline(s.calls, s.order, 500);
    expect(t.end[0]).toBe(500);
    expect(t.t1).toBe(500);
  });

  it('a sequential run stays in one lane', () => {
    const s = runFromLog(syntheticLog({ k: 5, depth: 1, concurrency: 1 }));
    expect(layoutTimeline(s.calls, s.order, s.t).lanes).toBe(1);
  });
});

describe('timeline bars', () => {
  it('back-to-back calls in one lane are drawn apart, and a click finds each', () => {
    const calls = new Map(
      [
        ['a', 0, 100],
        ['b', 100, 200],
        ['c', 200, 210],
      ].map(([id, s, e]) => [
        id as string,
        { id: id as string, leaf: true, startT: s as number, endT: e as number },
      ]),
    );
    const t = layoutTimeline(calls, ['a', 'b', 'c'], 210);
    expect(t.lanes).toBe(1);
    const size = { w: 600, h: 60 };
    const [a, b, c] = [0, 1, 2].map((i) => barRect(t, i, size));
    expect(b!.x - (a!.x + a!.w)).toBeGreaterThanOrEqual(BAR_GAP);
    expect(c!.x - (b!.x + b!.w)).toBeGreaterThanOrEqual(BAR_GAP);
    expect(c!.w).toBeGreaterThan(0);
    expect(barAt(t, size, a!.x + 5, a!.y + 2)).toBe(0);
    expect(barAt(t, size, b!.x + 5, b!.y + 2)).toBe(1);
    expect(barAt(t, size, 300, 50)).toBe(-1);
  });
});
