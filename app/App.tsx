import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './shell/Canvas.tsx';
import { Header } from './shell/Header.tsx';
import { StatusLine } from './shell/StatusLine.tsx';

export function App() {
  return (
    <ReactFlowProvider>
      <div className="app">
        <Header />
        <aside className="sidebar palette" aria-label="Palette">
          <h2>Palette</h2>
        </aside>
        <main className="canvas" aria-label="Pipeline canvas">
          <Canvas />
        </main>
        <aside className="sidebar inspector" aria-label="Inspector">
          <h2>Inspector</h2>
          <p className="muted">Select a node to see its parameters.</p>
        </aside>
        <StatusLine />
      </div>
    </ReactFlowProvider>
  );
}
