/** The recursion tree with its toolbar: canvas or list, fit, zoom, follow live. */
import { lazy, Suspense, useState } from 'react';
import type { RunState } from '../store/run.ts';
import { selectCall, setFollow, setTreeMode, toggleCollapsed, useRunSession } from '../store/runSession.ts';
import { int } from './format.ts';
import { TreeCanvas } from './TreeCanvas.tsx';

// The list view (and its virtualiser) loads when first shown: the first screen draws the tree.
const TreeList = lazy(() => import('./TreeList.tsx').then((m) => ({ default: m.TreeList })));

export function RecursionTree({
  state,
  live,
  caption,
}: {
  state: RunState;
  live: boolean;
  caption?: string;
}) {
  const selectedId = useRunSession((s) => s.selectedCallId);
  const collapsed = useRunSession((s) => s.collapsed);
  const follow = useRunSession((s) => s.follow);
  const mode = useRunSession((s) => s.treeMode);
  const [fitRequest, setFitRequest] = useState(0);
  const [zoomRequest, setZoomRequest] = useState<{ n: number; factor: number } | undefined>();
  const label = `Recursion tree: ${int(state.calls.size)} calls, depth ${state.maxDepth}.`;
  return (
    <div className="recursion-tree">
      <div className="trace-toolbar" role="toolbar" aria-label="Tree view">
        <div className="segmented" role="radiogroup" aria-label="Tree drawing">
          <label>
            <input type="radio" checked={mode === 'canvas'} onChange={() => setTreeMode('canvas')} /> Tree
          </label>
          <label>
            <input type="radio" checked={mode === 'list'} onChange={() => setTreeMode('list')} /> List
          </label>
        </div>
        {mode === 'canvas' && (
          <>
            <button
              type="button"
              onClick={() => setFitRequest((n) => n + 1)}
              title="Fit the tree (0)"
              aria-label="Fit the tree"
            >
              Fit
            </button>
            <button
              type="button"
              aria-label="Zoom in"
              onClick={() => setZoomRequest((z) => ({ n: (z?.n ?? 0) + 1, factor: 1.5 }))}
            >
              +
            </button>
            <button
              type="button"
              aria-label="Zoom out"
              onClick={() => setZoomRequest((z) => ({ n: (z?.n ?? 0) + 1, factor: 1 / 1.5 }))}
            >
              −
            </button>
          </>
        )}
        <label title="Keep the newest call in view while the run grows">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow live
        </label>
        <span className="muted tree-caption" title={caption ?? label}>
          {caption ?? label}
        </span>
        {collapsed.size > 0 && <span className="muted">{collapsed.size} collapsed</span>}
        <span className="muted hint">
          {mode === 'canvas' ? 'drag to pan · wheel to zoom · double-click to collapse' : ''}
        </span>
      </div>
      {state.calls.size === 0 ? (
        <div className="trace-empty muted">
          {live
            ? 'Waiting for the first call…'
            : 'Run the plan, or import a run log, to see its recursion tree here.'}
        </div>
      ) : mode === 'canvas' ? (
        <TreeCanvas
          state={state}
          selectedId={selectedId}
          collapsed={collapsed}
          follow={follow && live}
          onSelect={selectCall}
          onToggle={toggleCollapsed}
          onManualMove={() => follow && live && setFollow(false)}
          fitRequest={fitRequest}
          zoomRequest={zoomRequest}
          label={`${label} Drag to pan, wheel or + and − to zoom, 0 to fit, click a call to inspect it, Enter to collapse it. The List view reads the same tree aloud.`}
        />
      ) : (
        <Suspense fallback={<p className="muted">Loading the list…</p>}>
          <TreeList
            state={state}
            selectedId={selectedId}
            collapsed={collapsed}
            onSelect={selectCall}
            onToggle={toggleCollapsed}
            label={label}
          />
        </Suspense>
      )}
    </div>
  );
}
