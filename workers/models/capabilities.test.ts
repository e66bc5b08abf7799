import { describe, expect, it } from 'vitest';
import { detectGpu } from './capabilities.ts';

function fakeGpu(adapter: Partial<GPUAdapter> | null): GPU {
  return { requestAdapter: async () => adapter } as unknown as GPU;
}

function adapterWith(features: string[], isFallbackAdapter = false): Partial<GPUAdapter> {
  return {
    features: new Set(features) as unknown as GPUSupportedFeatures,
    info: { vendor: 'test', architecture: 'swiftshader', isFallbackAdapter } as unknown as GPUAdapterInfo,
    limits: { maxBufferSize: 2 ** 30 } as GPUSupportedLimits,
  };
}

describe('detectGpu', () => {
  it('refuses an insecure context before touching navigator.gpu', async () => {
    const status = await detectGpu({ isSecureContext: false, gpu: fakeGpu(adapterWith(['shader-f16'])) });
    expect(status).toMatchObject({ usable: false, code: 'insecure-context' });
  });

  it('explains a browser without navigator.gpu', async () => {
    const status = await detectGpu({ isSecureContext: true, gpu: undefined });
    expect(status).toMatchObject({ usable: false, code: 'no-navigator-gpu' });
    expect(status.reason).toMatch(/no navigator\.gpu/);
  });

  it('explains a missing adapter', async () => {
    const status = await detectGpu({ isSecureContext: true, gpu: fakeGpu(null) });
    expect(status).toMatchObject({ usable: false, code: 'no-adapter' });
  });

  it('picks q4f16 with shader-f16 and q4f32 without', async () => {
    const f16 = await detectGpu({ isSecureContext: true, gpu: fakeGpu(adapterWith(['shader-f16'])) });
    const f32 = await detectGpu({ isSecureContext: true, gpu: fakeGpu(adapterWith([], true)) });
    expect(f16).toMatchObject({ usable: true, quantization: 'q4f16', shaderF16: true });
    expect(f32).toMatchObject({ usable: true, quantization: 'q4f32', isFallbackAdapter: true });
    expect(f32.reason).toMatch(/fallback.*shader-f16 missing: using q4f32/);
  });

  it('turns a throwing requestAdapter into a reason', async () => {
    const gpu = {
      requestAdapter: async () => {
        throw new Error('device lost');
      },
    } as unknown as GPU;
    const status = await detectGpu({ isSecureContext: true, gpu });
    expect(status).toMatchObject({ usable: false, code: 'error' });
    expect(status.reason).toMatch(/device lost/);
  });
});
