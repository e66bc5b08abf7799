/**
 * The WebLLM leaf model (docs/models.md): Qwen3 on WebGPU through web-llm, which runs in its own worker
 * (`workers/llm.worker.ts`). This module is the client side; it works wherever a dedicated worker can
 * start another (the runtime worker; the page). web-llm's client class is imported lazily, on first load.
 *
 * One engine per context: loading another model reloads the same worker, so the GPU never holds two.
 */
import type { ChatCompletionChunk, WebWorkerMLCEngine } from '@mlc-ai/web-llm';
import type { LeafCallOptions, LeafModel, LeafRequest, LeafResponse, Tokenizer } from '../lang/index.ts';
import { Limiter, ProviderError } from '../lang/index.ts';
import { CALIBRATION_SAMPLES, calibratedTokenizer, measureSamples } from './calibrated-tokenizer.ts';
import { ABORTED, readChatStream } from './chat-stream.ts';
import { fromWebLLMReport, type LoadProgress } from './download-progress.ts';
import { WEBGPU_PACE } from './engine-pace.ts';
import { type EngineTrouble, EngineUnavailableError, explainEngineError } from './engine-trouble.ts';
import { isFixpointMessage, type LlmWorkerReply, type LlmWorkerRequest } from './llm-messages.ts';
import {
  type LocalModelOption,
  qwen3Catalog,
  smallerModel,
  WEBLLM_DEFAULT_CONTEXT,
} from './webllm-catalog.ts';

type DistributiveOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never;

/** The worker and the two protocols on it: web-llm's (through `shim`) and Fixpoint's own requests. */
class LlmWorker {
  readonly worker: Worker;
  /** What web-llm's client sees as its worker: it sets `onmessage`, we forward its messages to it. */
  readonly shim: {
    onmessage: ((event: MessageEvent) => void) | null;
    postMessage: (message: unknown) => void;
  };
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor() {
    this.worker = new Worker(new URL('../llm.worker.ts', import.meta.url), {
      type: 'module',
      name: 'fixpoint-webllm',
    });
    this.shim = { onmessage: null, postMessage: (message) => this.worker.postMessage(message) };
    this.worker.onmessage = (event: MessageEvent) => {
      if (isFixpointMessage(event.data)) {
        const reply = event.data as LlmWorkerReply;
        const waiting = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (reply.ok) waiting?.resolve(reply.value);
        else waiting?.reject(new Error(reply.error));
        return;
      }
      this.shim.onmessage?.(event);
    };
    this.worker.onerror = (event) => {
      for (const waiting of this.pending.values())
        waiting.reject(new Error(event.message || 'WebLLM worker failed'));
      this.pending.clear();
    };
  }

  request<T>(request: DistributiveOmit<LlmWorkerRequest, 'id'>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  terminate(): void {
    this.worker.terminate();
    for (const waiting of this.pending.values()) waiting.reject(new Error('WebLLM worker stopped'));
    this.pending.clear();
  }
}

let llmWorker: LlmWorker | undefined;
let engine: WebWorkerMLCEngine | undefined;
let loadedModelId: string | undefined;
let loading: { modelId: string; promise: Promise<WebLLMModel> } | undefined;
let catalogCache: Promise<LocalModelOption[]> | undefined;
const progressListeners = new Set<(p: LoadProgress) => void>();
/**
 * One generation at a time: web-llm interleaves concurrent requests to one model into garbage
 * (mlc-ai/web-llm#522) and llama.cpp in WASM has one context. The scheduler already limits calls to the
 * model's `concurrency`, but a second run or a "try it" from the settings panel may share the engine.
 */
const gate = new Limiter(1);

function theWorker(): LlmWorker {
  if (!llmWorker) llmWorker = new LlmWorker();
  return llmWorker;
}

/** web-llm's Qwen3 models (0.6B–8B, q4f16 and q4f32), with memory needs from its prebuilt list. */
export function webllmCatalog(): Promise<LocalModelOption[]> {
  if (!catalogCache) {
    catalogCache = theWorker()
      .request<Parameters<typeof qwen3Catalog>[0]>({ fixpoint: 'catalog' })
      .then(qwen3Catalog);
    catalogCache.catch(() => {
      catalogCache = undefined;
    });
  }
  return catalogCache;
}

/** Which models have their weights in the browser's cache. */
export function webllmCacheStatus(modelIds: string[]): Promise<Record<string, boolean>> {
  return theWorker().request({ fixpoint: 'cache-status', modelIds });
}

/** Deletes a model's weights, library and config from the cache, unloading it first if it is loaded. */
export async function deleteWebLLMModel(modelId: string): Promise<void> {
  if (loadedModelId === modelId && engine) {
    await engine.unload();
    loadedModelId = undefined;
  }
  await theWorker().request({ fixpoint: 'delete', modelId });
}

export function loadedWebLLMModel(): string | undefined {
  return loadedModelId;
}

/**
 * Loads a model (downloading its weights on first use) and returns it as a leaf model. Concurrent calls
 * for the same model share one load; a different model replaces the loaded one. Throws ProviderError
 * ('unavailable') whose message says what happened and what to do next.
 */
export function loadWebLLM(modelId: string, onProgress?: (p: LoadProgress) => void): Promise<WebLLMModel> {
  if (onProgress) progressListeners.add(onProgress);
  const done = () => {
    if (onProgress) progressListeners.delete(onProgress);
  };
  if (engine && loadedModelId === modelId && !loading) {
    done();
    return Promise.resolve(
      new WebLLMModel(engine, modelId, contextOf(modelId), undefined, tokenizers.get(modelId)),
    );
  }
  if (loading?.modelId !== modelId) {
    const promise = (loading?.promise.catch(() => undefined) ?? Promise.resolve()).then(() =>
      startLoad(modelId),
    );
    loading = { modelId, promise };
    promise.then(
      () => {
        if (loading?.promise === promise) loading = undefined;
      },
      () => {
        if (loading?.promise === promise) loading = undefined;
      },
    );
  }
  const current = loading as { promise: Promise<WebLLMModel> };
  return current.promise.finally(done);
}

const contextWindows = new Map<string, number>();
/** Each model's token count, measured once when it is first loaded. */
const tokenizers = new Map<string, Tokenizer>();

/** The model's own prompt counts on the calibration samples (one token of answer each). */
async function measureTokenizer(e: Pick<WebWorkerMLCEngine, 'chat'>, modelId: string): Promise<Tokenizer> {
  const measured = await measureSamples(async (content) => {
    const reply = (await e.chat.completions.create({
      messages: [{ role: 'user', content }],
      max_tokens: 1,
      temperature: 0,
      stream: false,
      extra_body: { enable_thinking: false },
    })) as { usage?: { prompt_tokens?: number } };
    return reply.usage?.prompt_tokens ?? 0;
  });
  return calibratedTokenizer(modelId, CALIBRATION_SAMPLES, measured);
}
function contextOf(modelId: string): number {
  return contextWindows.get(modelId) ?? WEBLLM_DEFAULT_CONTEXT;
}

async function startLoad(modelId: string): Promise<WebLLMModel> {
  const catalog = await webllmCatalog().catch(() => [] as LocalModelOption[]);
  const option = catalog.find((m) => m.modelId === modelId);
  if (option) contextWindows.set(modelId, option.contextWindow);
  const report = (r: { progress: number; timeElapsed: number; text: string }) => {
    const progress = fromWebLLMReport(r);
    for (const listener of progressListeners) listener(progress);
  };
  try {
    if (engine) {
      engine.setInitProgressCallback(report);
      await engine.reload(modelId);
    } else {
      const { CreateWebWorkerMLCEngine } = await import('@mlc-ai/web-llm');
      engine = await CreateWebWorkerMLCEngine(theWorker().shim, modelId, { initProgressCallback: report });
    }
    loadedModelId = modelId;
    if (!tokenizers.has(modelId)) tokenizers.set(modelId, await measureTokenizer(engine, modelId));
    return new WebLLMModel(engine, modelId, contextOf(modelId), undefined, tokenizers.get(modelId));
  } catch (error) {
    loadedModelId = undefined;
    const trouble = explainWebLLMError(error, modelId, catalog);
    if (trouble.code === 'device-lost') resetEngine();
    throw new EngineUnavailableError(trouble);
  }
}

/** A lost device leaves the engine unusable: start from a fresh worker next time. */
function resetEngine(): void {
  llmWorker?.terminate();
  llmWorker = undefined;
  engine = undefined;
  loadedModelId = undefined;
  catalogCache = undefined;
}

export function explainWebLLMError(
  error: unknown,
  modelId: string,
  catalog: readonly LocalModelOption[],
): EngineTrouble {
  const smaller = smallerModel(catalog, modelId);
  return explainEngineError(error, { model: modelId, ...(smaller && { smaller: smaller.modelId }) });
}

export class WebLLMModel implements LeafModel {
  readonly id: string;
  readonly capabilities: LeafModel['capabilities'];

  constructor(
    private readonly engine: Pick<WebWorkerMLCEngine, 'chat' | 'interruptGenerate'>,
    readonly modelId: string,
    contextWindow: number,
    /** Whether the engine still holds this model (another load may have replaced it). */
    private readonly isLoaded: () => boolean = () => loadedModelId === modelId,
    /** The model's token count, measured when it was loaded (the conservative estimate without one). */
    tokenizer?: Tokenizer,
  ) {
    this.id = `webllm:${modelId}`;
    this.capabilities = { concurrency: 1, contextWindow, pace: WEBGPU_PACE, ...(tokenizer && { tokenizer }) };
  }

  complete(request: LeafRequest, options: LeafCallOptions): Promise<LeafResponse> {
    return gate.run(() => this.generate(request, options));
  }

  private async generate(request: LeafRequest, { signal, onDelta }: LeafCallOptions): Promise<LeafResponse> {
    if (signal.aborted) return ABORTED;
    if (!this.isLoaded()) {
      throw new ProviderError(
        `${this.modelId} is no longer loaded: load it again in the model settings.`,
        'unavailable',
      );
    }
    // web-llm has no AbortSignal: interruptGenerate() ends the stream with finish_reason "abort".
    const interrupt = () => this.engine.interruptGenerate();
    signal.addEventListener('abort', interrupt, { once: true });
    try {
      const stream = (await this.engine.chat.completions.create({
        messages: request.messages,
        max_tokens: request.maxTokens,
        temperature: request.temperature,
        stream: true,
        stream_options: { include_usage: true },
        // Qwen3 thinks by default, and small Qwen3 thinks until the budget runs out: leaves are bounded.
        extra_body: { enable_thinking: false },
        ...(request.jsonSchema !== undefined && {
          response_format: { type: 'json_object' as const, schema: JSON.stringify(request.jsonSchema) },
        }),
      })) as AsyncIterable<ChatCompletionChunk>;
      const response = await readChatStream(stream, onDelta);
      return signal.aborted ? { ...response, finishReason: 'abort' } : response;
    } catch (error) {
      if (signal.aborted) return ABORTED;
      const trouble = explainWebLLMError(error, this.modelId, (await catalogCache?.catch(() => [])) ?? []);
      if (trouble.code === 'device-lost') resetEngine();
      if (trouble.code === 'unknown') throw new ProviderError(trouble.message, 'fatal');
      throw new EngineUnavailableError(trouble);
    } finally {
      signal.removeEventListener('abort', interrupt);
    }
  }
}
