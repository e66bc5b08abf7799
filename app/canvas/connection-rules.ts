/**
 * Whether the user may draw a wire, asked by the canvas while dragging. The language decides
 * (`canConnect`: ports, direction, bodies, loops, types); the editor adds one comfort: dropping a wire on
 * an input that already has one replaces it, so the old wire is left out of the question.
 */

import type { Plan, PortRef } from '../../workers/lang/index.ts';
import { canConnect } from '../../workers/lang/index.ts';

export function connectionProblem(plan: Plan, from: PortRef, to: PortRef): string | null {
  const wires = plan.wires.filter((w) => !(w.to.node === to.node && w.to.port === to.port));
  const r = canConnect(wires.length === plan.wires.length ? plan : { ...plan, wires }, from, to);
  return r.ok ? null : r.reason;
}
