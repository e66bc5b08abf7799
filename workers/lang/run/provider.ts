/**
 * The leaf-model interface (docs/models.md). The language receives a model as an argument and never knows
 * whether it is WebLLM, an OpenAI-compatible API, a GGUF on the CPU, or a scripted test double.
 */
import type { Tokenizer } from '../plan/tokenizer.ts';
import type { LeafFailureReason } from './errors.ts';

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
  /** As the server counted; `cachedPromptTokens` when it says how many it read from its prompt cache. */
  usage: { promptTokens: number; completionTokens: number; cachedPromptTokens?: number };
  finishReason: FinishReason;
}

export interface LeafCallOptions {
  signal: AbortSignal;
  /** Streamed text as it arrives (the full text so far is not repeated: each call carries new text). */
  onDelta?: (text: string) => void;
  /**
   * Told each time a paced model (capabilities.paced) actually sends the request, after waiting in its own
   * queue for a rate limit or a free endpoint: the attempt's deadline runs from the last send.
   */
  onSend?: () => void;
  /** The longest wait a server may ask for that this call honours (the scheduler's Retry-After cap). */
  retryAfterCapMs?: number;
}

export interface LeafModelCapabilities {
  /** How many requests may be in flight at once (WebLLM: 1). */
  concurrency: number;
  /** Context window in tokens. */
  contextWindow: number;
  /** Exact tokenizer where the model's own is available; otherwise the planner estimates. */
  tokenizer?: Tokenizer;
  /**
   * How slow the engine may be and still be working: the scheduler's deadline for one attempt is
   * `firstTokenMs + maxTokens / tokensPerSecond` (run/deadlines.ts). A CPU or software-GPU engine is
   * slower than a server; absent, the scheduler assumes a server's pace.
   */
  pace?: LeafPace;
  /**
   * The model's own count of a prompt's tokens (chat formatting included), where the engine or server can
   * say (a server's tokenize endpoint). The scheduler's last guard uses it when present; otherwise it
   * counts with `tokenizer` or the conservative estimate.
   */
  countTokens?: (messages: readonly ChatMessage[], signal: AbortSignal) => Promise<number>;
  /**
   * The model queues requests itself before sending them (rate limits, several endpoints) and calls
   * `onSend` when it sends. Waiting in that queue is not an attempt: no deadline runs until the send.
   */
  paced?: boolean;
}

/** The slowest pace at which an engine still counts as working (not hung). */
export interface LeafPace {
  /** Time to the first token, prompt processing included, in ms. */
  firstTokenMs: number;
  /** Tokens per second of the answer once it flows. */
  tokensPerSecond: number;
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
    /** What was wrong with the reply or the connection, when the provider knows (see LeafFailureReason). */
    readonly reason?: LeafFailureReason,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
