/**
 * The leaf model for the engine chosen in the settings (docs/models.md). The runtime worker and the CLI build
 * their model here, so every engine is reached the same way and the evaluator never knows which one runs.
 */
import type { LeafModel, Tokenizer } from '../lang/index.ts';
import type { ModelConfig } from './config.ts';
import type { LoadProgress } from './download-progress.ts';
import { type EndpointOptions, EndpointPool } from './endpoint-pool.ts';
import { createLocalModel } from './local-engines.ts';
import { OpenAIModel } from './openai.ts';
import { serverTokenizer } from './server-tokenize.ts';

export interface CreateModelOptions {
  /** Download and load progress of a local engine (WebLLM, wllama). */
  onProgress?: (progress: LoadProgress) => void;
}

export type ApiConfig = Extract<ModelConfig, { engine: 'openai' }>;

/** The OpenAI-compatible model for API settings (also what "Test connection" talks to). */
export function openAIModelFor(config: ApiConfig, tokenizer?: Tokenizer): OpenAIModel {
  return new OpenAIModel({
    ...(tokenizer && { tokenizer }),
    baseUrl: config.baseUrl,
    model: config.model,
    concurrency: config.concurrency,
    contextWindow: config.contextWindow,
    ...(config.apiKey !== undefined && { apiKey: config.apiKey }),
    ...(config.timeoutMs !== undefined && { timeoutMs: config.timeoutMs }),
  });
}

/**
 * The leaf model for API settings: a pool over the first endpoint and any others, with their rate limits.
 * A pool of one endpoint behaves as that endpoint, plus rate limits and backing off on 429s.
 */
export function endpointPoolFor(config: ApiConfig, tokenizer?: Tokenizer): EndpointPool {
  const first: EndpointOptions = {
    baseUrl: config.baseUrl,
    model: config.model,
    concurrency: config.concurrency,
    ...(config.apiKey !== undefined && { apiKey: config.apiKey }),
    ...(config.weight !== undefined && { weight: config.weight }),
    ...(config.requestsPerMinute !== undefined && { requestsPerMinute: config.requestsPerMinute }),
    ...(config.tokensPerMinute !== undefined && { tokensPerMinute: config.tokensPerMinute }),
    ...(config.timeoutMs !== undefined && { timeoutMs: config.timeoutMs }),
  };
  const more = (config.endpoints ?? []).map(
    (e): EndpointOptions => ({
      ...e,
      model: e.model?.trim() || config.model,
      ...(config.timeoutMs !== undefined && { timeoutMs: config.timeoutMs }),
    }),
  );
  return new EndpointPool({
    endpoints: [first, ...more],
    contextWindow: config.contextWindow,
    ...(tokenizer && { tokenizer }),
  });
}

export async function createModel(config: ModelConfig, options: CreateModelOptions = {}): Promise<LeafModel> {
  switch (config.engine) {
    case 'openai': {
      // A server that can count tokens (vLLM, SGLang, llama.cpp) calibrates the leaf sizes to itself.
      // Endpoints serving one model name share its tokenizer, so the first endpoint's count stands for
      // all; a pool mixing models (two providers) keeps the conservative estimate.
      const oneModel = (config.endpoints ?? []).every(
        (e) => !e.model?.trim() || e.model.trim() === config.model,
      );
      const tokenizer = oneModel
        ? await serverTokenizer({
            baseUrl: config.baseUrl,
            model: config.model,
            ...(config.apiKey !== undefined && { apiKey: config.apiKey }),
          })
        : undefined;
      return endpointPoolFor(config, tokenizer);
    }
    case 'webllm':
    case 'wllama':
      // local-engines imports web-llm and wllama lazily: their code is fetched only when chosen.
      return createLocalModel(config, options.onProgress);
  }
}
