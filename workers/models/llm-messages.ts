/**
 * Fixpoint's own requests to the WebLLM worker, beside web-llm's engine protocol on the same channel:
 * the prebuilt Qwen3 list and the weight cache. Tagged with `fixpoint` so neither side mistakes one
 * protocol's message for the other's.
 */
import type { PrebuiltRecord } from './webllm-catalog.ts';

export type LlmWorkerRequest =
  | { fixpoint: 'catalog'; id: number }
  | { fixpoint: 'cache-status'; id: number; modelIds: string[] }
  | { fixpoint: 'delete'; id: number; modelId: string };

export type LlmWorkerReply =
  | { fixpoint: 'reply'; id: number; ok: true; value: LlmWorkerValue }
  | { fixpoint: 'reply'; id: number; ok: false; error: string };

export type LlmWorkerValue = PrebuiltRecord[] | Record<string, boolean> | null;

export function isFixpointMessage(data: unknown): data is { fixpoint: string } {
  return typeof data === 'object' && data !== null && 'fixpoint' in data;
}
