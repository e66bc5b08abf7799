/**
 * The endpoints `fixpoint run` spreads leaves over (docs/scale-out.md): from repeated flags
 * (`--base-url A --base-url B`, one `--model` for all or one per URL, the same for `--api-key-env`), and
 * from an endpoints file (`--endpoints fleet.json`) for weights, per-endpoint concurrency and limits:
 *
 *   { "model": "Qwen/Qwen3-8B",
 *     "endpoints": [
 *       { "baseUrl": "http://gpu-1:8000/v1", "weight": 2, "concurrency": 32 },
 *       { "baseUrl": "https://openrouter.ai/api/v1", "model": "qwen/qwen3-8b",
 *         "apiKeyEnv": "OPENROUTER_API_KEY", "requestsPerMinute": 60 } ] }
 *
 * Keys come only from environment variables (`apiKeyEnv`, `--api-key-env`): a key written in a file or on a
 * command line ends up in backups, shell history and `ps`. A file with an `apiKey` field is refused.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type EndpointOptions, MAX_POOL_ENDPOINTS } from '../workers/runtime/index.ts';
import { UsageError } from './io.ts';

export interface EndpointFlags {
  baseUrl?: string | string[];
  model?: string | string[];
  apiKeyEnv?: string | string[];
  endpoints?: string;
  /** Per endpoint, for those that do not say. */
  concurrency: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

const positive = z.number().positive().finite();
const entrySchema = z.strictObject({
  baseUrl: z.string().min(1),
  model: z.string().min(1).optional(),
  apiKeyEnv: z.string().min(1).optional(),
  weight: positive.optional(),
  concurrency: z.number().int().min(1).max(1024).optional(),
  requestsPerMinute: positive.optional(),
  tokensPerMinute: positive.optional(),
});
const fileSchema = z.union([
  z.array(entrySchema),
  z.strictObject({ model: z.string().min(1).optional(), endpoints: z.array(entrySchema).min(1) }),
]);

/** The endpoints, with their keys read from the environment; every key, for redaction. */
export function readEndpoints(
  flags: EndpointFlags,
  env: Record<string, string | undefined>,
): { endpoints: EndpointOptions[]; keys: string[] } {
  const urls = list(flags.baseUrl);
  const models = list(flags.model);
  const keyVars = list(flags.apiKeyEnv);
  const keys: string[] = [];
  const keyFrom = (variable: string | undefined, what: string): string | undefined => {
    if (variable === undefined) return undefined;
    const key = env[variable];
    if (!key) throw new UsageError(`the environment variable ${variable} (${what}) is not set`);
    keys.push(key);
    return key;
  };
  const common = {
    concurrency: flags.concurrency,
    ...(flags.requestsPerMinute !== undefined && { requestsPerMinute: flags.requestsPerMinute }),
    ...(flags.tokensPerMinute !== undefined && { tokensPerMinute: flags.tokensPerMinute }),
  };
  const paired = (values: string[], name: string, i: number): string | undefined => {
    if (values.length <= 1) return values[0];
    if (values.length !== urls.length)
      throw new UsageError(
        `give ${name} once for every endpoint, or once for each --base-url in order (${urls.length}); got ${values.length}`,
      );
    return values[i];
  };

  const endpoints: EndpointOptions[] = urls.map((baseUrl, i) => {
    const model = paired(models, '--model', i);
    if (!model) throw new UsageError('missing --model NAME');
    const apiKey = keyFrom(paired(keyVars, '--api-key-env', i), '--api-key-env');
    return { baseUrl, model, ...common, ...(apiKey !== undefined && { apiKey }) };
  });

  if (flags.endpoints !== undefined) {
    const file = readFile(flags.endpoints);
    const entries = Array.isArray(file) ? file : file.endpoints;
    const fileModel = Array.isArray(file) ? undefined : file.model;
    entries.forEach((entry, i) => {
      const model = entry.model ?? fileModel ?? (models.length === 1 ? models[0] : undefined);
      if (!model)
        throw new UsageError(`${flags.endpoints}: endpoint ${i + 1} has no model (give "model", or --model)`);
      const apiKey = keyFrom(
        entry.apiKeyEnv ?? (keyVars.length === 1 ? keyVars[0] : undefined),
        `apiKeyEnv of endpoint ${i + 1} in ${flags.endpoints}`,
      );
      endpoints.push({
        ...common,
        baseUrl: entry.baseUrl,
        model,
        ...(entry.weight !== undefined && { weight: entry.weight }),
        ...(entry.concurrency !== undefined && { concurrency: entry.concurrency }),
        ...(entry.requestsPerMinute !== undefined && { requestsPerMinute: entry.requestsPerMinute }),
        ...(entry.tokensPerMinute !== undefined && { tokensPerMinute: entry.tokensPerMinute }),
        ...(apiKey !== undefined && { apiKey }),
      });
    });
  }
  if (endpoints.length === 0) throw new UsageError('missing --base-url URL (or --endpoints FILE)');
  if (endpoints.length > MAX_POOL_ENDPOINTS)
    throw new UsageError(`${endpoints.length} endpoints: at most ${MAX_POOL_ENDPOINTS} are taken`);
  return { endpoints, keys };
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function readFile(path: string): z.infer<typeof fileSchema> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read --endpoints ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new UsageError(`--endpoints ${path} is not JSON`);
  }
  if (hasKeyField(json)) {
    // Not repeated: the value is a key.
    throw new UsageError(
      `--endpoints ${path} has an "apiKey": keys are read only from environment variables. Put the key in one and name it with "apiKeyEnv".`,
    );
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new UsageError(`--endpoints ${path}${where}: ${issue.message}`);
  }
  return parsed.data;
}

function hasKeyField(json: unknown): boolean {
  const entries = Array.isArray(json)
    ? json
    : json && typeof json === 'object' && Array.isArray((json as { endpoints?: unknown }).endpoints)
      ? (json as { endpoints: unknown[] }).endpoints
      : [];
  return entries.some((e) => e !== null && typeof e === 'object' && ('apiKey' in e || 'api_key' in e));
}
