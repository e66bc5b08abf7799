/**
 * `fixpoint run PLAN --input FILE [--query Q] --base-url URL --model M [--api-key-env VAR]
 *  [--concurrency N] [--context-window N] [--timeout MS] [--attempt-timeout MS] [--leaf-timeout MS]
 *  [--retry-after-cap MS] [--trace out.jsonl] [--json] [--otlp-…]`
 * `fixpoint run --rlm --input FILE --query Q --base-url URL --model M […the same…] [--max-iterations N]
 *  [--max-cells N] [--max-calls N] [--max-tokens N] [--max-wall-ms MS] [--cell-ms MS]`
 *
 * Runs a plan from Node over the OpenAI-compatible provider: the same loading, checking, planning,
 * scheduling and evaluation as the browser (workers/runtime/run-plan.ts). With `--rlm` there is no plan:
 * the model writes JavaScript that runs in the QuickJS sandbox, in this process (docs/rlm.md). Progress on
 * stderr, the result on stdout, the run log as JSON Lines. The API key is read only from the environment
 * variable named by `--api-key-env`: a key on a command line ends up in shell history and in `ps`. Whatever
 * the model or the server echoes, the key is replaced by `[redacted]` in all three.
 *
 * Exit status: 0 the run succeeded; 1 it failed (the error is printed); 2 the command or the plan is wrong.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { CAC, Command } from 'cac';
import type { TraceEvent } from '../workers/lang/index.ts';
import { DEADLINE_DEFAULTS, noAnswerFound, redactSecrets, TASK_FAMILY_IDS } from '../workers/lang/index.ts';
import {
  DEFAULT_API_CONTEXT_WINDOW,
  DEFAULT_TIMEOUT_MS,
  normalizeBaseUrl,
  OpenAIModel,
  type RlmBudgets,
  readExampleFile,
  runAuto,
  runPlan,
  runRlm,
  serverTokenizer,
} from '../workers/runtime/index.ts';
import { autoFamily, reportAuto } from './auto.ts';
import { formatDiagnostic } from './diagnostics.ts';
import { UsageError } from './io.ts';
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

export interface RunCommandOptions extends OtlpCliOptions {
  input?: string;
  query?: string;
  baseUrl?: string;
  model?: string;
  apiKeyEnv?: string;
  concurrency?: number | string;
  contextWindow?: number | string;
  timeout?: number | string;
  attemptTimeout?: number | string;
  leafTimeout?: number | string;
  retryAfterCap?: number | string;
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
    .action(runInProcess(runCommand));
}

/** `run`'s options but --rlm (the document, the question, the model, deadlines, output, RLM budgets); `compare` has them too. */
export function addRunOptions(command: Command): Command {
  return command
    .option('--input <file>', 'The document to run on (text file)')
    .option('--query <question>', "The question (default: the plan's own)")
    .option('--base-url <url>', 'API base URL, e.g. http://localhost:8000/v1')
    .option('--model <name>', 'Model name as the server knows it')
    .option('--api-key-env <var>', 'Environment variable holding the API key (never pass a key itself)')
    .option('--concurrency <n>', 'Leaf calls in flight at once', { default: 4 })
    .option(
      '--context-window <tokens>',
      `The model's context window (default: what /models says, else ${DEFAULT_API_CONTEXT_WINDOW})`,
    )
    .option('--timeout <ms>', 'Inactivity timeout: no byte for this long ends an attempt', {
      default: DEFAULT_TIMEOUT_MS,
    })
    .option(
      '--attempt-timeout <ms>',
      'Deadline of one attempt from its dispatch (default: 20 s + 50 ms per max token)',
    )
    .option('--leaf-timeout <ms>', 'Deadline of one leaf call over all its attempts', {
      default: DEADLINE_DEFAULTS.leafTimeoutMs,
    })
    .option('--retry-after-cap <ms>', 'Longest Retry-After waited for; a server asking more fails the call', {
      default: DEADLINE_DEFAULTS.retryAfterCapMs,
    })
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

/** A command's action run as the process: its stdout, stderr and environment; Ctrl-C aborts the run. */
export function runInProcess(
  command: (plan: string | undefined, options: RunCommandOptions, io: RunIo) => Promise<number>,
) {
  return async (plan: string | undefined, options: RunCommandOptions) => {
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    try {
      process.exitCode = await command(plan, options, {
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
        signal: controller.signal,
      });
    } finally {
      process.off('SIGINT', stop);
    }
  };
}

export async function runCommand(
  planPath: string | undefined,
  options: RunCommandOptions,
  io: RunIo,
): Promise<number> {
  let apiKey: string | undefined;
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
    const baseUrl = required(options.baseUrl, '--base-url URL');
    const modelName = required(options.model, '--model NAME');
    if (options.apiKeyEnv) {
      apiKey = io.env[options.apiKeyEnv];
      if (!apiKey)
        throw new UsageError(`the environment variable ${options.apiKeyEnv} (--api-key-env) is not set`);
    }
    const concurrency = positiveInt(options.concurrency ?? 4, '--concurrency');
    const timeoutMs = positiveInt(options.timeout ?? DEFAULT_TIMEOUT_MS, '--timeout');
    const scheduler = {
      ...(options.attemptTimeout !== undefined && {
        timeoutMs: positiveInt(options.attemptTimeout, '--attempt-timeout'),
      }),
      leafTimeoutMs: positiveInt(options.leafTimeout ?? DEADLINE_DEFAULTS.leafTimeoutMs, '--leaf-timeout'),
      retryAfterCapMs: wholeNumber(
        options.retryAfterCap ?? DEADLINE_DEFAULTS.retryAfterCapMs,
        '--retry-after-cap',
      ),
    };
    const otlp = otlpRequest(options, io.env, apiKey);
    const spans = otlp && new OtlpCollector();
    try {
      normalizeBaseUrl(baseUrl);
    } catch (error) {
      // Its message never repeats a key written into the URL.
      throw new UsageError(`--base-url: ${error instanceof Error ? error.message : String(error)}`);
    }
    const rlmBudgets = options.rlm ? rlmBudgetsOf(options) : undefined;
    const cellMs = options.cellMs !== undefined ? positiveInt(options.cellMs, '--cell-ms') : undefined;
    const planFile = planPath !== undefined ? readPlanFile(planPath) : undefined;
    if (planFile && !planFile.ok) throw new UsageError(planFile.error);
    const text = readInputFile(input);

    const givenWindow =
      options.contextWindow !== undefined
        ? positiveInt(options.contextWindow, '--context-window')
        : undefined;
    const tokenizer = await serverTokenizer({
      baseUrl,
      model: modelName,
      ...(apiKey !== undefined && { apiKey }),
    });
    const model = new OpenAIModel({
      ...(tokenizer && { tokenizer }),
      baseUrl,
      model: modelName,
      concurrency,
      timeoutMs,
      ...(apiKey !== undefined && { apiKey }),
      contextWindow: givenWindow ?? (await reportedWindow(baseUrl, modelName, apiKey, io.signal)),
    });

    const trace = options.trace ? openTrace(options.trace) : undefined;
    const progress = new Progress(io.stderr);
    const onEvent = (event: TraceEvent) => {
      trace?.write(event);
      spans?.push(event);
      progress.onEvent(event);
      io.onEvent?.(event);
    };
    if (options.auto) {
      const auto = await runAuto({
        input: text,
        query: options.query as string,
        ...(family && { family }),
        model,
        concurrency,
        scheduler,
        secrets: [apiKey],
        ...(io.signal && { signal: io.signal }),
        onEvent,
        readExample: readExampleFile,
      });
      progress.finish();
      await trace?.close();
      const exported =
        otlp && spans
          ? await exportOtlp(spans.events, otlp, { stderr: io.stderr, serviceVersion: packageVersion() })
          : true;
      const status = reportAuto(io, options.json, auto);
      return status === 0 && !exported ? 1 : status;
    }
    if (!planFile) {
      const rlm = await runRlm({
        input: text,
        query: options.query as string,
        model,
        ...(rlmBudgets && { budgets: rlmBudgets }),
        ...(cellMs !== undefined && { limits: { cellMs } }),
        scheduler: { concurrency, ...scheduler },
        secrets: [apiKey],
        ...(io.signal && { signal: io.signal }),
        onEvent,
      });
      progress.finish();
      await trace?.close();
      const exported =
        otlp && spans
          ? await exportOtlp(spans.events, otlp, { stderr: io.stderr, serviceVersion: packageVersion() })
          : true;
      const summary = {
        ok: rlm.ok,
        result: rlm.result,
        error: rlm.error,
        totals: rlm.totals,
        iterations: rlm.iterations,
        cells: rlm.cells,
      };
      report(io, options.json, summary, () => {
        if (rlm.ok) io.stdout.write(`${rlm.result ?? ''}\n`);
        else io.stderr.write(`run failed: ${rlm.error?.kind}: ${rlm.error?.message}\n`);
        const t = rlm.totals;
        io.stderr.write(
          `RLM: ${rlm.iterations} root calls, ${rlm.cells} code blocks, ${t.leafCalls} model calls (${t.cachedCalls} cached), ` +
            `${t.promptTokens + t.completionTokens} tokens, ${(t.ms / 1000).toFixed(1)} s\n`,
        );
      });
      return rlm.ok && exported ? 0 : 1;
    }
    const outcome = await runPlan({
      // As with `fixpoint plan`, an explicit --context-window wins over the plan's own setting.
      plan: givenWindow === undefined ? planFile.json : withContextWindow(planFile.json, givenWindow),
      input: text,
      ...(options.query !== undefined && { query: options.query }),
      model,
      concurrency,
      scheduler,
      secrets: [apiKey],
      ...(io.signal && { signal: io.signal }),
      onEvent,
    });
    progress.finish();
    await trace?.close();

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
    const summary = {
      ok: outcome.ok,
      result: outcome.result,
      ...(outcome.absent && { absent: true }),
      error: outcome.error,
      estimate: outcome.estimate,
      totals: outcome.totals,
    };
    report(io, options.json, summary, () => {
      if (outcome.ok && outcome.absent) io.stdout.write(`${noAnswerFound(outcome.totals.leafCalls)}\n`);
      else if (outcome.ok) io.stdout.write(`${formatResult(outcome.result)}\n`);
      else io.stderr.write(`run failed: ${outcome.error?.kind}: ${outcome.error?.message}\n`);
      const t = outcome.totals;
      io.stderr.write(
        `${t.leafCalls} leaf calls (${t.cachedCalls} cached, planner bound ${outcome.estimate.totalCalls}), ` +
          `${t.promptTokens + t.completionTokens} tokens, ${(t.ms / 1000).toFixed(1)} s\n`,
      );
    });
    return outcome.ok && exported ? 0 : 1;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const safe = apiKey ? redactSecrets(message, [apiKey]).value : message;
    io.stderr.write(`fixpoint run: ${safe}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

/** Prints JSON to stdout with --json, else the human form; secrets never reach either (the key is not in them). */
function report(io: RunIo, json: boolean | undefined, value: unknown, human: () => void): void {
  if (json) io.stdout.write(`${JSON.stringify(value)}\n`);
  else human();
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

function required(value: string | undefined, what: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`missing ${what}`);
  return value;
}

function positiveInt(value: number | string, name: string): number {
  const n = wholeNumber(value, name);
  if (n < 1) throw new UsageError(`${name} must be a positive whole number, got "${value}"`);
  return n;
}

/** A whole number from 0 up to what a timer can wait (about 24 days). */
function wholeNumber(value: number | string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > MAX_TIMER_MS)
    throw new UsageError(`${name} must be a whole number from 0 to ${MAX_TIMER_MS}, got "${value}"`);
  return n;
}

/** setTimeout fires at once past 2^31 − 1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

/** The plan document with its planner's window set (left as it is when it is not an object: it will not load). */
function withContextWindow(json: unknown, window: number): unknown {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return json;
  const doc = json as Record<string, unknown>;
  const planner = doc.planner;
  const settings = planner !== null && typeof planner === 'object' && !Array.isArray(planner) ? planner : {};
  return { ...doc, planner: { ...settings, contextWindow: window } };
}

/** The window the server reports for the model (vLLM: max_model_len), else a common default. */
async function reportedWindow(
  baseUrl: string,
  model: string,
  apiKey: string | undefined,
  signal: AbortSignal | undefined,
): Promise<number> {
  try {
    const probe = new OpenAIModel({
      baseUrl,
      model,
      timeoutMs: 10_000,
      ...(apiKey !== undefined && { apiKey }),
    });
    const models = await probe.listModels(signal);
    return models.find((m) => m.id === model)?.contextWindow ?? DEFAULT_API_CONTEXT_WINDOW;
  } catch {
    // No /models, or it failed: the run itself will say what is wrong with the server.
    return DEFAULT_API_CONTEXT_WINDOW;
  }
}

/** The run log as JSON Lines, written as it happens (runPlan has already replaced the key in every event). */
function openTrace(path: string) {
  let stream: WriteStream;
  try {
    stream = createWriteStream(path, { encoding: 'utf8' });
  } catch (error) {
    throw new UsageError(`cannot write --trace ${path}: ${String(error)}`);
  }
  const failed: { error?: Error } = {};
  stream.on('error', (error) => {
    failed.error = error;
  });
  return {
    write(event: TraceEvent) {
      stream.write(`${JSON.stringify(event)}\n`);
    },
    close(): Promise<void> {
      return new Promise((resolve, reject) => {
        stream.end(() => (failed.error ? reject(failed.error) : resolve()));
      });
    },
  };
}

export function formatResult(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}
