import { describe, expect, it } from 'vitest';
import { forEachLimited, Limiter } from './limiter.ts';

describe('Limiter', () => {
  it('with a limit of 1 never runs two tasks at once, keeps their order, and survives a failure', async () => {
    const gate = new Limiter(1);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const task = (i: number, fail = false) =>
      gate.run(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 1));
        order.push(i);
        running--;
        if (fail) throw new Error(`task ${i}`);
        return i;
      });
    const results = await Promise.allSettled([task(1), task(2, true), task(3), task(4)]);
    expect(most).toBe(1);
    expect(order).toEqual([1, 2, 3, 4]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  });

  it('holds tasks to the limit, in the order they came, and turns the waiting ones away when stopped', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const gates: (() => void)[] = [];
    const task = (i: number) =>
      limiter.run(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await new Promise<void>((r) => gates.push(r));
        running--;
      });
    const runs = [1, 2, 3, 4].map(task);
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([1, 2]);
    gates.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([1, 2, 3]);
    limiter.stop(new Error('stopped'));
    for (const open of gates) open();
    const results = await Promise.allSettled(runs);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect(most).toBe(2);
    await expect(limiter.run(async () => 1)).rejects.toThrow('stopped');
  });

  it('forEachLimited starts items in order, at most `limit` at once, and none after a failure', async () => {
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const run = forEachLimited(10, 3, async (i) => {
      started.push(i);
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 1));
      running--;
      if (i === 4) throw new Error('item 4');
    });
    await expect(run).rejects.toThrow('item 4');
    expect(most).toBe(3);
    expect(started).toEqual([...started].sort((a, b) => a - b));
    expect(started.length).toBeLessThan(10);
  });
});
