/// <reference lib="webworker" />
/**
 * The WebLLM engine, in its own worker (docs/models.md). web-llm is imported here only: this worker is created
 * when the local engine is first used, so its ~6 MB never reaches the first screen. It speaks web-llm's
 * engine protocol (through `WebWorkerMLCEngineHandler`) and Fixpoint's catalog and cache requests.
 */
import {
  deleteModelAllInfoInCache,
  hasModelInCache,
  prebuiltAppConfig,
  WebWorkerMLCEngineHandler,
} from '@mlc-ai/web-llm';
import { isFixpointMessage, type LlmWorkerReply, type LlmWorkerRequest } from './models/llm-messages.ts';
import type { PrebuiltRecord } from './models/webllm-catalog.ts';

const handler = new WebWorkerMLCEngineHandler();

self.onmessage = (event: MessageEvent) => {
  if (isFixpointMessage(event.data)) {
    void answer(event.data as LlmWorkerRequest);
    return;
  }
  handler.onmessage(event);
};

async function answer(request: LlmWorkerRequest): Promise<void> {
  let reply: LlmWorkerReply;
  try {
    reply = { fixpoint: 'reply', id: request.id, ok: true, value: await serve(request) };
  } catch (error) {
    reply = {
      fixpoint: 'reply',
      id: request.id,
      ok: false,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
  self.postMessage(reply);
}

async function serve(request: LlmWorkerRequest) {
  switch (request.fixpoint) {
    case 'catalog':
      return prebuiltAppConfig.model_list
        .filter((m) => m.model_id.startsWith('Qwen3-'))
        .map(
          (m): PrebuiltRecord => ({
            model_id: m.model_id,
            ...(m.vram_required_MB !== undefined && { vram_required_MB: m.vram_required_MB }),
            ...(m.low_resource_required !== undefined && { low_resource_required: m.low_resource_required }),
            ...(m.overrides?.context_window_size !== undefined && {
              overrides: { context_window_size: m.overrides.context_window_size },
            }),
          }),
        );
    case 'cache-status': {
      const status: Record<string, boolean> = {};
      for (const id of request.modelIds) {
        // No `caches` outside a secure context (web-llm #257): then nothing is cached.
        status[id] = typeof caches === 'undefined' ? false : await hasModelInCache(id, prebuiltAppConfig);
      }
      return status;
    }
    case 'delete':
      await deleteModelAllInfoInCache(request.modelId, prebuiltAppConfig);
      return null;
  }
}
