/**
 * `fixpoint run PLAN --input FILE [--query Q] --base-url URL [--base-url URL…] --model M [--api-key-env VAR]
 *  [--endpoints FILE] [--concurrency N] [--requests-per-minute N] [--tokens-per-minute N]
 *  [--context-window N] [--timeout MS] [--attempt-timeout MS] [--leaf-timeout MS]
 *  [--retry-after-cap MS] [--prices FILE] [--max-cost AMOUNT] [--cache-dir DIR | --no-cache]
 *  [--trace out.jsonl] [--json] [--otlp-…]`
 * `fixpoint run --rlm --input FILE --query Q …the same model options… [--max-iterations N]
 *  [--max-cells N] [--max-calls N] [--max-tokens N] [--max-wall-ms MS] [--cell-ms MS]`
 * `fixpoint run --auto --input FILE --query Q [--family KIND] …the same model options…`
 *
 * Runs a plan from Node over the OpenAI-compatible provider: the same loading, checking, planning,
 * scheduling and evaluation as the browser (workers/runtime/run-plan.ts). With `--rlm` there is no plan:
 * the model writes JavaScript that runs in the QuickJS sandbox, in this process (docs/rlm.md); with `--auto`
 * the plan is the template of the task family detected from the question (cli/auto.ts). Progress on stderr,
 * the result on stdout, the run log as JSON Lines. Several endpoints (repeated `--base-url`, or an endpoints
 * file, cli/endpoints.ts) share the leaves, each under its own rate limits; the model is built in
 * cli/api-model.ts. API keys are read only from the environment variables named by `--api-key-env` or
 * `apiKeyEnv`: a key on a command line ends up in shell history and in `ps`. Whatever the model or the server
 * echoes, every key is replaced by `[redacted]` in all three.
 *
 * Exit status: 0 the run succeeded; 1 it failed (the error is printed); 2 the command or the plan is wrong.
 */
import type { CAC, Command } from 'cac';
import type { TraceEvent } from '../workers/lang/index.ts';
import { formatCost, noAnswerFound, redactSecrets, TASK_FAMILY_IDS } from '../workers/lang/index.ts';
import {
  endpointLines,
  type RlmBudgets,
  type RunCost,
  readExampleFile,
  runAuto,
  runPlan,
  runRlm,
} from '../workers/runtime/index.ts';
import {
  addModelOptions,
  endpointsOf,
  type ModelCliOptions,
  type ModelSetup,
  openCache,
  openModel,
  positiveInt,
  required,
  withContextWindow,
} from './api-model.ts';
import { autoFamily, reportAuto } from './auto.ts';
import { cannotRun } from './diagnostics.ts';
import { UsageError, withInterrupt } from './io.ts';
import { openJsonl } from './jsonl-file.ts';
import {
  addOtlpOptions,
  exportOtlp,
  type OtlpCliOptions,
  OtlpCollector,
  otlpRequest,
} from './otlp-export.ts';
import { Progress, type ProgressSink } from './progress.ts';
import { readInputFile } from './read-input.ts';
import { readPlanFile } from './read-plan.ts';
import { packageVersion } from './version.ts';

export interface RunCommandOptions extends OtlpCliOptions, ModelCliOptions {
  input?: string;
  query?: string;
  trace?: string;
  json?: boolean;
  /** RLM mode: no plan, the model writes code. */
  rlm?: boolean;
  /** Start from the question: detect the task family (or take --family) and run its template. */
  auto?: boolean;
  family?: string;
  maxIterations?: number | string;
  maxCells?: number | string;
  maxCalls?: number | string;
  maxTokens?: number | string;
  maxWallMs?: number | string;
  cellMs?: number | string;
}

/** Where the command reads and writes; the process by default, strings in tests. */
export interface RunIo {
  stdout: { write(text: string): unknown };
  stderr: ProgressSink;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Told every event of the run log (after redaction), as the trace file gets it. */
  onEvent?: (event: TraceEvent) => void;
}

export function registerRun(cli: CAC): void {
  const run = addRunOptions(
    cli.command(
      'run [plan]',
      'Run a plan over an OpenAI-compatible API (vLLM, SGLang, Ollama, OpenRouter, …); or, with --rlm, let the model write code; or, with --auto, start from the question',
    ),
  ).option('--rlm', 'RLM mode: no plan; the model writes JavaScript that runs in a sandbox (needs --query)');
  addOtlpOptions(run)
    .example(
      'fixpoint run public/examples/sniah.json --input doc.txt --base-url http://localhost:8000/v1 --model Qwen/Qwen3-8B',
    )
    .example(
      'fixpoint run --rlm --input doc.txt --query "What is the secret code for Orion?" --base-url http://localhost:8000/v1 --model Qwen/Qwen3-8B',
    )
    .example(
      'fixpoint run --auto --input doc.txt --query "How many of the questions are about places?" --base-url http://localhost:8000/v1 --model Qwen/Qwen3-8B',
    )
    .action((plan: string | undefined, options: RunCommandOptions) =>
      withInterrupt((io) => runCommand(plan, options, io)),
    );
}

/** `run`'s options but --rlm (the document, the question, the model, deadlines, output, RLM budgets); `compare` has them too. */
export function addRunOptions(command: Command): Command {
  command
    .option('--input <file>', 'The document to run on (text file)')
    .option('--query <question>', "The question (default: the plan's own)");
  return addModelOptions(command)
    .option('--trace <file>', 'Write the run log as JSON Lines')
    .option('--json', 'Print the outcome as one JSON object')
    .option('--auto', 'Start from the question: detect the task family, run its template (needs --query)')
    .option(
      '--family <kind>',
      `With --auto: use this task family instead of detecting it (${TASK_FAMILY_IDS.join(', ')})`,
    )
    .option('--max-iterations <n>', 'RLM: root calls at most (default 12)')
    .option('--max-cells <n>', 'RLM: code blocks run at most (default 24)')
    .option('--max-calls <n>', 'RLM: model calls at most, root and llm_query (default 200)')
    .option('--max-tokens <n>', 'RLM: tokens at most, in and out (default 1,000,000)')
    .option('--max-wall-ms <ms>', 'RLM: wall time at most (default 600000)')
    .option('--cell-ms <ms>', 'RLM: code time per block (default 10000)');
}

export async function runCommand(
  planPath: string | undefined,
  options: RunCommandOptions,
  io: RunIo,
): Promise<number> {
  let keys: string[] = [];
  try {
    if (options.rlm && planPath !== undefined)
      throw new UsageError('--rlm runs without a plan: give --input and --query, not a plan file');
    if (options.rlm && options.auto)
      throw new UsageError('--rlm and --auto are two different runs: give one');
    if (options.auto && planPath !== undefined)
      throw new UsageError(
        '--auto chooses the plan from the question: give --input and --query, not a plan file',
      );
    if (!options.rlm && !options.auto && planPath === undefined)
      throw new UsageError('missing PLAN (or --rlm, or --auto)');
    if ((options.rlm || options.auto) && (typeof options.query !== 'string' || options.query.trim() === ''))
      throw new UsageError(
        `${options.rlm ? '--rlm' : '--auto'} needs --query: the question the model answers`,
      );
    const family = autoFamily(options);
    const input = required(options.input, '--input FILE');
    const read = endpointsOf(options, io.env);
    keys = read.keys;
    const otlp = otlpRequest(options, io.env, keys);
    const spans = otlp && new OtlpCollector();
    const rlmBudgets = options.rlm ? rlmBudgetsOf(options) : undefined;
    const cellMs = options.cellMs !== undefined ? positiveInt(options.cellMs, '--cell-ms') : undefined;
    const planFile = planPath !== undefined ? readPlanFile(planPath) : undefined;
    if (planFile && !planFile.ok) throw new UsageError(planFile.error);
    const text = readInputFile(input);
    const setup = await openModel(options, read.endpoints, io.env, io.signal);
    noPriceWarning(setup, io.stderr);

    const cache = openCache(setup, keys);
    const trace = options.trace ? openJsonl(options.trace, '--trace') : undefined;
    const progress = new Progress(io.stderr);
    const onEvent = (event: TraceEvent) => {
      trace?.write(event);
      spans?.push(event);
      progress.onEvent(event);
      io.onEvent?.(event);
    };
    const finish = async () => {
      progress.finish();
      await Promise.all([trace?.close(), cache?.flush()]);
      return otlp && spans
        ? await exportOtlp(spans.events, otlp, { stderr: io.stderr, serviceVersion: packageVersion() })
        : true;
    };
    // What a plan run and an --auto run share: the model, its price and budget, the cache, the keys.
    const planRunOptions = {
      model: setup.model,
      concurrency: setup.concurrency,
      scheduler: setup.scheduler,
      cache,
      price: setup.price,
      ...(setup.maxCost !== undefined && { budgets: { maxCost: setup.maxCost } }),
      secrets: keys,
      ...(io.signal && { signal: io.signal }),
      onEvent,
    };
    if (options.auto) {
      const auto = await runAuto({
        input: text,
        query: options.query as string,
        ...(family && { family }),
        ...planRunOptions,
        readExample: readExampleFile,
      });
      const exported = await finish();
      const status = reportAuto(io, options.json, auto);
      return status === 0 && !exported ? 1 : status;
    }
    if (!planFile) {
      const rlm = await runRlm({
        input: text,
        query: options.query as string,
        model: setup.model,
        ...(rlmBudgets && { budgets: rlmBudgets }),
        ...(cellMs !== undefined && { limits: { cellMs } }),
        scheduler: { concurrency: setup.concurrency, ...setup.scheduler },
        cache,
        price: setup.price,
        secrets: keys,
        ...(io.signal && { signal: io.signal }),
        onEvent,
      });
      const exported = await finish();
      const summary = {
        ok: rlm.ok,
        result: rlm.result,
        error: rlm.error,
        totals: rlm.totals,
        iterations: rlm.iterations,
        cells: rlm.cells,
        // null: the model has no price (which is not a cost of zero).
        cost: rlm.cost ?? null,
      };
      report(io, options.json, summary, () => {
        if (rlm.ok) io.stdout.write(`${rlm.result ?? ''}\n`);
        else io.stderr.write(`run failed: ${rlm.error?.kind}: ${rlm.error?.message}\n`);
        const t = rlm.totals;
        io.stderr.write(
          `RLM: ${rlm.iterations} root calls, ${rlm.cells} code blocks, ${t.leafCalls} model calls (${t.cachedCalls} cached), ` +
            `${t.promptTokens + t.completionTokens} tokens, ${costWords(rlm.cost)}, ${(t.ms / 1000).toFixed(1)} s\n`,
        );
      });
      return rlm.ok && exported ? 0 : 1;
    }
    const outcome = await runPlan({
      // As with `fixpoint plan`, an explicit --context-window wins over the plan's own setting.
      plan:
        setup.givenWindow === undefined ? planFile.json : withContextWindow(planFile.json, setup.givenWindow),
      input: text,
      ...(options.query !== undefined && { query: options.query }),
      ...planRunOptions,
    });
    const exported = await finish();

    if (outcome.stage === 'check') {
      report(io, options.json, { ok: false, diagnostics: outcome.diagnostics }, () =>
        io.stderr.write(cannotRun(planPath ?? 'the plan', outcome.diagnostics)),
      );
      return 2;
    }
    const stats = setup.model.stats();
    const summary = {
      ok: outcome.ok,
      result: outcome.result,
      ...(outcome.absent && { absent: true }),
      error: outcome.error,
      estimate: outcome.estimate,
      totals: outcome.totals,
      endpoints: stats,
      // null: the model has no price (which is not a cost of zero).
      cost: outcome.cost ?? null,
    };
    report(io, options.json, summary, () => {
      if (outcome.ok && outcome.absent) io.stdout.write(`${noAnswerFound(outcome.totals.leafCalls)}\n`);
      else if (outcome.ok) io.stdout.write(`${formatResult(outcome.result)}\n`);
      else io.stderr.write(`run failed: ${outcome.error?.kind}: ${outcome.error?.message}\n`);
      const t = outcome.totals;
      io.stderr.write(
        `${t.leafCalls} leaf calls (${t.cachedCalls} cached, planner bound ${outcome.estimate.totalCalls}), ` +
          `${t.promptTokens + t.completionTokens} tokens, ${costWords(outcome.cost)}, ${(t.ms / 1000).toFixed(1)} s\n`,
      );
      for (const line of endpointLines(stats)) io.stderr.write(`${line}\n`);
    });
    return outcome.ok && exported ? 0 : 1;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const safe = redactSecrets(message, keys).value;
    io.stderr.write(`fixpoint run: ${safe}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

/** A run's cost in words: the amount, or "no price" (never $0 for a model nobody priced). */
export function costWords(cost: RunCost | undefined): string {
  return cost ? formatCost(cost.amount, cost.currency) : 'no price';
}

/** Said once before a run whose model the price table leaves out. */
export function noPriceWarning(setup: ModelSetup, stderr: { write(text: string): unknown }): void {
  if (setup.pricesFile !== undefined && !setup.price)
    stderr.write(
      `fixpoint: ${setup.pricesFile} has no price for "${setup.modelName}": its cost is not counted\n`,
    );
}

function rlmBudgetsOf(options: RunCommandOptions): RlmBudgets {
  const budgets: RlmBudgets = {};
  if (options.maxIterations !== undefined)
    budgets.maxIterations = positiveInt(options.maxIterations, '--max-iterations');
  if (options.maxCells !== undefined) budgets.maxCells = positiveInt(options.maxCells, '--max-cells');
  if (options.maxCalls !== undefined) budgets.maxCalls = positiveInt(options.maxCalls, '--max-calls');
  if (options.maxTokens !== undefined) budgets.maxTokens = positiveInt(options.maxTokens, '--max-tokens');
  if (options.maxWallMs !== undefined) budgets.maxWallMs = positiveInt(options.maxWallMs, '--max-wall-ms');
  return budgets;
}

/** Prints JSON to stdout with --json, else the human form; secrets never reach either (the key is not in them). */
function report(io: RunIo, json: boolean | undefined, value: unknown, human: () => void): void {
  if (json) io.stdout.write(`${JSON.stringify(value)}\n`);
  else human();
}

export function formatResult(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}
