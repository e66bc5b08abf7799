/**
 * What this browser offers for in-browser inference. Runs in the page or in a worker (both expose
 * `navigator.gpu` in Chromium). The result always carries a human reason, because the engine choice
 * must explain itself.
 */
export type GpuStatus =
  | {
      usable: true;
      shaderF16: boolean;
      isFallbackAdapter: boolean;
      vendor: string;
      architecture: string;
      maxBufferSize: number;
      /** Which weight variant the local engine should pick on this adapter. */
      quantization: 'q4f16' | 'q4f32';
      reason: string;
    }
  | { usable: false; reason: string; code: 'insecure-context' | 'no-navigator-gpu' | 'no-adapter' | 'error' };

interface GpuEnv {
  isSecureContext: boolean;
  gpu: GPU | undefined;
}

export async function detectGpu(env: GpuEnv = currentEnv()): Promise<GpuStatus> {
  if (!env.isSecureContext) {
    return {
      usable: false,
      code: 'insecure-context',
      reason: 'WebGPU needs a secure context: open Fixpoint over https:// or http://localhost.',
    };
  }
  if (!env.gpu) {
    return {
      usable: false,
      code: 'no-navigator-gpu',
      reason: 'WebGPU is not available in this browser (no navigator.gpu).',
    };
  }
  try {
    const adapter = await env.gpu.requestAdapter();
    if (!adapter) {
      return {
        usable: false,
        code: 'no-adapter',
        reason: 'WebGPU is present but no GPU adapter was found (blocked GPU, or drivers not supported).',
      };
    }
    const shaderF16 = adapter.features.has('shader-f16');
    const info = adapter.info;
    const isFallbackAdapter = Boolean(
      (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter,
    );
    const parts = [
      isFallbackAdapter ? 'WebGPU available on a fallback (software) adapter' : 'WebGPU available',
      shaderF16 ? 'with shader-f16: using q4f16 weights' : 'shader-f16 missing: using q4f32 weights',
    ];
    return {
      usable: true,
      shaderF16,
      isFallbackAdapter,
      vendor: info.vendor,
      architecture: info.architecture,
      maxBufferSize: adapter.limits.maxBufferSize,
      quantization: shaderF16 ? 'q4f16' : 'q4f32',
      reason: `${parts.join('; ')}.`,
    };
  } catch (error) {
    return {
      usable: false,
      code: 'error',
      reason: `WebGPU adapter request failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

function currentEnv(): GpuEnv {
  const nav = globalThis.navigator as (Navigator & { gpu?: GPU }) | undefined;
  return { isSecureContext: Boolean(globalThis.isSecureContext), gpu: nav?.gpu };
}
