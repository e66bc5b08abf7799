/**
 * `fixpoint run PLAN --input FILE [--query Q] --base-url URL [--base-url URL…] --model M [--api-key-env VAR]
 *  [--endpoints FILE] [--concurrency N] [--requests-per-minute N] [--tokens-per-minute N]
 *  [--context-window N] [--timeout MS] [--attempt-timeout MS] [--leaf-timeout MS]
 *  [--retry-after-cap MS] [--prices FILE] [--max-cost AMOUNT] [--cache-dir DIR | --no-cache]
 *  [--trace out.jsonl] [--json] [--otlp-…]`
 *
 * Runs a plan from Node over the OpenAI-compatible provider: the same loading, checking, planning,
 * scheduling and evaluation as the browser (workers/runtime/run-plan.ts). Progress on stderr, the result
 * on stdout, the run log as JSON Lines. Several endpoints (repeated `--base-url`, or an endpoints file,
 * cli/endpoints.ts) share the leaves, each under its own rate limits; the model is built in cli/api-model.ts.
 * API keys are read only from the environment variables named by `--api-key-env` or `apiKeyEnv`: a key on a
 * command line ends up in shell history and in `ps`. Whatever the model or the server echoes, every key is
 * replaced by `[redacted]` in all three.
 *
 * Exit status: 0 the run succeeded; 1 it failed (the error is printed); 2 the command or the plan is wrong.
 */
import type { CAC } from 'cac';
import { formatCost, noAnswerFound, redactSecrets } from '../workers/lang/index.ts';
import { endpointLines, type RunCost, runPlan } from '../workers/runtime/index.ts';
import {
  addModelOptions,
  endpointsOf,
  type ModelCliOptions,
  type ModelSetup,
  openCache,
  openModel,
  required,
  withContextWindow,
} from './api-model.ts';
import { formatDiagnostic } from './diagnostics.ts';
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
}

/** Where the command reads and writes; the process by default, strings in tests. */
export interface RunIo {
  stdout: { write(text: string): unknown };
  stderr: ProgressSink;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
}

export function registerRun(cli: CAC): void {
  const run = cli
    .command('run <plan>', 'Run a plan over an OpenAI-compatible API (vLLM, SGLang, Ollama, OpenRouter, …)')
    .option('--input <file>', 'The document to run on (text file)')
    .option('--query <question>', "The question (default: the plan's own)");
  addModelOptions(run)
    .option('--trace <file>', 'Write the run log as JSON Lines')
    .option('--json', 'Print the outcome as one JSON object');
  addOtlpOptions(run)
    .example(
      'fixpoint run public/examples/sniah.json --input doc.txt --base-url http://localhost:8000/v1 --model Qwen/Qwen3-8B',
    )
    .action((plan: string, options: RunCommandOptions) =>
      withInterrupt((io) => runCommand(plan, options, io)),
    );
}

export async function runCommand(planPath: string, options: RunCommandOptions, io: RunIo): Promise<number> {
  let keys: string[] = [];
  try {
    const input = required(options.input, '--input FILE');
    const read = endpointsOf(options, io.env);
    keys = read.keys;
    const otlp = otlpRequest(options, io.env, keys);
    const spans = otlp && new OtlpCollector();
    const planFile = readPlanFile(planPath);
    if (!planFile.ok) throw new UsageError(planFile.error);
    const text = readInputFile(input);
    const setup = await openModel(options, read.endpoints, io.env, io.signal);
    noPriceWarning(setup, io.stderr);

    const cache = openCache(setup, keys);
    const trace = options.trace ? openJsonl(options.trace, '--trace') : undefined;
    const progress = new Progress(io.stderr);
    const outcome = await runPlan({
      // As with `fixpoint plan`, an explicit --context-window wins over the plan's own setting.
      plan:
        setup.givenWindow === undefined ? planFile.json : withContextWindow(planFile.json, setup.givenWindow),
      input: text,
      ...(options.query !== undefined && { query: options.query }),
      model: setup.model,
      concurrency: setup.concurrency,
      scheduler: setup.scheduler,
      cache,
      price: setup.price,
      ...(setup.maxCost !== undefined && { budgets: { maxCost: setup.maxCost } }),
      secrets: keys,
      ...(io.signal && { signal: io.signal }),
      onEvent: (event) => {
        trace?.write(event);
        spans?.push(event);
        progress.onEvent(event);
      },
    });
    progress.finish();
    await Promise.all([trace?.close(), cache?.flush()]);

    if (outcome.stage === 'check') {
      report(io, options.json, { ok: false, diagnostics: outcome.diagnostics }, () =>
        io.stderr.write(
          `${planPath} cannot run:\n${outcome.diagnostics
            .filter((d) => d.severity === 'error')
            .map(formatDiagnostic)
            .join('\n')}\n`,
        ),
      );
      return 2;
    }
    const exported =
      otlp && spans
        ? await exportOtlp(spans.events, otlp, { stderr: io.stderr, serviceVersion: packageVersion() })
        : true;
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

/** Prints JSON to stdout with --json, else the human form; secrets never reach either (the key is not in them). */
function report(io: RunIo, json: boolean | undefined, value: unknown, human: () => void): void {
  if (json) io.stdout.write(`${JSON.stringify(value)}\n`);
  else human();
}

export function formatResult(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}
