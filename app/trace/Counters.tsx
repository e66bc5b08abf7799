/**
 * Calls done against predicted, tokens in and out, money, elapsed time, errors: the run's numbers at a
 * glance.
 */
import { useEffect, useState } from 'react';
import type { RunState } from '../store/run.ts';
import { duration, int, money } from './format.ts';

export function Counters({ state, liveSince }: { state: RunState; liveSince: number | null }) {
  const now = useNow(liveSince !== null);
  const c = state.counters;
  const predicted = state.estimate?.totalCalls ?? null;
  const modelCalls = c.leafCalls - c.cachedCalls;
  const elapsed = liveSince !== null ? Math.max(state.t, now - liveSince) : (state.totals?.ms ?? state.t);
  const over = predicted !== null && c.leafCalls > predicted;
  return (
    <div className="counters" role="status" aria-label="Run counters" data-testid="run-counters">
      <span
        data-testid="count-calls"
        className={over ? 'error' : undefined}
        title="Model calls: the leaves' requests to the language model (a cached one is answered without asking it), against the planner's bound"
      >
        <b>{int(c.leafCalls)}</b>
        {predicted !== null && <> / {int(predicted)} predicted</>} model calls
        {c.cachedCalls > 0 && ` (${int(c.cachedCalls)} cached, ${int(modelCalls)} sent)`}
      </span>
      <span
        data-testid="count-tree-calls"
        title="Tree calls: every box of the recursion tree — splits, maps, filters, combines, recursive calls, and the model calls among them"
      >
        <b>{int(c.doneCalls)}</b> of {int(c.calls)} tree calls done
        {c.running > 0 && `, ${int(c.running)} running`}
      </span>
      <span data-testid="count-tokens">
        tokens <b>{int(c.promptTokens)}</b> in · <b>{int(c.completionTokens)}</b> out
      </span>
      {state.runId !== null && (
        <span
          data-testid="count-cost"
          // The exact amount, for tools and tests (the text rounds it).
          data-amount={state.price ? c.cost : undefined}
          title={
            state.price
              ? 'What the model calls cost at the price in the model settings (cached answers cost nothing)'
              : 'The model has no price: give one in the model settings to see what runs cost'
          }
        >
          cost <b>{money(c.cost, state.price)}</b>
        </span>
      )}
      <span>
        elapsed <b>{duration(elapsed)}</b>
      </span>
      <span className={c.errors > 0 ? 'error' : undefined} data-testid="count-errors">
        <b>{int(c.errors)}</b> error{c.errors === 1 ? '' : 's'}
      </span>
      {c.aborted > 0 && <span>{int(c.aborted)} stopped by the abort</span>}
      {state.anomalies.length > 0 && (
        <span className="warn" title={state.anomalies.join('\n')}>
          {state.anomalies.length} odd event{state.anomalies.length === 1 ? '' : 's'} in the log
        </span>
      )}
    </div>
  );
}

function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const id = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(id);
  }, [ticking]);
  return now;
}
