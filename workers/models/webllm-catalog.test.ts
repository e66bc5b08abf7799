import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { formatMB, offeredModels, qwen3Catalog, smallerModel, withQuantization } from './webllm-catalog.ts';

describe('qwen3Catalog against the pinned web-llm prebuilt list', () => {
  const catalog = qwen3Catalog(prebuiltAppConfig.model_list);

  it('offers 0.6B, 1.7B, 4B and 8B in q4f16 and q4f32, smallest first', () => {
    expect(catalog.map((m) => m.modelId)).toEqual([
      'Qwen3-0.6B-q4f16_1-MLC',
      'Qwen3-0.6B-q4f32_1-MLC',
      'Qwen3-1.7B-q4f16_1-MLC',
      'Qwen3-1.7B-q4f32_1-MLC',
      'Qwen3-4B-q4f16_1-MLC',
      'Qwen3-4B-q4f32_1-MLC',
      'Qwen3-8B-q4f16_1-MLC',
      'Qwen3-8B-q4f32_1-MLC',
    ]);
  });

  it('reads memory needs and context windows from the list, not from a copy', () => {
    for (const option of catalog) {
      const record = prebuiltAppConfig.model_list.find((r) => r.model_id === option.modelId);
      expect(option.vramMB).toBe(Math.round(record?.vram_required_MB ?? -1));
      expect(option.contextWindow).toBe(record?.overrides?.context_window_size);
    }
    // q4f32 needs more memory than q4f16 at every size.
    for (const size of ['0.6B', '1.7B', '4B', '8B']) {
      const [f16, f32] = catalog.filter((m) => m.size === size);
      expect(f32?.vramMB).toBeGreaterThan(f16?.vramMB ?? Infinity);
    }
  });

  it('offers only q4f32 on an adapter without shader-f16', () => {
    expect(offeredModels(catalog, 'q4f32').every((m) => m.modelId.includes('q4f32'))).toBe(true);
    expect(offeredModels(catalog, 'q4f32')).toHaveLength(4);
  });

  it('names the next size down for "try a smaller model", and none below the smallest', () => {
    expect(smallerModel(catalog, 'Qwen3-4B-q4f32_1-MLC')?.modelId).toBe('Qwen3-1.7B-q4f32_1-MLC');
    expect(smallerModel(catalog, 'Qwen3-0.6B-q4f16_1-MLC')).toBeUndefined();
    expect(smallerModel(catalog, 'not-a-model')).toBeUndefined();
  });
});

describe('catalog helpers', () => {
  it('ignores records that are not q4 Qwen3 of a known size', () => {
    const records = [
      { model_id: 'Qwen3-0.6B-q0f16-MLC', vram_required_MB: 1 },
      { model_id: 'Qwen3-14B-q4f16_1-MLC', vram_required_MB: 1 },
      { model_id: 'Llama-3-8B-q4f16_1-MLC', vram_required_MB: 1 },
      { model_id: 'Qwen3-1.7B-q4f32_1-MLC', vram_required_MB: 2635.44 },
    ];
    expect(qwen3Catalog(records)).toEqual([
      {
        modelId: 'Qwen3-1.7B-q4f32_1-MLC',
        size: '1.7B',
        billions: 1.7,
        quantization: 'q4f32',
        vramMB: 2635,
        lowResource: false,
        contextWindow: 4096,
      },
    ]);
  });

  it('switches quantization and formats sizes', () => {
    expect(withQuantization('Qwen3-4B-q4f16_1-MLC', 'q4f32')).toBe('Qwen3-4B-q4f32_1-MLC');
    expect(formatMB(1925)).toBe('1.9 GB');
    expect(formatMB(512)).toBe('512 MB');
  });
});
