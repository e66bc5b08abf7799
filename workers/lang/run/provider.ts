/**
 * The leaf-model interface (docs/models.md). The language receives a model as an argument and never knows
 * whether it is WebLLM, an OpenAI-compatible API, a GGUF on the CPU, or a scripted test double.
 */
import type { Tokenizer } from '../plan/tokenizer.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LeafRequest {
  messages: ChatMessage[];
  maxTokens: number;
  temperature: number;
  /** JSON schema the answer must follow, where the provider supports constrained output. */
  jsonSchema?: unknown;
}

export type FinishReason = 'stop' | 'length' | 'abort';

export interface LeafResponse {
  text: string;
  usage: { promptTokens: number; completionTokens: number };
  finishReason: FinishReason;
}

export interface LeafCallOptions {
  signal: AbortSignal;
  /** Streamed text as it arrives (the full text so far is not repeated: each call carries new text). */
  onDelta?: (text: string) => void;
}

export interface LeafModelCapabilities {
  /** How many requests may be in flight at once (WebLLM: 1). */
  concurrency: number;
  /** Context window in tokens. */
  contextWindow: number;
  /** Exact tokenizer where the model's own is available; otherwise the planner estimates. */
  tokenizer?: Tokenizer;
  /**
   * The model's own count of a prompt's tokens (chat formatting included), where the engine or server can
   * say (a server's tokenize endpoint). The scheduler's last guard uses it when present; otherwise it
   * counts with `tokenizer` or the conservative estimate.
   */
  countTokens?: (messages: readonly ChatMessage[], signal: AbortSignal) => Promise<number>;
}

export interface LeafModel {
  /** Stable identity for the cache key: engine and model name, never a URL or a key. */
  readonly id: string;
  readonly capabilities: LeafModelCapabilities;
  complete(request: LeafRequest, options: LeafCallOptions): Promise<LeafResponse>;
}

/**
 * What a provider throws. `transient` errors (429, 5xx, network, timeout) are retried by the scheduler;
 * `fatal` ones (other 4xx, bad request) are not; `unavailable` means the engine cannot run at all
 * (no weights, no WebGPU, CORS refused, wrong URL) and stops the run with ProviderUnavailable;
 * `too-large` is the server saying the prompt and answer exceed its context (a PromptTooLarge leaf error,
 * not retried).
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly kind: 'transient' | 'fatal' | 'unavailable' | 'too-large',
    readonly status?: number,
    /** Server's Retry-After, when it gave one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
