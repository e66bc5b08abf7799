/**
 * Run controls in the header: Run (through the leaf cache), Abort, Re-run, Run without cache, and Run from
 * the node selected on the canvas. Keyboard: Ctrl/⌘+Enter runs, Escape (while running) aborts.
 */
import { useEffect, useMemo } from 'react';
import { useSelection } from '../../canvas/selection.ts';
import { useDocument } from '../../store/document.ts';
import { useRunSession } from '../../store/runSession.ts';
import { abortRun, rerun, startRlmRun, startRun, useRunController } from './runController.ts';
import { runFromSelection } from './runFrom.ts';

export function RunControls() {
  const liveRunId = useRunSession((s) => s.liveRunId);
  const starting = useRunController((s) => s.starting);
  const last = useRunController((s) => s.last);
  const selected = useSelection((s) => s.nodes);
  const plan = useDocument((s) => s.plan);
  const from = useMemo(() => runFromSelection(plan, selected), [plan, selected]);
  const running = liveRunId !== null || starting;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void startRun();
      } else if (e.key === 'Escape' && useRunSession.getState().liveRunId !== null) {
        void abortRun();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="run-controls">
      {running ? (
        <button type="button" className="danger" onClick={() => void abortRun()} data-testid="run-abort">
          ■ Abort
        </button>
      ) : (
        <button
          type="button"
          className="primary"
          onClick={() => void startRun()}
          title="Run the plan over the input (Ctrl+Enter); unchanged leaves come from the cache"
          data-testid="run-start"
        >
          ▶ Run
        </button>
      )}
      <button type="button" onClick={() => void rerun()} disabled={running || !last} data-testid="run-again">
        Re-run
      </button>
      <details className="run-more">
        <summary aria-label="More ways to run">▾</summary>
        <div className="run-menu">
          <button
            type="button"
            onClick={(e) => {
              e.currentTarget.closest('details')?.removeAttribute('open');
              void startRun({ useCache: false, label: `${useDocument.getState().plan.name} (no cache)` });
            }}
            disabled={running}
          >
            Run without cache
            <span className="muted">every leaf asks the model again</span>
          </button>
          <button
            type="button"
            disabled={running || !from.ok}
            onClick={(e) => {
              e.currentTarget.closest('details')?.removeAttribute('open');
              if (!from.ok) return;
              void startRun({
                label: `${useDocument.getState().plan.name} (from ${from.name})`,
                refreshNodes: [from.nodeId],
              });
            }}
            data-testid="run-from-node"
          >
            Run from the selected node
            <span className="muted">
              {from.ok
                ? `${from.name} and everything after it ask the model again; what comes before is reused from the cache`
                : from.reason}
            </span>
          </button>
          <button
            type="button"
            disabled={running}
            onClick={(e) => {
              e.currentTarget.closest('details')?.removeAttribute('open');
              void startRlmRun();
            }}
            data-testid="run-rlm"
          >
            Run as RLM
            <span className="muted">
              no plan: the model writes JavaScript that reads the input in a sandbox and asks itself about
              pieces
            </span>
          </button>
        </div>
      </details>
    </div>
  );
}

/**
 * Why a run could not start, shown in the run panel's bar rather than the header, so a long reason never
 * pushes the header's buttons over each other.
 */
export function RunNotice() {
  const notice = useRunController((s) => s.notice);
  if (!notice) return null;
  return (
    <span
      className={notice.error ? 'run-notice error' : 'run-notice'}
      role={notice.error ? 'alert' : 'status'}
    >
      {notice.text}
    </span>
  );
}
