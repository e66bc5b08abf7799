/**
 * A run as OpenTelemetry spans, following the GenAI semantic conventions: one `invoke_workflow` span for
 * the run, under it one span per call of the run log (a node invocation, nested as the recursion tree
 * is), and under a call one `chat` span per request it sent to a model, with the model, the tokens and the
 * finish reason. A pure function of the log: the times are the log's own (`run.start.startedAt` plus each
 * event's `t`) and the ids are derived from it (span-ids.ts), so a run exported later, or replayed from an
 * imported `.jsonl`, gives the same spans.
 *
 * Prompts, outputs, value summaries, the query and the result are the user's document and answers: they
 * are left out unless `includeContent` is set. Any secret the caller names (an API key a model echoed) is
 * replaced by `[redacted]` before anything is built.
 *
 * The OpenTelemetry SDK builds the spans (its tracer, its attribute rules); nothing here writes the wire
 * format (otlp-json.ts hands the spans to the OTLP serializer).
 */
import {
  type Attributes,
  type Context,
  type HrTime,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  ATTR_ERROR_TYPE,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
} from '@opentelemetry/semantic-conventions';
import type { ModelPrice, NodeKind, PlanNode, TraceEvent } from '../lang/index.ts';
import {
  costOf,
  decodeValue,
  isNodeKind,
  noAnswerFound,
  redactSecrets,
  resolveParams,
  summarizeValue,
} from '../lang/index.ts';
import { FIXPOINT, FIXPOINT_EVENT, GEN_AI, GEN_AI_OPERATION } from './attributes.ts';
import { modelIdentity } from './model-identity.ts';
import { type ModelCall, type RunCall, type RunTree, runTree } from './run-tree.ts';
import { LogIdGenerator, spanIdOf, traceIdOf } from './span-ids.ts';

export interface SpanExportOptions {
  /** Put prompts, outputs, value summaries, the query and the result on the spans. Off by default. */
  includeContent?: boolean;
  /** Strings never to export (the API keys the caller holds): replaced by `[redacted]`. */
  secrets?: readonly string[];
  /**
   * When the run started (Unix epoch ms), for a log that does not say: one written before Fixpoint
   * recorded it. Ignored when the log has `startedAt`.
   */
  fallbackStartMs?: number;
  serviceName?: string;
  serviceVersion?: string;
}

export interface RunSpans {
  /** Parents before children: the workflow span, then each call followed by its model calls. */
  spans: ReadableSpan[];
  traceId: string;
  /** Calls of the log (one span each). */
  calls: number;
  /** Requests sent to a model (one `chat` span each; answers from the cache sent none). */
  modelCalls: number;
  /** How many occurrences of a secret were replaced. */
  redacted: number;
}

/** Why a log cannot be exported; the message is for the user. */
export class SpanExportError extends Error {
  override name = 'SpanExportError';
}

const SCOPE = 'fixpoint';

export function spansFromLog(events: readonly TraceEvent[], options: SpanExportOptions = {}): RunSpans {
  const secrets = options.secrets ?? [];
  const { value: clean, count: redacted } =
    secrets.length > 0 ? redactSecrets(events, secrets) : { value: events, count: 0 };
  const tree = runTree(clean);
  if (!tree)
    throw new SpanExportError('the log has no run.start (or rlm.start) event, so there is no run to export');
  const startMs = tree.startedAt ?? options.fallbackStartMs;
  if (startMs === undefined || !Number.isFinite(startMs))
    throw new SpanExportError(
      'the log does not say when the run started (it was written before Fixpoint recorded that): give the start time',
    );

  const runKey = `${tree.runId}|${tree.startedAt ?? ''}`;
  const traceId = traceIdOf(runKey);
  const ids = new LogIdGenerator();
  const collected: ReadableSpan[] = [];
  const collector: SpanProcessor = {
    onStart: () => {},
    onEnd: (span) => collected.push(span),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName ?? 'fixpoint',
      ...(options.serviceVersion !== undefined && { [ATTR_SERVICE_VERSION]: options.serviceVersion }),
    }),
    idGenerator: ids,
    spanProcessors: [collector],
  });
  const tracer = provider.getTracer(SCOPE, options.serviceVersion);
  const at = (t: number): HrTime => hrTime(startMs, t);
  const content = options.includeContent === true;
  const who = modelIdentity(tree.model);
  const nodes = new Map<string, PlanNode>((tree.plan?.nodes ?? []).map((n) => [n.id, n]));
  const order: string[] = [];

  const start = (
    name: string,
    kind: SpanKind,
    startT: number,
    attributes: Attributes,
    parent: Context,
    path: string[],
  ) => {
    const spanId = spanIdOf(runKey, ...path);
    ids.next(traceId, spanId);
    order.push(spanId);
    return tracer.startSpan(name, { kind, startTime: at(startT), attributes }, parent);
  };

  const workflow = start(
    `${GEN_AI_OPERATION.invokeWorkflow} ${workflowName(tree)}`,
    SpanKind.INTERNAL,
    0,
    workflowAttributes(tree, who, content),
    ROOT_CONTEXT,
    ['run'],
  );
  const contexts = new Map<string, Context>();
  const workflowContext = trace.setSpan(ROOT_CONTEXT, workflow);
  let modelCalls = 0;

  for (const id of tree.order) {
    const call = tree.calls.get(id) as RunCall;
    const parent = (call.parentId !== null && contexts.get(call.parentId)) || workflowContext;
    const node = nodes.get(call.nodeId);
    const span = start(
      call.label,
      SpanKind.INTERNAL,
      call.startT,
      callAttributes(call, node, content),
      parent,
      ['call', call.id],
    );
    const here = trace.setSpan(ROOT_CONTEXT, span);
    contexts.set(call.id, here);
    if (call.keptNone) {
      // Not the user's content: a count and a policy, so always exported.
      span.addEvent(
        FIXPOINT_EVENT.filterEmpty,
        {
          [FIXPOINT.filterKept]: 0,
          [FIXPOINT.filterOf]: call.keptNone.of,
          [FIXPOINT.filterPolicy]: call.keptNone.policy,
          [FIXPOINT.filterOutcome]: `kept 0 of ${call.keptNone.of}`,
        },
        at(call.keptNone.t),
      );
    }
    const endT = call.endT ?? tree.lastT;
    call.models.forEach((m, i) => {
      if (m.done?.cached) {
        span.setAttribute(FIXPOINT.leafCached, true);
        return;
      }
      modelCalls++;
      const chatEnd = m.done?.t ?? endT;
      // The model's own time: the request may have waited for a free slot before it was sent.
      const chatStart = m.done ? Math.max(m.requestT, m.done.t - m.done.ms) : m.requestT;
      const chat = start(
        `${GEN_AI_OPERATION.chat} ${who.model}`,
        SpanKind.CLIENT,
        chatStart,
        chatAttributes(m, who, node, content, tree.price),
        here,
        ['chat', call.id, String(i)],
      );
      if (!m.done) failSpan(chat, call);
      chat.end(at(Math.max(chatStart, chatEnd)));
    });
    failSpan(span, call);
    span.end(at(endT));
  }

  const done = tree.done;
  if (done && !done.ok && done.error) {
    workflow.setAttribute(ATTR_ERROR_TYPE, done.error.kind);
    if (done.error.kind !== 'Aborted')
      workflow.setStatus({ code: SpanStatusCode.ERROR, message: done.error.message });
  }
  workflow.end(at(done?.t ?? tree.lastT));

  const rank = new Map(order.map((id, i) => [id, i]));
  collected.sort((a, b) => (rank.get(a.spanContext().spanId) ?? 0) - (rank.get(b.spanContext().spanId) ?? 0));
  return { spans: collected, traceId, calls: tree.order.length, modelCalls, redacted };
}

/**
 * A time of the log, `t` ms after a start given in Unix epoch ms, as OpenTelemetry's [seconds, nanoseconds].
 * The two are added apart from the epoch's whole seconds: an epoch in ms has no room left in a double for
 * the log's microseconds.
 */
export function hrTime(startMs: number, t = 0): HrTime {
  const base = Math.floor(startMs / 1000);
  const ms = startMs - base * 1000 + t;
  const carry = Math.floor(ms / 1000);
  const nanos = Math.round((ms - carry * 1000) * 1e6);
  return nanos >= 1e9 ? [base + carry + 1, nanos - 1e9] : [base + carry, nanos];
}

function failSpan(span: Span, call: RunCall): void {
  if (!call.error) return;
  span.setAttribute(ATTR_ERROR_TYPE, call.error.kind);
  // An abort stops work; it is not a failure of the call.
  if (call.outcome === 'error') span.setStatus({ code: SpanStatusCode.ERROR, message: call.error.message });
}

/** A plan run is named by its plan; an RLM run has none. */
function workflowName(tree: RunTree): string {
  return tree.plan?.name ?? 'RLM (model-written code)';
}

function workflowAttributes(
  tree: RunTree,
  who: { provider: string; model: string },
  content: boolean,
): Attributes {
  const e = tree.estimate;
  const a: Attributes = {
    [GEN_AI.operationName]: GEN_AI_OPERATION.invokeWorkflow,
    [GEN_AI.workflowName]: workflowName(tree),
    [GEN_AI.providerName]: who.provider,
    [GEN_AI.requestModel]: who.model,
    [FIXPOINT.runId]: tree.runId,
    [FIXPOINT.runModel]: tree.model,
    [FIXPOINT.runInputChars]: tree.inputChars,
    [FIXPOINT.runComplete]: tree.done !== null,
  };
  if (tree.done?.absent) a[FIXPOINT.runAbsent] = true;
  if (e) {
    a[FIXPOINT.planKStar] = e.kStar;
    a[FIXPOINT.planTauStar] = e.tauStar;
    a[FIXPOINT.planDepth] = e.depth;
    a[FIXPOINT.planPredictedCalls] = e.totalCalls;
    a[FIXPOINT.planAccuracyBound] = e.accuracyBound;
  }
  const totals = tree.done?.totals;
  if (totals) {
    a[FIXPOINT.runCalls] = totals.calls;
    a[FIXPOINT.runLeafCalls] = totals.leafCalls;
    a[FIXPOINT.runCachedCalls] = totals.cachedCalls;
    a[FIXPOINT.runInputTokens] = totals.promptTokens;
    a[FIXPOINT.runOutputTokens] = totals.completionTokens;
  }
  if (tree.price) {
    // As the run costs itself (runtime/run-plan.ts): every answer of the log at the recorded price.
    let cost = 0;
    for (const call of tree.calls.values())
      for (const m of call.models) if (m.done) cost += costOf(tree.price, m.done);
    a[FIXPOINT.runCost] = cost;
    a[FIXPOINT.costCurrency] = tree.price.currency;
  }
  if (content) {
    a[FIXPOINT.runQuery] = tree.query;
    // Values are written in the log's own format (version 2 encodes absence and `$` keys): decoded first.
    if (tree.done?.absent) a[FIXPOINT.runResult] = noAnswerFound(tree.done.totals.leafCalls);
    else if (tree.done && 'result' in tree.done)
      a[FIXPOINT.runResult] = summarizeValue(
        decodeValue(tree.done.result, tree.logVersion) as Parameters<typeof summarizeValue>[0],
      );
  }
  return a;
}

function callAttributes(call: RunCall, node: PlanNode | undefined, content: boolean): Attributes {
  const a: Attributes = {
    [FIXPOINT.callId]: call.id,
    [FIXPOINT.callLabel]: call.label,
    [FIXPOINT.callDepth]: call.depth,
    [FIXPOINT.nodeId]: call.nodeId,
  };
  if (node) a[FIXPOINT.nodeKind] = node.kind;
  if (call.span) {
    a[FIXPOINT.callSpanFrom] = call.span[0];
    a[FIXPOINT.callSpanTo] = call.span[1];
  }
  if (call.endT === null) a[FIXPOINT.callUnfinished] = true;
  if (call.absent) a[FIXPOINT.callAbsent] = true;
  if (content && call.summary !== null) a[FIXPOINT.callSummary] = call.summary;
  return a;
}

function chatAttributes(
  m: ModelCall,
  who: { provider: string; model: string },
  node: PlanNode | undefined,
  content: boolean,
  price: ModelPrice | null,
): Attributes {
  const a: Attributes = {
    [GEN_AI.operationName]: GEN_AI_OPERATION.chat,
    [GEN_AI.providerName]: who.provider,
    [GEN_AI.system]: who.provider,
    [GEN_AI.requestModel]: who.model,
  };
  const params = node && isNodeKind(node.kind) ? resolveParams(node.kind as NodeKind, node.params) : {};
  if (typeof params.maxTokens === 'number') a[GEN_AI.requestMaxTokens] = params.maxTokens;
  if (typeof params.temperature === 'number') a[GEN_AI.requestTemperature] = params.temperature;
  if (node && 'jsonSchema' in params)
    a[GEN_AI.outputType] = params.jsonSchema === null || params.jsonSchema === undefined ? 'text' : 'json';
  if (m.done) {
    a[GEN_AI.usageInputTokens] = m.done.promptTokens;
    a[GEN_AI.usageOutputTokens] = m.done.completionTokens;
    a[GEN_AI.responseFinishReasons] = [m.done.finishReason];
    a[FIXPOINT.leafRetries] = m.done.retries;
    a[FIXPOINT.leafModelMs] = m.done.ms;
    if (price) {
      a[FIXPOINT.leafCost] = costOf(price, m.done);
      a[FIXPOINT.costCurrency] = price.currency;
    }
  }
  if (content) {
    // The conventions' message shape: a role and a list of parts; the answer carries its finish reason.
    a[GEN_AI.inputMessages] = JSON.stringify(
      m.messages.map((msg) => ({ role: msg.role, parts: [{ type: 'text', content: msg.content }] })),
    );
    if (m.done)
      a[GEN_AI.outputMessages] = JSON.stringify([
        {
          role: 'assistant',
          parts: [{ type: 'text', content: m.done.text }],
          finish_reason: m.done.finishReason,
        },
      ]);
  }
  return a;
}
