/**
 * Live checking of the open document. Runs on the main thread, right after an edit that changes meaning
 * (nodes or wires; moving a node does not re-check): the checker is pure and takes milliseconds for
 * hundreds of nodes (see docs/benchmarks.md), while a round trip to the runtime worker would copy the whole
 * plan on every keystroke and add a frame of latency. Bursts of edits are coalesced into one check.
 */
import { create } from 'zustand';
import type { Diagnostic, Plan } from '../../workers/lang/index.ts';
import { check } from '../../workers/lang/index.ts';
import { useDocument } from '../store/document.ts';

export interface ChecksState {
  diagnostics: Diagnostic[];
  /** Resolved port types as written (`List<Str>`): node id → port → type. */
  portTypes: Map<string, Map<string, string>>;
  /** Milliseconds the last check took (shown in the problems panel's title, used by the benchmark). */
  lastMs: number;
  /**
   * The planner's refusals for the plan on the current input and model (a call that could exceed the
   * window), from the plan preview's estimate: shown on their nodes like the checker's errors.
   */
  refusals: Diagnostic[];
}

export const useChecks = create<ChecksState>()(() => ({
  diagnostics: [],
  portTypes: new Map(),
  lastMs: 0,
  refusals: [],
}));

function checkPlan(plan: Plan): Omit<ChecksState, 'lastMs' | 'refusals'> {
  const r = check(plan);
  const portTypes = new Map<string, Map<string, string>>();
  for (const [node, ports] of Object.entries(r.portTypes))
    portTypes.set(node, new Map(Object.entries(ports)));
  return { diagnostics: r.diagnostics, portTypes };
}

let scheduled: ReturnType<typeof setTimeout> | null = null;
let checkedNodes: unknown = null;
let checkedWires: unknown = null;
let checkedQuery: unknown = null;

function run(): void {
  scheduled = null;
  const plan = useDocument.getState().plan;
  if (plan.nodes === checkedNodes && plan.wires === checkedWires && plan.query === checkedQuery) return;
  checkedNodes = plan.nodes;
  checkedWires = plan.wires;
  checkedQuery = plan.query;
  const t0 = performance.now();
  const result = checkPlan(plan);
  useChecks.setState({ ...result, lastMs: performance.now() - t0 });
}

useDocument.subscribe((s, prev) => {
  if (
    s.plan.nodes === prev.plan.nodes &&
    s.plan.wires === prev.plan.wires &&
    s.plan.query === prev.plan.query
  )
    return;
  if (scheduled === null) scheduled = setTimeout(run, 0);
});
run();
