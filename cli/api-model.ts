/**
 * What `fixpoint run` and `fixpoint batch` share about the model: its options (where the server is, the
 * key's variable, concurrency, deadlines), the model over the OpenAI-compatible API they make, its price
 * (`--prices FILE`) and the leaf cache on disk.
 *
 * The API key is read only from the environment variable named by `--api-key-env`: a key on a command line
 * ends up in shell history and in `ps`.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'cac';
import {
  DEADLINE_DEFAULTS,
  type ModelPrice,
  PRICE_TABLE_LIMITS,
  type PriceTable,
  parsePriceTable,
  priceFor,
} from '../workers/lang/index.ts';
import {
  DEFAULT_API_CONTEXT_WINDOW,
  DEFAULT_TIMEOUT_MS,
  normalizeBaseUrl,
  OpenAIModel,
} from '../workers/runtime/index.ts';
import { type CacheLocation, cacheLocation, diskLeafCache } from './disk-cache.ts';
import { UsageError } from './io.ts';

export interface ModelCliOptions {
  baseUrl?: string;
  model?: string;
  apiKeyEnv?: string;
  concurrency?: number | string;
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

/** The API key from the variable `--api-key-env` names; undefined without the option. */
export function apiKeyOf(
  options: ModelCliOptions,
  env: Record<string, string | undefined>,
): string | undefined {
  if (!options.apiKeyEnv) return undefined;
  const key = env[options.apiKeyEnv];
  if (!key) throw new UsageError(`the environment variable ${options.apiKeyEnv} (--api-key-env) is not set`);
  return key;
}

export interface ModelSetup {
  model: OpenAIModel;
  modelName: string;
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

/** The model, its price and cache from the options: usage errors first, then (for the window) the server. */
export async function openModel(
  options: ModelCliOptions,
  apiKey: string | undefined,
  env: Record<string, string | undefined>,
  signal?: AbortSignal,
): Promise<ModelSetup> {
  const baseUrl = required(options.baseUrl, '--base-url URL');
  const modelName = required(options.model, '--model NAME');
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
  try {
    normalizeBaseUrl(baseUrl);
  } catch (error) {
    // Its message never repeats a key written into the URL.
    throw new UsageError(`--base-url: ${error instanceof Error ? error.message : String(error)}`);
  }
  const table = options.prices !== undefined ? readPriceFile(options.prices) : undefined;
  const price = table ? priceFor(table, modelName) : null;
  const maxCost = options.maxCost !== undefined ? money(options.maxCost, '--max-cost') : undefined;
  if (maxCost !== undefined && !price)
    throw new UsageError(
      table
        ? `--max-cost needs a price for "${modelName}", and ${options.prices} has none: add a line for it`
        : `--max-cost needs the model's price: give a price table with --prices FILE (docs/models.md)`,
    );
  const givenWindow =
    options.contextWindow !== undefined ? positiveInt(options.contextWindow, '--context-window') : undefined;
  const model = new OpenAIModel({
    baseUrl,
    model: modelName,
    concurrency,
    timeoutMs,
    ...(apiKey !== undefined && { apiKey }),
    contextWindow: givenWindow ?? (await reportedWindow(baseUrl, modelName, apiKey, signal)),
  });
  return {
    model,
    modelName,
    concurrency,
    ...(givenWindow !== undefined && { givenWindow }),
    scheduler,
    price,
    ...(options.prices !== undefined && { pricesFile: options.prices }),
    ...(maxCost !== undefined && { maxCost }),
    cache: cacheLocation(options.cache === false ? false : options.cacheDir, env),
  };
}

/** The leaf cache the setup names, or null when it is off. */
export function openCache(setup: ModelSetup, apiKey: string | undefined) {
  return setup.cache.dir ? diskLeafCache(setup.cache.dir, [apiKey]) : null;
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

/** The plan document with its planner's window set (left as it is when it is not an object: it will not load). */
export function withContextWindow(json: unknown, window: number): unknown {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return json;
  const doc = json as Record<string, unknown>;
  const planner = doc.planner;
  const settings = planner !== null && typeof planner === 'object' && !Array.isArray(planner) ? planner : {};
  return { ...doc, planner: { ...settings, contextWindow: window } };
}
