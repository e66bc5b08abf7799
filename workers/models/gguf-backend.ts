/**
 * Where llama.cpp actually put a GGUF model, read from llama.cpp's own load log — never assumed from what
 * was asked. Asking for the GPU (`n_gpu_layers` > 0) is a request: llama.cpp offloads only to devices its
 * WebGPU backend registered, and the build in @wllama/wllama 3.8.1 registers none, silently, when the
 * adapter lacks `shader-f16` (every WGSL shader it compiles starts with `enable f16;`). The log's buffer
 * lines ("WebGPU model buffer size = …", "CPU KV buffer size = …") are the evidence.
 */
import type { GpuStatus } from './capabilities.ts';

/** What the user chose in the settings: the GPU where WebGPU can run the model (else the CPU), or the CPU. */
export type GgufDevice = 'auto' | 'cpu';

export const GGUF_DEVICES: readonly GgufDevice[] = ['auto', 'cpu'];

/** More layers than any model has: llama.cpp offloads all of them (and the output layer) when it can. */
const ALL_LAYERS = 999;

/**
 * Whether this JavaScript engine has JSPI (WebAssembly promise integration). wllama's main build needs it to
 * wait on WebGPU from inside the WASM; without it (Firefox by default, Safari) llama.cpp runs on the CPU.
 */
export function hasJspi(): boolean {
  return typeof (WebAssembly as { Suspending?: unknown }).Suspending === 'function';
}

/** The load parameters that depend on the choice; what is asked of llama.cpp is read back from here. */
export function ggufLoadParams(device: GgufDevice, contextWindow: number) {
  return { n_ctx: contextWindow, n_gpu_layers: device === 'cpu' ? 0 : ALL_LAYERS };
}

export interface GgufBackend {
  /** Where the weights and the KV cache went, by llama.cpp's log; 'unknown' when the log did not say. */
  ran: 'gpu' | 'cpu' | 'unknown';
  /** Whether llama.cpp was asked to offload layers to the GPU. */
  gpuRequested: boolean;
  /** The GPU device llama.cpp used ("WebGPU"), if any. */
  device?: string;
  /** The adapter llama.cpp's WebGPU backend reported ("google swiftshader"). */
  adapter?: string;
  /** Layers offloaded, as llama.cpp counted them. */
  layers?: { offloaded: number; total: number };
  /** Model weights per buffer kind, in MiB ("CPU", "WebGPU"). */
  weights: Record<string, number>;
  /** The buffer kind holding the KV cache. */
  kvCache?: string;
  /** The log lines the verdict was read from, as llama.cpp wrote them. */
  evidence: string[];
  /** The verdict in words, with the likely reason when the GPU was asked for and not used. */
  summary: string;
}

const USING_DEVICE = /using device (\S+)/;
const ADAPTER = /ggml_webgpu: adapter_info: .*\bvendor: ([^|]*)\|.*\barchitecture: ([^|]*)\|/;
const OFFLOADED = /offloaded (\d+)\/(\d+) layers to GPU/;
const MODEL_BUFFER = /load_tensors:\s+(\S+) model buffer size =\s+([\d.]+) MiB/;
const KV_BUFFER = /llama_kv_cache:\s+(\S+) KV buffer size =/;

/** "CPU", "CPU_Mapped", "CPU_REPACK" are host memory; anything else is a device. */
const isCpuBuffer = (kind: string) => /^CPU/i.test(kind);

/**
 * Reads the load log. `gpu` is what the runtime detected in this browser: it only explains a fallback
 * (the likely reason), it never decides where the model ran.
 */
export function readGgufBackend(
  log: readonly string[],
  gpuRequested: boolean,
  gpu?: GpuStatus,
  jspi = true,
): GgufBackend {
  const weights: Record<string, number> = {};
  const evidence: string[] = [];
  const report: Omit<GgufBackend, 'ran' | 'summary'> = { gpuRequested, weights, evidence };
  const readers: Array<[RegExp, (m: RegExpExecArray) => void]> = [
    [USING_DEVICE, (m) => (report.device = m[1])],
    [ADAPTER, (m) => (report.adapter = `${m[1]?.trim()} ${m[2]?.trim()}`.trim())],
    [OFFLOADED, (m) => (report.layers = { offloaded: Number(m[1]), total: Number(m[2]) })],
    [MODEL_BUFFER, (m) => (weights[m[1] ?? '?'] = (weights[m[1] ?? '?'] ?? 0) + Number(m[2]))],
    [KV_BUFFER, (m) => (report.kvCache = m[1])],
  ];
  for (const raw of log) {
    const line = raw.trim();
    for (const [pattern, read] of readers) {
      const m = pattern.exec(line);
      if (!m) continue;
      read(m);
      evidence.push(line);
      break;
    }
  }
  const kinds = [...Object.keys(weights), ...(report.kvCache ? [report.kvCache] : [])];
  const ran = kinds.length === 0 ? 'unknown' : kinds.some((k) => !isCpuBuffer(k)) ? 'gpu' : 'cpu';
  return { ...report, ran, summary: summarize({ ...report, ran }, gpu, jspi) };
}

function summarize(b: Omit<GgufBackend, 'summary'>, gpu: GpuStatus | undefined, jspi: boolean): string {
  const where = (kind: string) => (isCpuBuffer(kind) ? 'the CPU' : kind);
  const weights = Object.entries(b.weights)
    .filter(([, mib]) => mib > 0)
    .map(([kind, mib]) => `${formatMiB(mib)} on ${where(kind)}`)
    .join(', ');
  const facts = [
    weights && `weights ${weights}`,
    b.kvCache && `KV cache on ${where(b.kvCache)}`,
    b.layers && `${b.layers.offloaded}/${b.layers.total} layers offloaded`,
  ]
    .filter(Boolean)
    .join('; ');
  const log = facts ? ` (llama.cpp's log: ${facts})` : '';
  if (b.ran === 'gpu') {
    const on = [b.device ?? 'GPU', b.adapter && `on ${b.adapter}`].filter(Boolean).join(' ');
    return `GPU — ${on}${log}.`;
  }
  if (b.ran === 'unknown') {
    return "Unknown — llama.cpp's log did not say where the model went (no buffer lines).";
  }
  if (!b.gpuRequested) return `CPU — chosen in the settings${log}.`;
  return `CPU — the GPU was requested, but llama.cpp used CPU buffers only${log}. ${fallbackReason(gpu, jspi)}`;
}

/** Why llama.cpp most likely fell back, from what this browser offers (an explanation, not evidence). */
export function fallbackReason(gpu?: GpuStatus, jspi = true): string {
  if (!gpu) return 'Why is not known: WebGPU was not checked.';
  if (!gpu.usable) return `Likely why: ${lowerFirst(gpu.reason)}`;
  if (!jspi) return `Likely why: ${NO_JSPI}`;
  const name = [gpu.vendor, gpu.architecture].filter(Boolean).join(' ') || 'this GPU';
  if (!gpu.shaderF16) {
    return `Likely why: the WebGPU adapter (${name}) lacks shader-f16, which llama.cpp's WebGPU backend needs.`;
  }
  return `The WebGPU adapter (${name}) has shader-f16, so llama.cpp's own log above is the place to look.`;
}

const NO_JSPI =
  "this browser lacks JSPI (WebAssembly promise integration), which llama.cpp's WebGPU build needs here.";

function formatMiB(mib: number): string {
  return mib >= 1024 ? `${(mib / 1024).toFixed(2)} GiB` : `${mib.toFixed(2)} MiB`;
}

function lowerFirst(s: string): string {
  return /^WebGPU/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * What to expect before loading, for the settings: a forecast from the detected WebGPU support, worded as
 * one. Where the model went is known only after the load, from the log.
 */
export function ggufExpectation(device: GgufDevice, gpu: GpuStatus | null, jspi = hasJspi()): string {
  if (device === 'cpu') return 'CPU only: llama.cpp is not asked for the GPU.';
  if (!gpu) return 'Checking WebGPU…';
  if (!gpu.usable)
    return `No usable WebGPU here (${lowerFirst(gpu.reason).replace(/\.$/, '')}): expect the CPU.`;
  if (!jspi) return `WebGPU is here, but ${NO_JSPI.replace(/\.$/, '')}: expect the CPU.`;
  const name = [gpu.vendor, gpu.architecture].filter(Boolean).join(' ') || 'an unnamed adapter';
  if (!gpu.shaderF16) {
    return (
      `WebGPU is here (${name}) but without shader-f16, which llama.cpp's WebGPU backend needs: expect the ` +
      'CPU. The GPU is still asked for; the load reports where the model went.'
    );
  }
  return `WebGPU with shader-f16 on ${name}: llama.cpp is asked to put every layer on the GPU; the load reports where the model went.`;
}
