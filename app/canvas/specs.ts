/** The node catalog as the canvas reads it: a spec per kind, tolerant of unknown kinds in a plan. */

import type { NodeSpec } from '../../workers/lang/index.ts';
import { catalog, resolveParams, specIn } from '../../workers/lang/index.ts';

export function specOf(kind: string): NodeSpec | undefined {
  return specIn(catalog, kind);
}

/**
 * Whether a node is drawn as a container with its bodies. A container without a body for its params (a
 * Reduce with a built-in ⊕) is drawn as a plain node until the user gives it one (picking ⊕ = body gives
 * it one, see plan-edit `setParam`).
 */
export function drawnAsContainer(
  kind: string,
  params: Record<string, unknown>,
  hasBody: boolean = !specOf(kind)?.container?.bodyless,
): boolean {
  const spec = specOf(kind);
  const container = spec?.container;
  if (!container) return false;
  // A bodyless container whose body holds something is drawn open, so the checker's complaint is visible.
  if (container.bodyless) return !container.bodyless(resolveParams(spec, params)) || hasBody;
  return true;
}

/** The body a node dropped on a container goes into: the one that may recurse (a Fix's step), else its only one. */
export function dropSlot(kind: string): 'body' | 'base' | 'step' {
  return specOf(kind)?.container?.slots.at(-1) ?? 'body';
}
