import { describe, expect, it } from 'vitest';
import { syntheticLog } from '../../test/synthetic-log.ts';
import { runFromLog } from '../store/run.ts';
import { COL_W, hitTest, layoutTree, NODE_H, NODE_W, ROW_H } from './layout.ts';

describe('layoutTree', () => {
  it('puts leaves in consecutive columns and parents over the middle of their children', () => {
    const s = runFromLog(syntheticLog({ k: 3, depth: 2, inputChars: 900 }));
    const l = layoutTree(s, new Set());
    expect(l.ids).toHaveLength(13);
    const leaves = l.ids.map((_, i) => i).filter((i) => l.y[i] === 2 * ROW_H);
    expect(leaves.map((i) => l.x[i])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((c) => c * COL_W));
    const root = l.index.get(s.roots[0]!)!;
    expect(l.x[root]).toBe(4 * COL_W);
    expect(l.y[root]).toBe(0);
    for (let i = 0; i < l.ids.length; i++) {
      const p = l.parent[i]!;
      if (p >= 0) expect(l.y[i]).toBe(l.y[p]! + ROW_H);
    }
    expect(l.width).toBe(8 * COL_W + NODE_W);
    expect(l.height).toBe(2 * ROW_H + NODE_H);
  });

  it('hides the subtree of a collapsed call and counts what it hides', () => {
    const s = runFromLog(syntheticLog({ k: 3, depth: 2 }));
    const mid = s.calls.get(s.roots[0]!)!.children[1]!;
    const l = layoutTree(s, new Set([mid]));
    expect(l.ids).toHaveLength(10);
    expect(l.hidden[l.index.get(mid)!]).toBe(3);
    expect(l.y[l.index.get(mid)!]).toBe(ROW_H);
  });

  it('lays out a 10,000-leaf tree with every child below its parent', () => {
    const s = runFromLog(syntheticLog({ k: 100, depth: 2 }));
    const l = layoutTree(s, new Set());
    expect(l.ids).toHaveLength(10_101);
    let ok = true;
    for (let i = 0; i < l.ids.length; i++) if (l.parent[i]! >= 0 && l.y[i]! <= l.y[l.parent[i]!]!) ok = false;
    expect(ok).toBe(true);
  });

  it('finds the call under a point, and nothing in empty space', () => {
    const s = runFromLog(syntheticLog({ k: 2, depth: 1 }));
    const l = layoutTree(s, new Set());
    const leaf = l.ids.findIndex((_, i) => l.y[i] === ROW_H && l.x[i] === COL_W);
    expect(hitTest(l, COL_W + 5, ROW_H + 5)).toBe(leaf);
    expect(hitTest(l, -500, -500)).toBe(-1);
    expect(hitTest(l, COL_W - 3, ROW_H + 5, 4)).toBe(leaf);
  });
});
