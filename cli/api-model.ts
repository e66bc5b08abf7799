/**
 * What `fixpoint run` and `fixpoint batch` share about the model, and the one place the CLI builds it: its
 * options (where the servers are, the keys' variables, concurrency, rate limits, deadlines), the model over
 * the OpenAI-compatible API they make (an endpoint pool over one or several endpoints, docs/scale-out.md,
 * calibrated to a server's own token count where it has one), its price (`--prices FILE`) and the leaf
 * cache on disk.
 *
 * API keys are read only from the environment variables named by `--api-key-env` or an endpoints file's
 * `apiKeyEnv` (cli/endpoints.ts): a key on a command line ends up in shell history and in `ps`.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'cac';
import {
  DEADLINE_DEFAULTS,
  type ModelPrice,
  PRICE_TABLE_LIMITS,
  type PriceTable,
  parsePriceTable,
  priceForModels,
} from '../workers/lang/index.ts';
import {
  DEFAULT_API_CONTEXT_WINDOW,
  DEFAULT_TIMEOUT_MS,
  type EndpointOptions,
  EndpointPool,
  normalizeBaseUrl,
  OpenAIModel,
  serverTokenizer,
} from '../workers/runtime/index.ts';
import { type CacheLocation, cacheLocation, diskLeafCache } from './disk-cache.ts';
import { readEndpoints } from './endpoints.ts';
import { UsageError } from './io.ts';

export interface ModelCliOptions {
  /** Repeated for several endpoints. */
  baseUrl?: string | string[];
  /** Once for all endpoints, or once per `--base-url`. */
  model?: string | string[];
  apiKeyEnv?: string | string[];
  /** An endpoints file (cli/endpoints.ts). */
  endpoints?: string;
  concurrency?: number | string;
  requestsPerMinute?: number | string;
  tokensPerMinute?: number | string;
  contextWindow?: number | string;
  timeout?: number | string;
  attemptTimeout?: number | string;
  leafTimeout?: number | string;
  retryAfterCap?: number | string;
  prices?: string;
  maxCost?: number | string;
  /** `--cache-dir DIR`; false with `--no-cache`. */
  cacheDir?: string;
  cache?: boolean;
}

export function addModelOptions(command: Command): Command {
  return command
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
    .option(
      '--prices <file>',
      'Price table (JSON or CSV, per million tokens): costs the run (docs/models.md)',
    )
    .option(
      '--max-cost <amount>',
      "Stop before a call that could take the cost past this (in the price's currency)",
    )
    .option('--cache-dir <dir>', 'Where the leaf cache lives (default: ~/.cache/fixpoint)')
    .option('--no-cache', 'Neither read nor write the leaf cache');
}

/**
 * The endpoints the options name, with their keys read from the environment, and every key (for redaction):
 * usage errors (a variable not set, a bad endpoints file, a URL that is not one) before anything is asked.
 */
export function endpointsOf(
  options: ModelCliOptions,
  env: Record<string, string | undefined>,
): { endpoints: EndpointOptions[]; keys: string[] } {
  const read = readEndpoints(
    {
      ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl }),
      ...(options.model !== undefined && { model: options.model }),
      ...(options.apiKeyEnv !== undefined && { apiKeyEnv: options.apiKeyEnv }),
      ...(options.endpoints !== undefined && { endpoints: options.endpoints }),
      concurrency: positiveInt(options.concurrency ?? 4, '--concurrency'),
      ...(options.requestsPerMinute !== undefined && {
        requestsPerMinute: positiveInt(options.requestsPerMinute, '--requests-per-minute'),
      }),
      ...(options.tokensPerMinute !== undefined && {
        tokensPerMinute: positiveInt(options.tokensPerMinute, '--tokens-per-minute'),
      }),
    },
    env,
  );
  for (const e of read.endpoints) {
    try {
      normalizeBaseUrl(e.baseUrl);
    } catch (error) {
      // Its message never repeats a key written into the URL.
      throw new UsageError(`--base-url: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return read;
}

export interface ModelSetup {
  model: EndpointPool;
  /** The model's name (the endpoints' names joined with " + " when they differ), for messages. */
  modelName: string;
  /** Calls in flight at once over all the endpoints. */
  concurrency: number;
  /** The window given with --context-window (it then wins over the plan's own setting). */
  givenWindow?: number;
  scheduler: { timeoutMs?: number; leafTimeoutMs: number; retryAfterCapMs: number };
  /** The model's price, when `--prices` has one; `pricesFile` says whether a table was given at all. */
  price: ModelPrice | null;
  pricesFile?: string;
  /** The money budget of `--max-cost`, checked to have a price. */
  maxCost?: number;
  cache: CacheLocation;
}

/**
 * The model, its price and cache from the options and the endpoints `endpointsOf` read: usage errors
 * first, then (for the window and the token count) the servers.
 */
export async function openModel(
  options: ModelCliOptions,
  endpoints: readonly EndpointOptions[],
  env: Record<string, string | undefined>,
  signal?: AbortSignal,
): Promise<ModelSetup> {
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
  const names = [...new Set(endpoints.map((e) => e.model))];
  const modelName = names.join(' + ');
  const table = options.prices !== undefined ? readPriceFile(options.prices) : undefined;
  const price = table ? priceForModels(table, names) : null;
  const maxCost = options.maxCost !== undefined ? money(options.maxCost, '--max-cost') : undefined;
  if (maxCost !== undefined && !price)
    throw new UsageError(
      table
        ? `--max-cost needs a price for "${modelName}", and ${options.prices} has none: add a line for ${names.length > 1 ? 'each' : 'it'}`
        : `--max-cost needs the model's price: give a price table with --prices FILE (docs/models.md)`,
    );
  const givenWindow =
    options.contextWindow !== undefined ? positiveInt(options.contextWindow, '--context-window') : undefined;
  // A server that counts tokens (vLLM, SGLang, llama.cpp) calibrates the leaf sizes to itself; endpoints
  // serving one model name share its tokenizer, a pool mixing models keeps the conservative estimate.
  const [first] = endpoints;
  const tokenizer =
    first && names.length === 1
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
      contextWindow: givenWindow ?? (await reportedWindow(endpoints, signal)),
      ...(tokenizer && { tokenizer }),
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return {
    model,
    modelName,
    concurrency: model.capabilities.concurrency,
    ...(givenWindow !== undefined && { givenWindow }),
    scheduler,
    price,
    ...(options.prices !== undefined && { pricesFile: options.prices }),
    ...(maxCost !== undefined && { maxCost }),
    cache: cacheLocation(options.cache === false ? false : options.cacheDir, env),
  };
}

/** The leaf cache the setup names, or null when it is off. */
export function openCache(setup: ModelSetup, keys: readonly string[]) {
  return setup.cache.dir ? diskLeafCache(setup.cache.dir, keys) : null;
}

/** A price table file (`--prices`), checked; a UsageError says what is wrong and where. */
export function readPriceFile(path: string): PriceTable {
  let text: string;
  try {
    if (statSync(path).size > PRICE_TABLE_LIMITS.maxChars * 4)
      throw new UsageError(`--prices ${path} is too large for a price table (the limit is 1 MB)`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `cannot read --prices ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  const parsed = parsePriceTable(text);
  if (!parsed.ok) throw new UsageError(`--prices ${path}: ${parsed.error}`);
  return parsed.table;
}

export function required(value: string | undefined, what: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`missing ${what}`);
  return value;
}

export function positiveInt(value: number | string, name: string): number {
  const n = wholeNumber(value, name);
  if (n < 1) throw new UsageError(`${name} must be a positive whole number, got "${value}"`);
  return n;
}

/** A whole number from 0 up to what a timer can wait (about 24 days). */
export function wholeNumber(value: number | string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > MAX_TIMER_MS)
    throw new UsageError(`${name} must be a whole number from 0 to ${MAX_TIMER_MS}, got "${value}"`);
  return n;
}

/** An amount of money: a number above zero. */
function money(value: number | string, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`${name} must be an amount above 0, got "${value}"`);
  return n;
}

/** setTimeout fires at once past 2^31 − 1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The window the servers report for the model (vLLM: max_model_len), the smallest when several do (every
 * leaf must fit wherever it goes), else a common default.
 */
async function reportedWindow(
  endpoints: readonly EndpointOptions[],
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

/** The plan document with its planner's window set (left as it is when it is not an object: it will not load). */
export function withContextWindow(json: unknown, window: number): unknown {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return json;
  const doc = json as Record<string, unknown>;
  const planner = doc.planner;
  const settings = planner !== null && typeof planner === 'object' && !Array.isArray(planner) ? planner : {};
  return { ...doc, planner: { ...settings, contextWindow: window } };
}
