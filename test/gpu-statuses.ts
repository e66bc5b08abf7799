/**
 * Test data: what `detectGpu` reports on the browsers the tests meet, for unit tests of the code that explains
 * an engine choice. SWIFTSHADER is headless Chromium's adapter with `--enable-unsafe-webgpu` (docs/stack.md).
 */
import type { GpuStatus } from '../workers/models/capabilities.ts';

export const NO_NAVIGATOR_GPU: GpuStatus = {
  usable: false,
  code: 'no-navigator-gpu',
  reason: 'WebGPU is not available in this browser (no navigator.gpu).',
};

export const SWIFTSHADER: Extract<GpuStatus, { usable: true }> = {
  usable: true,
  shaderF16: false,
  isFallbackAdapter: true,
  vendor: 'google',
  architecture: 'swiftshader',
  maxBufferSize: 2 ** 30,
  quantization: 'q4f32',
  reason: 'WebGPU available on a fallback (software) adapter; shader-f16 missing: using q4f32 weights.',
};
