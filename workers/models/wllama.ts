/**
 * The CPU fallback (DESIGN §4): a GGUF model run by llama.cpp compiled to WebAssembly (@wllama/wllama),
 * for browsers without WebGPU. The user gives the model by URL or picks a local file. wllama starts its
 * own worker for the WASM, so inference never blocks the thread that calls it; this module is imported
 * lazily by whoever creates the model, and wllama itself is imported on first load.
 *
 * The WASM binary is served by Vite from the package (never from a CDN), and the compat build that
 * wllama would fetch from jsDelivr on browsers without JSPI is switched off.
 */
// The package's `main` names a file it does not ship: import its built ESM entry by path.
import type { ChatCompletionChunk, Wllama } from '@wllama/wllama/esm/index.js';
import wllamaWasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';
import type { LeafCallOptions, LeafModel, LeafRequest, LeafResponse, Tokenizer } from '../lang/index.ts';
import { ProviderError } from '../lang/index.ts';
import { CALIBRATION_SAMPLES, calibratedTokenizer, measureSamples } from './calibrated-tokenizer.ts';
import { ABORTED, readChatStream } from './chat-stream.ts';
import { fromBytes, type LoadProgress } from './download-progress.ts';
import { EngineUnavailableError, explainEngineError } from './engine-trouble.ts';
import { OneAtATime } from './one-at-a-time.ts';

export type GgufSource = { url: string } | { file: Blob; name: string };

export interface WllamaLoadOptions {
  source: GgufSource;
  contextWindow: number;
  onProgress?: (p: LoadProgress) => void;
}

let current: { key: string; name: string; model: Promise<WllamaModel>; ready: boolean } | undefined;
const gate = new OneAtATime();

/** A name for the source as the user knows it: the file name, or the last part of the URL. */
export function ggufName(source: GgufSource): string {
  if ('url' in source) {
    const last = source.url.split(/[?#]/)[0]?.split('/').pop();
    return last || 'model.gguf';
  }
  return source.name;
}

function keyOf(source: GgufSource, contextWindow: number): string {
  return 'url' in source
    ? `url:${source.url}:${contextWindow}`
    : `file:${source.name}:${source.file.size}:${contextWindow}`;
}

/** Loads the model (or returns the one already loaded from the same source). */
export function loadWllama(options: WllamaLoadOptions): Promise<WllamaModel> {
  const key = keyOf(options.source, options.contextWindow);
  if (current?.key === key) {
    options.onProgress?.({ phase: 'ready', fraction: 1, text: 'Already loaded' });
    return current.model;
  }
  const previous = current?.model;
  const model = (async () => {
    await previous?.then((m) => m.unload()).catch(() => undefined);
    return startLoad(options);
  })();
  const entry = { key, name: ggufName(options.source), model, ready: false };
  current = entry;
  model.then(
    () => {
      entry.ready = true;
    },
    () => {
      if (current === entry) current = undefined;
    },
  );
  return model;
}

export async function unloadWllama(): Promise<void> {
  const loaded = current?.model;
  current = undefined;
  await loaded?.then((m) => m.unload()).catch(() => undefined);
}

async function startLoad({ source, contextWindow, onProgress }: WllamaLoadOptions): Promise<WllamaModel> {
  const name = ggufName(source);
  const started = performance.now();
  onProgress?.({ phase: 'starting', fraction: 0, text: 'Starting llama.cpp (WebAssembly)' });
  let wllama: Wllama | undefined;
  try {
    const { Wllama } = await import('@wllama/wllama/esm/index.js');
    wllama = new Wllama({ default: wllamaWasmUrl }, { suppressNativeLog: true, logger: quietLogger });
    wllama.setCompat(null);
    // CPU only: this engine is the fallback for machines without a usable GPU.
    const params = { n_ctx: contextWindow, n_gpu_layers: 0 };
    if ('url' in source) {
      await wllama.loadModelFromUrl(source.url, {
        ...params,
        progressCallback: ({ loaded, total }) =>
          onProgress?.(fromBytes(loaded, total, (performance.now() - started) / 1000)),
      });
    } else {
      onProgress?.({
        phase: 'loading',
        fraction: 0,
        loadedBytes: 0,
        totalBytes: source.file.size,
        text: `Reading ${name}`,
      });
      await wllama.loadModel([source.file], params);
    }
    const info = wllama.getLoadedContextInfo();
    // llama.cpp caps each request at the length the model was trained for, whatever n_ctx says.
    const window = info.n_ctx_train > 0 ? Math.min(info.n_ctx, info.n_ctx_train) : info.n_ctx;
    onProgress?.({ phase: 'loading', fraction: 1, text: 'Measuring the tokenizer' });
    const engine = wllama;
    const measured = await measureSamples(async (prompt) => {
      const probe = await engine.createCompletion({ prompt, max_tokens: 1, temperature: 0 });
      return probe.usage?.prompt_tokens ?? 0;
    });
    const tokenizer = calibratedTokenizer(name, CALIBRATION_SAMPLES, measured);
    onProgress?.({
      phase: 'ready',
      fraction: 1,
      text: `Loaded ${name} (${info.n_layer} layers, context ${window}; ${tokenizer.name})`,
    });
    return new WllamaModel(wllama, name, window, tokenizer);
  } catch (error) {
    await wllama?.exit().catch(() => undefined);
    throw new EngineUnavailableError(explainEngineError(error, { model: name }));
  }
}

/** llama.cpp's own chatter stays out of the console; warnings and errors still show. */
const quietLogger = {
  debug: () => {},
  log: () => {},
  warn: (...args: unknown[]) => console.warn('[wllama]', ...args),
  error: (...args: unknown[]) => console.error('[wllama]', ...args),
};

export class WllamaModel implements LeafModel {
  readonly id: string;
  readonly capabilities: LeafModel['capabilities'];

  constructor(
    private readonly wllama: Wllama,
    readonly name: string,
    contextWindow: number,
    tokenizer: Tokenizer,
  ) {
    this.id = `wllama:${name}`;
    this.capabilities = { concurrency: 1, contextWindow, tokenizer };
  }

  complete(request: LeafRequest, options: LeafCallOptions): Promise<LeafResponse> {
    return gate.run(() => this.generate(request, options));
  }

  async unload(): Promise<void> {
    await this.wllama.exit();
  }

  private async generate(request: LeafRequest, { signal, onDelta }: LeafCallOptions): Promise<LeafResponse> {
    if (signal.aborted) return ABORTED;
    try {
      const stream = (await this.wllama.createChatCompletion({
        messages: request.messages,
        max_tokens: request.maxTokens,
        temperature: request.temperature,
        stream: true,
        abortSignal: signal,
        ...(request.jsonSchema !== undefined && {
          response_format: {
            type: 'json_schema' as const,
            json_schema: { name: 'leaf', schema: request.jsonSchema },
          },
        }),
      })) as AsyncIterable<ChatCompletionChunk>;
      const response = await readChatStream(stream, onDelta);
      return signal.aborted ? ABORTED : response;
    } catch (error) {
      if (signal.aborted || (error instanceof Error && error.name === 'AbortError')) return ABORTED;
      const trouble = explainEngineError(error, { model: this.name });
      if (trouble.code === 'unknown') throw new ProviderError(trouble.message, 'fatal');
      throw new EngineUnavailableError(trouble);
    }
  }
}

/** The name of the GGUF in memory now, if any. */
export function loadedWllamaModel(): string | undefined {
  return current?.ready ? current.name : undefined;
}

/** Whether this source, with this window, is the model in memory now. */
export function isWllamaLoaded(source: GgufSource, contextWindow: number): boolean {
  return current?.ready === true && current.key === keyOf(source, contextWindow);
}
