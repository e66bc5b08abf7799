/**
 * How slow each engine may be and still be working (`LeafPace`): the scheduler's deadline for one attempt
 * is the time to the first token plus max tokens at this rate (workers/lang/run/deadlines.ts). The values
 * are floors seen on modest hardware, not typical speeds: a deadline must not cut a slow engine that works,
 * only one that has stopped. A server is assumed to be as fast as `SERVER_PACE` unless told otherwise.
 */
import type { LeafPace } from '../lang/index.ts';

/** Qwen3 in WebLLM on an integrated GPU: the first token after a full 4K prompt, then a few tokens a second. */
export const WEBGPU_PACE: LeafPace = { firstTokenMs: 60_000, tokensPerSecond: 4 };

/** A GGUF in wllama on the CPU (WebAssembly, a few threads): slower on both counts. */
export const CPU_PACE: LeafPace = { firstTokenMs: 120_000, tokensPerSecond: 2 };
