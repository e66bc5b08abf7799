/**
 * Whether the user may draw a wire, asked by the canvas while dragging. The language decides
 * (`connectionChecker`: ports, direction, bodies, loops, types); the editor adds one comfort: dropping a
 * wire on an input that already has one replaces it, so the old wire is left out of the question.
 *
 * A drag asks on every pointer move over a port while the plan stays the same object, so the analysis is
 * made once per plan (and per replaced wire) and reused: plans are immutable, and a plan that is gone
 * takes its analyses with it.
 */
import type { Plan, PortRef } from '../../workers/lang/index.ts';
import { connectionChecker } from '../../workers/lang/index.ts';

type Ask = (from: PortRef, to: PortRef) => string | null;

const rulesByPlan = new WeakMap<Plan, Ask>();

/** The wire question for this plan; ask it as often as needed. */
export function connectionRules(plan: Plan): Ask {
  let rules = rulesByPlan.get(plan);
  if (rules) return rules;
  // One checker per wire left out ('' for none): an input that already has a wire is asked without it.
  const checkers = new Map<string, ReturnType<typeof connectionChecker>>();
  rules = (from, to) => {
    const replaced = plan.wires.filter((w) => w.to.node === to.node && w.to.port === to.port);
    const key = replaced.map((w) => w.id).join('\u0000');
    let check = checkers.get(key);
    if (!check) {
      check = connectionChecker(
        replaced.length > 0 ? { ...plan, wires: plan.wires.filter((w) => !replaced.includes(w)) } : plan,
      );
      checkers.set(key, check);
    }
    const r = check(from, to);
    return r.ok ? null : r.reason;
  };
  rulesByPlan.set(plan, rules);
  return rules;
}

export function connectionProblem(plan: Plan, from: PortRef, to: PortRef): string | null {
  return connectionRules(plan)(from, to);
}
