/**
 * `fixpoint run PLAN --input FILE [--query Q] --base-url URL [--base-url URL…] --model M [--api-key-env VAR]
 *  [--endpoints FILE] [--concurrency N] [--requests-per-minute N] [--tokens-per-minute N]
 *  [--context-window N] [--timeout MS] [--attempt-timeout MS] [--leaf-timeout MS]
 *  [--retry-after-cap MS] [--trace out.jsonl] [--json] [--otlp-…]`
 *
 * Runs a plan from Node over the OpenAI-compatible provider: the same loading, checking, planning,
 * scheduling and evaluation as the browser (workers/runtime/run-plan.ts). Progress on stderr, the result
 * on stdout, the run log as JSON Lines. Several endpoints (repeated `--base-url`, or an endpoints file,
 * cli/endpoints.ts) share the leaves, each under its own rate limits. API keys are read only from the
 * environment variables named by `--api-key-env` or `apiKeyEnv`: a key on a command line ends up in shell
 * history and in `ps`. Whatever the model or the server echoes, every key is replaced by `[redacted]` in
 * all three.
 *
 * Exit status: 0 the run succeeded; 1 it failed (the error is printed); 2 the command or the plan is wrong.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { CAC } from 'cac';
import type { TraceEvent } from '../workers/lang/index.ts';
import { DEADLINE_DEFAULTS, noAnswerFound, redactSecrets } from '../workers/lang/index.ts';
import {
  DEFAULT_API_CONTEXT_WINDOW,
  DEFAULT_TIMEOUT_MS,
  type EndpointOptions,
  EndpointPool,
  endpointLines,
  normalizeBaseUrl,
  OpenAIModel,
  runPlan,
  serverTokenizer,
} from '../workers/runtime/index.ts';
import { formatDiagnostic } from './diagnostics.ts';
import { readEndpoints } from './endpoints.ts';
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
  baseUrl?: string | string[];
  model?: string | string[];
  apiKeyEnv?: string | string[];
  endpoints?: string;
  concurrency?: number | string;
  requestsPerMinute?: number | string;
  tokensPerMinute?: number | string;
  contextWindow?: number | string;
  timeout?: number | string;
  attemptTimeout?: number | string;
  leafTimeout?: number | string;
  retryAfterCap?: number | string;
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
    .option('--query <question>', "The question (default: the plan's own)")
    .option(
      '--base-url <url>',
      'API base URL, e.g. http://localhost:8000/v1 (repeat it for several endpoints)',
    )
    .option('--model <name>', 'Model name as the server knows it (once, or once per --base-url)')
    .option(
      '--api-key-env <var>',
      'Environment variable holding the API key (once, or once per --base-url; never pass a key itself)',
    )
    .option(
      '--endpoints <file>',
      'JSON file of endpoints: baseUrl, model, apiKeyEnv, weight, concurrency, limits',
    )
    .option('--concurrency <n>', 'Leaf calls in flight at once on each endpoint', { default: 4 })
    .option('--requests-per-minute <n>', "Each endpoint's request limit (default: what its headers say)")
    .option(
      '--tokens-per-minute <n>',
      "Each endpoint's token limit, prompt plus max tokens (default: its headers)",
    )
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
    .option('--json', 'Print the outcome as one JSON object');
  addOtlpOptions(run)
    .example(
      'fixpoint run public/examples/sniah.json --input doc.txt --base-url http://localhost:8000/v1 --model Qwen/Qwen3-8B',
    )
    .action(async (plan: string, options: RunCommandOptions) => {
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      try {
        process.exitCode = await runCommand(plan, options, {
          stdout: process.stdout,
          stderr: process.stderr,
          env: process.env,
          signal: controller.signal,
        });
      } finally {
        process.off('SIGINT', stop);
      }
    });
}

export async function runCommand(planPath: string, options: RunCommandOptions, io: RunIo): Promise<number> {
  let keys: string[] = [];
  try {
    const input = required(options.input, '--input FILE');
    const concurrency = positiveInt(options.concurrency ?? 4, '--concurrency');
    const read = readEndpoints(
      {
        ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl }),
        ...(options.model !== undefined && { model: options.model }),
        ...(options.apiKeyEnv !== undefined && { apiKeyEnv: options.apiKeyEnv }),
        ...(options.endpoints !== undefined && { endpoints: options.endpoints }),
        concurrency,
        ...(options.requestsPerMinute !== undefined && {
          requestsPerMinute: positiveInt(options.requestsPerMinute, '--requests-per-minute'),
        }),
        ...(options.tokensPerMinute !== undefined && {
          tokensPerMinute: positiveInt(options.tokensPerMinute, '--tokens-per-minute'),
        }),
      },
      io.env,
    );
    keys = read.keys;
    const endpoints = read.endpoints;
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
    const otlp = otlpRequest(options, io.env, keys);
    const spans = otlp && new OtlpCollector();
    for (const e of endpoints) {
      try {
        normalizeBaseUrl(e.baseUrl);
      } catch (error) {
        // Its message never repeats a key written into the URL.
        throw new UsageError(`--base-url: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const planFile = readPlanFile(planPath);
    if (!planFile.ok) throw new UsageError(planFile.error);
    const text = readInputFile(input);

    const givenWindow =
      options.contextWindow !== undefined
        ? positiveInt(options.contextWindow, '--context-window')
        : undefined;
    // A server that counts tokens calibrates the leaf sizes; only when every endpoint serves one model.
    const [first] = endpoints;
    const tokenizer =
      first && endpoints.every((e) => e.model === first.model)
        ? await serverTokenizer({
            baseUrl: first.baseUrl,
            model: first.model,
            ...(first.apiKey !== undefined && { apiKey: first.apiKey }),
          })
        : undefined;
    let model: EndpointPool;
    try {
      model = new EndpointPool({
        endpoints: endpoints.map((e) => ({ ...e, timeoutMs })),
        contextWindow: givenWindow ?? (await reportedWindow(endpoints, io.signal)),
        ...(tokenizer && { tokenizer }),
      });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }

    const trace = options.trace ? openTrace(options.trace) : undefined;
    const progress = new Progress(io.stderr);
    const outcome = await runPlan({
      // As with `fixpoint plan`, an explicit --context-window wins over the plan's own setting.
      plan: givenWindow === undefined ? planFile.json : withContextWindow(planFile.json, givenWindow),
      input: text,
      ...(options.query !== undefined && { query: options.query }),
      model,
      scheduler,
      secrets: keys,
      ...(io.signal && { signal: io.signal }),
      onEvent: (event) => {
        trace?.write(event);
        spans?.push(event);
        progress.onEvent(event);
      },
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
    const stats = model.stats();
    const summary = {
      ok: outcome.ok,
      result: outcome.result,
      ...(outcome.absent && { absent: true }),
      error: outcome.error,
      estimate: outcome.estimate,
      totals: outcome.totals,
      endpoints: stats,
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
      for (const line of endpointLines(stats)) io.stderr.write(`${line}\n`);
    });
    return outcome.ok && exported ? 0 : 1;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const safe = keys.length > 0 ? redactSecrets(message, keys).value : message;
    io.stderr.write(`fixpoint run: ${safe}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

/** Prints JSON to stdout with --json, else the human form; secrets never reach either (the key is not in them). */
function report(io: RunIo, json: boolean | undefined, value: unknown, human: () => void): void {
  if (json) io.stdout.write(`${JSON.stringify(value)}\n`);
  else human();
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

/**
 * The window the servers report for the model (vLLM: max_model_len), the smallest when several do (every
 * leaf must fit wherever it goes), else a common default.
 */
async function reportedWindow(
  endpoints: EndpointOptions[],
  signal: AbortSignal | undefined,
): Promise<number> {
  const windows = await Promise.all(
    endpoints.map(async (e) => {
      try {
        const probe = new OpenAIModel({
          baseUrl: e.baseUrl,
          model: e.model,
          timeoutMs: 10_000,
          ...(e.apiKey !== undefined && { apiKey: e.apiKey }),
        });
        const models = await probe.listModels(signal);
        return models.find((m) => m.id === e.model)?.contextWindow;
      } catch {
        // No /models, or it failed: the run itself will say what is wrong with the server.
        return undefined;
      }
    }),
  );
  const known = windows.filter((w): w is number => w !== undefined);
  return known.length > 0 ? Math.min(...known) : DEFAULT_API_CONTEXT_WINDOW;
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
