/** The final result, as text, with a copy button; or the run's error in words. */
import { useMemo, useState } from 'react';
import { noAnswerFound, sampleKind } from '../../../workers/lang/index.ts';
import { useInput } from '../../store/input.ts';
import type { RunState } from '../../store/run.ts';
import { errorSentence } from '../../trace/format.ts';

export function resultText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** A node as the result names it: its label, else its kind and id. */
function filterName(state: RunState, nodeId: string): string {
  const n = state.plan?.nodes.find((x) => x.id === nodeId);
  return n ? (n.label ? `${n.kind} “${n.label}”` : `${n.kind} ${n.id}`) : nodeId;
}

export function ResultPanel({ state }: { state: RunState }) {
  const expected = useInput((s) => s.expected);
  const [copied, setCopied] = useState(false);
  const text = useMemo(() => (state.hasResult ? resultText(state.result) : ''), [state]);
  const check = useMemo(() => {
    if (!state.hasResult || !expected) return null;
    const gen = sampleKind(expected.generator);
    return gen ? gen.isCorrect(state.result, expected.value) : null;
  }, [state, expected]);

  // The sample's expected answer is shown beside the result ("differs" alone said nothing useful).
  const expectedText = check !== null && expected ? resultText(expected.value) : null;
  if (state.status === 'idle') return <p className="muted">No result yet.</p>;
  return (
    <div className="result-panel" data-testid="run-result">
      {state.status === 'running' && <p className="muted">Running…</p>}
      {state.error && (
        <div className="call-error" role="alert">
          <strong>{state.error.kind}.</strong> {errorSentence(state.error.kind, state.error.message)}
        </div>
      )}
      {state.emptyFilters.length > 0 && (
        <ul className="notes" data-testid="empty-filters">
          {state.emptyFilters.map((f) => (
            <li key={f.callId}>
              {filterName(state, f.nodeId)} kept 0 of {f.of.toLocaleString('en')} pieces
              {f.policy === 'all'
                ? ': all of them went on to what follows (its policy: all).'
                : f.policy === 'error'
                  ? ': its policy stopped the run.'
                  : ': nothing after it read any (its policy: none).'}
            </li>
          ))}
        </ul>
      )}
      {state.absent && (
        <p className="result-absent" data-testid="result-absent">
          <strong>{noAnswerFound(state.totals?.leafCalls ?? state.counters.leafCalls)}</strong>: every piece
          the model read answered that it does not hold the answer.
        </p>
      )}
      {state.hasResult && (
        <>
          <div className="input-actions">
            <strong>Result</strong>
            <button
              type="button"
              onClick={async () => {
                await navigator.clipboard.writeText(text);
                setCopied(true);
                setTimeout(() => setCopied(false), 1500);
              }}
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
            {check !== null && (
              <span className={check ? 'ok' : 'error'} data-testid="result-check">
                {check
                  ? '✓ matches the sample’s expected answer'
                  : '✗ differs from the sample’s expected answer'}
              </span>
            )}
          </div>
          <div className={expectedText !== null ? 'result-pair' : undefined}>
            <pre className="text-block result-text" data-testid="result-text">
              {text}
            </pre>
            {expectedText !== null && (
              <figure className="result-expected">
                <figcaption className="muted">Expected by the sample</figcaption>
                <pre className="text-block" data-testid="result-expected">
                  {expectedText}
                </pre>
              </figure>
            )}
          </div>
        </>
      )}
    </div>
  );
}
