/**
 * Task detection: one model call on the question and a preview of the document (detect-request.ts),
 * read strictly (read-detection.ts). The call goes through the same scheduler as a plan's leaves (window
 * guard, retries, deadlines, cache) and is written as a run-log call, kept in a `DetectionRecord` so the
 * run that follows can carry it (detection-log.ts): the tree shows it and the totals count it.
 */
import { estimateTokenizer, type Tokenizer } from '../plan/tokenizer.ts';
import { isRunError, type RunErrorKind } from '../run/errors.ts';
import type { TraceEvent } from '../run/events.ts';
import type { LeafCache } from '../run/leaf-cache.ts';
import { loggedLeaf } from '../run/logged-leaf.ts';
import type { LeafModel } from '../run/provider.ts';
import { createScheduler, type SchedulerOptions } from '../run/scheduler.ts';
import { TraceWriter } from '../run/trace-writer.ts';
import type { TaskFamily } from '../samples/sample.ts';
import { detectionRequest } from './detect-request.ts';
import { taskFamilyInfo } from './families.ts';
import { type DetectionFailure, readDetection } from './read-detection.ts';

/** The node id the detection call has in a run log (it belongs to no plan node). */
export const DETECT_NODE_ID = 'auto.detect';

/** The detection call as the run log holds it, to be carried into the run that follows. */
export interface DetectionRecord {
  /** Unix epoch ms when the call started. */
  startedAt: number;
  /** Its events (call.start … call.done or call.error), `t` from its own start; runId and seq are set when carried. */
  events: TraceEvent[];
  /** How long it took, in ms. */
  ms: number;
  promptTokens: number;
  completionTokens: number;
  cached: boolean;
}

export type DetectionError = DetectionFailure | { kind: RunErrorKind; message: string };

export type Detection =
  | { ok: true; family: TaskFamily; record: DetectionRecord }
  /** `record` is absent when no call was made (the question does not fit the window). */
  | { ok: false; error: DetectionError; record?: DetectionRecord };

export interface DetectOptions {
  question: string;
  input: string;
  model: LeafModel;
  tokenizer?: Tokenizer;
  cache?: LeafCache | null;
  signal?: AbortSignal;
  scheduler?: Omit<SchedulerOptions, 'signal' | 'cache' | 'budgets'>;
  now?: () => number;
}

export async function detectTask(options: DetectOptions): Promise<Detection> {
  const { model } = options;
  const tokenizer = options.tokenizer ?? model.capabilities.tokenizer ?? estimateTokenizer;
  const built = detectionRequest(options.question, options.input, {
    contextWindow: model.capabilities.contextWindow,
    tokenizer,
  });
  if (!built.ok) return { ok: false, error: built.error };
  const now = options.now ?? (() => performance.now());
  const events: TraceEvent[] = [];
  const startedAt = Date.now();
  const writer = new TraceWriter('', (e) => events.push(e), now);
  const scheduler = createScheduler(model, {
    ...options.scheduler,
    ...(options.signal && { signal: options.signal }),
    cache: options.cache ?? null,
    now,
    contextWindow: model.capabilities.contextWindow,
    tokenizer,
  });
  const callId = 'detect';
  writer.emit({
    type: 'call.start',
    callId,
    parentId: null,
    depth: 0,
    nodeId: DETECT_NODE_ID,
    span: built.previewChars > 0 ? [0, built.previewChars] : null,
    label: 'detect the task',
  });
  let tokens = { promptTokens: 0, completionTokens: 0, cached: false };
  const record = (): DetectionRecord => ({ startedAt, events, ms: writer.elapsed(), ...tokens });
  try {
    const result = await loggedLeaf(writer, scheduler, callId, built.request, { now, deltaIntervalMs: 100 });
    tokens = {
      promptTokens: result.cached ? 0 : result.usage.promptTokens,
      completionTokens: result.cached ? 0 : result.usage.completionTokens,
      cached: result.cached,
    };
    const reading = readDetection(result.text);
    if (!reading.ok) {
      writer.emit({
        type: 'call.error',
        callId,
        error: { kind: 'ParseFailed', message: reading.error.message },
      });
      return { ok: false, error: reading.error, record: record() };
    }
    writer.emit({
      type: 'call.done',
      callId,
      summary: `${reading.family}: ${taskFamilyInfo(reading.family).label}`,
      value: reading.family,
    });
    return { ok: true, family: reading.family, record: record() };
  } catch (e) {
    const error = isRunError(e)
      ? { kind: e.kind, message: e.message }
      : { kind: 'LeafFailed' as const, message: e instanceof Error ? e.message : String(e) };
    writer.emit({ type: 'call.error', callId, error });
    return { ok: false, error, record: record() };
  } finally {
    scheduler.close();
  }
}
