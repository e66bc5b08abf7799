/**
 * λ-RLM and RLM side by side: the comparison of two run logs, a plan run's and an RLM run's, on the same
 * document and question. Every figure is read off the logs (`run.done`'s totals, the calls' depths, the
 * plan run's `run.start` estimate), so the table says nothing the logs do not.
 */
import { decodeValue, isAbsent } from '../nodes/absent.ts';
import { costOf, formatCost } from '../run/cost.ts';
import type { TraceEvent } from '../run/events.ts';
import { noAnswerFound } from '../run/value-summary.ts';
import { DETECT_NODE_ID } from './detect.ts';

/** What one run's log says, for the table. */
export interface RunFigures {
  kind: 'plan' | 'rlm';
  /** The plan's name (plan runs). */
  name?: string;
  /** Finished with an answer (an absent answer is a finished run that found none). */
  ok: boolean;
  /** The answer in words: the result, "no answer found (…)", or the error. */
  answer: string;
  /** The result as the log holds it (decoded), when there is one. */
  result?: unknown;
  absent?: boolean;
  error?: { kind: string; message: string };
  /** Model calls, cached ones included (`run.done.totals.leafCalls`). */
  calls: number;
  cachedCalls: number;
  promptTokens: number;
  completionTokens: number;
  /** What the run cost at the price its log records (`price` in its start event); absent without a price. */
  cost?: { amount: number; currency: string };
  /** Wall time of the run, ms (`run.done.totals.ms`). */
  ms: number;
  /** The deepest call's depth in the tree (top-level calls are 0; 0 when no call was made), as the tree
   * view counts it. The planner's d, the plan's recursion depth (Fix levels), is shown beside it. */
  depth: number;
  /** Plan runs: the planner's N̂ and expected calls, its predicted depth, and whether a detection call was made. */
  predicted?: { calls: number; expectedCalls?: number; depth: number };
  detected?: boolean;
  /** RLM runs: root calls and code cells. */
  iterations?: number;
  cells?: number;
}

export interface ComparisonRow {
  key: 'answer' | 'calls' | 'promptTokens' | 'completionTokens' | 'cost' | 'ms' | 'depth' | 'predicted';
  label: string;
  plan: string;
  rlm: string;
}

export class RunLogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunLogError';
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** One run's figures from its log (a complete log: it begins with `run.start` or `rlm.start` and ends with `run.done`). */
export function runFigures(events: readonly TraceEvent[]): RunFigures {
  const start = events[0];
  const done = events.at(-1);
  if (start?.type !== 'run.start' && start?.type !== 'rlm.start')
    throw new RunLogError('The log does not begin with run.start or rlm.start.');
  if (done?.type !== 'run.done') throw new RunLogError('The run has not finished (no run.done).');
  let deepest = -1;
  let iterations = 0;
  let cells = 0;
  let detected = false;
  const price = start.price;
  let spent = 0;
  for (const e of events)
    if (price && e.type === 'leaf.done') spent += costOf(price, e);
    else if (e.type === 'call.start') {
      deepest = Math.max(deepest, e.depth);
      if (e.nodeId === 'rlm.root') iterations++;
      else if (e.nodeId === 'rlm.cell') cells++;
      else if (e.nodeId === DETECT_NODE_ID) detected = true;
    }
  const t = done.totals;
  const figures: RunFigures = {
    kind: start.type === 'run.start' ? 'plan' : 'rlm',
    ok: done.ok,
    answer: '',
    calls: t.leafCalls,
    cachedCalls: t.cachedCalls,
    promptTokens: t.promptTokens,
    completionTokens: t.completionTokens,
    ms: t.ms,
    depth: Math.max(0, deepest),
    ...(price && { cost: { amount: spent, currency: price.currency } }),
  };
  if (!done.ok && done.error) {
    figures.error = { kind: done.error.kind, message: done.error.message };
    figures.answer = `${done.error.kind}: ${done.error.message}`;
  } else if (done.absent) {
    figures.absent = true;
    figures.answer = noAnswerFound(t.leafCalls);
  } else {
    const result = decodeValue(done.result, start.logVersion ?? 1);
    if (isAbsent(result)) {
      figures.absent = true;
      figures.answer = noAnswerFound(t.leafCalls);
    } else {
      figures.result = result;
      figures.answer = result === undefined ? '' : text(result);
    }
  }
  if (start.type === 'run.start') {
    figures.name = start.plan.name;
    figures.predicted = {
      calls: start.estimate.totalCalls,
      ...(start.estimate.expected && { expectedCalls: start.estimate.expected.calls }),
      depth: start.estimate.depth,
    };
    figures.detected = detected;
  } else {
    figures.iterations = iterations;
    figures.cells = cells;
  }
  return figures;
}

const int = (n: number) => n.toLocaleString('en');
/** A run's cost, or "no price" (never 0 for a model nobody priced). */
const costWords = (f: RunFigures) => (f.cost ? formatCost(f.cost.amount, f.cost.currency) : 'no price');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The table's rows: answer, model calls, tokens in and out, cost, wall time, depth, predicted against actual. */
export function comparisonRows(plan: RunFigures, rlm: RunFigures): ComparisonRow[] {
  const calls = (f: RunFigures) =>
    `${int(f.calls)}${f.cachedCalls > 0 ? ` (${int(f.cachedCalls)} cached)` : ''}${f.detected ? ' incl. 1 detect' : ''}`;
  return [
    { key: 'answer', label: 'answer', plan: plan.answer, rlm: rlm.answer },
    { key: 'calls', label: 'model calls', plan: calls(plan), rlm: calls(rlm) },
    { key: 'promptTokens', label: 'tokens in', plan: int(plan.promptTokens), rlm: int(rlm.promptTokens) },
    {
      key: 'completionTokens',
      label: 'tokens out',
      plan: int(plan.completionTokens),
      rlm: int(rlm.completionTokens),
    },
    { key: 'cost', label: 'cost', plan: costWords(plan), rlm: costWords(rlm) },
    { key: 'ms', label: 'wall time', plan: seconds(plan.ms), rlm: seconds(rlm.ms) },
    {
      key: 'depth',
      label: 'depth',
      plan: `${plan.depth}${plan.predicted ? ` (planner's recursion depth d = ${plan.predicted.depth})` : ''}`,
      rlm: `${rlm.depth}${rlm.iterations !== undefined ? ` (${rlm.iterations} root calls, ${rlm.cells} code blocks)` : ''}`,
    },
    {
      key: 'predicted',
      label: 'predicted calls',
      plan: plan.predicted
        ? `N̂ ≤ ${int(plan.predicted.calls)}${plan.predicted.expectedCalls !== undefined ? `, expected ${int(plan.predicted.expectedCalls)}` : ''}; made ${int(plan.calls)}`
        : 'none',
      rlm: rlm.predicted ? `N̂ ≤ ${int(rlm.predicted.calls)}; made ${int(rlm.calls)}` : 'none (open-ended)',
    },
  ];
}

export interface Comparison {
  plan: RunFigures;
  rlm: RunFigures;
  rows: ComparisonRow[];
}

/** The comparison of a plan run's log and an RLM run's log. */
export function compareRuns(planLog: readonly TraceEvent[], rlmLog: readonly TraceEvent[]): Comparison {
  const plan = runFigures(planLog);
  const rlm = runFigures(rlmLog);
  if (plan.kind !== 'plan')
    throw new RunLogError('The first log is not a plan run (it begins with rlm.start).');
  if (rlm.kind !== 'rlm')
    throw new RunLogError('The second log is not an RLM run (it begins with run.start).');
  return { plan, rlm, rows: comparisonRows(plan, rlm) };
}

/** The table as plain text, columns aligned (for the terminal). */
export function formatComparison(c: Comparison, headings = ['', 'λ-RLM plan', 'RLM']): string {
  const rows = [headings, ...c.rows.map((r) => [r.label, oneLine(r.plan), oneLine(r.rlm)])];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i === 2 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}
