/**
 * The leaf model for the engine chosen in the settings (docs/models.md). The runtime worker and the CLI build
 * their model here, so every engine is reached the same way and the evaluator never knows which one runs.
 */
import type { LeafModel, Tokenizer } from '../lang/index.ts';
import type { ModelConfig } from './config.ts';
import type { LoadProgress } from './download-progress.ts';
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

export async function createModel(config: ModelConfig, options: CreateModelOptions = {}): Promise<LeafModel> {
  switch (config.engine) {
    case 'openai': {
      // A server that can count tokens (vLLM, SGLang, llama.cpp) calibrates the leaf sizes to itself.
      const tokenizer = await serverTokenizer({
        baseUrl: config.baseUrl,
        model: config.model,
        ...(config.apiKey !== undefined && { apiKey: config.apiKey }),
      });
      return openAIModelFor(config, tokenizer);
    }
    case 'webllm':
    case 'wllama':
      // local-engines imports web-llm and wllama lazily: their code is fetched only when chosen.
      return createLocalModel(config, options.onProgress);
  }
}
