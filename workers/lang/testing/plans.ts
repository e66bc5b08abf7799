/**
 * TEST HELPER. Small plans written in tests: wires from `[from, port, to, port]` rows, and a plan of the
 * current format from nodes and wires.
 */
import { PLAN_VERSION, type Plan, type PlanInput, planSchema } from '../format/plan.ts';

export type WireRow = readonly [string, string, string, string];

export const wires = (rows: readonly WireRow[]) =>
  rows.map(([a, b, c, d], i) => ({ id: `w${i}`, from: { node: a, port: b }, to: { node: c, port: d } }));

export function planOf(
  doc: Omit<PlanInput, 'format' | 'version' | 'name' | 'wires'> & {
    name?: string;
    wires: readonly WireRow[];
  },
): Plan {
  return planSchema.parse({
    format: 'fixpoint/plan',
    version: PLAN_VERSION,
    name: 'test',
    ...doc,
    wires: wires(doc.wires),
  });
}
