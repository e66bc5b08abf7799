import { describe, expect, it } from 'vitest';
import { ProviderError } from '../lang/index.ts';
import { EngineUnavailableError, explainEngineError } from './engine-trouble.ts';

const ctx = { model: 'Qwen3-4B-q4f32_1-MLC', smaller: 'Qwen3-1.7B-q4f32_1-MLC' };

describe('explainEngineError', () => {
  it('turns an offline "Failed to fetch" into missing weights with the API as next step', () => {
    const t = explainEngineError(new TypeError('Failed to fetch'), ctx);
    expect(t.code).toBe('offline');
    expect(t.message).toMatch(/weights of Qwen3-4B-q4f32_1-MLC could not be downloaded/);
    expect(t.message).toMatch(/OpenAI-compatible API/);
    expect(t.next).toContain('use-api');
    expect(t.detail).toBe('TypeError: Failed to fetch');
  });

  it("reads web-llm's device-lost text (a string across its worker) and names the smaller model", () => {
    const text =
      'DeviceLostError: The WebGPU device was lost while loading the model. This issue often occurs due to ' +
      'running out of memory (OOM).';
    const t = explainEngineError(text, ctx);
    expect(t.code).toBe('device-lost');
    expect(t.message).toMatch(/Try a smaller model \(Qwen3-1\.7B-q4f32_1-MLC\)/);
    expect(t.next).toEqual(['smaller-model', 'use-api']);
    expect(explainEngineError(text, { model: 'Qwen3-0.6B-q4f32_1-MLC' }).next).toEqual(['use-api']);
  });

  it('recognises shader-f16, missing WebGPU, quota and a bad GGUF', () => {
    expect(explainEngineError('This model requires WebGPU extension shader-f16', ctx).next).toContain(
      'q4f32',
    );
    expect(explainEngineError('Cannot find WebGPU in the environment', ctx).code).toBe('no-webgpu');
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    expect(explainEngineError(quota, ctx).code).toBe('quota');
    expect(explainEngineError(new Error('load_error: invalid magic'), { model: 'x.gguf' }).code).toBe(
      'bad-model-file',
    );
  });

  it("turns llama.cpp's WebGPU backend failure into the CPU as next step, even when it names a lost device", () => {
    // As llama.cpp logged it on an adapter without shader-f16 that had been made to pass its check.
    const detail =
      'RuntimeError: Aborted() — llama.cpp: ggml_webgpu: Device error! Reason: 2, Message: Error while ' +
      "parsing WGSL: :2:8 error: extension 'f16' is not allowed in the current environment";
    const t = explainEngineError(new Error(detail), { model: 'tiny.gguf' });
    expect(t.code).toBe('gpu-backend');
    expect(t.message).toMatch(/WebGPU backend failed on this GPU while running tiny\.gguf/);
    expect(t.next).toEqual(['cpu-only', 'use-api']);
    expect(explainEngineError('ggml_webgpu: Device lost! Reason: 1', { model: 'x.gguf' }).code).toBe(
      'gpu-backend',
    );
  });

  it('keeps an unknown error in words, with its text', () => {
    const t = explainEngineError(new Error('something odd'), ctx);
    expect(t).toMatchObject({ code: 'unknown', message: 'Qwen3-4B-q4f32_1-MLC failed: something odd' });
  });

  it('wraps trouble as an unavailable ProviderError for the scheduler', () => {
    const error = new EngineUnavailableError(explainEngineError('Failed to fetch', ctx));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.kind).toBe('unavailable');
    expect(error.trouble.code).toBe('offline');
  });
});
