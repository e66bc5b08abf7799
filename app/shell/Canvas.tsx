import { Background, Controls, MiniMap, ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';

export function Canvas() {
  return (
    <ReactFlow nodes={[]} edges={[]} colorMode="system" fitView proOptions={{ hideAttribution: true }}>
      <Background />
      <Controls />
      <MiniMap pannable zoomable />
    </ReactFlow>
  );
}
