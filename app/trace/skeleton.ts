/**
 * The recursion tree the planner predicts, before any model call: k* pieces per level, d levels, each
 * piece a span of the input. Drawn by the same tree view as a run, in the `planned` colour, so the user
 * sees the shape (and the size) of what Run will do. The real splits never cut inside a word, so real
 * spans differ from these by a few characters.
 */
import type { PlanEstimate } from '../../workers/lang/index.ts';
import { type CallState, emptyRun, newCall, type RunState } from '../store/run.ts';

/** Past this many calls the preview draws the top levels only and says how many it left out. */
export const SKELETON_LIMIT = 20_000;

export interface Skeleton {
  state: RunState;
  /** Levels drawn (may be fewer than the estimate's depth when the tree is too large to preview). */
  levels: number;
  /** Calls the full tree would have. */
  fullCalls: number;
}

export function skeletonTree(estimate: Pick<PlanEstimate, 'kStar' | 'depth'>, inputChars: number): Skeleton {
  const k = Math.max(1, Math.floor(estimate.kStar));
  const depth = Math.max(0, Math.floor(estimate.depth));
  let fullCalls = 0;
  let levels = 0;
  let total = 0;
  for (let d = 0, width = 1; d <= depth; d++, width *= k) {
    fullCalls += width;
    if (total + width <= SKELETON_LIMIT || d === 0) {
      total += width;
      levels = d;
    }
  }
  const calls = new Map<string, CallState>();
  const order: string[] = [];
  const make = (id: string, parentId: string | null, d: number, from: number, to: number): CallState => {
    const c = newCall(
      {
        id,
        parentId,
        depth: d,
        nodeId: '',
        span: [from, to],
        label: d === depth ? 'leaf' : `split into ${k}`,
        index: order.length,
        startT: 0,
      },
      'planned',
    );
    c.leaf = d === depth;
    calls.set(id, c);
    order.push(id);
    return c;
  };
  // Breadth-first by level so a cut-off preview keeps whole levels.
  let level = [make('p0', null, 0, 0, inputChars)];
  for (let d = 1; d <= levels; d++) {
    const nextLevel: CallState[] = [];
    for (const parent of level) {
      const [from, to] = parent.span!;
      for (let j = 0; j < k; j++) {
        const a = Math.round(from + ((to - from) * j) / k);
        const b = Math.round(from + ((to - from) * (j + 1)) / k);
        const child = make(`${parent.id}.${j}`, parent.id, d, a, b);
        parent.children.push(child.id);
        nextLevel.push(child);
      }
    }
    level = nextLevel;
  }
  return {
    state: { ...emptyRun, calls, roots: ['p0'], order, maxDepth: levels, inputChars },
    levels,
    fullCalls,
  };
}
