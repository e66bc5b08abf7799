import * as Comlink from 'comlink';
import type { RuntimeApi } from '../../workers/runtime.worker.ts';

/** The worker's API is documented at the top of workers/runtime.worker.ts; these are its shapes. */
export type {
  DetectReply,
  DetectRequest,
  PlanReply,
  PlanRequest,
  RlmRequest,
  RlmSummary,
  RunRequest,
  RunSummary,
} from '../../workers/runtime/run-service.ts';
export type { RuntimeApi } from '../../workers/runtime.worker.ts';

let remote: Comlink.Remote<RuntimeApi> | undefined;

/** The one runtime worker of this page, started on first use. */
export function runtimeClient(): Comlink.Remote<RuntimeApi> {
  if (!remote) {
    const worker = new Worker(new URL('../../workers/runtime.worker.ts', import.meta.url), {
      type: 'module',
      name: 'fixpoint-runtime',
    });
    remote = Comlink.wrap<RuntimeApi>(worker);
  }
  return remote;
}
