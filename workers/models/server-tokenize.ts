/**
 * A server's own token count, where it has one: vLLM and SGLang answer `POST /tokenize` with
 * `{"model", "prompt"}` → `{"count"}`, llama.cpp's server `POST /tokenize` with `{"content"}` → `{"tokens"}`.
 * Both live at the server's root, beside `/v1`. OpenAI and most hosted APIs have neither: then there is no
 * count, and the language sizes leaves with its conservative estimate. Used only to calibrate that
 * estimate (calibrated-tokenizer.ts), a few short requests once per server and model.
 */
import type { Tokenizer } from '../lang/index.ts';
import { CALIBRATION_SAMPLES, calibratedTokenizer, measureSamples } from './calibrated-tokenizer.ts';
import { normalizeBaseUrl } from './openai.ts';

export interface ServerTokenizeOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  fetch?: typeof fetch;
  /** Per request. */
  timeoutMs?: number;
}

/** A function counting one text's tokens on the server, or undefined when the server cannot. */
export async function serverTokenCounter(
  options: ServerTokenizeOptions,
): Promise<((text: string) => Promise<number>) | undefined> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let root: string;
  try {
    root = normalizeBaseUrl(options.baseUrl).replace(/\/v1$/, '');
  } catch {
    return undefined;
  }
  const post = async (body: unknown): Promise<unknown> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 5000);
    try {
      const response = await doFetch(`${root}/tokenize`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      if (!response.ok) return undefined;
      return (await response.json()) as unknown;
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };
  const vllm = async (text: string) => {
    const r = (await post({ model: options.model, prompt: text })) as { count?: unknown } | undefined;
    return typeof r?.count === 'number' ? r.count : Number.NaN;
  };
  const llamaCpp = async (text: string) => {
    const r = (await post({ content: text })) as { tokens?: unknown } | undefined;
    return Array.isArray(r?.tokens) ? r.tokens.length : Number.NaN;
  };
  for (const count of [vllm, llamaCpp]) if (Number.isFinite(await count('probe'))) return count;
  return undefined;
}

const calibrated = new Map<string, Promise<Tokenizer | undefined>>();

/** The estimate calibrated on the server's own counts, once per server and model; undefined without them. */
export function serverTokenizer(options: ServerTokenizeOptions): Promise<Tokenizer | undefined> {
  const key = `${options.baseUrl}\u0000${options.model}`;
  let pending = calibrated.get(key);
  if (!pending) {
    pending = (async () => {
      const count = await serverTokenCounter(options);
      if (!count) return undefined;
      return calibratedTokenizer(options.model, CALIBRATION_SAMPLES, await measureSamples(count));
    })();
    calibrated.set(key, pending);
  }
  return pending;
}
