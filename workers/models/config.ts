import type { GgufDevice } from './gguf-backend.ts';

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
    }
  | { engine: 'webllm'; modelId: string }
  | {
      engine: 'wllama';
      source: { url: string } | { file: Blob; name: string };
      contextWindow: number;
      /** The GPU where WebGPU can run the model, else the CPU; or the CPU only. */
      device: GgufDevice;
    };

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
