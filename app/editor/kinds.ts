/**
 * What the editor needs to know about a node kind, read from the catalog's roles (never from kind names),
 * so a new kind is one file and one catalog line in the language and the editor follows: whether it owns
 * bodies and which, which body recurses, where it may sit, and which kinds a new body is made of.
 */
import type { NodeSpec, Params, Slot } from '../../workers/lang/index.ts';
import { catalog, defaultParams, NODE_KINDS, resolveParams, specIn } from '../../workers/lang/index.ts';

export const specOf = (kind: string): NodeSpec | undefined => specIn(catalog, kind);

/** The bodies a container owns, in drawing order; undefined for a kind that is not a container. */
export const containerSlots = (kind: string): readonly Slot[] | undefined => specOf(kind)?.container?.slots;

export const isContainerKind = (kind: string): boolean => containerSlots(kind) !== undefined;

/** A container whose bodies sit side by side (a Fix's base and step), not one body filling it. */
export const hasLanesSideBySide = (kind: string): boolean => (containerSlots(kind)?.length ?? 0) > 1;

/** The body that may recurse (a Fix's step): where a kind placed for recursion (Self) may sit. */
export function recursiveSlot(kind: string): Slot | undefined {
  const c = specOf(kind)?.container;
  return c?.behaviour === 'fix' ? c.slots.at(-1) : undefined;
}

/** Whether a container of this kind has bodies with these params (a Reduce with a built-in ⊕ has none). */
export function hasBodies(kind: string, params: Params | undefined): boolean {
  const spec = specOf(kind);
  const c = spec?.container;
  if (!spec || !c) return false;
  return !c.bodyless?.(resolveParams(spec, params ?? {}));
}

/** A body's own ends (Entry, Exit): made with their container, never moved out, deleted or copied alone. */
export const isBodyEnd = (kind: string): boolean => specOf(kind)?.placement === 'body';

/** Only the top level may hold it (Output). */
export const isTopLevelOnly = (kind: string): boolean => specOf(kind)?.placement === 'top';

/** It may sit only inside a recursive body (Self). */
export const needsRecursion = (kind: string): boolean => specOf(kind)?.placement === 'recursion';

/** The built-in kind with this role (the evaluator's Entry, Exit, Self). */
function kindWithRole(role: NonNullable<NodeSpec['role']>): string {
  const kind = NODE_KINDS.find((k) => catalog[k]?.role === role);
  if (!kind) throw new Error(`the catalog has no kind with role ${role}`);
  return kind;
}

/** The kinds a new body is made of: its argument, its result, and the recursive call of a recursive body. */
export const BODY_KINDS = {
  entry: kindWithRole('entry'),
  exit: kindWithRole('exit'),
  self: kindWithRole('self'),
} as const;

/**
 * Whether a node is drawn as a container with its bodies. A container without a body for its params (a
 * Reduce with a built-in ⊕) is drawn as a plain node until the user gives it one (picking ⊕ = body gives
 * it one, see `setParam` in plan-edit.ts).
 */
export function drawnAsContainer(
  kind: string,
  params: Params,
  hasBody: boolean = !specOf(kind)?.container?.bodyless,
): boolean {
  if (!isContainerKind(kind)) return false;
  // A bodyless container whose body holds something is drawn open, so the checker's complaint is visible.
  return hasBodies(kind, params) || hasBody;
}

/** The body a node dropped on a container goes into: the one that may recurse (a Fix's step), else its only one. */
export function dropSlot(kind: string): Slot {
  return containerSlots(kind)?.at(-1) ?? 'body';
}

/**
 * A new node's parameters: the catalog defaults, written out so the document says what the node does
 * (a template the user can start from) and does not change meaning if a default changes later.
 */
export function newNodeParams(kind: string): Params {
  const out: Params = {};
  for (const [name, value] of Object.entries(defaultParams(kind))) if (value !== undefined) out[name] = value;
  return out;
}
