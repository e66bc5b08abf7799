/**
 * Whether the editor may draw a wire, asked before it is made (while the user drags): the ports exist
 * and point the right way, the input is free, the wire does not leave a body, it closes no cycle, and
 * the types unify with everything already inferred.
 */
import type { Plan, PlanNode, PortRef } from '../format/plan.ts';
import type { Catalog } from '../nodes/catalog.ts';
import { type Analysis, analyse } from './typecheck.ts';
import { showChecked } from './unify.ts';

export type ConnectResult = { ok: true } | { ok: false; reason: string };

/**
 * The wire check for one plan, analysed once and asked many times: a drag asks it on every pointer move
 * over a port, while the plan stays the same. Asking leaves the analysis as it was (a trial unification).
 */
export function connectionChecker(
  plan: Plan,
  kinds?: Catalog,
): (from: PortRef, to: PortRef) => ConnectResult {
  let analysis: Analysis | { failed: string } | undefined;
  return (from, to) => {
    if (analysis === undefined) {
      try {
        analysis = analyse(plan, kinds);
      } catch (e) {
        analysis = { failed: e instanceof Error ? e.message : String(e) };
      }
    }
    if ('failed' in analysis)
      return { ok: false, reason: `the plan could not be analysed (${analysis.failed})` };
    try {
      return ask(analysis, from, to);
    } catch (e) {
      return {
        ok: false,
        reason: `the plan could not be analysed (${e instanceof Error ? e.message : String(e)})`,
      };
    }
  };
}

export function canConnect(plan: Plan, from: PortRef, to: PortRef, kinds?: Catalog): ConnectResult {
  return connectionChecker(plan, kinds)(from, to);
}

function ask(a: Analysis, from: PortRef, to: PortRef): ConnectResult {
  const source = a.nodes.get(from.node);
  const target = a.nodes.get(to.node);
  if (!source || !target) return { ok: false, reason: 'one end of the wire is not in the plan' };
  const out = a.portType(from.node, from.port, 'out');
  const inn = a.portType(to.node, to.port, 'in');
  if (!out) return { ok: false, reason: `${a.name(source)} has no output "${from.port}"` };
  if (!inn) return { ok: false, reason: `${a.name(target)} has no input "${to.port}"` };
  if (source.id === target.id) return { ok: false, reason: 'a node cannot feed itself' };
  if (a.incoming.has(`${target.id}\0${to.port}`))
    return { ok: false, reason: `${a.name(target)} input "${to.port}" already has a wire` };
  if (!a.enclosingScopes(target).includes(a.scopeOf(source)))
    return {
      ok: false,
      reason: `${a.name(source)} is inside a body that ${a.name(target)} is not in: a value leaves a body only through its container's output`,
    };
  if (a.reaches(a.vertexIn(target), a.vertexOut(source)))
    return {
      ok: false,
      reason: `this wire would close a loop (${describeLoop(target, source)}); only a Fix may recurse, through Self`,
    };
  if (!a.subst.unifies(out, inn))
    return {
      ok: false,
      reason: `${a.name(target)} input "${to.port}" expects ${showChecked(a.subst.resolve(inn))}, but this output gives ${showChecked(a.subst.resolve(out))}`,
    };
  return { ok: true };
}

function describeLoop(target: PlanNode, source: PlanNode): string {
  return `${target.id} already feeds ${source.id}`;
}
