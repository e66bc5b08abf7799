/**
 * What the page may load from the model layer: the model catalog, settings shapes and display helpers.
 * Providers themselves (the OpenAI-compatible client, WebLLM, wllama) run only in workers and are
 * reached through the runtime client; the page imports their types, never their code (an architecture
 * test holds it to that).
 */
export type { GpuStatus } from './capabilities.ts';
export * from './config.ts';
export * from './download-progress.ts';
export type { EndpointStats } from './endpoint-pool.ts';
export { endpointNotice } from './endpoint-report.ts';
export type { EngineTrouble } from './engine-trouble.ts';
export { GGUF_DEVICES, type GgufBackend, type GgufDevice, ggufExpectation } from './gguf-backend.ts';
export type { LoadEvent, LocalEnginesApi, LocalModelConfig, TryResult } from './local-engines.ts';
export type { ConnectionReport, ModelInfo } from './openai.ts';
export * from './webllm-catalog.ts';
