/** The node catalog as the canvas reads it: a spec per kind, tolerant of unknown kinds in a plan. */
import { catalog, isNodeKind } from '../../workers/lang/catalog.ts';
import type { NodeSpec } from '../../workers/lang/node-spec.ts';

export function specOf(kind: string): NodeSpec | undefined {
  return isNodeKind(kind) ? catalog[kind] : undefined;
}

/**
 * Whether a node is drawn as a container with its bodies. A Reduce with a built-in ⊕ has an unused body:
 * it is drawn as a plain node (its Entry and Exit hidden) until the user picks "body".
 */
export function drawnAsContainer(kind: string, params: Record<string, unknown>): boolean {
  const spec = specOf(kind);
  if (!spec?.container) return false;
  if (kind === 'Reduce') return params.op === 'body';
  return true;
}
