import { describe, expect, it } from 'vitest';
import { describeProgress, fromBytes, fromWebLLMReport } from './download-progress.ts';

describe('fromWebLLMReport', () => {
  it('reads bytes, total and time left from a web-llm fetch report', () => {
    const p = fromWebLLMReport({
      progress: 0.25,
      timeElapsed: 30,
      text:
        'Fetching param cache[5/20]: 300MB fetched. 25% completed, 30 secs elapsed. It can take a while when ' +
        'we first visit this page to populate the cache. Later refreshes will become faster.',
    });
    expect(p).toMatchObject({
      phase: 'downloading',
      fraction: 0.25,
      loadedBytes: 300 * 2 ** 20,
      secondsLeft: 90,
    });
    expect(p.totalBytes).toBe(1200 * 2 ** 20);
    expect(describeProgress(p)).toBe('25% · 300.0 MB of 1.17 GB · about 1 min 30 s left');
  });

  it('knows loading from cache and the finish, and gives no time left when loading', () => {
    const loading = fromWebLLMReport({
      progress: 0.5,
      timeElapsed: 2,
      text: 'Loading model from cache[10/20]: 600MB loaded. 50% completed, 2 secs elapsed.',
    });
    expect(loading).toMatchObject({ phase: 'loading', loadedBytes: 600 * 2 ** 20 });
    expect(loading.secondsLeft).toBeUndefined();
    expect(
      fromWebLLMReport({ progress: 0, timeElapsed: 3, text: 'Finish loading on WebGPU - swiftshader' }),
    ).toMatchObject({
      phase: 'ready',
      fraction: 1,
    });
  });

  it('says nothing about bytes or time it cannot know', () => {
    const p = fromWebLLMReport({ progress: 0, timeElapsed: 0, text: 'Start to fetch params' });
    expect(p).toEqual({ phase: 'starting', fraction: 0, text: 'Start to fetch params' });
    expect(describeProgress(p)).toBe('0%');
    expect(fromWebLLMReport({ progress: Number.NaN, timeElapsed: 1, text: '' }).fraction).toBe(0);
  });
});

describe('fromBytes', () => {
  it('times a byte download', () => {
    expect(fromBytes(512 * 1024, 2048 * 1024, 4)).toMatchObject({
      phase: 'downloading',
      fraction: 0.25,
      secondsLeft: 12,
      text: '512 KB of 2.0 MB',
    });
    expect(fromBytes(10, 10, 1).phase).toBe('loading');
    expect(fromBytes(10, 0, 1)).toMatchObject({ fraction: 0, text: '10 B' });
  });
});
