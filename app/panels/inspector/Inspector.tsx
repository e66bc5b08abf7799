import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PlanNode } from '../../../workers/lang/index.ts';
import {
  catalog,
  RESERVED_VARIABLES,
  resolveParams,
  showType,
  validateParams,
} from '../../../workers/lang/index.ts';
import { useChecks } from '../../canvas/checks.ts';
import { useSelection } from '../../canvas/selection.ts';
import { specOf } from '../../editor/kinds.ts';
import { breakMerge, useDocument } from '../../store/document.ts';
import { InputSource } from './InputSource.tsx';
import { ParamField } from './ParamField.tsx';

/** Parameters of the selected node, or of the document when nothing is selected. */
export function Inspector() {
  const selected = useSelection(useShallow((s) => s.nodes));
  const node = useDocument((s) =>
    selected.length === 1 ? s.plan.nodes.find((n) => n.id === selected[0]) : undefined,
  );
  if (selected.length > 1)
    return (
      <p className="muted" data-testid="inspector-multi">
        {selected.length} nodes selected. Delete, copy or duplicate them together, or drag them as one.
      </p>
    );
  if (!node) return <DocumentProperties />;
  return <NodeProperties key={node.id} node={node} />;
}

function DocumentProperties() {
  const plan = useDocument((s) => s.plan);
  const descId = useId();
  const queryId = useId();
  return (
    <div className="inspector-doc">
      <h3 className="inspector-title">Document</h3>
      <div className="field">
        <label htmlFor={queryId}>Query</label>
        <textarea
          id={queryId}
          rows={3}
          value={plan.query}
          onChange={(e) => useDocument.getState().setQuery(e.target.value)}
          onBlur={breakMerge}
        />
        <div className="field-hint">The question, available to every LLM template as {'{{query}}'}.</div>
      </div>
      <div className="field">
        <label htmlFor={descId}>Description</label>
        <textarea
          id={descId}
          rows={4}
          value={plan.description}
          onChange={(e) => useDocument.getState().setDescription(e.target.value)}
          onBlur={breakMerge}
        />
      </div>
      <p className="muted">
        {plan.nodes.length} nodes, {plan.wires.length} wires. Select a node to edit its parameters.
      </p>
    </div>
  );
}

function NodeProperties({ node }: { node: PlanNode }) {
  const spec = specOf(node.kind);
  const labelId = useId();
  const diagnostics = useChecks((s) => s.diagnostics);
  const portTypes = useChecks((s) => s.portTypes.get(node.id));
  const plan = useDocument((s) => s.plan);
  if (!spec) return <p className="error-text">Unknown node kind {node.kind}.</p>;
  const params = resolveParams(node.kind, node.params);
  const problems = new Map<string, string>();
  for (const d of validateParams(node.kind, node.params, node.id)) {
    const param = (d as { param?: string }).param;
    if (param && !problems.has(param)) problems.set(param, d.message);
  }
  const ports = (() => {
    try {
      return spec.ports(node, plan, catalog);
    } catch {
      return { inputs: [], outputs: [] };
    }
  })();
  const variables = [...RESERVED_VARIABLES, ...ports.inputs.map((p) => p.name).filter((n) => n !== 'chunk')];
  const mine = diagnostics.filter((d) => d.nodeId === node.id);
  const set = (name: string, value: unknown) => useDocument.getState().setParam(node.id, name, value);

  return (
    <form
      className="inspector-node"
      aria-label={`${spec.title} ${node.id}`}
      onSubmit={(e) => e.preventDefault()}
    >
      <h3 className="inspector-title">
        {spec.title} <span className="muted mono">{node.id}</span>
      </h3>
      <p className="muted">{spec.description}</p>
      <div className="field">
        <label htmlFor={labelId}>Label</label>
        <input
          id={labelId}
          type="text"
          value={node.label ?? ''}
          placeholder={spec.title}
          maxLength={200}
          onChange={(e) => useDocument.getState().setLabel(node.id, e.target.value)}
          onBlur={breakMerge}
        />
      </div>
      {spec.params
        .filter((p) => !p.visible || p.visible(params))
        .map((p) => (
          <ParamField
            key={p.name}
            spec={p}
            value={params[p.name]}
            problem={problems.get(p.name) ?? null}
            variables={variables}
            onChange={(v) => set(p.name, v)}
          />
        ))}
      {(ports.inputs.length > 0 || ports.outputs.length > 0) && (
        <section className="inspector-ports" aria-label="Ports">
          <h4>Ports</h4>
          <ul>
            {ports.inputs.map((p) => (
              <li key={`in-${p.name}`}>
                in <b>{p.name}</b>: <code>{portTypes?.get(p.name) ?? showType(p.type)}</code>
                {p.optional ? ' (optional)' : ''}
                <InputSource node={node} port={p} />
              </li>
            ))}
            {ports.outputs.map((p) => (
              <li key={`out-${p.name}`}>
                out <b>{p.name}</b>: <code>{portTypes?.get(p.name) ?? showType(p.type)}</code>
              </li>
            ))}
          </ul>
        </section>
      )}
      {mine.length > 0 && (
        <section aria-label="Problems of this node">
          <h4>Problems</h4>
          <ul className="inspector-problems">
            {mine.map((d) => (
              <li key={`${d.code}-${d.port ?? ''}-${d.message}`} className={`sev-${d.severity}`}>
                {d.port ? <b>{d.port}: </b> : null}
                {d.message}
              </li>
            ))}
          </ul>
        </section>
      )}
    </form>
  );
}
