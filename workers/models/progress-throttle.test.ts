import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoadProgress } from './download-progress.ts';
import { throttleProgress } from './progress-throttle.ts';

const downloading = (fraction: number): LoadProgress => ({
  phase: 'downloading',
  fraction,
  text: `${fraction}`,
});

describe('throttleProgress', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends a new phase at once, even right after the previous report', () => {
    const seen: LoadProgress[] = [];
    const report = throttleProgress((p) => seen.push(p));
    report({ phase: 'starting', fraction: 0, text: 'starting' });
    vi.advanceTimersByTime(5);
    report(downloading(0.5));
    expect(seen.map((p) => p.phase)).toEqual(['starting', 'downloading']);
  });

  it('holds reports inside the interval and sends the latest when it ends, even if nothing follows', () => {
    const seen: LoadProgress[] = [];
    const report = throttleProgress((p) => seen.push(p), 100);
    report(downloading(0.1));
    vi.advanceTimersByTime(10);
    report(downloading(0.2));
    vi.advanceTimersByTime(10);
    report(downloading(0.3));
    expect(seen.map((p) => p.fraction)).toEqual([0.1]);
    // The download stalls here: the latest report must still reach the page.
    vi.advanceTimersByTime(100);
    expect(seen.map((p) => p.fraction)).toEqual([0.1, 0.3]);
    vi.advanceTimersByTime(1000);
    expect(seen).toHaveLength(2);
  });

  it('sends the end at once and drops a held report older than it', () => {
    const seen: LoadProgress[] = [];
    const report = throttleProgress((p) => seen.push(p), 100);
    report(downloading(0.1));
    report(downloading(0.5));
    report({ phase: 'ready', fraction: 1, text: 'ready' });
    vi.advanceTimersByTime(500);
    expect(seen.map((p) => p.phase)).toEqual(['downloading', 'ready']);
  });

  it('sends at most one report per interval while progress streams in', () => {
    const seen: LoadProgress[] = [];
    const report = throttleProgress((p) => seen.push(p), 100);
    for (let i = 1; i <= 100; i++) {
      report(downloading(i / 1000));
      vi.advanceTimersByTime(10);
    }
    // 1000 ms of reports every 10 ms: about one per 100 ms, never one per report.
    expect(seen.length).toBeGreaterThanOrEqual(9);
    expect(seen.length).toBeLessThanOrEqual(11);
    expect(seen.at(-1)?.fraction).toBe(0.1);
  });
});
