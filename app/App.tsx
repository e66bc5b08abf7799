import { ReactFlowProvider } from '@xyflow/react';
import { lazy, Suspense, useEffect } from 'react';
import { CommandPalette } from './canvas/CommandPalette.tsx';
import { useSelection } from './canvas/selection.ts';
import { Notices } from './documents/Notices.tsx';
import { useEditorSession } from './documents/useEditorSession.ts';
import { Inspector } from './panels/inspector/Inspector.tsx';
import { Palette } from './panels/palette/Palette.tsx';
import { ProblemsPanel } from './panels/problems/ProblemsPanel.tsx';
import { RunDock } from './panels/run/RunDock.tsx';
import { Canvas } from './shell/Canvas.tsx';
import { Header } from './shell/Header.tsx';
import { StatusLine } from './shell/StatusLine.tsx';
import { useSideTab } from './shell/sideTab.ts';
import { StartPanel } from './start/StartPanel.tsx';
import { useAsk } from './store/ask.ts';

const CodeView = lazy(() => import('./code/CodeView.tsx'));
const CompareView = lazy(() => import('./compare/CompareView.tsx'));

export function App() {
  return (
    <ReactFlowProvider>
      <Shell />
    </ReactFlowProvider>
  );
}

/** λ-RLM and RLM side by side, loaded when first opened (it is not on the first screen). */
function Compare() {
  const open = useAsk((s) => s.compare?.open === true);
  return open ? (
    <Suspense fallback={null}>
      <CompareView />
    </Suspense>
  ) : null;
}

function Shell() {
  const { autoLayout } = useEditorSession();
  const tab = useSideTab((s) => s.tab);
  const setTab = useSideTab((s) => s.show);
  // Choosing a node on the canvas means inspecting it: the Start guide makes way for the inspector.
  useEffect(
    () =>
      useSelection.subscribe((s, prev) => {
        if (s.nodes.length > 0 && s.nodes !== prev.nodes && useSideTab.getState().tab === 'start')
          useSideTab.getState().show('inspector');
      }),
    [],
  );
  return (
    <div className="app">
      <Header onAutoLayout={autoLayout} />
      <aside className="sidebar palette" aria-label="Palette">
        <h2>Palette</h2>
        <Palette />
      </aside>
      <main className="canvas" aria-label="Pipeline editor">
        <div className="canvas-flow">
          <Canvas />
          <Notices />
          <Compare />
        </div>
        <ProblemsPanel />
      </main>
      <aside className="sidebar inspector" aria-label="Inspector">
        <div className="tabs" role="tablist" aria-label="Side panel">
          {(
            [
              ['start', 'Start'],
              ['inspector', 'Inspector'],
              ['term', 'λ-term'],
              ['json', 'JSON'],
            ] as const
          ).map(([id, title]) => (
            <button
              key={id}
              type="button"
              role="tab"
              id={`tab-${id}`}
              aria-selected={tab === id}
              aria-controls={`tabpanel-${id}`}
              className={tab === id ? 'tab active' : 'tab'}
              onClick={() => setTab(id)}
            >
              {title}
            </button>
          ))}
        </div>
        <div className="tabpanel" role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`}>
          {tab === 'start' ? (
            <StartPanel />
          ) : tab === 'inspector' ? (
            <Inspector />
          ) : (
            <Suspense fallback={<p className="muted">Loading editor…</p>}>
              <CodeView view={tab === 'term' ? 'term' : 'json'} />
            </Suspense>
          )}
        </div>
      </aside>
      <RunDock />
      <StatusLine />
      <CommandPalette />
    </div>
  );
}
