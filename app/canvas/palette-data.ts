import type { NodeSpec } from '../../workers/lang/index.ts';

/** The drag-and-drop payload type for a node kind dragged from the palette. */
export const DRAG_MIME = 'application/x-fixpoint-kind';

/** Palette search: every word of the query must appear in the title, kind, group or description. */
function matchesSearch(spec: NodeSpec, query: string): boolean {
  const hay = `${spec.title} ${spec.kind} ${spec.group} ${spec.description}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w));
}

/** Best match first: title starting with the query, then title containing it, then the rest. */
export function rankSearch(specs: readonly NodeSpec[], query: string): NodeSpec[] {
  const q = query.trim().toLowerCase();
  const hits = specs.filter((s) => matchesSearch(s, q));
  const score = (s: NodeSpec) => {
    const t = s.title.toLowerCase();
    if (t === q) return 0;
    if (t.startsWith(q)) return 1;
    if (t.includes(q)) return 2;
    return 3;
  };
  return hits.sort((a, b) => score(a) - score(b));
}
