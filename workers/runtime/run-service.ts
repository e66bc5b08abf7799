/**
 * What the runtime worker does for the page: check, plan, run and abort, plus the API settings' "Test
 * connection". Kept apart from the Comlink endpoint (runtime.worker.ts) so it runs, and is tested, in
 * Node as well.
 *
 * The input document may be 10 MB: the page hands it over once (`putInput`, a single structured clone,
 * or a transferred ArrayBuffer of UTF-8), the worker keeps it, and runs refer to it by id. Nothing sent
 * back carries it: values that are slices of P travel as spans in the log.
 */
import type {
  DetectionRecord,
  Diagnostic,
  LeafCache,
  LeafModel,
  ModelPrice,
  PlanEstimate,
  RunErrorKind,
  RunTotals,
  TaskFamily,
  TraceEvent,
} from '../lang/index.ts';
import {
  check,
  checkModelPrice,
  decodeText,
  estimate,
  maxTokensOfChars,
  normalizeText,
} from '../lang/index.ts';
import { configKeys, type ModelConfig } from '../models/config.ts';
import { type ApiConfig, openAIModelFor } from '../models/create-model.ts';
import { EndpointPool, type EndpointStats } from '../models/endpoint-pool.ts';
import type { ConnectionReport, ModelInfo } from '../models/openai.ts';
import type { RlmBudgets } from '../rlm/index.ts';
import type { SandboxFactory, SandboxLimits } from '../rlm/sandbox.ts';
import { createEventBatcher, type EventBatcherOptions } from './event-batcher.ts';
import { createRedactor } from './redact-events.ts';
import { preparePlan, type RunPlanRequest, type RunPlanResult, runPlan } from './run-plan.ts';

export type { ApiConfig };

export interface RunRequest {
  /** Chosen by the page, so it can open the run's record before the first event arrives. */
  runId: string;
  /** The plan document (checked again here: the worker trusts nothing it is sent). */
  plan: unknown;
  /** A document given earlier with `putInput`… */
  inputId?: string;
  /** …or the document itself (copied once, for small inputs). */
  input?: string;
  query?: string;
  model: ModelConfig;
  /** Leaf calls in flight; the engine's own limit when absent. */
  concurrency?: number;
  /** Use the leaf cache that survives reloads (default true). */
  useCache?: boolean;
  /**
   * Run from the selected node: these nodes and everything downstream of them ask the model again; the
   * rest is served from the cache.
   */
  refreshNodes?: string[];
  /** Deadlines of the leaf calls (docs/evaluation.md, "Bounds"); the defaults when absent. */
  deadlines?: LeafDeadlines;
  /** A task detection made for this run (`detect`): its call joins the run's log, N̂ and totals. */
  detectionId?: string;
  /** The model's price from the user's table: the run is costed at it. */
  price?: ModelPrice | null;
  /** A money budget for this run, in the price's currency (needs the price). */
  maxCost?: number;
}

/** What a user may set of the scheduler's deadlines, in ms. */
export interface LeafDeadlines {
  /** One attempt, from its dispatch (default: scaled from its max tokens and the engine). */
  attemptTimeoutMs?: number;
  /** All attempts of one leaf call (default 80 s). */
  leafTimeoutMs?: number;
  /** The longest Retry-After waited for (default 60 s). */
  retryAfterCapMs?: number;
}

/** An RLM run: the model writes code over the document instead of following a plan (docs/rlm.md). */
export interface RlmRequest {
  runId: string;
  inputId?: string;
  input?: string;
  query: string;
  model: ModelConfig;
  budgets?: RlmBudgets;
  limits?: Partial<SandboxLimits>;
  concurrency?: number;
  /** Deadlines of its model calls, as for a plan run. */
  deadlines?: LeafDeadlines;
  useCache?: boolean;
  /** The model's price from the user's table: the run is costed at it. */
  price?: ModelPrice | null;
}

export interface RlmSummary {
  runId: string;
  ok: boolean;
  /** 'model': the model could not be used and nothing ran. */
  stage: 'model' | 'run';
  result?: string;
  error?: { kind: RunErrorKind; message: string };
  totals?: RunTotals;
  iterations?: number;
  cells?: number;
}

/** Task detection (docs/rlm.md, "Starting from a question"): one model call on the question and a preview. */
export interface DetectRequest {
  inputId?: string;
  input?: string;
  query: string;
  model: ModelConfig;
  useCache?: boolean;
}

export type DetectReply =
  | { ok: true; family: TaskFamily; detectionId: string; promptTokens: number; completionTokens: number }
  | {
      ok: false;
      /** 'model': the model could not be used; 'detect': no family came of the call (the user picks). */
      stage: 'model' | 'detect';
      error: { kind: string; message: string };
      /** The call made, to be carried by the run the user starts next. */
      detectionId?: string;
    };

export interface RunSummary {
  runId: string;
  ok: boolean;
  /** 'check': the plan did not load or type-check, and no model was called. */
  stage: 'check' | 'model' | 'run';
  result?: unknown;
  /** The run found no answer (its result is absent); `totals.leafCalls` pieces were read. */
  absent?: true;
  error?: { kind: RunErrorKind; message: string; nodeId?: string };
  diagnostics?: Diagnostic[];
  estimate?: PlanEstimate;
  totals?: RunTotals;
  /** What each API endpoint did (requests answered, 429s, went down), when the model is an endpoint pool. */
  endpoints?: EndpointStats[];
}

export interface PlanRequest {
  plan: unknown;
  /** The input, by id (exact count) or by size. */
  inputId?: string;
  inputChars?: number;
  inputTokens?: number;
  query?: string;
  /** The leaf model's window in tokens. */
  contextWindow: number;
}

export type PlanReply =
  | { ok: true; estimate: PlanEstimate; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

export interface RunServiceOptions {
  createModel: (config: ModelConfig) => Promise<LeafModel>;
  /** The leaf cache (IndexedDB in the browser); null for none. `flush` stores what is pending. */
  cache: () => (LeafCache & { flush?(): Promise<void> }) | null;
  batching?: EventBatcherOptions;
  /** How many documents to keep (least recently used go first). */
  maxInputs?: number;
  /** Where RLM mode runs its code: a worker of its own in the page; QuickJS in this thread by default. */
  sandbox?: SandboxFactory;
}

export function createRunService(options: RunServiceOptions) {
  const inputs = new Map<string, string>();
  const maxInputs = options.maxInputs ?? 4;
  const running = new Map<string, AbortController>();
  let nextInput = 0;
  /** Detections waiting for their run (the last few). */
  const detections = new Map<string, DetectionRecord>();
  let nextDetection = 0;

  /**
   * The model a request names, or why it could not be used: nothing runs then, and the reason never holds
   * the request's keys (a provider's error may quote them).
   */
  const modelFor = async (
    config: ModelConfig,
  ): Promise<
    | { ok: true; model: LeafModel }
    | {
        ok: false;
        failure: { ok: false; stage: 'model'; error: { kind: 'ProviderUnavailable'; message: string } };
      }
  > => {
    try {
      return { ok: true, model: await options.createModel(config) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        failure: createRedactor(configKeys(config)).value({
          ok: false,
          stage: 'model',
          error: { kind: 'ProviderUnavailable', message },
        }),
      };
    }
  };

  const inputOf = (request: { inputId?: string; input?: string }): string => {
    if (request.inputId !== undefined) {
      const text = inputs.get(request.inputId);
      if (text === undefined)
        throw new Error(`No input with id ${request.inputId}: give the document again.`);
      inputs.delete(request.inputId);
      inputs.set(request.inputId, text);
      return text;
    }
    return request.input ?? '';
  };

  return {
    /**
     * Keeps a document for later runs; returns its id. Text is normalised on the way in (a BOM dropped,
     * CRLF and CR made LF); a transferred ArrayBuffer is decoded as a file would be (UTF-8 or UTF-16),
     * and refused with a message when it is not text.
     */
    putInput(document: string | ArrayBuffer): { inputId: string; chars: number } {
      let text: string;
      if (typeof document === 'string') text = normalizeText(document);
      else {
        const decoded = decodeText(new Uint8Array(document), 'The document');
        if (!decoded.ok) throw new Error(decoded.error);
        text = decoded.text;
      }
      const inputId = `input-${nextInput++}`;
      inputs.set(inputId, text);
      while (inputs.size > maxInputs) {
        const oldest = inputs.keys().next();
        if (oldest.done) break;
        inputs.delete(oldest.value);
      }
      return { inputId, chars: text.length };
    },

    dropInput(inputId: string): void {
      inputs.delete(inputId);
    },

    /** The type checker's report (diagnostics and every port's type). */
    check(plan: unknown) {
      return check(plan);
    },

    /** The planner's estimate for this plan, input size and window, before any model call. */
    plan(request: PlanRequest): PlanReply {
      const prepared = preparePlan(request.plan);
      if (!prepared.ok) return { ok: false, diagnostics: prepared.diagnostics };
      const text = request.inputId !== undefined ? inputOf({ inputId: request.inputId }) : undefined;
      const tokens =
        request.inputTokens ??
        // Known only by its length, a text may be a token a character (CJK, digits): the safe bound.
        (request.inputChars !== undefined ? maxTokensOfChars(request.inputChars) : undefined);
      const planned = estimate(prepared.plan, {
        contextWindow: request.contextWindow,
        ...(text !== undefined ? { inputText: text } : tokens !== undefined ? { inputTokens: tokens } : {}),
        ...(request.query !== undefined && { query: request.query }),
      });
      return { ok: true, estimate: planned, diagnostics: prepared.diagnostics };
    },

    /**
     * Runs a plan. The run log goes to `onEvents` in batches (in order, each event once); the promise
     * resolves after the last batch was delivered, with the outcome. Never rejects for a run error.
     */
    async run(request: RunRequest, onEvents: (events: TraceEvent[]) => unknown): Promise<RunSummary> {
      const { runId } = request;
      if (running.has(runId)) throw new Error(`A run with id ${runId} is already running.`);
      const controller = new AbortController();
      running.set(runId, controller);
      const batcher = createEventBatcher<TraceEvent>(onEvents, options.batching);
      const secrets = configKeys(request.model);
      try {
        const made = await modelFor(request.model);
        if (!made.ok) return { runId, ...made.failure };
        const { model } = made;
        const cache = request.useCache === false ? null : options.cache();
        const detection = request.detectionId !== undefined ? detections.get(request.detectionId) : undefined;
        if (request.detectionId !== undefined) detections.delete(request.detectionId);
        const outcome = await runPlanDetected({
          plan: request.plan,
          input: inputOf(request),
          model,
          runId,
          signal: controller.signal,
          cache,
          onEvent: (event) => batcher.push(event),
          secrets,
          scheduler: schedulerDeadlines(request.deadlines),
          // The page is not trusted either: a price is checked like an imported table.
          price: checkModelPrice(request.price),
          ...(typeof request.maxCost === 'number' &&
            Number.isFinite(request.maxCost) &&
            request.maxCost > 0 && { budgets: { maxCost: request.maxCost } }),
          ...(request.query !== undefined && { query: request.query }),
          ...(request.concurrency !== undefined && { concurrency: request.concurrency }),
          ...(Array.isArray(request.refreshNodes) && {
            // The page is not trusted either: node ids only, and no more than a plan can hold.
            refreshNodes: request.refreshNodes.filter((id) => typeof id === 'string').slice(0, 100_000),
          }),
          detection,
        });
        // Answers are written in batches; store the last ones now, so a reload right after finds them.
        await cache?.flush?.();
        await batcher.flush();
        if (outcome.stage === 'check')
          return { runId, ok: false, stage: 'check', diagnostics: outcome.diagnostics };
        const summary: RunSummary = {
          runId,
          ok: outcome.ok,
          stage: 'run',
          estimate: outcome.estimate,
          totals: outcome.totals,
          diagnostics: outcome.diagnostics,
        };
        if (outcome.ok && outcome.absent) summary.absent = true;
        else if (outcome.ok) summary.result = outcome.result;
        if (outcome.error) summary.error = outcome.error;
        if (model instanceof EndpointPool) summary.endpoints = createRedactor(secrets).value(model.stats());
        return summary;
      } finally {
        await batcher.flush();
        running.delete(runId);
      }
    },

    /**
     * Task detection for a question about a document: one model call, kept (by `detectionId`) for the run
     * the page starts next, whose log it joins. Never rejects for a model's failure.
     */
    async detect(request: DetectRequest): Promise<DetectReply> {
      const secrets = configKeys(request.model);
      const made = await modelFor(request.model);
      if (!made.ok) return made.failure;
      const { model } = made;
      const { detectFor } = await import('./run-auto.ts');
      const detected = await detectFor({
        query: String(request.query ?? ''),
        input: inputOf(request),
        model,
        cache: request.useCache === false ? null : options.cache(),
        secrets,
      });
      let detectionId: string | undefined;
      if (detected.record) {
        detectionId = `detection-${nextDetection++}`;
        detections.set(detectionId, detected.record);
        for (const id of detections.keys()) if (detections.size > 8) detections.delete(id);
      }
      if (!detected.ok)
        return { ok: false, stage: 'detect', error: detected.error, ...(detectionId && { detectionId }) };
      return {
        ok: true,
        family: detected.family,
        detectionId: detectionId as string,
        promptTokens: detected.record.promptTokens,
        completionTokens: detected.record.completionTokens,
      };
    },

    /**
     * Runs RLM mode over a document: the model writes code, the sandbox runs it. The log goes to `onEvents`
     * as for `run`; the promise resolves after the last batch. Never rejects for a run error.
     */
    async runRlm(request: RlmRequest, onEvents: (events: TraceEvent[]) => unknown): Promise<RlmSummary> {
      const { runId } = request;
      if (running.has(runId)) throw new Error(`A run with id ${runId} is already running.`);
      const controller = new AbortController();
      running.set(runId, controller);
      const batcher = createEventBatcher<TraceEvent>(onEvents, options.batching);
      try {
        const made = await modelFor(request.model);
        if (!made.ok) return { runId, ...made.failure };
        const { model } = made;
        const cache = request.useCache === false ? null : options.cache();
        // RLM mode's loop loads with its first run: the first screen's worker does without it.
        const { runRlm } = await import('./run-rlm.ts');
        const outcome = await runRlm({
          // The page is not trusted either: a price is checked like an imported table.
          price: checkModelPrice(request.price),
          input: inputOf(request),
          query: String(request.query ?? ''),
          model,
          runId,
          signal: controller.signal,
          cache,
          onEvent: (event) => batcher.push(event),
          secrets: configKeys(request.model),
          ...(request.budgets && { budgets: request.budgets }),
          ...(request.limits && { limits: request.limits }),
          ...(options.sandbox && { sandbox: options.sandbox }),
          scheduler: {
            ...schedulerDeadlines(request.deadlines),
            ...(request.concurrency !== undefined && { concurrency: request.concurrency }),
          },
        });
        await cache?.flush?.();
        await batcher.flush();
        return {
          runId,
          ok: outcome.ok,
          stage: 'run',
          totals: outcome.totals,
          iterations: outcome.iterations,
          cells: outcome.cells,
          ...(outcome.result !== undefined && { result: outcome.result }),
          ...(outcome.error && { error: outcome.error }),
        };
      } finally {
        await batcher.flush();
        running.delete(runId);
      }
    },

    /** Stops a run: in-flight calls are aborted and it ends with an `Aborted` error. False if not running. */
    abort(runId: string): boolean {
      const controller = running.get(runId);
      if (!controller) return false;
      controller.abort();
      return true;
    },

    /** The runs in progress. */
    runningIds(): string[] {
      return [...running.keys()];
    },

    /** The API settings' "Test connection": models listed, one tiny completion, in words. */
    async testConnection(config: ApiConfig): Promise<ConnectionReport> {
      // The model's answer and the server's words are shown in the settings: never with the key in them.
      const redactor = createRedactor([config.apiKey]);
      try {
        return redactor.value(await openAIModelFor(config).testConnection());
      } catch (error) {
        // The settings themselves were refused (a base URL that is not a URL): nothing was asked.
        return redactor.value({
          ok: false,
          verdict: 'failed',
          message: error instanceof Error ? error.message : String(error),
          checks: { reachable: null, models: 'failed', chat: 'skipped' },
          models: [],
          modelListed: null,
          latencyMs: 0,
        });
      }
    },

    async listModels(config: ApiConfig): Promise<ModelInfo[]> {
      const redactor = createRedactor([config.apiKey]);
      try {
        return redactor.value(await openAIModelFor(config).listModels());
      } catch (error) {
        throw new Error(redactor.value(error instanceof Error ? error.message : String(error)));
      }
    },
  };
}

export type RunService = ReturnType<typeof createRunService>;

/** The user's deadlines as scheduler options; numbers only, as the page is not trusted either. */
export function schedulerDeadlines(d: LeafDeadlines | undefined): {
  timeoutMs?: number;
  leafTimeoutMs?: number;
  retryAfterCapMs?: number;
} {
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  return {
    ...(ok(d?.attemptTimeoutMs) && { timeoutMs: d.attemptTimeoutMs }),
    ...(ok(d?.leafTimeoutMs) && { leafTimeoutMs: d.leafTimeoutMs }),
    ...(ok(d?.retryAfterCapMs) && { retryAfterCapMs: d.retryAfterCapMs }),
  };
}

/**
 * A plan run, with the detection made for it when there is one; the detection's code (task families, their
 * templates) loads only then, so the first screen's worker does without it.
 */
async function runPlanDetected(
  request: RunPlanRequest & { detection?: DetectionRecord | undefined },
): Promise<RunPlanResult> {
  const { detection, ...plain } = request;
  if (!detection) return runPlan(plain);
  const { runPlanWithDetection } = await import('./run-auto.ts');
  return runPlanWithDetection(request);
}
