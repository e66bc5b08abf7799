/**
 * What the planner predicts before any model call (DESIGN §3.4): k*, τ*, depth, calls and tokens, the
 * accuracy bound, and (drawn in the tree view) the skeleton of the recursion from the splits.
 */
import type { PlanEstimate } from '../../../workers/lang/index.ts';
import { formatCost, predictedCost } from '../../../workers/lang/index.ts';
import { Term } from '../../shell/glossary.tsx';
import { useActivePrice } from '../../store/settings.ts';
import { int } from '../../trace/format.ts';
import type { Skeleton } from '../../trace/skeleton.ts';
import { CostBudgetField } from './CostBudgetField.tsx';
import { usePlanEstimate } from './planEstimate.ts';

export interface PlanPreviewState {
  estimate: PlanEstimate | null;
  skeleton: Skeleton | null;
  /** Why there is no estimate (no input, a plan error, no model chosen), in words. */
  reason: string | null;
  pending: boolean;
}

export function usePlanPreview(): PlanPreviewState {
  return usePlanEstimate();
}

export function PlanPreview({ preview }: { preview: PlanPreviewState }) {
  const e = preview.estimate;
  const price = useActivePrice();
  if (!e) {
    return (
      <div className="plan-preview" data-testid="plan-preview">
        <p className="muted">{preview.pending ? 'Planning…' : (preview.reason ?? 'No estimate yet.')}</p>
        <CostBudgetField expected={null} />
      </div>
    );
  }
  // From the planner's expected tokens (where it gives them) to its worst case: every call, every max token.
  const cost = price && predictedCost(price, e);
  const money = (n: number) => formatCost(n, price?.currency ?? 'USD');
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return (
    <div className="plan-preview" data-testid="plan-preview" aria-busy={preview.pending}>
      <dl className="facts big">
        <dt>input n</dt>
        <dd>
          {int(e.n)} tokens <span className="muted">({e.tokenizer})</span>
        </dd>
        <dt>leaf window K</dt>
        <dd>{int(e.K)} tokens</dd>
        <dt>
          <Term symbol="k*" />
        </dt>
        <dd data-testid="plan-k">
          {int(e.kStar)} <span className="muted">({e.kRule} rule)</span>
        </dd>
        <dt>
          <Term symbol="τ*" />
        </dt>
        <dd data-testid="plan-tau">{int(e.tauStar)} tokens</dd>
        <dt>
          depth <Term symbol="d" />
        </dt>
        <dd data-testid="plan-depth">{e.depth}</dd>
        <dt>model calls</dt>
        <dd data-testid="plan-calls">
          ≤ {int(e.totalCalls)}{' '}
          <span className="muted">
            ({int(e.leafCalls)} leaves{e.filterCalls ? `, ${int(e.filterCalls)} filter` : ''}
            {e.combineCalls ? `, ${int(e.combineCalls)} combine` : ''})
          </span>
        </dd>
        <dt>tokens</dt>
        <dd>
          ~{int(e.promptTokens)} in · ~{int(e.completionTokens)} out
        </dd>
        <dt>cost</dt>
        <dd data-testid="plan-cost">
          {cost ? (
            cost.expected < cost.most ? (
              <>
                ~{money(cost.expected)} expected · at most {money(cost.most)}
              </>
            ) : (
              <>at most {money(cost.most)}</>
            )
          ) : (
            <>
              no price <span className="muted">(give one in the model settings)</span>
            </>
          )}
        </dd>
        <dt>accuracy bound</dt>
        <dd className={e.meetsTarget ? 'ok' : 'warn'} data-testid="plan-accuracy">
          {pct(e.accuracyBound)} {e.meetsTarget ? '≥' : '<'} target <Term symbol="α" /> = {pct(e.alpha)}
        </dd>
      </dl>
      {e.notes.length > 0 && (
        <ul className="notes">
          {e.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <CostBudgetField expected={cost ? cost.expected : null} />
      <p className="muted">The tree view shows the predicted recursion until you run.</p>
    </div>
  );
}
