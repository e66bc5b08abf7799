import { describe, expect, it } from 'vitest';
import type { Rect } from './geometry.ts';
import { freeSpot, PLACEMENT_GAP, wantedSpot } from './placement.ts';

const size = { width: 200, height: 90 };
const overlaps = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('placing a new node', () => {
  it('takes the wanted spot when it is free', () => {
    expect(freeSpot([], size, { x: 100, y: 50 })).toEqual({ x: 100, y: 50 });
  });

  it('ten nodes added at the same spot all land apart, near it', () => {
    const placed: Rect[] = [];
    for (let i = 0; i < 10; i++) placed.push({ ...freeSpot(placed, size, { x: 0, y: 0 }), ...size });
    for (let i = 0; i < placed.length; i++)
      for (let j = i + 1; j < placed.length; j++) expect(overlaps(placed[i]!, placed[j]!)).toBe(false);
    for (const p of placed) expect(Math.hypot(p.x, p.y)).toBeLessThan(800);
  });

  it('keeps the gap from its neighbours, and prefers the same row', () => {
    const taken = [{ x: 0, y: 0, width: 200, height: 90 }];
    const p = freeSpot(taken, size, { x: 100, y: 0 });
    expect(p.y).toBe(0);
    expect(p.x).toBeGreaterThanOrEqual(200 + PLACEMENT_GAP);
  });

  it('stays inside a body: never left of or above its corner', () => {
    const taken = [{ x: 12, y: 14, width: 110, height: 57 }];
    const p = freeSpot(taken, size, { x: 0, y: 0 }, { x: 12, y: 14 });
    expect(p.x).toBeGreaterThanOrEqual(12);
    expect(p.y).toBeGreaterThanOrEqual(14);
    expect(overlaps({ ...p, ...size }, taken[0]!)).toBe(false);
  });

  it('is wanted right of the selected node, or in the middle of the view', () => {
    expect(wantedSpot({ x: 10, y: 20, width: 200, height: 90 }, { x: 0, y: 0 }, size)).toEqual({
      x: 10 + 200 + 2 * PLACEMENT_GAP,
      y: 20,
    });
    expect(wantedSpot(null, { x: 500, y: 300 }, size)).toEqual({ x: 400, y: 255 });
  });
});
