/**
 * The runtime's front door for Node (the CLI and the benchmarks): run a plan with a model, and build the
 * model from settings. The browser reaches the same code through the runtime worker.
 */
export { type ApiConfig, createModel, endpointPoolFor, openAIModelFor } from '../models/create-model.ts';
export {
  type EndpointOptions,
  EndpointPool,
  type EndpointPoolOptions,
  type EndpointStats,
  MAX_POOL_ENDPOINTS,
} from '../models/endpoint-pool.ts';
export { endpointLines, endpointNotice } from '../models/endpoint-report.ts';
export { type CacheBackend, IdbLeafCache, type StoredAnswer } from '../models/idb-cache.ts';
export {
  DEFAULT_API_CONTEXT_WINDOW,
  DEFAULT_TIMEOUT_MS,
  normalizeBaseUrl,
  OpenAIModel,
  type OpenAIModelOptions,
} from '../models/openai.ts';
export { serverTokenizer } from '../models/server-tokenize.ts';
export type { RlmBudgets, RlmOutcome } from '../rlm/index.ts';
export { readExampleFile } from './read-example.ts';
export * from './run-auto.ts';
export * from './run-plan.ts';
export * from './run-rlm.ts';
