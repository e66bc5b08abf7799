/**
 * The run view at the bottom of the page: input, plan preview, result and history on the left; the
 * recursion tree and the timeline in the middle; the call inspector on the right; counters on top.
 * Every view reads the run session's `view` (a fold of the event log). Resizable by its top edge and
 * collapsible.
 */

import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import { localSetting } from '../../store/persistence.ts';
import { selectCall, useRunSession } from '../../store/runSession.ts';
import { CallInspector } from '../../trace/CallInspector.tsx';
import { Counters } from '../../trace/Counters.tsx';
import { RecursionTree } from '../../trace/RecursionTree.tsx';
import { Timeline } from '../../trace/Timeline.tsx';
import { InputPanel } from './InputPanel.tsx';
import { PlanPreview, usePlanPreview } from './PlanPreview.tsx';
import { ReplayDriver } from './ReplayDriver.tsx';
import { ResultPanel } from './ResultPanel.tsx';
import { RunNotice } from './RunControls.tsx';
import './run.css';

type Tab = 'input' | 'plan' | 'result' | 'history';
const TABS: { id: Tab; label: string }[] = [
  { id: 'input', label: 'Input' },
  { id: 'plan', label: 'Plan' },
  { id: 'result', label: 'Result' },
  { id: 'history', label: 'History' },
];

const MIN_H = 180;
/** The History tab (and the log and OTLP exports it offers) loads when first opened, not with the first screen. */
const HistoryPanel = lazy(() => import('./HistoryPanel.tsx').then((m) => ({ default: m.HistoryPanel })));

/** The user's own dock height and fold, remembered (same key and shape as before: nothing to migrate). */
const dockSetting = localSetting('fixpoint.dock', z.object({ height: z.number(), open: z.boolean() }));

/** The dock leaves the canvas most of the window by default; the user's own height and fold are remembered. */
function initialDock(): { height: number; open: boolean } {
  const saved = dockSetting.read({
    // A little over a quarter of the window: at 1280×720 the canvas keeps about 400 px of height.
    height: Math.round(Math.min(380, Math.max(MIN_H, window.innerHeight * 0.28))),
    open: true,
  });
  return { height: Math.min(window.innerHeight - 160, Math.max(MIN_H, saved.height)), open: saved.open };
}

export function RunDock() {
  const view = useRunSession((s) => s.view);
  const viewing = useRunSession((s) => s.viewing);
  const liveRunId = useRunSession((s) => s.liveRunId);
  const record = useRunSession((s) => s.records.find((r) => r.runId === s.viewing));
  const runCount = useRunSession((s) => s.records.length);
  const replay = useRunSession((s) => s.replay);
  const selectedId = useRunSession((s) => s.selectedCallId);
  const [tab, setTab] = useState<Tab>('input');
  const [initial] = useState(initialDock);
  const [height, setHeight] = useState(initial.height);
  const [open, setOpen] = useState(initial.open);
  useEffect(() => dockSetting.write({ height, open }), [height, open]);
  // A run that ends shows its answer: from the Input or Plan tab the dock moves to Result.
  const wasLive = useRef<string | null>(null);
  useEffect(() => {
    if (wasLive.current !== null && liveRunId === null)
      setTab((t) => (t === 'input' || t === 'plan' ? 'result' : t));
    wasLive.current = liveRunId;
  }, [liveRunId]);
  const resizing = useRef<{ y: number; h: number } | null>(null);
  const preview = usePlanPreview();

  const live = viewing !== null && viewing === liveRunId && replay === null;
  // Before any run, the tree shows the planner's skeleton of what Run would do.
  const showSkeleton = view.calls.size === 0 && !live && !replay && preview.skeleton !== null;
  const treeState = showSkeleton ? preview.skeleton!.state : view;
  const caption = showSkeleton
    ? `Predicted tree: ${preview.skeleton!.fullCalls.toLocaleString('en')} calls, depth ${preview.estimate?.depth ?? 0}${preview.skeleton!.levels < (preview.estimate?.depth ?? 0) ? ` (top ${preview.skeleton!.levels} levels drawn)` : ''} — no model called yet.`
    : undefined;

  return (
    <section className="dock run-dock" aria-label="Run" data-open={open}>
      <ReplayDriver />
      {/* biome-ignore lint/a11y/useSemanticElements: a resize handle for the dock, not a thematic break. */}
      <div
        className="dock-resize"
        role="separator"
        aria-orientation="horizontal"
        aria-label="Resize the run panel"
        aria-valuenow={height}
        aria-valuemin={MIN_H}
        tabIndex={0}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          resizing.current = { y: e.clientY, h: height };
        }}
        onPointerMove={(e) => {
          if (resizing.current) {
            const max = window.innerHeight - 160;
            setHeight(Math.min(max, Math.max(MIN_H, resizing.current.h + resizing.current.y - e.clientY)));
          }
        }}
        onPointerUp={() => {
          resizing.current = null;
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowUp') setHeight((h) => Math.min(window.innerHeight - 160, h + 40));
          else if (e.key === 'ArrowDown') setHeight((h) => Math.max(MIN_H, h - 40));
        }}
      />
      <div className="dock-bar">
        <button type="button" className="dock-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? '▾' : '▸'} Run
        </button>
        <span className="muted dock-title" data-testid="run-title">
          {record
            ? `${record.label}${replay ? ' — replay' : live ? ' — live' : ''} · ${view.status}`
            : showSkeleton
              ? 'Plan preview'
              : 'No run yet'}
        </span>
        <RunNotice />
        <Counters state={view} liveSince={live && record ? record.startedAt : null} />
      </div>
      {open && (
        <div className="dock-body" style={{ height }}>
          <div className="dock-left">
            <div className="tabs" role="tablist" aria-label="Run panels">
              {TABS.map((t) => (
                <button
                  key={t.id}
                  type="button"
                  role="tab"
                  id={`run-tab-${t.id}`}
                  aria-selected={tab === t.id}
                  aria-controls={`run-tabpanel-${t.id}`}
                  onClick={() => setTab(t.id)}
                >
                  {t.label}
                  {t.id === 'history' && runCount > 0 ? ` (${runCount})` : ''}
                </button>
              ))}
            </div>
            <div
              className="tab-body"
              role="tabpanel"
              id={`run-tabpanel-${tab}`}
              aria-labelledby={`run-tab-${tab}`}
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a panel whose text overflows is scrolled from the keyboard too (WAI-ARIA's tab pattern).
              tabIndex={0}
            >
              {tab === 'input' && <InputPanel />}
              {tab === 'plan' && <PlanPreview preview={preview} />}
              {tab === 'result' && <ResultPanel state={view} />}
              {tab === 'history' && (
                <Suspense fallback={<p className="muted">Loading the history…</p>}>
                  <HistoryPanel />
                </Suspense>
              )}
            </div>
          </div>
          <div className="dock-center">
            <RecursionTree state={treeState} live={live} caption={caption} />
            <Timeline state={view} selectedId={selectedId} onSelect={selectCall} />
          </div>
          <div className="dock-right">
            <CallInspector state={treeState} callId={selectedId} />
          </div>
        </div>
      )}
    </section>
  );
}
