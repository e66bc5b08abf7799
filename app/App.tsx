import { ReactFlowProvider } from '@xyflow/react';
import { lazy, Suspense, useState } from 'react';
import { Notices } from './documents/Notices.tsx';
import { useEditorSession } from './documents/useEditorSession.ts';
import { Inspector } from './panels/inspector/Inspector.tsx';
import { Palette } from './panels/palette/Palette.tsx';
import { ProblemsPanel } from './panels/problems/ProblemsPanel.tsx';
import { RunDock } from './panels/run/RunDock.tsx';
import { Canvas } from './shell/Canvas.tsx';
import { Header } from './shell/Header.tsx';
import { StatusLine } from './shell/StatusLine.tsx';

const CodeView = lazy(() => import('./code/CodeView.tsx'));

type SideTab = 'inspector' | 'term' | 'json';

export function App() {
  return (
    <ReactFlowProvider>
      <Shell />
    </ReactFlowProvider>
  );
}

function Shell() {
  const { autoLayout } = useEditorSession();
  const [tab, setTab] = useState<SideTab>('inspector');
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
        </div>
        <ProblemsPanel />
      </main>
      <aside className="sidebar inspector" aria-label="Inspector">
        <div className="tabs" role="tablist" aria-label="Side panel">
          {(
            [
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
          {tab === 'inspector' ? (
            <Inspector />
          ) : (
            <Suspense fallback={<p className="muted">Loading editor…</p>}>
              <CodeView view={tab} />
            </Suspense>
          )}
        </div>
      </aside>
      <RunDock />
      <StatusLine />
    </div>
  );
}
