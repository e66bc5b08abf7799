/**
 * The open document: the plan (single source of truth) and the edits on it, with undo/redo (zundo).
 * React Flow's nodes and edges are derived from `plan` by the canvas; selection lives in
 * `app/canvas/selection.ts` and is never recorded.
 *
 * History rules: one drag is one step (`beginGesture`/`endGesture`), consecutive typing into
 * the same field within a second is merged, opening or creating a document clears the history.
 */
import { temporal } from 'zundo';
import { create, useStore } from 'zustand';
import type { Plan, PortRef, Slot } from '../../workers/lang/index.ts';
import { splitBefore } from '../../workers/lang/index.ts';
import type { Box, Size, XY } from '../editor/geometry.ts';
import { type Dragged, dropNodes, reconnectWire } from '../editor/gestures.ts';
import * as edit from '../editor/plan-edit.ts';

export interface DocumentState {
  /** The open plan. Replace it only through the actions below. */
  plan: Plan;
  /** Identity of the document in the browser's storage (autosave, recent documents). */
  docId: string;

  /** Opens a plan as a new document (the current one stays saved and in the recent list). */
  openDocument(plan: Plan, options?: { docId?: string }): string;
  newDocument(name?: string): string;
  /** Puts another plan in the open document as one edit (undo brings the previous plan back). */
  replacePlan(plan: Plan): void;
  rename(name: string): void;
  setQuery(query: string): void;
  setDescription(description: string): void;

  addNode(spec: edit.NewNode): string;
  /** `merge`: consecutive moves with the same key within a second are one undo step (arrow keys). */
  moveNodes(moves: readonly { id: string; position: XY }[], merge?: string): void;
  resizeNode(id: string, size: Size): void;
  removeNodes(ids: Iterable<string>): void;
  reparent(id: string, target: { parent?: string; slot?: Slot }, position: XY): void;
  /** The end of a drag on the canvas (`gestures.ts`): one undo step. */
  dropNodes(boxes: readonly Box[], dragged: readonly Dragged[], pointer: XY | null): void;
  /** One end of a wire moved to another port, when the language accepts it there. */
  reconnect(wireId: string, from: PortRef, to: PortRef): void;
  connect(from: PortRef, to: PortRef): string | null;
  disconnect(wireIds: Iterable<string>): void;
  setParam(id: string, name: string, value: unknown): void;
  setLabel(id: string, label: string): void;
  /** The planner's fix for a node that would be sent more than its window: a Split, a Map and a Reduce around it. */
  splitBefore(id: string): void;
  paste(fragment: edit.Fragment, offset: XY, into?: { parent: string; slot: Slot }): string[];
  /**
   * Replaces positions (and container sizes) at once, e.g. after auto-layout: one undo step, or none
   * with `record: false` (laying out a plan that was just opened without positions).
   */
  applyLayout(
    positions: Record<string, XY>,
    sizes?: Record<string, Size>,
    options?: { record?: boolean },
  ): void;
}

export const newDocId = (): string =>
  `doc-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** Typing merge: consecutive edits with the same key within this window make one undo step. */
const MERGE_MS = 1000;
let mergeKey: string | null = null;
let mergeAt = 0;
/** A gesture (drag, resize) in progress: the plan before it, pushed as one step when it ends. */
let gestureStart: Plan | null = null;

export const useDocument = create<DocumentState>()(
  temporal(
    (set, get) => {
      /** Applies an edit; a no-op (same plan object) records nothing. */
      const apply = (f: (p: Plan) => Plan, merge?: string) => {
        const before = get().plan;
        const after = f(before);
        if (after === before) return;
        const now = Date.now();
        const merging = merge !== undefined && merge === mergeKey && now - mergeAt < MERGE_MS;
        mergeKey = merge ?? null;
        mergeAt = now;
        const history = useDocument.temporal.getState();
        if (merging && history.isTracking) {
          history.pause();
          set({ plan: after });
          history.resume();
        } else set({ plan: after });
      };
      const fresh = (plan: Plan, docId: string) => {
        mergeKey = null;
        gestureStart = null;
        const history = useDocument.temporal.getState();
        history.pause();
        set({ plan, docId });
        history.resume();
        history.clear();
        return docId;
      };
      return {
        plan: edit.emptyPlan(),
        docId: newDocId(),
        openDocument: (plan, options) => fresh(structuredClone(plan), options?.docId ?? newDocId()),
        newDocument: (name) => fresh(edit.emptyPlan(name), newDocId()),
        replacePlan: (plan) => apply(() => structuredClone(plan)),
        rename: (name) =>
          apply((p) => (name.trim() === '' || p.name === name ? p : { ...p, name }), 'doc:name'),
        setQuery: (query) => apply((p) => (p.query === query ? p : { ...p, query }), 'doc:query'),
        setDescription: (description) =>
          apply((p) => (p.description === description ? p : { ...p, description }), 'doc:description'),
        addNode: (spec) => {
          let id = '';
          apply((p) => {
            const r = edit.addNode(p, spec);
            id = r.id;
            return r.plan;
          });
          return id;
        },
        moveNodes: (moves, merge) => apply((p) => edit.moveNodes(p, moves), merge),
        resizeNode: (id, size) => apply((p) => edit.resizeNode(p, id, size)),
        removeNodes: (ids) => apply((p) => edit.removeNodes(p, ids)),
        reparent: (id, target, position) => apply((p) => edit.reparent(p, id, target, position)),
        dropNodes: (boxes, dragged, pointer) => apply((p) => dropNodes(p, boxes, dragged, pointer)),
        reconnect: (wireId, from, to) => apply((p) => reconnectWire(p, wireId, from, to)),
        connect: (from, to) => {
          let id: string | null = null;
          apply((p) => {
            const r = edit.connect(p, from, to);
            id = r.id;
            return r.plan;
          });
          return id;
        },
        disconnect: (wireIds) => apply((p) => edit.disconnect(p, wireIds)),
        setParam: (id, name, value) => apply((p) => edit.setParam(p, id, name, value), `param:${id}:${name}`),
        setLabel: (id, label) => apply((p) => edit.setLabel(p, id, label), `label:${id}`),
        splitBefore: (id) => apply((p) => splitBefore(p, id)),
        paste: (fragment, offset, into) => {
          let ids: string[] = [];
          apply((p) => {
            const r = edit.pasteFragment(p, fragment, offset, into);
            ids = r.ids;
            return r.plan;
          });
          return ids;
        },
        applyLayout: (positions, sizes, options) => {
          const history = useDocument.temporal.getState();
          const silent = options?.record === false && history.isTracking;
          if (silent) history.pause();
          apply((p) => {
            let next = edit.moveNodes(
              p,
              Object.entries(positions).map(([id, position]) => ({ id, position })),
            );
            for (const [id, size] of Object.entries(sizes ?? {})) next = edit.resizeNode(next, id, size);
            return next;
          });
          if (silent) history.resume();
        },
      };
    },
    {
      partialize: (s) => ({ plan: s.plan }),
      equality: (a, b) => a.plan === b.plan,
      limit: 200,
    },
  ),
);

/**
 * Starts a gesture (node drag, container resize): the edits until `endGesture` make one undo step.
 * Selection changes during the gesture are not edits and are not recorded anyway.
 */
export function beginGesture(): void {
  if (gestureStart) return;
  gestureStart = useDocument.getState().plan;
  mergeKey = null;
  useDocument.temporal.getState().pause();
}

export function endGesture(): void {
  const start = gestureStart;
  if (!start) return;
  gestureStart = null;
  const history = useDocument.temporal;
  history.getState().resume();
  if (useDocument.getState().plan !== start) {
    history.setState((h) => ({ pastStates: [...h.pastStates, { plan: start }], futureStates: [] }));
  }
}

export function undo(): void {
  endGesture();
  mergeKey = null;
  useDocument.temporal.getState().undo();
}

export function redo(): void {
  endGesture();
  mergeKey = null;
  useDocument.temporal.getState().redo();
}

/** Ends typing merge, so the next keystroke starts a new undo step (e.g. when a field loses focus). */
export function breakMerge(): void {
  mergeKey = null;
}

/** Whether undo and redo have anything to do, for the toolbar buttons. */
export function useHistoryState(): { canUndo: boolean; canRedo: boolean } {
  const canUndo = useStore(useDocument.temporal, (h) => h.pastStates.length > 0);
  const canRedo = useStore(useDocument.temporal, (h) => h.futureStates.length > 0);
  return { canUndo, canRedo };
}
