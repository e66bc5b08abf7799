import { describe, expect, it } from 'vitest';
import { syntheticLog } from '../../test/synthetic-log.ts';
import { runFromLog } from '../store/run.ts';
import { layoutTree, NODE_W } from './layout.ts';
import { fitWholeTree, READABLE_TREE_SCALE, readableTreeView, yScale } from './treeView.ts';

const size = { w: 600, h: 220 };
const inView = (v: { x: number; scale: number }, x: number) => {
  const left = v.x + x * v.scale;
  return left >= 0 && left + NODE_W * v.scale <= size.w;
};

describe('the recursion tree’s view', () => {
  it('shows a small tree whole', () => {
    const l = layoutTree(runFromLog(syntheticLog({ k: 3, depth: 1 })), new Set());
    const v = readableTreeView(l, size);
    expect(v).toEqual(fitWholeTree(l, size));
    expect(v.scale).toBeGreaterThanOrEqual(READABLE_TREE_SCALE);
  });

  it('keeps a 49-leaf tree readable (boxes about 120 px, where fitting it whole made them 11 px) with the root in view', () => {
    const s = runFromLog(syntheticLog({ k: 7, depth: 2 }));
    const l = layoutTree(s, new Set());
    const whole = fitWholeTree(l, size);
    expect(NODE_W * whole.scale).toBeLessThan(20);
    const v = readableTreeView(l, size, 0);
    expect(v.scale).toBe(READABLE_TREE_SCALE);
    expect(NODE_W * v.scale).toBeGreaterThanOrEqual(118);
    expect(inView(v, l.x[0]!)).toBe(true);
  });

  it('follows the newest call, without running past the tree’s edge', () => {
    const s = runFromLog(syntheticLog({ k: 7, depth: 2 }));
    const l = layoutTree(s, new Set());
    const newest = l.index.get(s.order[s.order.length - 1]!)!;
    const v = readableTreeView(l, size, newest);
    expect(inView(v, l.x[newest]!)).toBe(true);
    // The last leaf is the rightmost box: the tree's right end sits at the padding, not beyond.
    expect(v.x + l.width * v.scale).toBeGreaterThanOrEqual(size.w - 24 - 0.001);
    // Its row is on screen too.
    expect(v.y + (l.y[newest]! + 40) * yScale(v.scale)).toBeLessThanOrEqual(size.h);
  });
});
