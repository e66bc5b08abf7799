/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { detectGpu, type GpuStatus } from './models/capabilities.ts';
import { localEngines } from './models/local-engines.ts';
import { RUNTIME_VERSION } from './version.ts';

/** The runtime's API as seen through Comlink. Later issues add check, plan, run and abort here. */
const runtime = {
  version(): string {
    return RUNTIME_VERSION;
  },
  async capabilities(): Promise<{ gpu: GpuStatus; hardwareConcurrency: number }> {
    return { gpu: await detectGpu(), hardwareConcurrency: self.navigator.hardwareConcurrency ?? 1 };
  },
  /** In-browser engines (WebLLM, wllama): list, load, try, cache. The same engines the runs use. */
  localEngines,
};

export type RuntimeApi = typeof runtime;

Comlink.expose(runtime);
