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

/**
 * Split by lines → Filter(Match "owl") → Map(LLM: where is the owl, else NOT_FOUND) → Reduce(best, with a
 * unit) → Output. On a document that names no owl the Filter keeps none (and passes all on, its default),
 * and a model that finds nothing gives an absent run.
 */
export function owlSearchPlan(): Plan {
  return planOf({
    name: 'owls',
    query: 'Where is the owl?',
    nodes: [
      { id: 'in', kind: 'Input' },
      { id: 'split', kind: 'Split', params: { mode: 'lines', lines: 1 } },
      { id: 'f', kind: 'Filter', label: 'Mentions an owl' },
      { id: 'f.in', kind: 'Entry', parent: 'f' },
      { id: 'm', kind: 'Match', parent: 'f', params: { keywords: 'owl' } },
      { id: 'f.out', kind: 'Exit', parent: 'f' },
      { id: 'map', kind: 'Map' },
      { id: 'map.in', kind: 'Entry', parent: 'map' },
      { id: 'ask', kind: 'LLM', parent: 'map', params: { template: 'Where? {{chunk}} (or NOT_FOUND)' } },
      { id: 'map.out', kind: 'Exit', parent: 'map' },
      { id: 'best', kind: 'Reduce', params: { op: 'best' } },
      { id: 'none', kind: 'Const', params: { type: 'Str', value: 'no pieces' } },
      { id: 'out', kind: 'Output' },
    ],
    wires: [
      ['in', 'text', 'split', 'text'],
      ['split', 'parts', 'f', 'items'],
      ['f.in', 'item', 'm', 'text'],
      ['m', 'match', 'f.out', 'keep'],
      ['f', 'kept', 'map', 'items'],
      ['map.in', 'item', 'ask', 'chunk'],
      ['ask', 'text', 'map.out', 'result'],
      ['map', 'results', 'best', 'items'],
      ['none', 'value', 'best', 'unit'],
      ['best', 'result', 'out', 'value'],
    ],
  });
}
