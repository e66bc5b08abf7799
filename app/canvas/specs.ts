/** The node catalog as the canvas reads it: a spec per kind, tolerant of unknown kinds in a plan. */

import type { NodeSpec } from '../../workers/lang/index.ts';
import { catalog, isNodeKind } from '../../workers/lang/index.ts';

export function specOf(kind: string): NodeSpec | undefined {
  return isNodeKind(kind) ? catalog[kind] : undefined;
}

/**
 * Whether a node is drawn as a container with its bodies. A Reduce with a built-in ⊕ has no body: it is
 * drawn as a plain node until the user picks "body" (which gives it one, see plan-edit `setParam`).
 */
export function drawnAsContainer(
  kind: string,
  params: Record<string, unknown>,
  hasBody: boolean = kind !== 'Reduce',
): boolean {
  const spec = specOf(kind);
  if (!spec?.container) return false;
  // A Reduce whose body holds something is drawn open, so the checker's complaint about it is visible.
  if (kind === 'Reduce') return params.op === 'body' || hasBody;
  return true;
}
