/**
 * `fixpoint batch PLAN --inputs DIR|FILE.jsonl --out results.jsonl [--parallel N] [--traces DIR]
 *  [--query Q] [--max-cost X] [--max-calls N] [--max-tokens N] [--retry-failed] [--json] [model options]`
 *
 * Runs one plan over many documents the way `fixpoint run` runs it over one (the same loading, checking,
 * planning and evaluation: workers/runtime/run-plan.ts; the same model options, price and leaf cache:
 * cli/api-model.ts), with what a batch needs besides:
 *
 * - one model (one endpoint or several, with their rate limits: docs/scale-out.md), one leaf cache and one
 *   scheduler pool for every document: `--concurrency` model calls in flight on each endpoint over the
 *   whole batch, `--parallel` documents at once, and budgets (`--max-cost`, `--max-calls`,
 *   `--max-tokens`) over the whole batch, on top of each run's own budgets from the plan;
 * - resume: a document with a line in `--out` is skipped, so running the same command again after an
 *   interrupt, a kill or a budget does each remaining document once;
 * - a progress line on stderr, a run log per document (`--traces DIR`), a summary table at the end.
 *
 * Keys come only from the variables `--api-key-env` (or an endpoints file's `apiKeyEnv`) names, and reach no
 * result, trace or cache file.
 *
 * Exit status: 0 every document is done and ok; 1 some failed, or the batch stopped before the end (a
 * budget, a provider that went away); 130 interrupted; 2 the command or the plan is wrong.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CAC } from 'cac';
import {
  contentHash,
  formatCost,
  redactSecrets,
  SchedulerPool,
  type TraceEvent,
} from '../workers/lang/index.ts';
import { preparePlan, type RunPlanResult, runPlan } from '../workers/runtime/index.ts';
import {
  addModelOptions,
  endpointsOf,
  type ModelCliOptions,
  openCache,
  openModel,
  positiveInt,
  required,
  withContextWindow,
} from './api-model.ts';
import { type BatchDocument, readBatchInputs } from './batch-inputs.ts';
import { BatchProgress, clock } from './batch-progress.ts';
import { type BatchResultLine, openResults, readPreviousResults } from './batch-results.ts';
import { cannotRun } from './diagnostics.ts';
import { UsageError, withInterrupt } from './io.ts';
import { openJsonl } from './jsonl-file.ts';
import { readPlanFile } from './read-plan.ts';
import { costWords, noPriceWarning, type RunIo } from './run.ts';

export interface BatchCommandOptions extends ModelCliOptions {
  inputs?: string;
  out?: string;
  query?: string;
  parallel?: number | string;
  traces?: string;
  maxCalls?: number | string;
  maxTokens?: number | string;
  retryFailed?: boolean;
  json?: boolean;
}

/** Rows of the summary table; the rest are in the results file. */
const TABLE_ROWS = 40;

export function registerBatch(cli: CAC): void {
  const batch = cli
    .command('batch <plan>', 'Run a plan over many documents, resumably (a folder, or JSON Lines)')
    .option('--inputs <path>', 'A folder of documents, or a .jsonl file of {"text", "id"?, "query"?} lines')
    .option('--out <file>', 'Results as JSON Lines, one a document; documents already in it are skipped')
    .option('--query <question>', "The question for documents without their own (default: the plan's)")
    .option('--parallel <n>', 'Documents run at once (their model calls share --concurrency)', { default: 2 })
    .option('--traces <dir>', "Write each document's run log to DIR/<id>.jsonl")
    .option('--max-calls <n>', 'Model calls over the whole batch')
    .option('--max-tokens <n>', 'Tokens over the whole batch')
    .option('--retry-failed', 'Run again the documents whose results say they failed')
    .option('--json', 'Print the summary as one JSON object');
  addModelOptions(batch)
    .example(
      'fixpoint batch public/examples/sniah.json --inputs docs/ --out results.jsonl --base-url http://localhost:8000/v1 --model Qwen/Qwen3-8B --parallel 4',
    )
    .action((plan: string, options: BatchCommandOptions) =>
      withInterrupt((io) => batchCommand(plan, options, io), ['SIGINT', 'SIGTERM']),
    );
}

type DocStatus = 'ok' | 'failed' | 'stopped';

interface DocRow {
  id: string;
  status: DocStatus;
  calls: number;
  cachedCalls: number;
  tokens: number;
  cost?: number;
  ms: number;
  error?: string;
}

export async function batchCommand(
  planPath: string,
  options: BatchCommandOptions,
  io: RunIo,
): Promise<number> {
  let keys: string[] = [];
  try {
    const inputs = required(options.inputs, '--inputs DIR|FILE.jsonl');
    const out = required(options.out, '--out results.jsonl');
    const read = endpointsOf(options, io.env);
    keys = read.keys;
    const parallel = positiveInt(options.parallel ?? 2, '--parallel');
    const planFile = readPlanFile(planPath);
    if (!planFile.ok) throw new UsageError(planFile.error);
    const docs = await readBatchInputs(inputs);
    const setup = await openModel(options, read.endpoints, io.env, io.signal);
    noPriceWarning(setup, io.stderr);
    const plan =
      setup.givenWindow === undefined ? planFile.json : withContextWindow(planFile.json, setup.givenWindow);
    const prepared = preparePlan(plan);
    if (!prepared.ok) {
      io.stderr.write(cannotRun(planPath, prepared.diagnostics));
      return 2;
    }

    const previous = readPreviousResults(out);
    const todo = docs.filter(
      (d) => !previous.done.has(d.id) && (options.retryFailed || !previous.failed.has(d.id)),
    );
    const skipped = docs.length - todo.length;
    if (skipped > 0)
      io.stderr.write(
        `fixpoint batch: ${skipped} of ${docs.length} documents already in ${out}: skipped` +
          `${previous.failed.size > 0 && !options.retryFailed ? ` (${previous.failed.size} of them failed: --retry-failed runs those again)` : ''}\n`,
      );
    if (options.traces) mkdirSync(options.traces, { recursive: true });

    const pool = new SchedulerPool({
      concurrency: setup.concurrency,
      budgets: {
        ...(setup.maxCost !== undefined && { maxCost: setup.maxCost }),
        ...(options.maxCalls !== undefined && { maxCalls: positiveInt(options.maxCalls, '--max-calls') }),
        ...(options.maxTokens !== undefined && { maxTokens: positiveInt(options.maxTokens, '--max-tokens') }),
      },
    });
    const cache = openCache(setup, keys);
    const results = openResults(out);
    const progress = new BatchProgress(io.stderr, todo.length, setup.price);
    const rows: DocRow[] = [];
    /** Why the batch stopped before its end, when it did (the first reason). */
    let halted: string | undefined;
    const started = performance.now();

    const runOne = async (doc: BatchDocument): Promise<void> => {
      let text: string;
      try {
        text = doc.text();
      } catch (error) {
        // A file that cannot be read fails its document, not the batch.
        const message = error instanceof Error ? error.message : String(error);
        results.append({ id: doc.id, ok: false, error: { kind: 'BadInput', message } });
        progress.finished(false);
        rows.push({
          id: doc.id,
          status: 'failed',
          calls: 0,
          cachedCalls: 0,
          tokens: 0,
          ms: 0,
          error: message,
        });
        return;
      }
      const query = doc.query ?? options.query;
      const tracePath = options.traces ? join(options.traces, `${fileNameOf(doc.id)}.jsonl`) : undefined;
      const trace = tracePath ? openJsonl(tracePath, '--traces') : undefined;
      progress.begun();
      let outcome: RunPlanResult;
      try {
        outcome = await runPlan({
          plan,
          input: text,
          ...(query !== undefined && { query }),
          model: setup.model,
          concurrency: setup.concurrency,
          scheduler: { ...setup.scheduler, pool },
          cache,
          price: setup.price,
          secrets: keys,
          ...(io.signal && { signal: io.signal }),
          onEvent: (event: TraceEvent) => {
            trace?.write(event);
            progress.onEvent(event);
          },
        });
      } finally {
        await trace?.close();
      }
      const stoppedBy = stopReason(outcome, pool, io.signal);
      if (stoppedBy) {
        // Not done: a resumed batch runs it again.
        halted ??= stoppedBy;
        progress.stopped();
        rows.push(rowOf(doc.id, 'stopped', outcome));
        return;
      }
      const ok = outcome.ok;
      const line: BatchResultLine = {
        id: doc.id,
        ok,
        ...(query !== undefined && { query }),
        ...(outcome.stage === 'run'
          ? {
              ...(outcome.ok && { result: outcome.result }),
              ...(outcome.error && { error: outcome.error }),
              totals: outcome.totals,
              cost: outcome.cost ?? null,
              runId: outcome.runId,
            }
          : { error: { kind: 'PlanCheck', message: outcome.diagnostics.map((d) => d.message).join('; ') } }),
        inputHash: contentHash(text),
        ...(tracePath && { trace: tracePath }),
      };
      results.append(line);
      progress.finished(ok);
      rows.push(rowOf(doc.id, ok ? 'ok' : 'failed', outcome));
    };

    let next = 0;
    const lane = async () => {
      while (next < todo.length && !halted && !io.signal?.aborted && !pool.stopped) {
        const doc = todo[next++]!;
        await runOne(doc);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(parallel, todo.length) }, lane));
    } finally {
      progress.finish();
      results.close();
      await cache?.flush();
    }

    const interrupted = io.signal?.aborted === true;
    const notRun = todo.length - rows.filter((r) => r.status !== 'stopped').length;
    const summary = {
      ok: !halted && !interrupted && rows.every((r) => r.status === 'ok'),
      documents: docs.length,
      skipped,
      done: rows.filter((r) => r.status === 'ok').length,
      failed: rows.filter((r) => r.status === 'failed').length,
      notRun,
      ...(halted && { stopped: halted }),
      calls: progress.counts.calls,
      cachedCalls: progress.counts.cachedCalls,
      tokens: progress.counts.tokens,
      cost: setup.price ? { amount: progress.counts.cost ?? 0, currency: setup.price.currency } : null,
      ms: Math.round(performance.now() - started),
      cache: setup.cache.said,
      out,
    };
    if (options.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      io.stdout.write(summaryTable(rows, setup.price?.currency));
      io.stdout.write(
        `${docs.length} documents: ${summary.done} ok, ${summary.failed} failed, ${skipped} skipped (already in ${out})` +
          `${notRun > 0 ? `, ${notRun} not run` : ''}; ${summary.calls} calls (${summary.cachedCalls} cached), ` +
          `${summary.tokens} tokens, ${costWords(summary.cost ?? undefined)}, ${clock(summary.ms)}\n`,
      );
      if (halted || interrupted)
        io.stdout.write(
          `Stopped: ${interrupted ? 'interrupted' : halted}. Run the same command again to go on from here.\n`,
        );
      io.stdout.write(`Leaf cache: ${setup.cache.said}\n`);
    }
    if (interrupted) return 130;
    return summary.ok ? 0 : 1;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const safe = redactSecrets(message, keys).value;
    io.stderr.write(`fixpoint batch: ${safe}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

/**
 * Why a document's run was stopped from outside it (then it is not done and is not written), or undefined
 * when it ended on its own, well or not.
 */
function stopReason(
  outcome: RunPlanResult,
  pool: SchedulerPool,
  signal: AbortSignal | undefined,
): string | undefined {
  if (outcome.stage !== 'run' || outcome.ok) return undefined;
  const kind = outcome.error?.kind;
  if (signal?.aborted) return 'interrupted';
  if (pool.stopped) return pool.stopped.message;
  // A server gone away fails every document alike: better to stop and resume than to fail them all.
  if (kind === 'ProviderUnavailable') return `the model is unavailable: ${outcome.error?.message}`;
  return undefined;
}

function rowOf(id: string, status: DocStatus, outcome: RunPlanResult): DocRow {
  if (outcome.stage !== 'run')
    return { id, status, calls: 0, cachedCalls: 0, tokens: 0, ms: 0, error: 'the plan cannot run on it' };
  const t = outcome.totals;
  return {
    id,
    status,
    calls: t.leafCalls,
    cachedCalls: t.cachedCalls,
    tokens: t.promptTokens + t.completionTokens,
    ...(outcome.cost && { cost: outcome.cost.amount }),
    ms: t.ms,
    ...(outcome.error && { error: `${outcome.error.kind}: ${outcome.error.message}` }),
  };
}

/** The table printed at the end: failures first, then the rest in the order they finished. */
export function summaryTable(rows: readonly DocRow[], currency: string | undefined): string {
  if (rows.length === 0) return '';
  const order = { failed: 0, stopped: 1, ok: 2 };
  const shown = [...rows].sort((a, b) => order[a.status] - order[b.status]).slice(0, TABLE_ROWS);
  const cells = shown.map((r) => [
    r.id.length > 40 ? `${r.id.slice(0, 39)}…` : r.id,
    r.status,
    String(r.calls),
    String(r.tokens),
    currency && r.cost !== undefined ? formatCost(r.cost, currency) : 'no price',
    clock(r.ms),
    r.error ? (r.error.length > 60 ? `${r.error.slice(0, 59)}…` : r.error) : '',
  ]);
  const head = ['document', 'status', 'calls', 'tokens', 'cost', 'time', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const right = new Set([2, 3, 4, 5]);
  const line = (c: string[]) =>
    `${c.map((v, i) => (right.has(i) ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  const more = rows.length - shown.length;
  return `${[line(head), ...cells.map(line)].join('\n')}\n${more > 0 ? `… and ${more} more (see the results file)\n` : ''}`;
}

/** A document id as a file name: safe characters kept, the rest made `_`, and a hash when that changed it. */
export function fileNameOf(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100);
  return safe === id ? id : `${safe}-${contentHash(id).slice(0, 8)}`;
}
