/**
 * Starts and stops runs in the runtime worker and feeds their logs into the run session. The document
 * goes to the worker once per version (`putInput`), runs and estimates refer to it by id.
 *
 * - Run: the open plan over the open input, through the leaf cache (an unchanged leaf is served from it
 *   and marked "cached" in the tree).
 * - Re-run: the last run's plan, input and query again; with nothing changed every leaf is a cache hit.
 * - Run without cache: every leaf asks the model again.
 * - Run from the selected node: the node and everything downstream of it ask the model again (their leaf
 *   calls skip the cache read), everything upstream is served from the cache.
 */
import * as Comlink from 'comlink';
import { create } from 'zustand';
import type { ModelPrice, Plan, TraceEvent } from '../../../workers/lang/index.ts';
import type { ModelConfig } from '../../../workers/models/index.ts';
import { endpointNotice, WEBLLM_DEFAULT_CONTEXT } from '../../../workers/models/index.ts';
import { runtimeClient } from '../../runtime/runtimeClient.ts';
import { useDocument } from '../../store/document.ts';
import { inputText, useInput } from '../../store/input.ts';
import { appendLiveEvents, beginLiveRun, endLiveRun, useRunSession } from '../../store/runSession.ts';
import { activePrice, modelConfigOf, settingsStore } from '../../store/settings.ts';

export interface RunOptions {
  useCache?: boolean;
  /** Re-run: the plan, input and query of an earlier run. */
  again?: { plan: Plan; query: string };
  /** Shown in the history. */
  label?: string;
  /** Run from these nodes: they and what is downstream of them skip the cache read. */
  refreshNodes?: string[];
  /** A task detection made for this run (runtime `detect`): its call joins the run's log. */
  detectionId?: string;
}

interface ControllerState {
  /** Why Run cannot start, in words (no input, no model), or null. */
  blocked: string | null;
  /** A message about the last start (a check failure, the provider refusing). */
  notice: { text: string; error: boolean } | null;
  starting: boolean;
  last: { plan: Plan; query: string; inputVersion: number } | null;
}

export const useRunController = create<ControllerState>()(() => ({
  blocked: null,
  notice: null,
  starting: false,
  last: null,
}));

let sent: { version: number; inputId: Promise<string> } | null = null;

/** The open input, handed to the worker once per version. */
export function inputIdForWorker(): Promise<string> {
  const { version } = useInput.getState().meta;
  if (sent?.version !== version) {
    const previous = sent;
    sent = {
      version,
      inputId: runtimeClient()
        .putInput(inputText())
        .then((r) => r.inputId),
    };
    // The worker keeps a few documents; the one replaced is not needed any more.
    previous?.inputId.then((id) => runtimeClient().dropInput(id)).catch(() => undefined);
  }
  return sent.inputId;
}

export function contextWindowOf(config: ModelConfig): number {
  return config.engine === 'webllm' ? WEBLLM_DEFAULT_CONTEXT : config.contextWindow;
}

export function activeModel(): { ok: true; config: ModelConfig } | { ok: false; reason: string } {
  return modelConfigOf(settingsStore.getState());
}

let counter = 0;
const newRunId = () => `run-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** Resolves when the run is over, with its id (undefined when it did not start). */
export async function startRun(options: RunOptions = {}): Promise<string | undefined> {
  const model = readyToRun();
  if (!model) return;
  const doc = useDocument.getState().plan;
  const plan = options.again?.plan ?? doc;
  const query = options.again?.query ?? doc.query;
  const runId = newRunId();
  useRunController.setState({
    starting: true,
    notice: null,
    last: { plan, query, inputVersion: useInput.getState().meta.version },
  });
  return liveRun(runId, options.label ?? plan.name, async (inputId, onEvents) => {
    const summary = await runtimeClient().run(
      {
        runId,
        plan,
        inputId,
        query,
        model: model.config,
        useCache: options.useCache ?? true,
        deadlines: settingsStore.getState().deadlines,
        ...runCosting(),
        ...(options.refreshNodes ? { refreshNodes: options.refreshNodes } : {}),
        ...(options.detectionId !== undefined && { detectionId: options.detectionId }),
      },
      onEvents,
    );
    if (!summary.ok && summary.stage !== 'run') {
      const why =
        summary.stage === 'check'
          ? `The plan does not check: ${summary.diagnostics?.[0]?.message ?? 'see the Problems panel'}.`
          : `The model could not be used: ${summary.error?.message ?? 'unknown error'}`;
      useRunController.setState({ notice: { text: why, error: true } });
    } else {
      const endpoints = summary.endpoints && endpointNotice(summary.endpoints);
      if (endpoints) useRunController.setState({ notice: { text: endpoints, error: false } });
    }
  });
}

/**
 * RLM mode (docs/rlm.md): the model writes JavaScript that runs in a sandbox over the open input, for the
 * plan's question; no plan is followed. Its log fills the same run view. Resolves when the run is over,
 * with its id (undefined when it did not start).
 */
export async function startRlmRun(options: { useCache?: boolean } = {}): Promise<string | undefined> {
  const model = readyToRun();
  if (!model) return;
  const query = useDocument.getState().plan.query;
  if (query.trim() === '') {
    useRunController.setState({
      notice: { text: 'RLM mode needs a question: write one first.', error: true },
    });
    return;
  }
  const runId = newRunId();
  useRunController.setState({ starting: true, notice: null });
  return liveRun(runId, 'RLM: the model writes code', async (inputId, onEvents) => {
    const summary = await runtimeClient().runRlm(
      {
        runId,
        inputId,
        query,
        model: model.config,
        deadlines: settingsStore.getState().deadlines,
        price: runCosting().price,
        ...(options.useCache !== undefined && { useCache: options.useCache }),
      },
      onEvents,
    );
    if (!summary.ok && summary.stage === 'model') {
      useRunController.setState({
        notice: {
          text: `The model could not be used: ${summary.error?.message ?? 'unknown error'}`,
          error: true,
        },
      });
    }
  });
}

/**
 * One live run in the run view: the input handed to the worker, the run's record opened, `send` given the
 * input's id and the sink of its log, and the record closed however it ends. Resolves with the run's id.
 */
async function liveRun(
  runId: string,
  label: string,
  send: (inputId: string, onEvents: (events: TraceEvent[]) => void) => Promise<void>,
): Promise<string> {
  try {
    const inputId = await inputIdForWorker();
    beginLiveRun(runId, label);
    useRunController.setState({ starting: false });
    await send(
      inputId,
      Comlink.proxy((events: TraceEvent[]) => appendLiveEvents(runId, events)),
    );
  } catch (e) {
    useRunController.setState({ notice: { text: `The run failed to start: ${String(e)}`, error: true } });
  } finally {
    useRunController.setState({ starting: false });
    endLiveRun(runId);
  }
  return runId;
}

/**
 * The model to run with, when a run may start now: none is starting or running, the engine is usable and
 * there is an input; otherwise the notice says why (nothing when a run is already on its way).
 */
function readyToRun(): Extract<ReturnType<typeof activeModel>, { ok: true }> | undefined {
  const ctl = useRunController.getState();
  if (ctl.starting || useRunSession.getState().liveRunId !== null) return;
  const model = activeModel();
  if (!model.ok) {
    useRunController.setState({ notice: { text: model.reason, error: true } });
    return;
  }
  if (useInput.getState().meta.chars === 0) {
    useRunController.setState({
      notice: { text: 'There is no input: paste text, open a file or generate the sample.', error: true },
    });
    return;
  }
  return model;
}

/** The active model's price and the money budget the run is held to (a budget only with a price). */
function runCosting(): { price: ModelPrice | null; maxCost?: number } {
  const s = settingsStore.getState();
  const price = activePrice(s);
  return { price, ...(price && s.maxCost !== null && { maxCost: s.maxCost }) };
}

export async function abortRun(): Promise<void> {
  const runId = useRunSession.getState().liveRunId;
  if (runId) await runtimeClient().abort(runId);
}

/** Re-run: the last run's plan and query over the same input, through the cache. */
export function rerun(): Promise<string | undefined> {
  const last = useRunController.getState().last;
  if (!last) return startRun();
  return startRun({ again: { plan: last.plan, query: last.query }, label: `${last.plan.name} (re-run)` });
}
