/**
 * The run log as a file (DESIGN §3.6, §5): JSON Lines, one event per line, in `seq` order. Reading one is
 * reading untrusted input: every line goes through `parseUntrustedJson` (size, depth, no `__proto__`) and a
 * schema per event kind; the plan inside `run.start` through the plan schema. A bad line is reported with
 * its number and never half-applied.
 */
import { z } from 'zod';
import type { TraceEvent } from './events.ts';
import { planSchema } from './plan.ts';
import { parseUntrustedJson } from './untrusted-json.ts';

export const TRACE_LIMITS = {
  /** Largest file read, in characters (a 10,000-call log with prompts is tens of MB). */
  maxChars: 512 * 1024 * 1024,
  maxEvents: 2_000_000,
  maxLineChars: 64 * 1024 * 1024,
  maxDepth: 64,
} as const;

const errorKind = z.enum(['LeafFailed', 'ParseFailed', 'BudgetExceeded', 'Aborted', 'ProviderUnavailable']);
const base = {
  runId: z.string().min(1).max(200),
  seq: z.number().int().min(0),
  t: z.number().finite().min(0),
};
const count = z.number().int().min(0);

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
    tokenizer: z.string(),
    notes: z.array(z.string()),
  })
  .passthrough();

const message = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() });

const eventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('run.start'),
    plan: planSchema,
    estimate: estimateSchema,
    inputChars: count,
    query: z.string(),
    model: z.string().max(500),
  }),
  z.object({
    ...base,
    type: z.literal('call.start'),
    callId: z.string().min(1).max(200),
    parentId: z.string().min(1).max(200).nullable(),
    depth: count,
    nodeId: z.string().max(200),
    span: z.tuple([count, count]).nullable(),
    label: z.string().max(1000),
  }),
  z.object({
    ...base,
    type: z.literal('leaf.request'),
    callId: z.string(),
    messages: z.array(message),
    cacheKey: z.string(),
  }),
  z.object({ ...base, type: z.literal('leaf.delta'), callId: z.string(), text: z.string() }),
  z.object({
    ...base,
    type: z.literal('leaf.done'),
    callId: z.string(),
    text: z.string(),
    promptTokens: count,
    completionTokens: count,
    ms: z.number().finite().min(0),
    cached: z.boolean(),
    retries: count,
    finishReason: z.enum(['stop', 'length', 'abort']),
  }),
  z.object({
    ...base,
    type: z.literal('call.done'),
    callId: z.string(),
    summary: z.string(),
    value: z.unknown().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('call.error'),
    callId: z.string(),
    error: z.object({ kind: errorKind, message: z.string() }),
  }),
  z.object({
    ...base,
    type: z.literal('run.done'),
    ok: z.boolean(),
    result: z.unknown().optional(),
    error: z.object({ kind: errorKind, message: z.string(), nodeId: z.string().optional() }).optional(),
    totals: z.object({
      calls: count,
      leafCalls: count,
      cachedCalls: count,
      promptTokens: count,
      completionTokens: count,
      ms: z.number().finite().min(0),
    }),
  }),
]);

export type TraceFileResult = { ok: true; events: TraceEvent[] } | { ok: false; error: string };

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
  let runId: string | null = null;
  let lastSeq = -1;
  let lineNo = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '') continue;
    if (events.length >= TRACE_LIMITS.maxEvents) {
      return { ok: false, error: `more than ${TRACE_LIMITS.maxEvents.toLocaleString('en')} events` };
    }
    const json = parseUntrustedJson(line, {
      maxChars: TRACE_LIMITS.maxLineChars,
      maxDepth: TRACE_LIMITS.maxDepth,
    });
    if (!json.ok) return { ok: false, error: `line ${lineNo}: ${json.error}` };
    const parsed = eventSchema.safeParse(json.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      return {
        ok: false,
        error: `line ${lineNo}: not a run log event${where}: ${issue?.message ?? 'invalid'}`,
      };
    }
    const e = parsed.data as TraceEvent;
    if (events.length === 0 && e.type !== 'run.start') {
      return { ok: false, error: `line ${lineNo}: a run log starts with run.start, not ${e.type}` };
    }
    if (runId !== null && e.runId !== runId) {
      return { ok: false, error: `line ${lineNo}: event of run ${e.runId} in the log of run ${runId}` };
    }
    if (e.seq <= lastSeq) return { ok: false, error: `line ${lineNo}: seq ${e.seq} after ${lastSeq}` };
    runId = e.runId;
    lastSeq = e.seq;
    events.push(e);
  }
  if (events.length === 0) return { ok: false, error: 'the file holds no events' };
  return { ok: true, events };
}
