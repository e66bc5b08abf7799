/**
 * The in-browser engines as the runtime worker exposes them to the page (Comlink): the model settings
 * panel lists, loads, tries and deletes local models through this, and `createLocalModel` gives the
 * evaluator the same loaded engine, so a model is never held twice.
 *
 * Results that can fail in ways the user must act on come back as `{ ok: false, trouble }` rather than
 * thrown: Comlink keeps only an error's message, and the panel needs the code and the next steps.
 */
import type { FinishReason, LeafModel } from '../lang/index.ts';
import type { ModelConfig } from './config.ts';
import type { LoadProgress } from './download-progress.ts';
import { type EngineTrouble, EngineUnavailableError, explainEngineError } from './engine-trouble.ts';
import type { GgufBackend } from './gguf-backend.ts';
import { throttleProgress } from './progress-throttle.ts';
import type { LocalModelOption } from './webllm-catalog.ts';

export type Outcome<T> = { ok: true; value: T } | { ok: false; trouble: EngineTrouble };

export type LocalModelConfig = Extract<ModelConfig, { engine: 'webllm' | 'wllama' }>;

export interface TryResult {
  text: string;
  finishReason: FinishReason;
  promptTokens: number;
  completionTokens: number;
  ms: number;
}

function nameOf(config: LocalModelConfig): string {
  if (config.engine === 'webllm') return config.modelId;
  return 'url' in config.source ? config.source.url : config.source.name;
}

async function outcome<T>(config: LocalModelConfig, task: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await task() };
  } catch (error) {
    if (error instanceof EngineUnavailableError) return { ok: false, trouble: error.trouble };
    return { ok: false, trouble: explainEngineError(error, { model: nameOf(config) }) };
  }
}

/**
 * The leaf model for a local engine config, loaded (and downloaded) if need be. Throws ProviderError
 * ('unavailable') with the explanation when it cannot run. `createModel` delegates here.
 */
export async function createLocalModel(
  config: LocalModelConfig,
  onProgress?: (p: LoadProgress) => void,
): Promise<LeafModel> {
  const report = throttleProgress((p: LoadProgress) => {
    onProgress?.(p);
    for (const watcher of watchers) watcher({ engine: config.engine, progress: p });
  });
  try {
    let model: LeafModel;
    let backend: GgufBackend | undefined;
    if (config.engine === 'webllm') {
      const { loadWebLLM } = await import('./webllm.ts');
      model = await loadWebLLM(config.modelId, report);
    } else {
      const { loadWllama } = await import('./wllama.ts');
      const gguf = await loadWllama({
        source: config.source,
        contextWindow: config.contextWindow,
        device: config.device,
        onProgress: report,
      });
      model = gguf;
      backend = gguf.backend;
    }
    for (const watcher of watchers)
      watcher({ engine: config.engine, ended: 'ok', ...(backend && { backend }) });
    return model;
  } catch (error) {
    for (const watcher of watchers) watcher({ engine: config.engine, ended: 'failed' });
    throw error;
  }
}

/**
 * A load's progress, or its end, whoever started it (the settings panel, or a run). A GGUF's end says
 * where llama.cpp put the model.
 */
export type LoadEvent =
  | { engine: LocalModelConfig['engine']; progress: LoadProgress; ended?: undefined }
  | { engine: LocalModelConfig['engine']; ended: 'ok'; backend?: GgufBackend }
  | { engine: LocalModelConfig['engine']; ended: 'failed' };

const watchers = new Set<(event: LoadEvent) => void>();

export const localEngines = {
  async webllmCatalog(): Promise<Outcome<LocalModelOption[]>> {
    const config: LocalModelConfig = { engine: 'webllm', modelId: 'the WebLLM model list' };
    return outcome(config, async () => (await import('./webllm.ts')).webllmCatalog());
  },

  async webllmCacheStatus(modelIds: string[]): Promise<Record<string, boolean>> {
    const { webllmCacheStatus } = await import('./webllm.ts');
    return webllmCacheStatus(modelIds).catch(() => ({}));
  },

  async webllmDelete(modelId: string): Promise<Outcome<null>> {
    return outcome({ engine: 'webllm', modelId }, async () => {
      await (await import('./webllm.ts')).deleteWebLLMModel(modelId);
      return null;
    });
  },

  /** Which local model is in memory now, if any. */
  async loaded(): Promise<{ webllm?: string; wllama?: string }> {
    const [{ loadedWebLLMModel }, { loadedWllamaModel }] = await Promise.all([
      import('./webllm.ts'),
      import('./wllama.ts'),
    ]);
    const webllm = loadedWebLLMModel();
    const wllama = loadedWllamaModel();
    return { ...(webllm && { webllm }), ...(wllama && { wllama }) };
  },

  /**
   * Tells `watcher` (a Comlink proxy) of every local model load from now on, including one a run starts:
   * a multi-gigabyte download must show somewhere even when the settings panel is closed. Returns nothing;
   * the watcher lives as long as the page.
   */
  watchLoads(watcher: (event: LoadEvent) => void): void {
    watchers.add(watcher);
  },

  /** Whether this config's model is in memory now (loading it again would return at once). */
  async isLoaded(config: LocalModelConfig): Promise<boolean> {
    if (config.engine === 'webllm') {
      return (await import('./webllm.ts')).loadedWebLLMModel() === config.modelId;
    }
    return (await import('./wllama.ts')).isWllamaLoaded(config.source, config.contextWindow, config.device);
  },

  /** Origin storage in use and available (bytes); estimate() is available in workers, persist() is not. */
  async storageEstimate(): Promise<{ usage: number; quota: number } | null> {
    const storage = (globalThis.navigator as Navigator | undefined)?.storage;
    if (!storage?.estimate) return null;
    const { usage = 0, quota = 0 } = await storage.estimate();
    return { usage, quota };
  },

  async load(
    config: LocalModelConfig,
    onProgress?: (p: LoadProgress) => void,
  ): Promise<Outcome<{ id: string; contextWindow: number; tokenizer?: string; backend?: GgufBackend }>> {
    return outcome(config, async () => {
      const model = await createLocalModel(config, onProgress);
      const tokenizer = model.capabilities.tokenizer?.name;
      const backend = (model as { backend?: GgufBackend }).backend;
      return {
        id: model.id,
        contextWindow: model.capabilities.contextWindow,
        ...(tokenizer && { tokenizer }),
        ...(backend && { backend }),
      };
    });
  },

  /** One prompt on the local model, for the panel's "Try it": the same path a leaf call takes. */
  async tryPrompt(
    config: LocalModelConfig,
    prompt: string,
    maxTokens: number,
    onDelta?: (text: string) => void,
  ): Promise<Outcome<TryResult>> {
    return outcome(config, async () => {
      const model = await createLocalModel(config);
      const started = performance.now();
      const controller = new AbortController();
      const response = await model.complete(
        { messages: [{ role: 'user', content: prompt }], maxTokens, temperature: 0 },
        { signal: controller.signal, ...(onDelta && { onDelta }) },
      );
      return {
        text: response.text,
        finishReason: response.finishReason,
        promptTokens: response.usage.promptTokens,
        completionTokens: response.usage.completionTokens,
        ms: Math.round(performance.now() - started),
      };
    });
  },
};

export type LocalEnginesApi = typeof localEngines;
