/**
 * Which wires the language would accept, asked from one port: the sources that may feed an input, the
 * inputs an output may feed, and the first wire that joins one node to the next. The keyboard's ways to wire
 * (the inspector's lists, the command palette's "connect" and "add after") all ask here, under the same rules
 * as dragging a wire (`connectionProblem`).
 */
import type { Plan, PlanNode, PortRef, PortSpec } from '../../workers/lang/index.ts';
import { catalog } from '../../workers/lang/index.ts';
import { connectionProblem } from './connection-rules.ts';
import { specOf } from './kinds.ts';

export interface PortEnd extends PortRef {
  /** How the port is shown: "Chunks · pieces", or the node's name alone when it has one port that way. */
  label: string;
}

function portsOf(plan: Plan, n: PlanNode): { inputs: PortSpec[]; outputs: PortSpec[] } {
  const spec = specOf(n.kind);
  if (!spec) return { inputs: [], outputs: [] };
  try {
    return spec.ports(n, plan, catalog);
  } catch {
    return { inputs: [], outputs: [] };
  }
}

/** A node as people read it: its label, or its kind's title and id. */
export function nodeName(n: PlanNode): string {
  return n.label ?? `${specOf(n.kind)?.title ?? n.kind} ${n.id}`;
}

/** Every output that may be wired into input `port` of `node`. */
export function sourcesFor(plan: Plan, node: PlanNode, port: string): PortEnd[] {
  const out: PortEnd[] = [];
  for (const n of plan.nodes) {
    if (n.id === node.id) continue;
    const outputs = portsOf(plan, n).outputs;
    for (const o of outputs) {
      if (connectionProblem(plan, { node: n.id, port: o.name }, { node: node.id, port }) !== null) continue;
      out.push({
        node: n.id,
        port: o.name,
        label: outputs.length > 1 ? `${nodeName(n)} · ${o.name}` : nodeName(n),
      });
    }
  }
  return out;
}

/** Every input that output `port` of `node` may be wired into (inputs already fed are included: replaced). */
export function targetsFor(plan: Plan, node: PlanNode, port: string): PortEnd[] {
  const out: PortEnd[] = [];
  for (const n of plan.nodes) {
    if (n.id === node.id) continue;
    const inputs = portsOf(plan, n).inputs;
    for (const i of inputs) {
      if (connectionProblem(plan, { node: node.id, port }, { node: n.id, port: i.name }) !== null) continue;
      out.push({
        node: n.id,
        port: i.name,
        label: inputs.length > 1 ? `${nodeName(n)} · ${i.name}` : nodeName(n),
      });
    }
  }
  return out;
}

/**
 * The wire that joins `from` to `to` the way a pipeline reads: the first output of `from` into the first
 * input of `to` that is free and accepts it. Null when no such pair exists.
 */
export function firstWire(plan: Plan, from: string, to: string): { from: PortRef; to: PortRef } | null {
  const a = plan.nodes.find((n) => n.id === from);
  const b = plan.nodes.find((n) => n.id === to);
  if (!a || !b) return null;
  const fed = new Set(plan.wires.filter((w) => w.to.node === to).map((w) => w.to.port));
  for (const o of portsOf(plan, a).outputs)
    for (const i of portsOf(plan, b).inputs) {
      if (fed.has(i.name)) continue;
      const f = { node: from, port: o.name };
      const t = { node: to, port: i.name };
      if (connectionProblem(plan, f, t) === null) return { from: f, to: t };
    }
  return null;
}
