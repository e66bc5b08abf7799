import { Handle, type NodeProps, NodeResizer, Position } from '@xyflow/react';
import { memo } from 'react';
import { laneId } from '../editor/geometry.ts';
import { explainSymbols } from '../shell/glossary.tsx';
import { beginGesture, endGesture, useDocument } from '../store/document.ts';
import { NodeRunBadge } from '../trace/NodeRunBadge.tsx';
import type { LaneFlowNode, PlanFlowNode, PlanNodeData, PortView } from './flow-model.ts';

function PortRow({ port, side }: { port: PortView; side: 'in' | 'out' }) {
  const title = `${port.name}: ${port.type}${port.optional ? ' (optional)' : ''}${port.description ? ` — ${port.description}` : ''}${port.error ? `\n⚠ ${port.error}` : ''}`;
  return (
    <div
      className={`port port-${side}${port.error ? ' port-error' : ''}`}
      title={title}
      data-port={port.name}
      data-port-type={port.type}
      data-error={port.error ?? undefined}
    >
      <Handle
        type={side === 'in' ? 'target' : 'source'}
        position={side === 'in' ? Position.Left : Position.Right}
        id={port.name}
        className="handle"
        style={{ background: port.error ? 'var(--error)' : port.color }}
      />
      <span className="port-label">{port.label}</span>
      <span className="port-type" style={{ color: port.color }}>
        {port.type}
      </span>
    </div>
  );
}

function Ports({ inputs, outputs }: { inputs: PortView[]; outputs: PortView[] }) {
  if (inputs.length === 0 && outputs.length === 0) return null;
  return (
    <div className="ports">
      <div className="ports-in">
        {inputs.map((p) => (
          <PortRow key={p.name} port={p} side="in" />
        ))}
      </div>
      <div className="ports-out">
        {outputs.map((p) => (
          <PortRow key={p.name} port={p} side="out" />
        ))}
      </div>
    </div>
  );
}

function Problems({
  problems,
  ports,
  nodeId,
  fix,
}: {
  problems: string[];
  ports: PortView[];
  nodeId: string;
  fix: PlanNodeData['fix'];
}) {
  const portProblems = ports.filter((p) => p.error).map((p) => `${p.label}: ${p.error}`);
  const all = [...problems, ...portProblems];
  if (all.length === 0) return null;
  return (
    <div className="node-problems" role="note">
      {all.slice(0, 2).map((m) => (
        <div key={m} className="node-problem">
          ⚠ {m}
        </div>
      ))}
      {all.length > 2 && <div className="node-problem">+{all.length - 2} more</div>}
      {fix?.kind === 'split-before' && (
        <button
          type="button"
          className="node-fix nodrag"
          data-testid="fix-split-before"
          onClick={(e) => {
            e.stopPropagation();
            useDocument.getState().splitBefore(nodeId);
          }}
        >
          {fix.label}
        </button>
      )}
    </div>
  );
}

const hasError = (data: PlanNodeData): boolean =>
  data.problems.length > 0 || [...data.inputs, ...data.outputs].some((p) => p.error);

/** The classes a node or container box carries: its group and kind, selection, problems, an offending path. */
function boxClass(base: string, data: PlanNodeData, selected: boolean | undefined): string {
  return `${base} group-${data.group} kind-${data.kind}${selected ? ' selected' : ''}${hasError(data) ? ' has-error' : ''}${data.onPath ? ' on-path' : ''}`;
}

function ErrorBadge({ data }: { data: PlanNodeData }) {
  return hasError(data) ? (
    <span className="node-badge" role="img" aria-label="has problems">
      !
    </span>
  ) : null;
}

/** An ordinary node: title, ports labelled and coloured by type, key parameters, problems. */
const PlanNodeView = memo(function PlanNodeView({ data, selected }: NodeProps<PlanFlowNode>) {
  return (
    <div className={boxClass('fp-node', data, selected)} data-kind={data.kind} data-node-id={data.nodeId}>
      <div className="node-head">
        <span className="node-title">{data.label ?? data.title}</span>
        {data.label && <span className="node-kind">{data.title}</span>}
        <NodeRunBadge nodeId={data.nodeId} />
        <ErrorBadge data={data} />
      </div>
      {data.summary && (
        <div className="node-summary" title={explainSymbols(data.summary) || undefined}>
          {data.summary}
        </div>
      )}
      <Ports inputs={data.inputs} outputs={data.outputs} />
      <Problems
        problems={data.problems}
        ports={[...data.inputs, ...data.outputs]}
        nodeId={data.nodeId}
        fix={data.fix}
      />
    </div>
  );
});

/** A container (Map, Filter, Reduce, Fix): header with its own ports, bodies drawn as lanes inside. */
const ContainerNodeView = memo(function ContainerNodeView({ id, data, selected }: NodeProps<PlanFlowNode>) {
  return (
    <div
      className={boxClass('fp-container', data, selected)}
      data-kind={data.kind}
      data-node-id={data.nodeId}
    >
      <NodeResizer
        isVisible={selected}
        minWidth={260}
        minHeight={160}
        onResizeStart={() => beginGesture()}
        onResize={(_e, p) => useDocument.getState().resizeNode(id, { width: p.width, height: p.height })}
        onResizeEnd={() => endGesture()}
      />
      <div className="container-head">
        <span className="node-title">{data.label ?? data.title}</span>
        {data.label && <span className="node-kind">{data.title}</span>}
        {data.summary && (
          <span className="node-summary inline" title={explainSymbols(data.summary) || undefined}>
            {data.summary}
          </span>
        )}
        <NodeRunBadge nodeId={data.nodeId} />
        <ErrorBadge data={data} />
      </div>
      <div className="container-ports">
        <Ports inputs={data.inputs} outputs={data.outputs} />
      </div>
      <Problems
        problems={data.problems}
        ports={[...data.inputs, ...data.outputs]}
        nodeId={data.nodeId}
        fix={data.fix}
      />
    </div>
  );
});

const LaneNodeView = memo(function LaneNodeView({ data }: NodeProps<LaneFlowNode>) {
  return (
    <div className={`fp-lane lane-${data.slot}`} data-lane={laneId(data.containerId, data.slot)}>
      <span className="lane-title" title={explainSymbols(data.title) || undefined}>
        {data.title}
      </span>
    </div>
  );
});

export const nodeTypes = { plan: PlanNodeView, container: ContainerNodeView, lane: LaneNodeView };
