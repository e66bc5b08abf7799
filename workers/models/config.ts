import type { GgufDevice } from './gguf-backend.ts';

/**
 * One more OpenAI-compatible endpoint serving the same leaves (docs/scale-out.md): another vLLM or SGLang
 * server of a fleet, or a second provider. Its model name is the first endpoint's when not given.
 */
export interface EndpointSettings {
  baseUrl: string;
  model?: string;
  apiKey?: string;
  /** Requests in flight at once on this endpoint. */
  concurrency: number;
  /** Its share of the leaves while several endpoints have room (default 1). */
  weight?: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

/**
 * Which engine runs the leaves, as chosen in the model settings. An API key lives only here, in memory
 * and in the settings store; it is never put in a plan, a URL, an export, a trace or a log.
 */
export type ModelConfig =
  | {
      engine: 'openai';
      baseUrl: string;
      model: string;
      apiKey?: string;
      concurrency: number;
      contextWindow: number;
      timeoutMs?: number;
      weight?: number;
      requestsPerMinute?: number;
      tokensPerMinute?: number;
      /** Further endpoints: the leaves are spread over all of them (workers/models/endpoint-pool.ts). */
      endpoints?: EndpointSettings[];
    }
  | { engine: 'webllm'; modelId: string }
  | {
      engine: 'wllama';
      source: { url: string } | { file: Blob; name: string };
      contextWindow: number;
      /** The GPU where WebGPU can run the model, else the CPU; or the CPU only. */
      device: GgufDevice;
    };

/** Every API key in a config (for redaction): the first endpoint's and the others'. */
export function configKeys(config: ModelConfig): string[] {
  if (config.engine !== 'openai') return [];
  return [config.apiKey, ...(config.endpoints ?? []).map((e) => e.apiKey)].filter(
    (k): k is string => typeof k === 'string' && k !== '',
  );
}

/** A config as it may appear in a trace or an export: no key, no endpoint. */
export function describeModel(config: ModelConfig): string {
  switch (config.engine) {
    case 'openai':
      return `api:${config.model}`;
    case 'webllm':
      return `webllm:${config.modelId}`;
    case 'wllama':
      return `wllama:${'url' in config.source ? (config.source.url.split('/').pop() ?? 'model') : config.source.name}`;
  }
}
