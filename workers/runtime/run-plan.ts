/**
 * One run of a plan, from an untrusted document to its outcome: load (limits, migrations), type-check,
 * plan (the estimate that sizes Splits and bounds the calls), evaluate. The runtime worker and the
 * `fixpoint run` CLI both run plans through this, so the browser and the terminal cannot drift apart.
 *
 * A plan that does not load or check never reaches a model: the outcome is `stage: 'check'` with the
 * diagnostics, and no event is written.
 */
import type {
  Diagnostic,
  LeafCache,
  LeafModel,
  ModelPrice,
  Plan,
  PlanEstimate,
  SchedulerBudgets,
  SchedulerOptions,
  TraceEvent,
} from '../lang/index.ts';
import {
  callPricing,
  check,
  costOf,
  estimate,
  estimateTokenizer,
  evaluate,
  hasErrors,
  loadPlan,
  PlanCheckError,
  ProgramError,
  type RunOutcome,
} from '../lang/index.ts';
import { createRedactor, type EventRedactor } from './redact-events.ts';

export type PreparedPlan =
  | { ok: true; plan: Plan; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

/** Loads and checks a plan document; warnings travel with a plan that may run. */
export function preparePlan(document: unknown): PreparedPlan {
  const loaded = loadPlan(document);
  if (!loaded.ok) return { ok: false, diagnostics: loaded.diagnostics };
  const { diagnostics } = check(loaded.plan);
  if (hasErrors(diagnostics)) return { ok: false, diagnostics };
  return { ok: true, plan: loaded.plan, diagnostics };
}

export interface RunPlanRequest {
  /** The plan document, untrusted. */
  plan: unknown;
  input: string;
  /** The run's question; the plan's own when absent. */
  query?: string;
  model: LeafModel;
  runId?: string;
  cache?: LeafCache | null;
  signal?: AbortSignal;
  /** Leaf calls in flight; the model's own limit when absent. */
  concurrency?: number;
  /**
   * Retries, backoff and per-call timeout of the scheduler; `pool` when the run shares its calls in flight
   * and budgets with other runs (a batch).
   */
  scheduler?: Omit<SchedulerOptions, 'signal' | 'cache' | 'budgets' | 'concurrency' | 'pricing'>;
  /** The model's price, when the user gave one: the run is costed at it (recorded in `run.start`). */
  price?: ModelPrice | null;
  /** Budgets of this run, over the plan's own (`planner.budgets`); a money budget needs a price. */
  budgets?: SchedulerBudgets;
  onEvent?: (event: TraceEvent) => void;
  /** Run from these nodes: they and what is downstream of them skip the cache read (see `downstreamOf`). */
  refreshNodes?: readonly string[];
  /**
   * Strings that must never leave the run (the API key): replaced by `[redacted]` in every event and in
   * the outcome, whatever the model or the server echoed.
   */
  secrets?: readonly (string | undefined)[];
}

/** What a run cost, from the tokens of its model calls and its price (cached answers cost nothing). */
export interface RunCost {
  amount: number;
  currency: string;
}

export type RunPlanResult =
  | { stage: 'check'; ok: false; diagnostics: Diagnostic[] }
  | (RunOutcome & {
      stage: 'run';
      estimate: PlanEstimate;
      diagnostics: Diagnostic[];
      /** Absent when the model has no price (which is not a cost of zero). */
      cost?: RunCost;
    });

export async function runPlan(request: RunPlanRequest): Promise<RunPlanResult> {
  const redactor = createRedactor(request.secrets ?? []);
  return redactor.value(await runPlanUnredacted(request, redactor));
}

async function runPlanUnredacted(request: RunPlanRequest, redactor: EventRedactor): Promise<RunPlanResult> {
  const prepared = preparePlan(request.plan);
  if (!prepared.ok) return { stage: 'check', ok: false, diagnostics: prepared.diagnostics };
  const { plan } = prepared;
  const { model } = request;
  const tokenizer = model.capabilities.tokenizer;
  const price = request.price ?? undefined;
  const cost = price && { amount: 0, currency: price.currency };
  const onEvent = (event: TraceEvent) => {
    // The price the run is costed at is part of its log, so a replay or an import costs it the same.
    if (price && event.type === 'run.start') event = { ...event, price };
    else if (cost && event.type === 'leaf.done') cost.amount += costOf(price, event);
    request.onEvent?.(redactor.event(event));
  };
  const planned = estimate(plan, {
    inputText: request.input,
    contextWindow: model.capabilities.contextWindow,
    ...(request.query !== undefined && { query: request.query }),
    ...(tokenizer && { tokenizer }),
  });
  try {
    const outcome = await evaluate(plan, {
      input: request.input,
      model,
      estimate: planned,
      ...(request.query !== undefined && { query: request.query }),
      ...(tokenizer && { tokenizer }),
      ...(request.signal && { signal: request.signal }),
      ...(request.cache !== undefined && { cache: request.cache }),
      onEvent,
      ...(request.runId !== undefined && { runId: request.runId }),
      ...(request.refreshNodes !== undefined && { refreshNodes: request.refreshNodes }),
      ...(request.budgets && { budgets: { ...plan.planner.budgets, ...request.budgets } }),
      scheduler: {
        ...request.scheduler,
        ...(request.concurrency !== undefined && { concurrency: request.concurrency }),
        ...(price && { pricing: callPricing(price, tokenizer ?? estimateTokenizer) }),
      },
    });
    return {
      ...outcome,
      stage: 'run',
      estimate: planned,
      diagnostics: prepared.diagnostics,
      ...(cost && { cost }),
    };
  } catch (error) {
    // The checker reports what the evaluator cannot interpret; should one slip through, it is still
    // a problem with the plan, reported before any model call.
    if (error instanceof PlanCheckError) return { stage: 'check', ok: false, diagnostics: error.diagnostics };
    if (error instanceof ProgramError) {
      const diagnostic: Diagnostic = { code: 'schema', severity: 'error', message: error.message };
      if (error.nodeId !== undefined) diagnostic.nodeId = error.nodeId;
      return { stage: 'check', ok: false, diagnostics: [diagnostic] };
    }
    throw error;
  }
}
