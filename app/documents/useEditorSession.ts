import { useStore as useFlowStore, useNodesInitialized, useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type Plan, shareParam } from '../../workers/lang/index.ts';
import { useShortcuts } from '../canvas/useShortcuts.ts';
import { useSideTab } from '../shell/sideTab.ts';
import { startAutosave, useAutosave } from '../store/autosave.ts';
import { useDocument } from '../store/document.ts';
import { restoreInput, startInputPersistence } from '../store/input-persistence.ts';
import { browserStorage } from '../store/persistence.ts';
import { useNotices } from './notices.ts';
import { firstVisitPlan } from './open-example.ts';
import { download } from './plan-files.ts';
import { preparePlanInput } from './plan-input.ts';

/**
 * The editor's lifetime: restores the last document and its input and saves both, reports damaged saves (with the
 * damaged copy offered for download), registers the shortcuts, and runs auto-layout on request.
 */
export function useEditorSession(): { autoLayout: () => void } {
  const rf = useReactFlow();
  const started = useRef(false);
  /**
   * Work that needs the canvas to show the document measured (React Flow's own signal, not a guessed
   * delay): laying out a document opened without positions, and fitting the view to a fresh layout.
   */
  const pending = useRef<{ layout?: string; fit?: Plan['view']['positions'] }>({});
  const [layoutTick, setLayoutTick] = useState(0);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const storage = browserStorage();
    // Read now: the share-link opener clears the hash once it has opened the link.
    const hash = location.hash;
    void (async () => {
      // The input document comes back first (a first visit then knows there is none), and is kept from then on.
      await restoreInput(storage);
      startInputPersistence(storage);
      await startAutosave(storage, { firstVisit: () => firstVisitPlan(hash) });
      // A first visit opens an example with its sample ready (through a share link, the link's plan: the link
      // opener makes its input ready), and the Start tab says what to do next.
      if (useAutosave.getState().firstVisit) {
        if (shareParam(hash) === null) preparePlanInput(useDocument.getState().plan);
        useSideTab.getState().show('start');
      }
      for (const d of useAutosave.getState().damaged) {
        useNotices.getState().push({
          kind: 'error',
          text: `A saved document could not be read (${d.error}). It was set aside and the editor opened ${
            useDocument.getState().plan.nodes.length > 0
              ? 'your most recent readable document'
              : 'a new document'
          }.`,
          action: {
            label: 'Download the damaged copy',
            run: () => download(`damaged-${d.id}.json`, safeJson(d.raw), 'application/json'),
          },
        });
      }
      useAutosave.getState().dismissDamaged();
    })();
  }, []);

  const autoLayout = useCallback(
    (options?: { record?: boolean }) => {
      const plan = useDocument.getState().plan;
      const measured = new Map(
        rf
          .getNodes()
          .filter((n) => n.measured?.width && n.measured.height)
          .map((n) => [n.id, { width: n.measured!.width!, height: n.measured!.height! }]),
      );
      void import('../canvas/auto-layout.ts')
        .then(({ autoLayout }) => autoLayout(plan, measured))
        .then((r) => {
          // Only if the document is still the one laid out.
          if (useDocument.getState().plan.nodes !== plan.nodes) return;
          useDocument.getState().applyLayout(r.positions, r.sizes, options);
          pending.current.fit = useDocument.getState().plan.view.positions;
          setLayoutTick((n) => n + 1);
        })
        .catch((e: unknown) =>
          useNotices.getState().push({ kind: 'error', text: `Auto-layout failed: ${String(e)}` }),
        );
    },
    [rf],
  );

  // A plan opened without positions (a hand-written file, a trimmed link) is laid out at once, once its
  // nodes are measured; the layout is part of opening it, not an undoable edit.
  const docId = useDocument((s) => s.docId);
  useEffect(() => {
    const { plan } = useDocument.getState();
    pending.current.layout = plan.nodes.some((n) => plan.view.positions[n.id] === undefined)
      ? docId
      : undefined;
    setLayoutTick((n) => n + 1);
  }, [docId]);
  const measured = useNodesInitialized();
  const shown = useFlowStore((s) => s.nodes);
  useEffect(() => {
    void layoutTick;
    if (!measured) return;
    const { plan, docId: current } = useDocument.getState();
    const onCanvas = new Map(shown.map((n) => [n.id, n.position]));
    if (!plan.nodes.every((n) => onCanvas.has(n.id))) return;
    if (pending.current.layout === current) {
      pending.current.layout = undefined;
      autoLayout({ record: false });
      return;
    }
    const fit = pending.current.fit;
    if (fit !== undefined && fit === plan.view.positions) {
      // Fit once the canvas shows the new positions (fitView itself waits for their measurement).
      const placed = Object.entries(fit).every(([id, p]) => {
        const at = onCanvas.get(id);
        return !at || (at.x === p.x && at.y === p.y);
      });
      if (!placed) return;
      pending.current.fit = undefined;
      void rf.fitView({ padding: 0.15, duration: 200 });
    }
  }, [measured, shown, layoutTick, autoLayout, rf]);

  const layoutNow = useCallback(() => autoLayout(), [autoLayout]);
  useShortcuts(layoutNow);
  return { autoLayout: layoutNow };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, null, 2) ?? 'null';
  } catch {
    return String(v);
  }
}
