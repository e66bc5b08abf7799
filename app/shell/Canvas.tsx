import { FlowCanvas } from '../canvas/FlowCanvas.tsx';

export function Canvas() {
  return <FlowCanvas />;
}
