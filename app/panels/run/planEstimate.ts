/**
 * The plan preview's estimate for the open plan and input, asked of the planner whenever either changes
 * (debounced). Wired to the runtime's `plan` once it exists.
 */
import type { PlanPreviewState } from './PlanPreview.tsx';

export function usePlanEstimate(): PlanPreviewState {
  return { estimate: null, skeleton: null, reason: 'The planner is not connected yet.', pending: false };
}
