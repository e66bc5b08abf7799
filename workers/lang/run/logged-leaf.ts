/**
 * One model call through the scheduler, written to the run log as `leaf.request` → `leaf.delta`* →
 * `leaf.done`: the evaluator's leaves and RLM mode's root and `llm_query` calls are logged the same way.
 */
import type { LeafRequest } from './provider.ts';
import type { LeafScheduler, ScheduledResult } from './scheduler.ts';
import type { TraceWriter } from './trace-writer.ts';

export interface LoggedLeafOptions {
  now: () => number;
  /** Streamed text is logged at most this often (0: every piece as it arrives). */
  deltaIntervalMs: number;
  /** Skip the cache read (run from a node). */
  fresh?: boolean;
}

export async function loggedLeaf(
  writer: TraceWriter,
  scheduler: LeafScheduler,
  callId: string,
  request: LeafRequest,
  { now, deltaIntervalMs, fresh }: LoggedLeafOptions,
): Promise<ScheduledResult> {
  const cacheKey = scheduler.keyOf(request);
  writer.emit({ type: 'leaf.request', callId, messages: request.messages, cacheKey });
  let pending = '';
  let lastFlush = now();
  const flush = () => {
    if (pending === '') return;
    writer.emit({ type: 'leaf.delta', callId, text: pending });
    pending = '';
    lastFlush = now();
  };
  const result = await scheduler.call({
    callId,
    request,
    cacheKey,
    ...(fresh ? { bypassCache: true } : {}),
    onDelta: (text) => {
      pending += text;
      if (deltaIntervalMs === 0 || now() - lastFlush >= deltaIntervalMs) flush();
    },
    onRetry: () => {
      pending = '';
    },
  });
  flush();
  writer.emit({
    type: 'leaf.done',
    callId,
    text: result.text,
    // A cached answer cost nothing: its tokens are not counted again.
    promptTokens: result.cached ? 0 : result.usage.promptTokens,
    completionTokens: result.cached ? 0 : result.usage.completionTokens,
    ...(!result.cached && result.usage.cachedPromptTokens
      ? { cachedPromptTokens: result.usage.cachedPromptTokens }
      : {}),
    ms: Math.round(result.ms),
    cached: result.cached,
    retries: result.retries,
    finishReason: result.finishReason,
  });
  return result;
}
