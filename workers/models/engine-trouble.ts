/**
 * What went wrong with an in-browser engine, in words, with the next step ("a lost device or
 * missing weights explained in words with a next step"). web-llm's errors cross its worker as strings
 * (`err.toString()`), so recognition is by text; the texts matched are web-llm 0.2.86's and the
 * browser's own network and quota errors.
 */
import { ProviderError } from '../lang/index.ts';

export type TroubleCode =
  | 'offline'
  | 'device-lost'
  | 'shader-f16'
  | 'no-webgpu'
  | 'quota'
  | 'bad-model-file'
  | 'gpu-backend'
  | 'unknown';

/** What the UI offers next. */
export type NextStep =
  | 'use-api'
  | 'smaller-model'
  | 'q4f32'
  | 'free-storage'
  | 'other-file'
  | 'retry'
  | 'cpu-only';

export interface EngineTrouble {
  code: TroubleCode;
  /** A sentence or two for the user: what happened and what to do. */
  message: string;
  next: NextStep[];
  /** The engine's own error text, for the details line. */
  detail: string;
}

export interface TroubleContext {
  /** The model the engine was loading or running, as the user knows it. */
  model: string;
  /** The next size down, when there is one. */
  smaller?: string;
}

export function explainEngineError(error: unknown, context: TroubleContext): EngineTrouble {
  const detail = errorText(error);
  const { model, smaller } = context;
  const trySmaller = smaller ? ` Try a smaller model (${smaller}) or` : ' Try';
  if (
    /failed to fetch|networkerror|network error|load failed|err_internet_disconnected|net::err/i.test(detail)
  ) {
    return {
      code: 'offline',
      message:
        `The weights of ${model} could not be downloaded: this browser is offline or the model host ` +
        '(huggingface.co) is unreachable. Connect to the internet and load the model again, or use an ' +
        'OpenAI-compatible API instead.',
      next: ['retry', 'use-api'],
      detail,
    };
  }
  // llama.cpp's WebGPU backend names itself in its errors (a shader it cannot compile, a lost device).
  if (/ggml_webgpu/i.test(detail)) {
    return {
      code: 'gpu-backend',
      message:
        `llama.cpp's WebGPU backend failed on this GPU while running ${model}. Run it on the CPU instead ` +
        '(slower, but it works everywhere).',
      next: ['cpu-only', 'use-api'],
      detail,
    };
  }
  if (/device (was )?lost|devicelost|out of memory|\boom\b/i.test(detail)) {
    return {
      code: 'device-lost',
      message:
        `The GPU ran out of memory running ${model} (the WebGPU device was lost).${trySmaller} ` +
        'use an OpenAI-compatible API. Closing other GPU-heavy tabs can also help.',
      next: smaller ? ['smaller-model', 'use-api'] : ['use-api'],
      detail,
    };
  }
  if (/shader-f16/i.test(detail)) {
    return {
      code: 'shader-f16',
      message: `This GPU lacks the shader-f16 feature that ${model} needs: pick its q4f32 variant.`,
      next: ['q4f32', 'use-api'],
      detail,
    };
  }
  if (/webgpu is not supported|cannot find webgpu|compatible gpu|navigator\.gpu/i.test(detail)) {
    return {
      code: 'no-webgpu',
      message:
        'WebGPU is not available here, so Qwen3 cannot run on this GPU. Use an OpenAI-compatible API, or ' +
        'a small GGUF model with llama.cpp on the CPU.',
      next: ['use-api'],
      detail,
    };
  }
  if (/quota|QuotaExceededError|no space/i.test(detail)) {
    return {
      code: 'quota',
      message:
        `The browser refused to store the weights of ${model} (storage quota exceeded: a private window or ` +
        'a full disk). Delete cached models you no longer use, free disk space, or pick a smaller model.',
      next: ['free-storage', 'smaller-model', 'use-api'],
      detail,
    };
  }
  if (/gguf|invalid magic|failed to load model|load_error/i.test(detail)) {
    return {
      code: 'bad-model-file',
      message: `${model} could not be loaded as a GGUF model. Check that the file is a complete .gguf (llama.cpp) model.`,
      next: ['other-file'],
      detail,
    };
  }
  return {
    code: 'unknown',
    message: `${model} failed: ${detail}`,
    next: ['retry', 'use-api'],
    detail,
  };
}

function errorText(error: unknown): string {
  if (error instanceof Error || error instanceof DOMException) {
    const named = error.name && error.name !== 'Error' && !error.message.includes(error.name);
    return named ? `${error.name}: ${error.message}` : error.message;
  }
  return String(error);
}

/** A ProviderError ('unavailable') that keeps the structured trouble for the settings panel. */
export class EngineUnavailableError extends ProviderError {
  constructor(readonly trouble: EngineTrouble) {
    super(trouble.message, 'unavailable');
    this.name = 'EngineUnavailableError';
  }
}
