import { describe, expect, it } from 'vitest';
import { createEventBatcher } from './event-batcher.ts';

describe('createEventBatcher', () => {
  it('delivers every event once, in order, in batches no larger than asked', async () => {
    const batches: number[][] = [];
    const batcher = createEventBatcher<number>((b) => batches.push(b), { maxEvents: 200, maxDelayMs: 5 });
    for (let i = 0; i < 10_000; i++) batcher.push(i);
    await batcher.flush();
    expect(batches.flat()).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    expect(batches.length).toBeLessThan(100);
  });

  it('keeps one batch in flight: a slow page gets fewer, larger batches', async () => {
    const sizes: number[] = [];
    let release: () => void = () => {};
    const batcher = createEventBatcher<number>(
      (b) => {
        sizes.push(b.length);
        return new Promise<void>((r) => {
          release = r;
        });
      },
      { maxEvents: 10 },
    );
    const tick = () => new Promise((r) => setTimeout(r, 0));
    for (let i = 0; i < 10; i++) batcher.push(i);
    await tick();
    expect(sizes).toEqual([10]);
    for (let i = 0; i < 95; i++) batcher.push(i);
    await tick();
    expect(sizes).toEqual([10]);
    const done = batcher.flush();
    release();
    await tick();
    release();
    await done;
    expect(sizes).toEqual([10, 95]);
  });

  it('sends a small batch after the delay without a flush', async () => {
    const batches: string[][] = [];
    const batcher = createEventBatcher<string>((b) => batches.push(b), { maxDelayMs: 1 });
    batcher.push('a');
    batcher.push('b');
    expect(batches).toEqual([]);
    await new Promise((r) => setTimeout(r, 20));
    expect(batches).toEqual([['a', 'b']]);
  });

  it('goes on when the page throws', async () => {
    const got: number[] = [];
    let first = true;
    const batcher = createEventBatcher<number>(
      (b) => {
        if (first) {
          first = false;
          throw new Error('page closed');
        }
        got.push(...b);
      },
      { maxEvents: 2 },
    );
    for (let i = 0; i < 6; i++) batcher.push(i);
    await batcher.flush();
    expect(got).toEqual([2, 3, 4, 5]);
  });
});
