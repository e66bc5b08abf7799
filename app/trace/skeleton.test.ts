import { describe, expect, it } from 'vitest';
import { SKELETON_LIMIT, skeletonTree } from './skeleton.ts';

describe('skeletonTree', () => {
  it('has k* children per level, d levels, and spans that tile the input', () => {
    const { state, levels, fullCalls } = skeletonTree({ kStar: 3, depth: 2 }, 1000);
    expect(levels).toBe(2);
    expect(fullCalls).toBe(13);
    expect(state.calls.size).toBe(13);
    const leaves = [...state.calls.values()].filter((c) => c.depth === 2);
    expect(leaves).toHaveLength(9);
    const spans = leaves.map((c) => c.span!).sort((a, b) => a[0] - b[0]);
    expect(spans[0]![0]).toBe(0);
    expect(spans[8]![1]).toBe(1000);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBe(spans[i - 1]![1]);
    expect([...state.calls.values()].every((c) => c.status === 'planned')).toBe(true);
  });

  it('a depth-0 plan is a single leaf over the whole input', () => {
    const { state } = skeletonTree({ kStar: 4, depth: 0 }, 50);
    expect(state.calls.size).toBe(1);
    expect(state.calls.get('p0')?.span).toEqual([0, 50]);
  });

  it('draws the top levels only when the tree is too large, and says how large it is', () => {
    const { state, levels, fullCalls } = skeletonTree({ kStar: 200, depth: 2 }, 10_000_000);
    expect(fullCalls).toBe(1 + 200 + 40_000);
    expect(levels).toBe(1);
    expect(state.calls.size).toBeLessThanOrEqual(SKELETON_LIMIT);
  });
});
