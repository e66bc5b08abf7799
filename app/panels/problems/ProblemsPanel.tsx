import { useState } from 'react';
import { useChecks } from '../../canvas/checks.ts';
import { useSelection } from '../../canvas/selection.ts';
import { useDocument } from '../../store/document.ts';

/** Every problem the checker found; choosing one selects its node and brings it into view. */
export function ProblemsPanel() {
  const plan = useDocument((s) => s.plan);
  // An empty pipeline is a start, not a mistake: nothing is reported until there is something to check.
  const checked = useChecks((s) => s.diagnostics);
  // The planner's refusals (a leaf that could exceed its window) are shown with the checker's problems.
  const refusals = useChecks((s) => s.refusals);
  const diagnostics =
    plan.nodes.length === 0 ? [] : refusals.length > 0 ? [...checked, ...refusals] : checked;
  const [open, setOpen] = useState(true);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const nameOf = (id: string) => {
    const n = plan.nodes.find((x) => x.id === id);
    return n ? (n.label ?? `${n.kind} ${n.id}`) : id;
  };
  return (
    <section className="problems" aria-label="Problems" data-open={open}>
      <button type="button" className="problems-head" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span>Problems</span>
        <span className={errors ? 'count count-error' : 'count count-ok'} data-testid="problem-count">
          {plan.nodes.length === 0
            ? 'nothing to check yet'
            : errors === 0 && warnings === 0
              ? '✓ type-checks'
              : `${errors} error${errors === 1 ? '' : 's'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`}
        </span>
      </button>
      {open && diagnostics.length > 0 && (
        <ul className="problem-list">
          {diagnostics.map((d, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: diagnostics have no identity; the list is rebuilt
            <li key={i}>
              <button
                type="button"
                className={`problem sev-${d.severity}`}
                disabled={!d.nodeId}
                onClick={() => d.nodeId && useSelection.getState().focus([d.nodeId])}
              >
                <span className="problem-sev" aria-hidden="true">
                  {d.severity === 'error' ? '●' : '▲'}
                </span>
                <span className="visually-hidden">{d.severity}: </span>
                {d.nodeId && (
                  <span className="problem-where">
                    {nameOf(d.nodeId)}
                    {d.port ? ` · ${d.port}` : ''}
                  </span>
                )}
                <span className="problem-msg">{d.message}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
