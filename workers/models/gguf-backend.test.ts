import { describe, expect, it } from 'vitest';
import { SWIFTSHADER } from '../../test/gpu-statuses.ts';
import { fallbackReason, ggufExpectation, ggufLoadParams, readGgufBackend } from './gguf-backend.ts';

// llama.cpp's own lines, as @wllama/wllama 3.8.1 logged them loading the tiny test GGUF in headless Chromium.
const CPU_LOG = [
  'llama_model_loader: - type  f32:   21 tensors',
  'load_tensors: loading model tensors, this can take a while... (load_mode = none)',
  'load_tensors:          CPU model buffer size =     0.38 MiB',
  'llama_context:        CPU  output buffer size =     0.00 MiB',
  'llama_kv_cache:        CPU KV buffer size =     0.25 MiB',
  'sched_reserve:        CPU compute buffer size =     1.51 MiB',
];

// The same load with llama.cpp's WebGPU backend registered: recorded in the experiment where SwiftShader was
// made to report shader-f16 (docs/models.md); that load then failed at its first kernel, but these lines are
// llama.cpp's own.
const GPU_LOG = [
  'ggml_webgpu: adapter_info: vendor_id: 0 | vendor: google | architecture: swiftshader | device_id: 0 | name:  | device_desc: ',
  'llama_prepare_model_devices: using device WebGPU (WebGPU) (unknown id) - 1024 MiB free',
  'load_tensors: offloading output layer to GPU',
  'load_tensors: offloading 1 repeating layers to GPU',
  'load_tensors: offloaded 3/3 layers to GPU',
  'load_tensors:          CPU model buffer size =     0.03 MiB',
  'load_tensors:       WebGPU model buffer size =     0.35 MiB',
  'llama_context:        CPU  output buffer size =     0.00 MiB',
  'llama_kv_cache:     WebGPU KV buffer size =     0.25 MiB',
  'sched_reserve:     WebGPU compute buffer size =     1.64 MiB',
];

describe('ggufLoadParams', () => {
  it('asks llama.cpp for every layer on the GPU, or for none', () => {
    expect(ggufLoadParams('auto', 4096)).toEqual({ n_ctx: 4096, n_gpu_layers: 999 });
    expect(ggufLoadParams('cpu', 2048)).toEqual({ n_ctx: 2048, n_gpu_layers: 0 });
  });
});

describe('readGgufBackend', () => {
  it('reads a GPU load from the WebGPU buffers in the log', () => {
    const b = readGgufBackend(GPU_LOG, true, SWIFTSHADER);
    expect(b.ran).toBe('gpu');
    expect(b.device).toBe('WebGPU');
    expect(b.adapter).toBe('google swiftshader');
    expect(b.layers).toEqual({ offloaded: 3, total: 3 });
    expect(b.weights).toEqual({ CPU: 0.03, WebGPU: 0.35 });
    expect(b.kvCache).toBe('WebGPU');
    expect(b.summary).toBe(
      "GPU — WebGPU on google swiftshader (llama.cpp's log: weights 0.03 MiB on the CPU, 0.35 MiB on WebGPU; " +
        'KV cache on WebGPU; 3/3 layers offloaded).',
    );
    expect(b.evidence).toContain('load_tensors:       WebGPU model buffer size =     0.35 MiB');
    expect(b.evidence).not.toContain('llama_context:        CPU  output buffer size =     0.00 MiB');
  });

  it('reports a fallback to the CPU when the GPU was requested, with the likely reason', () => {
    const b = readGgufBackend(CPU_LOG, true, SWIFTSHADER);
    expect(b.ran).toBe('cpu');
    expect(b.gpuRequested).toBe(true);
    expect(b.summary).toBe(
      "CPU — the GPU was requested, but llama.cpp used CPU buffers only (llama.cpp's log: weights 0.38 MiB on " +
        'the CPU; KV cache on the CPU). Likely why: the WebGPU adapter (google swiftshader) lacks shader-f16, ' +
        "which llama.cpp's WebGPU backend needs.",
    );
    expect(b.evidence).toEqual([
      'load_tensors:          CPU model buffer size =     0.38 MiB',
      'llama_kv_cache:        CPU KV buffer size =     0.25 MiB',
    ]);
  });

  it('says the CPU was chosen when the GPU was not requested', () => {
    const b = readGgufBackend(CPU_LOG, false, SWIFTSHADER);
    expect(b.ran).toBe('cpu');
    expect(b.summary).toMatch(
      /^CPU — chosen in the settings \(llama\.cpp's log: weights 0\.38 MiB on the CPU/,
    );
  });

  it('never claims a backend the log does not show', () => {
    const b = readGgufBackend(['llama_model_loader: loaded meta data', 'Model loaded successfully'], true);
    expect(b.ran).toBe('unknown');
    expect(b.summary).toMatch(/^Unknown/);
    // A request alone is not evidence, nor is the device line without buffers.
    expect(readGgufBackend([GPU_LOG[1] ?? ''], true).ran).toBe('unknown');
  });

  it('counts a GPU load even when the weights stayed in host memory but the KV cache did not', () => {
    const b = readGgufBackend(
      [
        'load_tensors:   CPU_Mapped model buffer size =   120.00 MiB',
        'llama_kv_cache:   WebGPU KV buffer size = 8.00 MiB',
      ],
      true,
    );
    expect(b.ran).toBe('gpu');
  });
});

describe('fallbackReason', () => {
  it('names what this browser lacks', () => {
    expect(
      fallbackReason({
        usable: false,
        code: 'no-navigator-gpu',
        reason: 'WebGPU is not available in this browser (no navigator.gpu).',
      }),
    ).toBe('Likely why: WebGPU is not available in this browser (no navigator.gpu).');
    expect(fallbackReason({ ...SWIFTSHADER, shaderF16: true })).toMatch(/has shader-f16/);
    expect(fallbackReason(undefined)).toMatch(/not checked/);
    expect(fallbackReason({ ...SWIFTSHADER, shaderF16: true }, false)).toBe(
      "Likely why: this browser lacks JSPI (WebAssembly promise integration), which llama.cpp's WebGPU build needs here.",
    );
  });
});

describe('ggufExpectation', () => {
  it('forecasts from what the browser offers, in words, and never for the CPU-only choice', () => {
    const f16 = { ...SWIFTSHADER, shaderF16: true, quantization: 'q4f16' as const };
    expect(ggufExpectation('cpu', f16, true)).toBe('CPU only: llama.cpp is not asked for the GPU.');
    expect(ggufExpectation('auto', null, true)).toBe('Checking WebGPU…');
    expect(ggufExpectation('auto', SWIFTSHADER, true)).toMatch(
      /^WebGPU is here \(google swiftshader\) but without shader-f16, .*: expect the CPU\./,
    );
    expect(ggufExpectation('auto', f16, true)).toMatch(/^WebGPU with shader-f16 on google swiftshader: /);
    expect(ggufExpectation('auto', f16, false)).toMatch(
      /^WebGPU is here, but this browser lacks JSPI .*: expect the CPU\.$/,
    );
    expect(
      ggufExpectation(
        'auto',
        { usable: false, code: 'no-adapter', reason: 'WebGPU is present but no GPU adapter was found.' },
        true,
      ),
    ).toBe('No usable WebGPU here (WebGPU is present but no GPU adapter was found): expect the CPU.');
  });
});
