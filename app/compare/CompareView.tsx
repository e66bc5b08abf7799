/**
 * λ-RLM and RLM side by side (docs/rlm.md): the two runs' recursion trees at once, each drawn by the same
 * tree component from its own run state, and the comparison table read off the two run logs
 * (`compareRuns`). Open while the runs go, the trees grow live; the table appears when both are done.
 */
import { useRef } from 'react';
import { compareRuns, type RunLogError } from '../../workers/lang/index.ts';
import { useModalDialog } from '../shell/useModalDialog.ts';
import { closeCompare, useAsk } from '../store/ask.ts';
import { emptyRun, type RunState } from '../store/run.ts';
import { type RunRecord, useRunSession } from '../store/runSession.ts';
import { RecursionTree } from '../trace/RecursionTree.tsx';
import './compare.css';

export default function CompareView() {
  return <CompareDialog />;
}

function useSide(runId: string | null, waiting: boolean): { record: RunRecord | undefined; live: boolean } {
  const liveRunId = useRunSession((s) => s.liveRunId);
  const id = runId ?? (waiting ? liveRunId : null);
  const record = useRunSession((s) => (id === null ? undefined : s.records.find((r) => r.runId === id)));
  return { record, live: id !== null && id === liveRunId };
}

function CompareDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  useModalDialog(ref);
  const compare = useAsk((s) => s.compare);
  const step = useAsk((s) => s.step);
  const plan = useSide(compare?.planRunId ?? null, step === 'running');
  const rlm = useSide(compare?.rlmRunId ?? null, step === 'rlm');
  let table: ReturnType<typeof compareRuns> | null = null;
  let problem: string | null = null;
  if (plan.record && rlm.record && !plan.live && !rlm.live) {
    try {
      table = compareRuns(plan.record.events, rlm.record.events);
    } catch (e) {
      problem = (e as RunLogError).message;
    }
  }
  return (
    <dialog
      ref={ref}
      className="dialog compare-dialog"
      aria-labelledby="compare-title"
      onClose={closeCompare}
      data-testid="compare-view"
    >
      <div className="dialog-head">
        <h2 id="compare-title">λ-RLM and RLM side by side</h2>
        <button type="button" onClick={closeCompare} aria-label="Close">
          ×
        </button>
      </div>
      <div className="compare-trees">
        <Pane
          title={`λ-RLM: ${plan.record?.label ?? 'the plan'}`}
          state={plan.record?.final ?? emptyRun}
          live={plan.live}
          testId="compare-tree-plan"
        />
        <Pane
          title="RLM: the model writes code"
          state={rlm.record?.final ?? emptyRun}
          live={rlm.live}
          testId="compare-tree-rlm"
        />
      </div>
      {table ? (
        <table className="compare-table" data-testid="compare-table">
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col">λ-RLM plan</th>
              <th scope="col">RLM</th>
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r) => (
              <tr key={r.key} data-row={r.key}>
                <th scope="row">{r.label}</th>
                <td>{r.plan}</td>
                <td>{r.rlm}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted" data-testid="compare-pending">
          {problem ?? 'The table appears when both runs are done.'}
        </p>
      )}
      <p className="muted compare-note">
        The plan's calls were bounded before it ran (N̂); RLM mode's were not: its code decided them as it
        went.
      </p>
    </dialog>
  );
}

function Pane({
  title,
  state,
  live,
  testId,
}: {
  title: string;
  state: RunState;
  live: boolean;
  testId: string;
}) {
  return (
    <section className="compare-pane" aria-label={title} data-testid={testId} data-status={state.status}>
      <h3>{title}</h3>
      <RecursionTree state={state} live={live} />
    </section>
  );
}
