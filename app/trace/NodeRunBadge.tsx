/**
 * Per-node run status on the pipeline canvas: a small pill on a plan node with its calls in the run shown
 * (running, done, cached, failed). Reads the run session's counts per plan node; renders nothing for a
 * node the run has not reached. Canvas node views include `<NodeRunBadge nodeId={id} />`.
 */
import { memo } from 'react';
import type { NodeCounts } from '../store/run.ts';
import { useRunSession } from '../store/runSession.ts';
import { int, money } from './format.ts';

export type NodeRunStatus = 'running' | 'error' | 'cached' | 'done';

export function nodeRunStatus(c: NodeCounts): NodeRunStatus {
  if (c.running > 0) return 'running';
  if (c.errors > 0) return 'error';
  if (c.cached > 0 && c.cached === c.done) return 'cached';
  return 'done';
}

/** The counts of one plan node in the run on view; the same object until they change. */
export function useNodeRunCounts(nodeId: string): NodeCounts | undefined {
  return useRunSession((s) => s.view.byNode[nodeId]);
}

export const NodeRunBadge = memo(function NodeRunBadge({ nodeId }: { nodeId: string }) {
  const c = useNodeRunCounts(nodeId);
  const price = useRunSession((s) => s.view.price);
  if (!c || c.started === 0) return null;
  const status = nodeRunStatus(c);
  const words = [
    `${int(c.done)} of ${int(c.started)} calls done`,
    c.running > 0 ? `${int(c.running)} running` : '',
    c.cached > 0 ? `${int(c.cached)} from cache` : '',
    c.errors > 0 ? `${int(c.errors)} failed` : '',
    // Money only where this node called the model (a symbolic node costs nothing to say).
    price && c.cost > 0 ? `${money(c.cost, price)} spent` : '',
  ].filter(Boolean);
  return (
    <span
      className={`node-run-badge status-${status}`}
      role="status"
      aria-label={`Run: ${words.join(', ')}`}
      title={words.join(' · ')}
      data-testid="node-run-badge"
    >
      <span className="dot" aria-hidden="true" />
      {int(c.done)}/{int(c.started)}
      {c.errors > 0 && <span className="node-run-errors"> ✗{int(c.errors)}</span>}
    </span>
  );
});
