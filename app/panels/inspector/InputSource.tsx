import { useId, useMemo, useState } from 'react';
import type { PlanNode, PortSpec } from '../../../workers/lang/index.ts';
import { specOf } from '../../editor/kinds.ts';
import { sourcesFor } from '../../editor/wiring.ts';
import { beginGesture, endGesture, useDocument } from '../../store/document.ts';

const NONE = '';
const key = (node: string, port: string) => `${node}\u0000${port}`;

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
    () =>
      active
        ? sourcesFor(plan, node, port.name).map((s) => ({ value: key(s.node, s.port), label: s.label }))
        : [],
    [active, plan, node, port.name],
  );
  const source = wire ? plan.nodes.find((n) => n.id === wire.from.node) : undefined;
  const currentLabel = wire
    ? `${source?.label ?? `${specOf(source?.kind ?? '')?.title ?? ''} ${wire.from.node}`.trim()} · ${wire.from.port}`
    : null;
  return (
    <div className="input-source">
      <label htmlFor={id} className="visually-hidden">
        Source of input {port.name}
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
