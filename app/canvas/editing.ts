/**
 * Editing commands shared by the keyboard shortcuts and the toolbar buttons: delete, copy, paste,
 * duplicate, select all. Each is one undo step.
 */

import { nodeById, type Slot } from '../../workers/lang/index.ts';
import { isBodyEnd } from '../editor/kinds.ts';
import { copyFragment, type Fragment } from '../editor/plan-edit.ts';
import { beginGesture, endGesture, useDocument } from '../store/document.ts';
import { useSelection } from './selection.ts';

interface Clip {
  fragment: Fragment;
  /** The body the copied nodes sat in, so a paste lands beside the originals. */
  from?: { parent: string; slot: Slot };
  pastes: number;
}

let clip: Clip | null = null;

export function deleteSelection(): boolean {
  const { nodes, edges } = useSelection.getState();
  if (nodes.length === 0 && edges.length === 0) return false;
  const doc = useDocument.getState();
  beginGesture();
  try {
    if (edges.length > 0) doc.disconnect(edges);
    if (nodes.length > 0) doc.removeNodes(nodes);
  } finally {
    endGesture();
  }
  useSelection.getState().setSelection([], []);
  return true;
}

export function copySelection(): boolean {
  const ids = useSelection.getState().nodes;
  if (ids.length === 0) return false;
  const plan = useDocument.getState().plan;
  const fragment = copyFragment(plan, ids);
  if (fragment.nodes.length === 0) return false;
  const parents = new Set(
    ids.map((id) => {
      const n = nodeById(plan, id);
      return n?.parent === undefined ? '' : `${n.parent}\u0000${n.slot ?? 'body'}`;
    }),
  );
  const only = parents.size === 1 ? [...parents][0]! : '';
  const [parent, slot] = only.split('\u0000');
  clip = { fragment, pastes: 0, ...(parent ? { from: { parent, slot: (slot ?? 'body') as Slot } } : {}) };
  // Also offer the nodes to other tabs and apps as JSON (best effort: the permission may be refused).
  void navigator.clipboard?.writeText(JSON.stringify({ fixpointFragment: fragment })).catch(() => {});
  return true;
}

export function pasteClipboard(): boolean {
  if (!clip) return false;
  clip.pastes += 1;
  const plan = useDocument.getState().plan;
  const into = clip.from && nodeById(plan, clip.from.parent) ? clip.from : undefined;
  const d = 32 * clip.pastes;
  const ids = useDocument.getState().paste(clip.fragment, { x: d, y: d }, into);
  if (ids.length > 0) useSelection.getState().focus(ids, false);
  return ids.length > 0;
}

export function duplicateSelection(): boolean {
  if (!copySelection()) return false;
  return pasteClipboard();
}

export function selectAll(): void {
  const plan = useDocument.getState().plan;
  useSelection.getState().focus(
    plan.nodes.filter((n) => !isBodyEnd(n.kind)).map((n) => n.id),
    false,
  );
}
