/**
 * The Qwen3 models Fixpoint offers on WebGPU, read from web-llm's own prebuilt list so memory needs and
 * context windows are the ones the pinned web-llm version ships with. Pure: the list is passed
 * in, so the page can show it without loading web-llm and the tests can check it against the real list.
 */

/** The fields of web-llm's `ModelRecord` this catalog reads. */
export interface PrebuiltRecord {
  model_id: string;
  vram_required_MB?: number;
  low_resource_required?: boolean;
  overrides?: { context_window_size?: number };
}

export type Quantization = 'q4f16' | 'q4f32';

export interface LocalModelOption {
  /** web-llm's model id, e.g. `Qwen3-1.7B-q4f32_1-MLC`. */
  modelId: string;
  /** `0.6B`, `1.7B`, `4B`, `8B`. */
  size: string;
  /** Parameters, in billions, for sorting and wording. */
  billions: number;
  quantization: Quantization;
  /** GPU memory the model needs, in MB, as web-llm states it. */
  vramMB: number;
  /** web-llm marks the models that fit low-resource devices (phones, integrated GPUs). */
  lowResource: boolean;
  contextWindow: number;
}

export const QWEN3_SIZES = ['0.6B', '1.7B', '4B', '8B'] as const;

/** web-llm's prebuilt Qwen3 models are capped at 4096 tokens; used when a record does not say. */
export const WEBLLM_DEFAULT_CONTEXT = 4096;

const QWEN3_ID = /^Qwen3-(\d+(?:\.\d+)?B)-(q4f16|q4f32)_1-MLC$/;

/** Every Qwen3 size × q4 quantization present in the list, smallest first. */
export function qwen3Catalog(records: readonly PrebuiltRecord[]): LocalModelOption[] {
  const out: LocalModelOption[] = [];
  for (const record of records) {
    const match = QWEN3_ID.exec(record.model_id);
    if (!match) continue;
    const size = match[1] as string;
    if (!(QWEN3_SIZES as readonly string[]).includes(size)) continue;
    out.push({
      modelId: record.model_id,
      size,
      billions: Number.parseFloat(size),
      quantization: match[2] as Quantization,
      vramMB: Math.round(record.vram_required_MB ?? 0),
      lowResource: record.low_resource_required ?? false,
      contextWindow: record.overrides?.context_window_size ?? WEBLLM_DEFAULT_CONTEXT,
    });
  }
  return out.sort((a, b) => a.billions - b.billions || a.quantization.localeCompare(b.quantization));
}

/** The variants this adapter can run: q4f16 needs `shader-f16`, q4f32 runs everywhere. */
export function offeredModels(catalog: readonly LocalModelOption[], quantization: Quantization) {
  return catalog.filter((m) => m.quantization === quantization);
}

/** `Qwen3-1.7B-q4f16_1-MLC` → `Qwen3-1.7B-q4f32_1-MLC`: the same size in the other quantization. */
export function withQuantization(modelId: string, quantization: Quantization): string {
  return modelId.replace(/q4f(16|32)_1/, `${quantization}_1`);
}

/** The next size down from `modelId` in the same quantization, for the "try a smaller model" advice. */
export function smallerModel(
  catalog: readonly LocalModelOption[],
  modelId: string,
): LocalModelOption | undefined {
  const current = catalog.find((m) => m.modelId === modelId);
  if (!current) return undefined;
  return catalog
    .filter((m) => m.quantization === current.quantization && m.billions < current.billions)
    .sort((a, b) => b.billions - a.billions)[0];
}

export function formatMB(mb: number): string {
  return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${Math.round(mb)} MB`;
}
