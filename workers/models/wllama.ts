/**
 * Any GGUF model run by llama.cpp compiled to WebAssembly (@wllama/wllama, docs/models.md): on the GPU
 * through llama.cpp's WebGPU backend where it can run, else on the CPU. The user gives the model by URL or
 * picks a local file, and chooses "GPU where possible" or "CPU only". wllama starts its own worker for the
 * WASM, so inference never blocks the thread that calls it; this module is imported lazily by whoever
 * creates the model, and wllama itself is imported on first load.
 *
 * Where the model actually went is read from llama.cpp's own load log (gguf-backend.ts), which is kept for
 * that instead of being suppressed; it stays out of the console.
 *
 * The WASM binary is served by Vite from the package (never from a CDN), and the compat build that
 * wllama would fetch from jsDelivr on browsers without JSPI is switched off.
 */
// The package's `main` names a file it does not ship: import its built ESM entry by path.
import type { ChatCompletionChunk, Wllama } from '@wllama/wllama/esm/index.js';
import wllamaWasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';
import type { LeafCallOptions, LeafModel, LeafRequest, LeafResponse, Tokenizer } from '../lang/index.ts';
import { Limiter, ProviderError } from '../lang/index.ts';
import { CALIBRATION_SAMPLES, calibratedTokenizer, measureSamples } from './calibrated-tokenizer.ts';
import { detectGpu } from './capabilities.ts';
import { ABORTED, readChatStream } from './chat-stream.ts';
import { fromBytes, type LoadProgress } from './download-progress.ts';
import { CPU_PACE } from './engine-pace.ts';
import { EngineUnavailableError, explainEngineError } from './engine-trouble.ts';
import {
  type GgufBackend,
  type GgufDevice,
  ggufLoadParams,
  hasJspi,
  readGgufBackend,
} from './gguf-backend.ts';

export type GgufSource = { url: string } | { file: Blob; name: string };

export interface WllamaLoadOptions {
  source: GgufSource;
  contextWindow: number;
  device: GgufDevice;
  onProgress?: (p: LoadProgress) => void;
}

let current: { key: string; name: string; model: Promise<WllamaModel>; ready: boolean } | undefined;
/**
 * One generation at a time: web-llm interleaves concurrent requests to one model into garbage
 * (mlc-ai/web-llm#522) and llama.cpp in WASM has one context. The scheduler already limits calls to the
 * model's `concurrency`, but a second run or a "try it" from the settings panel may share the engine.
 */
const gate = new Limiter(1);

/** A name for the source as the user knows it: the file name, or the last part of the URL. */
export function ggufName(source: GgufSource): string {
  if ('url' in source) {
    const last = source.url.split(/[?#]/)[0]?.split('/').pop();
    return last || 'model.gguf';
  }
  return source.name;
}

function keyOf(source: GgufSource, contextWindow: number, device: GgufDevice): string {
  return 'url' in source
    ? `url:${source.url}:${contextWindow}:${device}`
    : `file:${source.name}:${source.file.size}:${contextWindow}:${device}`;
}

/** Loads the model (or returns the one already loaded from the same source). */
export function loadWllama(options: WllamaLoadOptions): Promise<WllamaModel> {
  const key = keyOf(options.source, options.contextWindow, options.device);
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

async function startLoad({
  source,
  contextWindow,
  device,
  onProgress,
}: WllamaLoadOptions): Promise<WllamaModel> {
  const name = ggufName(source);
  const started = performance.now();
  onProgress?.({ phase: 'starting', fraction: 0, text: 'Starting llama.cpp (WebAssembly)' });
  const log = new NativeLog();
  let wllama: Wllama | undefined;
  try {
    const { Wllama } = await import('@wllama/wllama/esm/index.js');
    wllama = new Wllama({ default: wllamaWasmUrl }, { logger: log.logger });
    wllama.setCompat(null);
    const params = ggufLoadParams(device, contextWindow);
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
    // The first generations also run the backend's kernels: a GPU that cannot run them fails here, not in a run.
    const engine = wllama;
    const measured = await measureSamples(async (prompt) => {
      const probe = await engine.createCompletion({ prompt, max_tokens: 1, temperature: 0 });
      return probe.usage?.prompt_tokens ?? 0;
    });
    const tokenizer = calibratedTokenizer(name, CALIBRATION_SAMPLES, measured);
    const gpuRequested = params.n_gpu_layers > 0;
    // What this browser offers only explains a fallback; the log decides where the model went.
    const gpu = gpuRequested ? await detectGpu() : undefined;
    const backend = readGgufBackend(log.lines, gpuRequested, gpu, hasJspi());
    onProgress?.({
      phase: 'ready',
      fraction: 1,
      text: `Loaded ${name} (${info.n_layer} layers, context ${window}; ${tokenizer.name}; ${backend.ran === 'gpu' ? 'on the GPU' : backend.ran === 'cpu' ? 'on the CPU' : 'backend unknown'})`,
    });
    return new WllamaModel(wllama, name, window, tokenizer, backend);
  } catch (error) {
    await wllama?.exit().catch(() => undefined);
    throw new EngineUnavailableError(explainEngineError(withLogErrors(error, log), { model: name }));
  }
}

/**
 * llama.cpp's output during a load. wllama passes each native line to its logger (INFO as `debug`); the
 * lines are kept here, not printed. A failing GPU backend says why only in these lines, so errors are kept
 * apart for the error message. Warnings and errors still reach the console.
 */
class NativeLog {
  readonly lines: string[] = [];
  readonly errors: string[] = [];
  private keep = (...args: unknown[]) => {
    for (const a of args) if (typeof a === 'string') this.lines.push(a);
  };
  readonly logger = {
    debug: this.keep,
    log: this.keep,
    warn: (...args: unknown[]) => {
      this.keep(...args);
      console.warn('[wllama]', ...args);
    },
    error: (...args: unknown[]) => {
      for (const a of args) if (typeof a === 'string') this.errors.push(a);
      console.error('[wllama]', ...args);
    },
  };
}

/** The engine's error with llama.cpp's own failure lines (e.g. a WebGPU device error) after it. */
function withLogErrors(error: unknown, log: NativeLog): unknown {
  const native = [...log.lines, ...log.errors].filter((l) => /error|abort|fail|lost/i.test(l)).slice(-3);
  if (native.length === 0) return error;
  const text = error instanceof Error ? error.message : String(error);
  return new Error(`${text} — llama.cpp: ${native.join(' ')}`);
}

export class WllamaModel implements LeafModel {
  readonly id: string;
  readonly capabilities: LeafModel['capabilities'];

  constructor(
    private readonly wllama: Wllama,
    readonly name: string,
    contextWindow: number,
    tokenizer: Tokenizer,
    /** Where llama.cpp put this model, by its own log. */
    readonly backend: GgufBackend,
  ) {
    this.id = `wllama:${name}`;
    this.capabilities = { concurrency: 1, contextWindow, tokenizer, pace: CPU_PACE };
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

/** Whether this source, with this window and device choice, is the model in memory now. */
export function isWllamaLoaded(source: GgufSource, contextWindow: number, device: GgufDevice): boolean {
  return current?.ready === true && current.key === keyOf(source, contextWindow, device);
}
