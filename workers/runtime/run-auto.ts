/**
 * A run started from a question (docs/rlm.md, "Starting from a question"): detect the task family with one
 * model call (or take the one the user picked), instantiate that family's template with the question, and
 * run it. The detection call is part of the run: its log carries it (`carryDetection`), N̂ counts it and
 * the totals include it. Node's entry point (the CLI, the benchmarks); the page does the same steps
 * through the runtime worker's `detect` and `run`, opening the plan on the canvas in between.
 */
import {
  carryDetection,
  type Detection,
  type DetectionError,
  type DetectionRecord,
  detectTask,
  instantiate,
  type LeafCache,
  type Plan,
  type TaskFamily,
  type TraceEvent,
  taskFamilyInfo,
  withDetectCall,
  withDetectTotals,
} from '../lang/index.ts';
import { createRedactor } from './redact-events.ts';
import { type RunPlanRequest, type RunPlanResult, runPlan } from './run-plan.ts';

export interface RunAutoRequest extends Omit<RunPlanRequest, 'plan' | 'query'> {
  query: string;
  /** The family the user picked; detected by the model when absent. */
  family?: TaskFamily;
  /** The example plan document of a family's template (`taskFamilyInfo(family).example`). */
  readExample: (file: string) => unknown | Promise<unknown>;
}

export type RunAutoResult =
  /** The model's reply named no family (or the call failed): nothing else ran; the user picks. */
  | { stage: 'detect'; ok: false; error: DetectionError; detection?: DetectionRecord }
  /** The template did not instantiate or check. */
  | { stage: 'template'; ok: false; family: TaskFamily; result?: RunPlanResult; message: string }
  | {
      stage: 'run';
      family: TaskFamily;
      /** 'model': detected by the call in `detection`; 'user': picked. */
      chosenBy: 'model' | 'user';
      plan: Plan;
      detection?: DetectionRecord;
      result: Extract<RunPlanResult, { stage: 'run' }>;
      ok: boolean;
    };

export async function detectFor(
  request: Pick<
    RunAutoRequest,
    'query' | 'input' | 'model' | 'cache' | 'signal' | 'scheduler' | 'concurrency' | 'secrets'
  >,
): Promise<Detection> {
  // The detection's events join the run's log after runPlan's redaction: they are redacted here.
  const redactor = createRedactor(request.secrets ?? []);
  const detection = await detectTask({
    question: request.query,
    input: request.input,
    model: request.model,
    ...(request.cache !== undefined && { cache: request.cache as LeafCache | null }),
    ...(request.signal && { signal: request.signal }),
    scheduler: {
      ...request.scheduler,
      ...(request.concurrency !== undefined && { concurrency: request.concurrency }),
    },
  });
  const record = detection.record && {
    ...detection.record,
    events: detection.record.events.map(redactor.event),
  };
  return redactor.value(record ? { ...detection, record } : detection);
}

export async function runAuto(request: RunAutoRequest): Promise<RunAutoResult> {
  let family = request.family;
  let detection: DetectionRecord | undefined;
  if (family === undefined) {
    const detected = await detectFor(request);
    if (!detected.ok)
      return {
        stage: 'detect',
        ok: false,
        error: detected.error,
        ...(detected.record && { detection: detected.record }),
      };
    family = detected.family;
    detection = detected.record;
  }
  const instantiated = instantiate(
    family,
    request.query,
    await request.readExample(taskFamilyInfo(family).example),
  );
  if (!instantiated.ok)
    return {
      stage: 'template',
      ok: false,
      family,
      message: instantiated.diagnostics.map((d) => d.message).join('; '),
    };
  const result = await runPlanWithDetection({
    ...request,
    plan: instantiated.plan,
    query: request.query,
    detection,
  });
  if (result.stage === 'check')
    return {
      stage: 'template',
      ok: false,
      family,
      result,
      message: result.diagnostics.map((d) => d.message).join('; '),
    };
  return {
    stage: 'run',
    family,
    chosenBy: detection ? 'model' : 'user',
    plan: instantiated.plan,
    ...(detection && { detection }),
    result,
    ok: result.ok,
  };
}

/** `runPlan`, with a detection call (when there was one) carried into its log, estimate and totals. */
export async function runPlanWithDetection(
  request: RunPlanRequest & { detection?: DetectionRecord | undefined },
): Promise<RunPlanResult> {
  const { detection, ...plain } = request;
  if (!detection) return runPlan(plain);
  const sink = request.onEvent;
  const result = await runPlan({
    ...plain,
    onEvent: carryDetection(detection, (e: TraceEvent) => sink?.(e)),
  });
  if (result.stage === 'check') return result;
  return {
    ...result,
    estimate: withDetectCall(result.estimate, detection),
    totals: withDetectTotals(result.totals, detection),
  };
}
