/// <reference lib="webworker" />
/**
 * The runtime worker: the page's one Comlink endpoint over the language and the leaf models. The page
 * reaches it through `app/runtime/runtimeClient.ts`; nothing here touches the DOM.
 *
 * API (all methods return promises through Comlink):
 * - `version()`, `capabilities()`: the runtime's version; WebGPU status and core count.
 * - `putInput(text | ArrayBuffer) → { inputId, chars }`: hand the document over once (a 10 MB input is one
 *   structured clone, or zero copies as a transferred UTF-8 ArrayBuffer: `Comlink.transfer(buf, [buf])`).
 *   The worker keeps the last few; runs and estimates refer to them by id. `dropInput(inputId)` frees one.
 * - `check(plan) → { diagnostics, portTypes }`: the type checker.
 * - `plan({ plan, inputId | inputChars | inputTokens, query?, contextWindow }) → { ok, estimate, diagnostics }`:
 *   the planner's k*, τ*, d and call bound before any model call.
 * - `run({ runId, plan, inputId | input, query?, model, concurrency?, useCache?, refreshNodes? }, onEvents) → RunSummary`:
 *   runs the plan. `onEvents` must be `Comlink.proxy(fn)`; it receives the run log in batches (every
 *   50 ms or 200 events, at most one batch in flight), in order, each event once. The promise resolves
 *   after the last batch, with `{ runId, ok, stage, result?, error?, diagnostics?, estimate?, totals? }`;
 *   it does not reject for a failed run (`stage: 'check'` means the plan did not check and no model ran).
 *   The page picks `runId`, so it can open the run's record before the first event.
 * - `runRlm({ runId, inputId | input, query, model, budgets?, limits?, concurrency?, useCache? }, onEvents) → RlmSummary`:
 *   RLM mode (docs/rlm.md): the model writes JavaScript that runs in a QuickJS sandbox in a worker of its
 *   own, started for the run; the log arrives in batches as for `run` (it begins with `rlm.start`).
 * - `detect({ inputId | input, query, model, useCache? }) → DetectReply`: task detection (docs/rlm.md), one
 *   model call; `{ ok, family, detectionId }`. A `run` given `detectionId` carries that call in its log.
 * - `abort(runId) → boolean`: stops a run; it ends with `run.done` carrying an `Aborted` error.
 * - `testConnection(apiConfig)`, `listModels(apiConfig)`: the OpenAI-compatible API, from the worker.
 * - `clearLeafCache()`: forgets the cached leaf answers (they survive reloads, in IndexedDB).
 * - `localEngines`: the in-browser engines (WebLLM, wllama): list, load, try, cache.
 */
import * as Comlink from 'comlink';
import type { TraceEvent } from './lang/index.ts';
import { type LeafCache, MemoryLeafCache } from './lang/index.ts';
import { detectGpu, type GpuStatus } from './models/capabilities.ts';
import { createModel } from './models/create-model.ts';
import { IdbLeafCache } from './models/idb-cache.ts';
import { localEngines } from './models/local-engines.ts';
import { workerSandboxFactory } from './rlm/worker-sandbox.ts';
import { createRunService, type RlmRequest, type RunRequest } from './runtime/run-service.ts';
import { RUNTIME_VERSION } from './version.ts';

let leafCache: (LeafCache & { clear(): void | Promise<void> }) | undefined;
function cache() {
  leafCache ??= typeof indexedDB === 'undefined' ? new MemoryLeafCache() : new IdbLeafCache();
  return leafCache;
}

const service = createRunService({
  createModel: (config) => createModel(config),
  cache,
  // RLM mode's code runs in a worker of its own, started with each run (and again if a cell must be killed).
  sandbox: workerSandboxFactory(
    () =>
      new Worker(new URL('./rlm/sandbox.worker.ts', import.meta.url), {
        type: 'module',
        name: 'fixpoint-rlm-sandbox',
      }),
  ),
});

const runtime = {
  version(): string {
    return RUNTIME_VERSION;
  },
  async capabilities(): Promise<{ gpu: GpuStatus; hardwareConcurrency: number }> {
    return { gpu: await detectGpu(), hardwareConcurrency: self.navigator.hardwareConcurrency ?? 1 };
  },
  putInput: service.putInput,
  dropInput: service.dropInput,
  check: service.check,
  plan: service.plan,
  async run(request: RunRequest, onEvents: (events: TraceEvent[]) => unknown) {
    try {
      return await service.run(request, onEvents);
    } finally {
      // The page's callback arrives as a proxy over a MessagePort: close it when the run is over.
      (onEvents as Partial<Comlink.Remote<unknown>>)[Comlink.releaseProxy]?.();
    }
  },
  /** RLM mode: the model writes code that runs in a sandbox worker; same log, batching and abort as `run`. */
  async runRlm(request: RlmRequest, onEvents: (events: TraceEvent[]) => unknown) {
    try {
      return await service.runRlm(request, onEvents);
    } finally {
      (onEvents as Partial<Comlink.Remote<unknown>>)[Comlink.releaseProxy]?.();
    }
  },
  /** Task detection: one model call on the question and a preview; its call joins the next run given its id. */
  detect: service.detect,
  abort: service.abort,
  testConnection: service.testConnection,
  listModels: service.listModels,
  async clearLeafCache(): Promise<void> {
    await cache().clear();
  },
  /** In-browser engines (WebLLM, wllama): list, load, try, cache. The same engines the runs use. */
  localEngines,
};

export type RuntimeApi = typeof runtime;

Comlink.expose(runtime);
