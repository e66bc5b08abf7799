/**
 * The leaf model for the engine chosen in the settings (DESIGN §4). The runtime worker and the CLI build
 * their model here, so every engine is reached the same way and the evaluator never knows which one runs.
 */
import type { LeafModel } from '../lang/index.ts';
import type { ModelConfig } from './config.ts';
import type { LoadProgress } from './download-progress.ts';
import { type EndpointOptions, EndpointPool } from './endpoint-pool.ts';
import { createLocalModel } from './local-engines.ts';
import { OpenAIModel } from './openai.ts';

export interface CreateModelOptions {
  /** Download and load progress of a local engine (WebLLM, wllama). */
  onProgress?: (progress: LoadProgress) => void;
}

export type ApiConfig = Extract<ModelConfig, { engine: 'openai' }>;

/** The OpenAI-compatible model for API settings (also what "Test connection" talks to). */
export function openAIModelFor(config: ApiConfig): OpenAIModel {
  return new OpenAIModel({
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
export function endpointPoolFor(config: ApiConfig): EndpointPool {
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
  return new EndpointPool({ endpoints: [first, ...more], contextWindow: config.contextWindow });
}

export async function createModel(config: ModelConfig, options: CreateModelOptions = {}): Promise<LeafModel> {
  switch (config.engine) {
    case 'openai':
      return endpointPoolFor(config);
    case 'webllm':
    case 'wllama':
      // local-engines imports web-llm and wllama lazily: their code is fetched only when chosen.
      return createLocalModel(config, options.onProgress);
  }
}
