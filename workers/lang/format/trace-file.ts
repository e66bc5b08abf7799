/**
 * The run log as a file (docs/evaluation.md, docs/sharing.md): JSON Lines, one event per line, in `seq` order. Reading one is
 * reading untrusted input: every line goes through `parseUntrustedJson` (size, depth, no `__proto__`) and a
 * schema per event kind (unknown kinds refused, strings bounded); the plan inside `run.start` through the
 * plan loader like any plan file (limits, known kinds, migrations). Then the log must hang together, since
 * the run view rebuilds the recursion tree from it: one run, increasing `seq`, every call event naming a
 * call that started, each call started once, nothing after `run.done`. A bad line is reported with its
 * number and never half-applied.
 *
 * Logs of every run-log format up to the current one are read (`logVersion` in `run.start`; version 1
 * had none): a version-1 log replays as it did, its values taken as written (`decodeValue`).
 *
 * Export replaces any of the app's secrets (an API key a model echoed, or one pasted into a prompt) with
 * `[redacted]`: a trace is a record, so it is scrubbed rather than refused.
 */
import { z } from 'zod';
import { RUN_ERROR_KINDS } from '../run/errors.ts';
import { CELL_ERROR_KINDS, LOG_VERSION, type TraceEvent } from '../run/events.ts';
import { loadPlan } from './load.ts';
import { PRICE_TABLE_LIMITS } from './price-table.ts';
import { redactSecrets } from './secrets.ts';
import { parseUntrustedJson } from './untrusted-json.ts';

export const TRACE_LIMITS = {
  /** Largest file read, in characters (a 10,000-call log with prompts is tens of MB). */
  maxChars: 256 * 1024 * 1024,
  maxEvents: 2_000_000,
  /** One event: the largest legitimate is run.start with a 1 MB inline input, or a prompt over a big window. */
  maxLineChars: 16 * 1024 * 1024,
  maxDepth: 64,
} as const;

const errorKind = z.enum(RUN_ERROR_KINDS);
/** Milliseconds: a run log of a hundred years is not a run log (and no number in a file goes unbounded). */
const millis = z.number().min(0).max(1e13);
const base = {
  runId: z.string().min(1).max(200),
  seq: z.number().int().min(0),
  t: millis,
};
const count = z.number().int().min(0);
const id = z.string().min(1).max(200);
/** Prompts, answers and values: bounded by the line limit; labels and names are short. */
const text = z.string().max(TRACE_LIMITS.maxLineChars);
const short = z.string().max(1000);

const estimateSchema = z
  .object({
    n: z.number(),
    K: z.number(),
    kRule: z.enum(['flat', 'sqrt', 'binary']),
    kStar: z.number(),
    tauStar: z.number(),
    depth: z.number(),
    leafCalls: z.number(),
    filterCalls: z.number(),
    combineCalls: z.number(),
    totalCalls: z.number(),
    promptTokens: z.number(),
    completionTokens: z.number(),
    accuracyBound: z.number(),
    alpha: z.number(),
    meetsTarget: z.boolean(),
    tokenizer: short,
    notes: z.array(z.string().max(10_000)).max(1000),
  })
  .passthrough();

/** Per million tokens, as price tables allow (format/price-table.ts). */
const perMillion = z.number().finite().min(0).max(PRICE_TABLE_LIMITS.maxPrice);
const priceSchema = z.object({
  input: perMillion,
  output: perMillion,
  cachedInput: perMillion.optional(),
  currency: z.string().regex(/^[A-Z]{3}$/),
});

const message = z.object({ role: z.enum(['system', 'user', 'assistant']), content: text });
const positive = z.number().finite().min(0);

const eventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('run.start'),
    startedAt: z.number().finite().min(0).optional(),
    logVersion: z.number().int().min(1).max(1000).optional(),
    // Checked below by the plan loader, which also migrates an older plan format.
    plan: z.unknown(),
    estimate: estimateSchema,
    inputChars: count,
    query: text,
    model: z.string().max(500),
    price: priceSchema.optional(),
    refreshNodes: z.array(id).max(100_000).optional(),
  }),
  z.object({
    ...base,
    type: z.literal('rlm.start'),
    startedAt: positive,
    logVersion: z.number().int().min(1).max(1000).optional(),
    price: priceSchema.optional(),
    settings: z.object({
      contextWindow: count,
      rootMaxTokens: count,
      subMaxTokens: count,
      limits: z.object({
        cellMs: positive,
        memoryBytes: positive,
        stackBytes: positive,
        outputChars: positive,
      }),
      budgets: z.object({
        maxCalls: positive.optional(),
        maxTokens: positive.optional(),
        maxWallMs: positive.optional(),
        maxIterations: count,
        maxCells: count,
      }),
    }),
    inputChars: count,
    query: text,
    model: z.string().max(500),
  }),
  z.object({ ...base, type: z.literal('cell.code'), callId: id, code: text }),
  z.object({
    ...base,
    type: z.literal('cell.output'),
    callId: id,
    output: text,
    droppedChars: count,
    ms: positive,
    error: z.object({ kind: z.enum(CELL_ERROR_KINDS), message: text }).optional(),
    final: text.optional(),
  }),
  z.object({
    ...base,
    type: z.literal('call.start'),
    callId: id,
    parentId: id.nullable(),
    depth: count,
    nodeId: z.string().max(200),
    span: z
      .tuple([count, count])
      .refine(([from, to]) => from <= to, 'a span is [from, to) with from ≤ to')
      .nullable(),
    label: short,
  }),
  z.object({
    ...base,
    type: z.literal('leaf.request'),
    callId: id,
    messages: z.array(message).max(1000),
    cacheKey: short,
  }),
  z.object({ ...base, type: z.literal('leaf.delta'), callId: id, text }),
  z.object({
    ...base,
    type: z.literal('leaf.done'),
    callId: id,
    text,
    promptTokens: count,
    completionTokens: count,
    cachedPromptTokens: count.optional(),
    ms: millis,
    cached: z.boolean(),
    retries: count,
    finishReason: z.enum(['stop', 'length', 'abort']),
  }),
  z.object({
    ...base,
    type: z.literal('call.done'),
    callId: id,
    summary: text,
    value: z.unknown().optional(),
    absent: z.literal(true).optional(),
  }),
  z.object({
    ...base,
    type: z.literal('call.error'),
    callId: id,
    error: z.object({ kind: errorKind, message: text }),
  }),
  z.object({
    ...base,
    type: z.literal('filter.empty'),
    callId: id,
    nodeId: z.string().max(200),
    of: count,
    policy: z.enum(['all', 'none', 'error']),
  }),
  z.object({
    ...base,
    type: z.literal('run.done'),
    ok: z.boolean(),
    result: z.unknown().optional(),
    absent: z.literal(true).optional(),
    error: z
      .object({
        kind: errorKind,
        message: text,
        nodeId: z.string().max(200).optional(),
        reason: z
          .enum(['timeout', 'rate-limited', 'empty-reply', 'cut-reply', 'oversize-reply', 'connection-reset'])
          .optional(),
      })
      .optional(),
    totals: z.object({
      calls: count,
      leafCalls: count,
      cachedCalls: count,
      promptTokens: count,
      completionTokens: count,
      ms: millis,
    }),
  }),
]);

const EVENT_TYPES: readonly string[] = eventSchema.options.map((o) => o.shape.type.value);

export type TraceFileResult =
  | {
      ok: true;
      events: TraceEvent[];
      /** False when the log stops before `run.done` (exported while running, or cut short). */
      complete: boolean;
      /** Set when the plan in `run.start` was written in an older plan format and migrated. */
      planMigratedFrom?: number;
    }
  | { ok: false; error: string; line?: number };

/**
 * The log as a `.jsonl` file for download, with the app's secrets replaced by `[redacted]`; `redacted`
 * says how many were, so the UI can tell the user.
 */
export function exportTrace(
  events: readonly TraceEvent[],
  options: { secrets?: readonly string[] } = {},
): { text: string; redacted: number } {
  const { value, count } = redactSecrets(events, options.secrets ?? []);
  return { text: serializeTrace(value), redacted: count };
}

/** One event per line; the trailing newline makes files concatenate cleanly. */
export function serializeTrace(events: readonly TraceEvent[]): string {
  let out = '';
  for (const e of events) out += `${JSON.stringify(e)}\n`;
  return out;
}

export function parseTrace(text: string): TraceFileResult {
  if (text.length > TRACE_LIMITS.maxChars) {
    return { ok: false, error: `the file is too large (${text.length.toLocaleString('en')} characters)` };
  }
  const events: TraceEvent[] = [];
  const started = new Set<string>();
  let runId: string | null = null;
  let lastSeq = -1;
  let done = false;
  let planMigratedFrom: number | undefined;
  let lineNo = 0;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark some editors add
  const fail = (error: string): TraceFileResult => ({
    ok: false,
    line: lineNo,
    error: `line ${lineNo}: ${error}`,
  });
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    if (end - start > TRACE_LIMITS.maxLineChars) {
      return fail(`the line is too long (${(end - start).toLocaleString('en')} characters)`);
    }
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '') continue;
    if (events.length >= TRACE_LIMITS.maxEvents) {
      return fail(`more than ${TRACE_LIMITS.maxEvents.toLocaleString('en')} events`);
    }
    const json = parseUntrustedJson(line, {
      maxChars: TRACE_LIMITS.maxLineChars,
      maxDepth: TRACE_LIMITS.maxDepth,
    });
    if (!json.ok) return fail(json.error);
    const type = (json.value as { type?: unknown } | null)?.type;
    if (typeof json.value !== 'object' || json.value === null || Array.isArray(json.value)) {
      return fail('not a run log event (an event is a JSON object)');
    }
    if (typeof type !== 'string' || !EVENT_TYPES.includes(type)) {
      return fail(
        `not a run log event: unknown type ${JSON.stringify(type)?.slice(0, 60) ?? 'none'} (known: ${EVENT_TYPES.join(', ')})`,
      );
    }
    const parsed = eventSchema.safeParse(json.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      return fail(`not a run log event${where}: ${issue?.message ?? 'invalid'}`);
    }
    let e = parsed.data as TraceEvent;
    if (events.length === 0 && e.type !== 'run.start' && e.type !== 'rlm.start') {
      return fail(`a run log starts with run.start or rlm.start, not ${e.type}`);
    }
    if (runId !== null && e.runId !== runId) {
      return fail(`event of run ${e.runId} in the log of run ${runId}`);
    }
    if (e.seq <= lastSeq) return fail(`seq ${e.seq} after ${lastSeq}`);
    if (done) return fail(`${e.type} after run.done`);
    switch (e.type) {
      case 'run.start': {
        if (events.length > 0) return fail('a second run.start (a log holds one run)');
        if ((e.logVersion ?? 1) > LOG_VERSION)
          return fail(
            `the log was written by a newer Fixpoint (run-log format ${e.logVersion}); this one reads formats up to ${LOG_VERSION}`,
          );
        const plan = loadPlan(e.plan);
        if (!plan.ok)
          return fail(`the run's plan is not valid: ${plan.diagnostics[0]?.message ?? 'invalid'}`);
        planMigratedFrom = plan.migratedFrom;
        e = { ...e, plan: plan.plan };
        break;
      }
      case 'rlm.start':
        if (events.length > 0) return fail('a second rlm.start (a log holds one run)');
        break;
      case 'call.start':
        if (started.has(e.callId)) return fail(`call ${e.callId} starts twice`);
        if (e.parentId !== null && !started.has(e.parentId)) {
          return fail(`call ${e.callId} names parent ${e.parentId}, which has not started`);
        }
        started.add(e.callId);
        break;
      case 'run.done':
        done = true;
        break;
      default:
        if (!started.has(e.callId)) return fail(`${e.type} for call ${e.callId}, which has not started`);
    }
    runId = e.runId;
    lastSeq = e.seq;
    events.push(e);
  }
  if (events.length === 0) return { ok: false, error: 'the file holds no events' };
  return planMigratedFrom !== undefined
    ? { ok: true, events, complete: done, planMigratedFrom }
    : { ok: true, events, complete: done };
}
