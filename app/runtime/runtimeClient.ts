import * as Comlink from 'comlink';
import type { TraceEvent } from '../../workers/lang/events.ts';
import type { ModelConfig } from '../../workers/models/config.ts';
import type { RunSummary } from '../../workers/runtime/run-service.ts';
import type { RuntimeApi } from '../../workers/runtime.worker.ts';

export type { PlanReply, RunSummary } from '../../workers/runtime/run-service.ts';

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

/** The document last handed to the worker: a re-run of the same text does not copy it again. */
let lastInput: { text: string; inputId: string } | undefined;

/** Hands the document to the worker once (one structured clone) and returns its id there. */
export async function inputId(text: string): Promise<string> {
  if (lastInput && lastInput.text === text) return lastInput.inputId;
  const { inputId } = await runtimeClient().putInput(text);
  lastInput = { text, inputId };
  return inputId;
}

export interface StartRunOptions {
  plan: unknown;
  input: string;
  query?: string;
  model: ModelConfig;
  concurrency?: number;
  useCache?: boolean;
  /** Receives the run log in batches, in order. */
  onEvents: (events: TraceEvent[]) => void;
  runId?: string;
}

export interface RunHandle {
  runId: string;
  /** Resolves when the run is over and every event was delivered; never rejects for a failed run. */
  done: Promise<RunSummary>;
  abort(): Promise<boolean>;
}

/**
 * Starts a run in the worker. The run id is known at once (open the run's record with it before the
 * first batch arrives); the document is passed once and kept there.
 */
export function startRun(options: StartRunOptions): RunHandle {
  const runId = options.runId ?? `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const client = runtimeClient();
  const onEvents = Comlink.proxy((events: TraceEvent[]) => options.onEvents(events));
  const attempt = async (id: string) =>
    client.run(
      {
        runId,
        plan: options.plan,
        inputId: id,
        model: options.model,
        ...(options.query !== undefined && { query: options.query }),
        ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
        ...(options.useCache !== undefined && { useCache: options.useCache }),
      },
      onEvents,
    );
  const done = (async () => {
    try {
      return await attempt(await inputId(options.input));
    } catch (error) {
      // The worker keeps only the last few documents: give this one again, once.
      if (!(error instanceof Error && /No input with id/.test(error.message))) throw error;
      lastInput = undefined;
      return attempt(await inputId(options.input));
    }
  })();
  return { runId, done, abort: () => client.abort(runId) };
}
