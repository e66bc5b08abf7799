import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../workers/lang/index.ts';
import { formatCount, Progress } from './progress.ts';

const start = {
  type: 'run.start',
  runId: 'r',
  seq: 0,
  t: 0,
  estimate: { totalCalls: 20 },
} as unknown as TraceEvent;
const leaf = (seq: number, cached = false) =>
  ({
    type: 'leaf.done',
    runId: 'r',
    seq,
    t: seq,
    callId: `c${seq}`,
    text: 'x',
    promptTokens: 100,
    completionTokens: 5,
    ms: 1,
    cached,
    retries: seq === 3 ? 2 : 0,
    finishReason: 'stop',
  }) as TraceEvent;

describe('Progress', () => {
  it('prints a plain line per tenth when not on a terminal', () => {
    const lines: string[] = [];
    const progress = new Progress({ write: (t) => lines.push(t), isTTY: false });
    progress.onEvent(start);
    for (let i = 1; i <= 20; i++) progress.onEvent(leaf(i, i === 1));
    progress.finish();
    expect(lines.every((l) => !l.includes('\r'))).toBe(true);
    expect(lines.length).toBe(11);
    expect(lines.at(-1)).toMatch(/^progress: 20\/20 leaf calls · 1 cached · 2 retried · 2\.1k tokens · /);
  });

  it('redraws one line on a terminal, throttled, and ends it with a newline', () => {
    const out: string[] = [];
    let now = 0;
    const progress = new Progress({ write: (t) => out.push(t), isTTY: true, columns: 100 }, () => now);
    progress.onEvent(start);
    for (let i = 1; i <= 20; i++) {
      now += 10;
      progress.onEvent(leaf(i));
    }
    progress.finish();
    expect(out.length).toBeLessThan(6);
    expect(out.at(-2)?.startsWith('\r\u001b[2K[')).toBe(true);
    expect(out.at(-2)).toMatch(/\[█+\] 20\/20 leaf calls/);
    expect(out.at(-1)).toBe('\n');
    expect(progress.counts).toMatchObject({ done: 20, total: 20, tokens: 2100 });
  });

  it('formats counts', () => {
    expect([formatCount(999), formatCount(1234), formatCount(45_600), formatCount(2_500_000)]).toEqual([
      '999',
      '1.2k',
      '46k',
      '2.5M',
    ]);
  });
});
