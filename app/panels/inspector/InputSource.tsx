import { useId, useMemo, useState } from 'react';
import type { Plan, PlanNode, PortSpec } from '../../../workers/lang/index.ts';
import { catalog } from '../../../workers/lang/index.ts';
import { connectionProblem } from '../../canvas/connection-rules.ts';
import { specOf } from '../../canvas/specs.ts';
import { beginGesture, endGesture, useDocument } from '../../store/document.ts';

const NONE = '';
const key = (node: string, port: string) => `${node}\u0000${port}`;

/** Every output the language would accept into this input (same rules as dragging a wire). */
function candidates(plan: Plan, node: PlanNode, port: string): { value: string; label: string }[] {
  const out: { value: string; label: string }[] = [];
  for (const n of plan.nodes) {
    if (n.id === node.id) continue;
    const spec = specOf(n.kind);
    if (!spec) continue;
    let outputs: PortSpec[] = [];
    try {
      outputs = spec.ports(n, plan, catalog).outputs;
    } catch {
      continue;
    }
    for (const o of outputs) {
      if (connectionProblem(plan, { node: n.id, port: o.name }, { node: node.id, port }) !== null) continue;
      const name = n.label ?? `${spec.title} ${n.id}`;
      out.push({ value: key(n.id, o.name), label: outputs.length > 1 ? `${name} · ${o.label}` : name });
    }
  }
  return out;
}

/**
 * Which output feeds an input, chosen from a list: the keyboard's way to wire (and a quick one with the
 * mouse on a large canvas). The list holds only the outputs that may connect here.
 */
export function InputSource({ node, port }: { node: PlanNode; port: PortSpec }) {
  const id = useId();
  const plan = useDocument((s) => s.plan);
  const wire = plan.wires.find((w) => w.to.node === node.id && w.to.port === port.name);
  const current = wire ? key(wire.from.node, wire.from.port) : NONE;
  // Asking the checker about every output costs a little per node: done when the list is about to be used.
  const [active, setActive] = useState(false);
  const options = useMemo(
    () => (active ? candidates(plan, node, port.name) : []),
    [active, plan, node, port.name],
  );
  const source = wire ? plan.nodes.find((n) => n.id === wire.from.node) : undefined;
  const currentLabel = wire
    ? `${source?.label ?? `${specOf(source?.kind ?? '')?.title ?? ''} ${wire.from.node}`.trim()} · ${wire.from.port}`
    : null;
  return (
    <div className="input-source">
      <label htmlFor={id} className="visually-hidden">
        Source of input {port.label}
      </label>
      <select
        id={id}
        value={current}
        onFocus={() => setActive(true)}
        onPointerDown={() => setActive(true)}
        onChange={(e) => {
          const doc = useDocument.getState();
          beginGesture();
          try {
            if (wire) doc.disconnect([wire.id]);
            if (e.target.value !== NONE) {
              const [from, fromPort] = e.target.value.split('\u0000') as [string, string];
              doc.connect({ node: from, port: fromPort }, { node: node.id, port: port.name });
            }
          } finally {
            endGesture();
          }
        }}
      >
        <option value={NONE}>— not connected —</option>
        {wire && !options.some((o) => o.value === current) && <option value={current}>{currentLabel}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
