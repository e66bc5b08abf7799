/**
 * The messages between a page's RLM run (worker-sandbox.ts, in the runtime worker) and the sandbox's own
 * Web Worker (sandbox.worker.ts). Plain structured-clone data; nothing executable crosses.
 */
import type { CellResult, LlmQueryAnswer, SandboxLimits } from './sandbox.ts';

export type ToSandbox =
  | { type: 'init'; limits: SandboxLimits; context: string; query: string }
  | { type: 'run'; code: string; stopAt?: number }
  | { type: 'answers'; id: number; answers: LlmQueryAnswer[]; stop: boolean }
  | { type: 'stop' }
  | { type: 'read'; name: string };

export type FromSandbox =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'query'; id: number; prompts: string[] }
  | { type: 'cell'; result: CellResult; alive?: boolean }
  | { type: 'read'; result: { ok: true; value: string } | { ok: false; message: string } };
