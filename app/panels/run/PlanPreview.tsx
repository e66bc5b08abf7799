/**
 * What the planner predicts before any model call (docs/language.md, "The planner"): k*, τ*, depth, the
 * calls by part and the tokens (the bound, and what the run is expected to use), the accuracy bound, the
 * planner's refusals with their fix, and (drawn in the tree view) the skeleton of the recursion.
 */
import type { PlanEstimate } from '../../../workers/lang/index.ts';
import { formatCost, predictedCost } from '../../../workers/lang/index.ts';
import { Term } from '../../shell/glossary.tsx';
import { useDocument } from '../../store/document.ts';
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
        <dt>
          model calls <Term symbol="N̂" />
        </dt>
        <dd data-testid="plan-calls">
          ≤ {int(e.totalCalls)}{' '}
          <span className="muted" data-testid="plan-calls-parts">
            ({int(e.leafCalls)} leaf · {int(e.filterCalls)} filter · {int(e.combineCalls)} combine ·{' '}
            {int(e.repairCalls ?? 0)} repair
            {e.detectCalls ? ` · ${int(e.detectCalls)} detect` : ''}; retries not counted)
          </span>
        </dd>
        <dt>tokens</dt>
        <dd data-testid="plan-tokens">
          ≤ {int(e.promptTokens)} in · ≤ {int(e.completionTokens)} out
          {e.expected && (
            <span className="muted" data-testid="plan-expected">
              {' '}
              · expected {int(e.expected.promptTokens)} in · {int(e.expected.completionTokens)} out, in{' '}
              {int(e.expected.calls)} calls
            </span>
          )}
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
      {(e.refusals ?? []).length > 0 && (
        <ul className="notes refusals" data-testid="plan-refusals">
          {(e.refusals ?? []).map((r) => (
            <li key={`${r.nodeId ?? ''}${r.message}`} className="error">
              {r.message}{' '}
              {r.fix?.kind === 'split-before' && r.nodeId && (
                <button type="button" onClick={() => useDocument.getState().splitBefore(r.nodeId as string)}>
                  {r.fix.label}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
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
