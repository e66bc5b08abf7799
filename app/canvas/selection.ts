/**
 * What is selected on the canvas: view state, never part of the document or its history. The inspector
 * reads it; the problems list and the palette write focus requests the canvas carries out.
 */
import { create } from 'zustand';

interface SelectionState {
  nodes: string[];
  edges: string[];
  /** A node the canvas should select and bring into view (set by the problems list, search, paste). */
  focusRequest: { ids: string[]; reveal: boolean; seq: number } | null;
  setSelection(nodes: string[], edges: string[]): void;
  /** Selects these nodes; `reveal` also pans and zooms to them. */
  focus(ids: string[], reveal?: boolean): void;
}

let seq = 0;

export const useSelection = create<SelectionState>()((set, get) => ({
  nodes: [],
  edges: [],
  focusRequest: null,
  setSelection: (nodes, edges) => {
    const s = get();
    if (same(s.nodes, nodes) && same(s.edges, edges)) return;
    set({ nodes, edges });
  },
  focus: (ids, reveal = true) => set({ focusRequest: { ids, reveal, seq: ++seq } }),
}));

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
