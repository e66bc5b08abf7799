/**
 * The evaluator: interprets a checked plan directly (no generated code), sending every model call through
 * one scheduler and writing the run log (docs/evaluation.md) as it goes.
 *
 * - A body runs its nodes one after another in dependency order; parallelism comes from Map and Filter,
 *   whose items run concurrently up to a limit (the node's, else the model's) and keep their order.
 * - Reduce folds left to right, with a built-in ⊕ or its body. Fix runs its base body when
 *   tokens(P) ≤ τ* (the leaf bound: a base case never sees more), its step body otherwise; Self re-enters
 *   the Fix one level deeper on its piece. The planner ran the same recursion on the same input, so the
 *   calls stay within its bound.
 * - Values that are slices of the input P carry spans (never copies) into the log.
 * - The first error stops the run: in-flight calls are aborted, the failed call says why, `run.done`
 *   carries the error kind, and the calls that finished keep their values.
 */

import type { Diagnostic } from '../check/diagnostics.ts';
import { check, hasErrors } from '../check/typecheck.ts';
import type { Plan, Slot } from '../format/plan.ts';
import { ABSENT, encodeValue, isAbsent } from '../nodes/absent.ts';
import { catalog as builtinCatalog, type Catalog } from '../nodes/catalog.ts';
import { readingOrder } from '../nodes/find.ts';
import type { EvalContext, Span, SplitSizing, Value } from '../nodes/node-spec.ts';
import { isOneCodePoint } from '../nodes/split-text.ts';
import type { PlanEstimate } from '../plan/estimate.ts';
import { estimate as planEstimate, sizingOf } from '../plan/planner.ts';
import { estimateTokenizer, type Tokenizer } from '../plan/tokenizer.ts';
import { downstreamOf } from './downstream.ts';
import { type LeafFailureReason, RunError, type RunErrorKind } from './errors.ts';
import { EventStream } from './event-stream.ts';
import { LOG_VERSION, type TraceEvent } from './events.ts';
import type { LeafCache } from './leaf-cache.ts';
import { forEachLimited } from './limiter.ts';
import { loggedLeaf } from './logged-leaf.ts';
import { type Body, compileProgram, type Program, type ProgramNode } from './program.ts';
import type { LeafModel, LeafRequest, LeafResponse } from './provider.ts';
import {
  createScheduler,
  type LeafScheduler,
  type SchedulerBudgets,
  type SchedulerOptions,
} from './scheduler.ts';
import { TraceWriter } from './trace-writer.ts';
import { loggedValue } from './value-summary.ts';

export interface RunOptions {
  /** The long document P. */
  input: string;
  /** The user's question; the plan's own query when absent. */
  query?: string;
  model: LeafModel;
  /**
   * The planner's estimate for this plan, input and model (shown in `run.start`; sizes auto Splits and
   * Fix recursion). Computed here when absent.
   */
  estimate?: PlanEstimate;
  /** Overrides the sizing taken from the estimate. */
  sizing?: SplitSizing;
  /** Counts tokens for the Fix base-case test; the model's own, else the estimate. */
  tokenizer?: Tokenizer;
  signal?: AbortSignal;
  cache?: LeafCache | null;
  /** Budgets; the plan's own (planner.budgets) when absent. */
  budgets?: SchedulerBudgets;
  /** Retries, backoff, timeout, concurrency of the scheduler. */
  scheduler?: Omit<SchedulerOptions, 'signal' | 'cache' | 'budgets'>;
  /** Told every event as it happens. */
  onEvent?: (event: TraceEvent) => void;
  runId?: string;
  now?: () => number;
  /** The kinds the plan may use: the built-in catalog unless a test brings its own. */
  catalog?: Catalog;
  /** Streamed text is sent at most this often per call (0: every piece as it arrives). */
  deltaIntervalMs?: number;
  /**
   * "Run from the selected node": these nodes and everything downstream of them (`downstreamOf`) ask the
   * model again (the cache is not read for their leaf calls, still written); the rest is served from the
   * cache as usual. Ids that name no node are ignored.
   */
  refreshNodes?: readonly string[];
}

export interface RunTotals {
  calls: number;
  leafCalls: number;
  cachedCalls: number;
  promptTokens: number;
  completionTokens: number;
  ms: number;
}

export interface RunOutcome {
  runId: string;
  ok: boolean;
  result?: Value;
  /**
   * The run finished and found no answer: its result is absent ("no answer here" everywhere it looked).
   * `result` is then unset; `totals.leafCalls` says how many pieces the model read.
   */
  absent?: true;
  error?: { kind: RunErrorKind; message: string; nodeId?: string; reason?: LeafFailureReason };
  /** True when an unexpected exception (a defect, not a run error) ended the run. */
  internal?: boolean;
  totals: RunTotals;
}

/** Character spans of a value into P: one for a Str slice, one per item for a list of slices. */
type SpanInfo = Span | { each: (Span | null)[] } | null;

interface FixLevel {
  fixId: string;
  level: number;
  parent: FixLevel | null;
}

/** The values of one body invocation; bodies see the values of the bodies around them. */
interface Frame {
  parent: Frame | null;
  values: Map<string, Record<string, Value>>;
  spans: Map<string, Record<string, SpanInfo>>;
  /** Calls started in this frame are children of this call. */
  callId: string | null;
  depth: number;
  fix: FixLevel | null;
  inFixStep: boolean;
}

/** Node evaluations between two turns of the host's event loop (see `pause`). */
const YIELD_EVERY = 256;

/** Lets the host's event loop run (an abort message, a UI batch) during long symbolic stretches. */
const macrotask: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise((resolve) => setImmediate(resolve))
    : typeof MessageChannel === 'function'
      ? () =>
          new Promise((resolve) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => {
              channel.port1.close();
              resolve();
            };
            channel.port2.postMessage(null);
          })
      : () => new Promise((resolve) => setTimeout(resolve, 0));

/** A defect in the language itself (a node that threw a plain Error, a value of the wrong shape). */
class InternalError extends Error {
  constructor(
    message: string,
    readonly nodeId?: string,
  ) {
    super(message);
    this.name = 'InternalError';
  }
}

function isSpan(info: SpanInfo | undefined): info is Span {
  return Array.isArray(info);
}

/** The smallest span covering a list's item spans, when every item has one. */
function cover(info: SpanInfo | undefined): Span | null {
  if (!info) return null;
  if (isSpan(info)) return info;
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const s of info.each) {
    if (!s) return null;
    if (s[0] < from) from = s[0];
    if (s[1] > to) to = s[1];
  }
  return info.each.length > 0 ? [from, to] : null;
}

class Run {
  readonly writer: TraceWriter;
  readonly scheduler: LeafScheduler;
  private readonly program: Program;
  private readonly kinds: Catalog;
  private readonly tokenizer: Tokenizer;
  private readonly sizing: SplitSizing;
  private readonly query: string;
  private readonly deltaIntervalMs: number;
  private readonly now: () => number;
  private readonly estimate: PlanEstimate;
  /** Nodes whose leaf calls skip the cache read (run from a node); empty for an ordinary run. */
  private readonly refresh: ReadonlySet<string>;
  /** Aborted when the run stops for any reason; handed to nodes as ctx.signal. */
  private readonly halt = new AbortController();
  private firstError: RunError | InternalError | undefined;
  private evaluated = 0;
  /** Set while the run lets the event loop turn: every branch waits on it before its next node. */
  private pausing: Promise<void> | null = null;

  constructor(
    private readonly plan: Plan,
    private readonly options: RunOptions,
    sink: (event: TraceEvent) => void,
  ) {
    this.now = options.now ?? (() => performance.now());
    const runId = options.runId ?? `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    this.writer = new TraceWriter(runId, sink, this.now);
    this.kinds = options.catalog ?? builtinCatalog;
    this.program = compileProgram(plan, this.kinds);
    this.tokenizer = options.tokenizer ?? options.model.capabilities.tokenizer ?? estimateTokenizer;
    this.query = options.query ?? plan.query;
    const e =
      options.estimate ??
      planEstimate(plan, {
        inputText: options.input,
        tokenizer: this.tokenizer,
        contextWindow: options.model.capabilities.contextWindow,
        query: this.query,
        catalog: this.kinds,
      });
    this.estimate = e;
    // A plan that could send a leaf more than its window is refused before anything runs.
    if (e.refusals && e.refusals.length > 0) throw new PlanCheckError(e.refusals);
    this.sizing = options.sizing ?? sizingOf(e);
    this.deltaIntervalMs = Math.max(0, options.deltaIntervalMs ?? 100);
    this.refresh = options.refreshNodes ? downstreamOf(plan, options.refreshNodes, this.kinds) : new Set();
    this.scheduler = createScheduler(options.model, {
      ...options.scheduler,
      ...(options.signal ? { signal: options.signal } : {}),
      cache: options.cache ?? null,
      budgets: options.budgets ?? plan.planner.budgets,
      now: this.now,
      contextWindow: plan.planner.contextWindow ?? options.model.capabilities.contextWindow,
      tokenizer: this.tokenizer,
    });
  }

  async execute(): Promise<RunOutcome> {
    const { options } = this;
    this.writer.emit({
      type: 'run.start',
      startedAt: Date.now(),
      logVersion: LOG_VERSION,
      plan: this.plan,
      estimate: this.estimate,
      inputChars: options.input.length,
      query: this.query,
      model: options.model.id,
      // In plan order, so the log reads the same for the same plan and selection.
      ...(options.refreshNodes
        ? { refreshNodes: this.plan.nodes.map((n) => n.id).filter((id) => this.refresh.has(id)) }
        : {}),
    });
    const top: Frame = {
      parent: null,
      values: new Map(),
      spans: new Map(),
      callId: null,
      depth: 0,
      fix: null,
      inFixStep: false,
    };
    let result: Value | undefined;
    try {
      await this.runBody(this.program.top, top);
      const out = this.program.output;
      if (out) result = this.inputOf(out, top, 'value');
    } catch (e) {
      this.fail(e);
    } finally {
      this.scheduler.close();
    }
    const s = this.scheduler.totals;
    const totals: RunTotals = {
      calls: this.writer.calls,
      leafCalls: this.writer.leafCalls,
      cachedCalls: this.writer.cachedCalls,
      promptTokens: s.promptTokens,
      completionTokens: s.completionTokens,
      ms: this.writer.elapsed(),
    };
    const failure = this.firstError;
    if (failure) {
      const error = {
        kind: failure instanceof RunError ? failure.kind : ('LeafFailed' as const),
        message: failure instanceof RunError ? failure.message : `internal error: ${failure.message}`,
        ...(failure.nodeId !== undefined ? { nodeId: failure.nodeId } : {}),
        ...(failure instanceof RunError && failure.reason !== undefined ? { reason: failure.reason } : {}),
      };
      this.writer.emit({ type: 'run.done', ok: false, error, totals });
      return {
        runId: this.writer.runId,
        ok: false,
        error,
        totals,
        ...(failure instanceof InternalError ? { internal: true } : {}),
      };
    }
    if (isAbsent(result)) {
      // No answer found: said so, with how many pieces the model read, never as text.
      this.writer.emit({ type: 'run.done', ok: true, absent: true, totals });
      return { runId: this.writer.runId, ok: true, absent: true, totals };
    }
    const logged = result === undefined ? {} : { result: encodeValue(result) as Value };
    this.writer.emit({ type: 'run.done', ok: true, ...logged, totals });
    return { runId: this.writer.runId, ok: true, ...(result === undefined ? {} : { result }), totals };
  }

  /** Records the run's first error and stops everything else that is still going. */
  private fail(e: unknown, nodeId?: string): RunError | InternalError {
    const error = this.normalise(e, nodeId);
    if (!this.firstError) {
      this.firstError = error;
      const stopped = this.scheduler.stopped;
      if (!stopped) {
        const where = error.nodeId !== undefined ? ` at ${error.nodeId}` : '';
        const kind = error instanceof RunError ? error.kind : 'an internal error';
        this.scheduler.stop(new RunError('Aborted', `stopped because of ${kind}${where}`));
      }
      this.halt.abort(error);
    }
    return error;
  }

  private normalise(e: unknown, nodeId?: string): RunError | InternalError {
    if (e instanceof RunError)
      return e.nodeId !== undefined || nodeId === undefined
        ? e
        : new RunError(e.kind, e.message, nodeId, e.callId, e.reason);
    if (e instanceof InternalError)
      return e.nodeId !== undefined || nodeId === undefined ? e : new InternalError(e.message, nodeId);
    return new InternalError(e instanceof Error ? e.message : String(e), nodeId);
  }

  /** Throws when the run has stopped (abort, budget, an error elsewhere). */
  private checkRunning(): void {
    const stopped = this.scheduler.stopped;
    if (stopped) throw stopped;
    if (this.firstError) throw new RunError('Aborted', 'stopped because of an error elsewhere in the run');
  }

  private async runBody(body: Body, frame: Frame): Promise<void> {
    for (const pn of body.order) {
      this.checkRunning();
      if (this.pausing || ++this.evaluated % YIELD_EVERY === 0) await this.pause();
      await this.runNode(pn, frame);
    }
  }

  /**
   * Lets the host's event loop turn (an abort message, a batch of the log to the page) during long
   * stretches where every model answer is already at hand (a cache, a fast model). All branches wait on the
   * same pause: one branch alone yielding would not help while the others keep the microtask queue busy.
   * Counted in node evaluations, not time, so a run's order of events stays reproducible.
   */
  private pause(): Promise<void> {
    if (!this.pausing) {
      this.pausing = macrotask().then(() => {
        this.pausing = null;
      });
    }
    return this.pausing;
  }

  /** The value on a node's input port, looked up through the enclosing bodies. */
  private inputOf(pn: ProgramNode, frame: Frame, port: string): Value | undefined {
    const ref = pn.inputs.get(port);
    if (!ref) return undefined;
    for (let f: Frame | null = frame; f; f = f.parent) {
      const values = f.values.get(ref.node);
      if (values) {
        if (!Object.hasOwn(values, ref.port))
          throw new InternalError(`${ref.node} has no output ${ref.port}`, pn.node.id);
        return values[ref.port];
      }
    }
    throw new InternalError(`${ref.node} has not been evaluated before ${pn.node.id}`, pn.node.id);
  }

  private spanOf(pn: ProgramNode, frame: Frame, port: string): SpanInfo {
    const ref = pn.inputs.get(port);
    if (!ref) return null;
    for (let f: Frame | null = frame; f; f = f.parent) {
      const spans = f.spans.get(ref.node);
      if (spans) return spans[ref.port] ?? null;
      if (f.values.has(ref.node)) return null;
    }
    return null;
  }

  private inputs(pn: ProgramNode, frame: Frame): Record<string, Value> {
    const out: Record<string, Value> = {};
    for (const port of pn.inputs.keys()) {
      const v = this.inputOf(pn, frame, port);
      if (v !== undefined) out[port] = v;
    }
    return out;
  }

  /** The span shown for a call: its first input that is a slice (or list of slices) of P. */
  private callSpan(pn: ProgramNode, frame: Frame): Span | null {
    for (const port of pn.inputs.keys()) {
      const s = cover(this.spanOf(pn, frame, port));
      if (s) return s;
    }
    return null;
  }

  private label(pn: ProgramNode): string {
    return pn.node.label ?? pn.spec.title;
  }

  private startCall(frame: Frame, nodeId: string, span: Span | null, label: string): string {
    const callId = this.writer.newCallId();
    this.writer.emit({
      type: 'call.start',
      callId,
      parentId: frame.callId,
      depth: frame.depth,
      nodeId,
      span,
      label,
    });
    return callId;
  }

  private endCall(callId: string, value: Value | undefined): void {
    this.writer.emit({ type: 'call.done', callId, ...loggedValue(value) });
  }

  /** Reports a failed call and passes the error on (recorded as the run's error if it is the first). */
  private callFailed(callId: string, e: unknown, nodeId: string): never {
    const error = this.fail(e, nodeId);
    const kind = error instanceof RunError ? error.kind : 'LeafFailed';
    const message = error instanceof RunError ? error.message : `internal error: ${error.message}`;
    this.writer.emit({ type: 'call.error', callId, error: { kind, message } });
    throw error;
  }

  private childFrame(frame: Frame, callId: string, patch: Partial<Frame> = {}): Frame {
    return {
      parent: frame,
      values: new Map(),
      spans: new Map(),
      callId,
      depth: frame.depth + 1,
      fix: frame.fix,
      inFixStep: frame.inFixStep,
      ...patch,
    };
  }

  private set(
    frame: Frame,
    nodeId: string,
    values: Record<string, Value>,
    spans?: Record<string, SpanInfo>,
  ): void {
    frame.values.set(nodeId, values);
    if (spans) frame.spans.set(nodeId, spans);
  }

  /**
   * One node: kinds with a role or a container are interpreted here (see NodeRole and ContainerSpec);
   * every other kind through its own `compute` or `evaluate`.
   */
  private async runNode(pn: ProgramNode, frame: Frame): Promise<void> {
    const { node, spec } = pn;
    switch (spec.role) {
      case 'input':
        this.set(frame, node.id, { text: this.options.input }, { text: [0, this.options.input.length] });
        return;
      case 'entry':
      case 'exit':
        return;
      case 'self':
        return this.runSelf(pn, frame);
    }
    // A node given "no answer here" gives it on: nothing to compute, no model to ask. The result node
    // passes it to the run's outcome.
    if (spec.role !== 'result' && this.hasAbsentInput(pn, frame)) return this.passAbsent(pn, frame);
    const container = spec.container;
    if (container && !container.bodyless?.(pn.params)) {
      switch (container.behaviour) {
        case 'map':
        case 'filter':
          return this.runItems(pn, frame);
        case 'find':
          return this.runFind(pn, frame);
        case 'fold':
          return this.runFold(pn, frame);
        case 'fix': {
          const text = this.inputOf(pn, frame, 'text');
          if (typeof text !== 'string') throw new InternalError(`${node.kind} needs a text`, node.id);
          const span = this.spanOf(pn, frame, 'text');
          const result = await this.invokeFix(pn, pn, text, isSpan(span) ? span : null, 0, frame);
          this.set(frame, node.id, { result: result.value }, { result: result.span });
          return;
        }
      }
    }
    return this.runLeafOrSymbolic(pn, frame);
  }

  private hasAbsentInput(pn: ProgramNode, frame: Frame): boolean {
    for (const port of pn.inputs.keys()) if (isAbsent(this.inputOf(pn, frame, port))) return true;
    return false;
  }

  /** Every output of the node is absent; logged as a call (when the kind is logged) that gave absent. */
  private passAbsent(pn: ProgramNode, frame: Frame): void {
    const { node, spec } = pn;
    const outputs: Record<string, Value> = {};
    for (const p of spec.ports(node, this.plan, this.kinds).outputs) outputs[p.name] = ABSENT;
    if (spec.logged !== false) {
      const callId = this.startCall(frame, node.id, this.callSpan(pn, frame), this.label(pn));
      this.set(frame, node.id, outputs);
      this.endCall(callId, ABSENT);
      return;
    }
    this.set(frame, node.id, outputs);
  }

  /** A node with its own semantics (`evaluate` in the catalog): one call in the log. */
  private async runLeafOrSymbolic(pn: ProgramNode, frame: Frame): Promise<void> {
    const { node, spec } = pn;
    if (!spec.evaluate && !spec.compute) throw new InternalError(`${node.kind} cannot be evaluated`, node.id);
    const inputs = this.inputs(pn, frame);
    const logged = spec.logged !== false;
    const callId = logged ? this.startCall(frame, node.id, this.callSpan(pn, frame), this.label(pn)) : '';
    const recorded: Record<string, SpanInfo> = {};
    const fresh = this.refresh.has(node.id);
    let leaves = 0;
    const ctx: EvalContext = {
      nodeId: node.id,
      query: this.query,
      tokenizer: this.tokenizer,
      signal: this.halt.signal,
      sizing: this.sizing,
      inFixStep: frame.inFixStep,
      leaf: (request, meta) => {
        // The first model call of a node is the node's call; any further one gets a call of its own.
        leaves++;
        if (leaves === 1 && logged) return this.leaf(callId, request, fresh);
        const sub = this.startCall(
          this.childFrame(frame, callId),
          node.id,
          this.callSpan(pn, frame),
          meta.label,
        );
        return this.leaf(sub, request, fresh).then(
          (r) => {
            this.writer.emit({ type: 'call.done', callId: sub, summary: `${r.text.length} chars` });
            return r;
          },
          (e: unknown) => this.callFailed(sub, e, node.id),
        );
      },
      inputSpan: (port) => {
        const s = this.spanOf(pn, frame, port);
        return isSpan(s) ? s : null;
      },
      recordSpans: (port, relativeTo, spans) => {
        const base = this.spanOf(pn, frame, relativeTo);
        if (!isSpan(base)) {
          recorded[port] = null;
          return;
        }
        const shift = (s: Span): Span => [base[0] + s[0], base[0] + s[1]];
        recorded[port] =
          spans.length === 2 && typeof spans[0] === 'number'
            ? shift(spans as Span)
            : { each: (spans as Span[]).map(shift) };
      },
    };
    let out: Record<string, Value>;
    try {
      out = spec.evaluate
        ? await spec.evaluate(inputs, pn.params, ctx)
        : spec.compute!(inputs, pn.params, ctx);
      if (out === null || typeof out !== 'object')
        throw new InternalError(`${node.kind} gave no outputs`, node.id);
    } catch (e) {
      if (!logged) throw this.fail(e, node.id);
      this.callFailed(callId, e, node.id);
    }
    this.set(frame, node.id, out, recorded);
    if (logged) {
      const outputs = Object.values(out);
      this.endCall(callId, outputs.length === 1 ? outputs[0] : (out as Value));
    }
  }

  /** One model call through the scheduler, logged as leaf.request → leaf.delta* → leaf.done. */
  private leaf(callId: string, request: LeafRequest, fresh: boolean): Promise<LeafResponse> {
    return loggedLeaf(this.writer, this.scheduler, callId, request, {
      now: this.now,
      deltaIntervalMs: this.deltaIntervalMs,
      fresh,
    });
  }

  /** Map and Filter: the body on every item, concurrently up to a limit, results in item order. */
  private async runItems(pn: ProgramNode, frame: Frame): Promise<void> {
    const { node } = pn;
    const isMap = pn.spec.container?.behaviour === 'map';
    const { items, itemSpans, body, callId } = this.startItems(pn, frame);
    const results = new Array<Value>(items.length);
    const resultSpans = new Array<Span | null>(items.length).fill(null);
    const entryPort = this.entryPorts(body)[0] ?? 'item';
    const exitPort = this.exitPort(body);
    try {
      await forEachLimited(items.length, this.limitOf(pn), async (i) => {
        const item = { value: items[i] as Value, index: i, span: itemSpans?.[i] ?? null };
        const out = await this.runItem(pn, frame, callId, body, item, { entryPort, exitPort }, (v) => {
          // An absent answer to "keep it?" keeps nothing.
          if (!isMap && typeof v !== 'boolean' && !isAbsent(v))
            throw new InternalError('a Filter body must give a Bool', node.id);
        });
        results[i] = out.value;
        resultSpans[i] = out.span;
      });
    } catch (e) {
      this.callFailed(callId, e, node.id);
    }
    if (isMap) {
      this.set(frame, node.id, { results }, { results: { each: resultSpans } });
      this.endCall(callId, results);
      return;
    }
    let kept: Value[] = [];
    let keptSpans: (Span | null)[] = [];
    for (let i = 0; i < items.length; i++) {
      if (results[i] !== true) continue;
      kept.push(items[i] as Value);
      keptSpans.push(itemSpans?.[i] ?? null);
    }
    if (kept.length === 0 && items.length > 0) {
      // Never a silent empty filter: the log says so, and the node's policy says what follows.
      const policy = noneKeptPolicy(pn.params.ifNoneKept);
      this.writer.emit({ type: 'filter.empty', callId, nodeId: node.id, of: items.length, policy });
      if (policy === 'error')
        this.callFailed(
          callId,
          new RunError('FilterEmpty', `${this.label(pn)} kept none of its ${items.length} items`, node.id),
          node.id,
        );
      if (policy === 'all') {
        kept = [...(items as Value[])];
        keptSpans = items.map((_, i) => itemSpans?.[i] ?? null);
      }
    }
    this.set(frame, node.id, { kept }, { kept: { each: keptSpans } });
    this.endCall(callId, kept);
  }

  /**
   * Find: the body on the items in their reading order, up to the limit at a time, until one answers. An
   * item after the earliest answer so far (in reading order) is not started; the result is the earliest
   * answer, so it is the same whatever the concurrency. Items not read are not in the log.
   */
  private async runFind(pn: ProgramNode, frame: Frame): Promise<void> {
    const { node } = pn;
    const { items, itemSpans, body, callId } = this.startItems(pn, frame);
    const order = readingOrder(items as Value[], this.query, pn.params);
    const entryPort = this.entryPorts(body)[0] ?? 'item';
    const exitPort = this.exitPort(body);
    // The reading position of the earliest answer so far, its value and span.
    let found: { at: number; value: Value; span: Span | null } | undefined;
    try {
      await forEachLimited(order.length, this.limitOf(pn), async (at) => {
        if (found && found.at < at) return;
        const i = order[at]!;
        const item = { value: items[i] as Value, index: i, span: itemSpans?.[i] ?? null };
        const out = await this.runItem(pn, frame, callId, body, item, { entryPort, exitPort });
        if (!isAbsent(out.value) && (!found || at < found.at)) found = { at, ...out };
      });
    } catch (e) {
      this.callFailed(callId, e, node.id);
    }
    const result = found?.value ?? ABSENT;
    this.set(frame, node.id, { result }, { result: found?.span ?? null });
    this.endCall(callId, result);
  }

  /** A container over `items` (Map, Filter, Find): its list, the items' spans, its body, and its call. */
  private startItems(pn: ProgramNode, frame: Frame) {
    const { node } = pn;
    const items = this.inputOf(pn, frame, 'items');
    if (!Array.isArray(items)) throw new InternalError(`${node.kind} needs a list`, node.id);
    const info = this.spanOf(pn, frame, 'items');
    const itemSpans = info && !isSpan(info) && info.each.length === items.length ? info.each : null;
    const body = this.program.body(node.id, 'body');
    if (!body?.entry || !body.exit) throw new InternalError(`${node.kind} has no body`, node.id);
    const callId = this.startCall(frame, node.id, cover(info), this.label(pn));
    return { items, itemSpans, body: body as Body & Required<Pick<Body, 'entry' | 'exit'>>, callId };
  }

  /** A container's body on one item, as a call of its own under the container's call. */
  private async runItem(
    pn: ProgramNode,
    frame: Frame,
    callId: string,
    body: Body,
    item: { value: Value; index: number; span: Span | null },
    ports: { entryPort: string; exitPort: string },
    check?: (v: Value) => void,
  ): Promise<{ value: Value; span: Span | null }> {
    const { node } = pn;
    const itemCall = this.startCall(
      this.childFrame(frame, callId),
      node.id,
      item.span,
      `item ${item.index + 1}`,
    );
    const inner = this.childFrame(frame, itemCall, { depth: frame.depth + 2 });
    this.set(inner, body.entry!.node.id, { [ports.entryPort]: item.value }, { [ports.entryPort]: item.span });
    try {
      await this.runBody(body, inner);
      const v = this.inputOf(body.exit!, inner, ports.exitPort);
      if (v === undefined) throw new InternalError(`the body of ${node.id} gave no result`, node.id);
      check?.(v);
      const s = this.spanOf(body.exit!, inner, ports.exitPort);
      this.endCall(itemCall, v);
      return { value: v, span: isSpan(s) ? s : null };
    } catch (e) {
      this.callFailed(itemCall, e, node.id);
    }
  }

  private limitOf(pn: ProgramNode): number {
    const own = Number(pn.params.concurrency);
    return Number.isFinite(own) && own >= 1 ? Math.floor(own) : this.scheduler.concurrency;
  }

  private entryPorts(body: Body): string[] {
    if (!body.entry) return [];
    return body.entry.spec.ports(body.entry.node, this.plan, this.kinds).outputs.map((p) => p.name);
  }

  private exitPort(body: Body): string {
    const port = body.exit ? body.exit.inputs.keys().next() : undefined;
    if (!port || port.done) throw new InternalError('a body has no result wired', body.exit?.node.id);
    return port.value;
  }

  /** A fold (Reduce with a body): the body folded left to right over the items, a call per step. */
  private async runFold(pn: ProgramNode, frame: Frame): Promise<void> {
    const { node } = pn;
    const all = this.inputOf(pn, frame, 'items');
    if (!Array.isArray(all)) throw new InternalError(`${node.kind} needs a list`, node.id);
    // Absent items are skipped, as the built-in ⊕ skip them; nothing but absent items gives absent.
    const items = all.filter((v) => !isAbsent(v));
    const unit = this.inputOf(pn, frame, 'unit');
    const callId = this.startCall(frame, node.id, cover(this.spanOf(pn, frame, 'items')), this.label(pn));
    let acc: Value | undefined;
    try {
      const body = this.program.body(node.id, 'body');
      if (!body?.entry || !body.exit) throw new InternalError(`${node.kind} has no body`, node.id);
      const [left = 'left', right = 'right'] = this.entryPorts(body);
      const exitPort = this.exitPort(body);
      // The unit is the result of an empty list only (as for the built-in ops): a list of n items
      // takes n − 1 steps, which is what the planner counts.
      if (items.length > 0) acc = items[0] as Value;
      else if (all.length > 0) acc = ABSENT;
      else if (unit !== undefined) acc = unit;
      else throw new RunError('ParseFailed', `${node.kind} got an empty list and has no unit`, node.id);
      for (let i = 1; i < items.length; i++) {
        this.checkRunning();
        const stepCall = this.startCall(this.childFrame(frame, callId), node.id, null, `⊕ ${i}`);
        const inner = this.childFrame(frame, stepCall, { depth: frame.depth + 2 });
        this.set(inner, body.entry.node.id, { [left]: acc as Value, [right]: items[i] as Value });
        try {
          await this.runBody(body, inner);
          acc = this.inputOf(body.exit, inner, exitPort);
          if (acc === undefined) throw new InternalError(`the ${node.kind} body gave no result`, node.id);
          this.endCall(stepCall, acc);
        } catch (e) {
          this.callFailed(stepCall, e, node.id);
        }
      }
    } catch (e) {
      this.callFailed(callId, e, node.id);
    }
    this.set(frame, node.id, { result: acc as Value });
    this.endCall(callId, acc);
  }

  /** Whether a node sits, at any depth, in the step body of some Fix (a static fact of the plan). */
  private inStep(pn: ProgramNode): boolean {
    let current: ProgramNode | undefined = pn;
    for (let hops = 0; current?.node.parent !== undefined && hops < this.program.nodes.size; hops++) {
      if (current.node.slot === 'step') return true;
      current = this.program.nodes.get(current.node.parent);
    }
    return false;
  }

  /** Self: the enclosing Fix again, one level deeper, on a piece of the current P. */
  private async runSelf(pn: ProgramNode, frame: Frame): Promise<void> {
    const fix = this.program.nodes.get(pn.fixId ?? '');
    if (!fix) throw new InternalError(`${pn.node.kind} outside a Fix`, pn.node.id);
    let level = -1;
    for (let f = frame.fix; f; f = f.parent) {
      if (f.fixId === fix.node.id) {
        level = f.level;
        break;
      }
    }
    if (level < 0) throw new InternalError(`${pn.node.kind} called outside its Fix`, pn.node.id);
    const text = this.inputOf(pn, frame, 'text');
    if (typeof text !== 'string') throw new InternalError(`${pn.node.kind} needs a text`, pn.node.id);
    const span = this.spanOf(pn, frame, 'text');
    const result = await this.invokeFix(fix, pn, text, isSpan(span) ? span : null, level + 1, frame);
    this.set(frame, pn.node.id, { result: result.value }, { result: result.span });
  }

  /**
   * One application of a Fix to P: the base body when P fits the leaf bound (tokens ≤ τ*), the step body
   * otherwise. Logged as a call of `caller` (the Fix, or the Self that recursed).
   */
  private async invokeFix(
    fix: ProgramNode,
    caller: ProgramNode,
    text: string,
    span: Span | null,
    level: number,
    frame: Frame,
  ): Promise<{ value: Value; span: SpanInfo }> {
    // The base case only ever sees a P within the leaf bound: a larger one is cut again, however deep
    // (a single character is the one thing that cannot be cut; the scheduler's guard still holds it).
    const tokens = this.tokenizer.count(text);
    const useBase = tokens <= this.sizing.tauStar || isOneCodePoint(text);
    const cap = this.sizing.fixDepth?.[fix.node.id];
    if (!useBase && cap !== undefined && level >= cap)
      throw new RunError(
        'PromptTooLarge',
        `a piece of ${tokens.toLocaleString('en')} tokens is still over τ* = ${this.sizing.tauStar.toLocaleString('en')} at depth ${level}, the deepest the planner allowed for ${this.label(fix)} (its P was known before the run only by its size); it was not sent`,
        fix.node.id,
      );
    const slot: Slot = useBase ? 'base' : 'step';
    const body = this.program.body(fix.node.id, slot);
    if (!body?.entry || !body.exit) throw new InternalError(`Fix has no ${slot} body`, fix.node.id);
    const callId = this.startCall(frame, caller.node.id, span, `${this.label(caller)} · ${slot}`);
    const inner = this.childFrame(frame, callId, {
      fix: { fixId: fix.node.id, level, parent: frame.fix },
      inFixStep: slot === 'step' || this.inStep(fix),
    });
    const entryPort = this.entryPorts(body)[0] ?? 'text';
    this.set(inner, body.entry.node.id, { [entryPort]: text }, { [entryPort]: span });
    let value: Value | undefined;
    let resultSpan: SpanInfo = null;
    try {
      await this.runBody(body, inner);
      const exitPort = this.exitPort(body);
      value = this.inputOf(body.exit, inner, exitPort);
      if (value === undefined) throw new InternalError(`the ${slot} body gave no result`, fix.node.id);
      resultSpan = this.spanOf(body.exit, inner, exitPort);
    } catch (e) {
      this.callFailed(callId, e, caller.node.id);
    }
    this.endCall(callId, value);
    return { value, span: resultSpan };
  }
}

const noneKeptPolicy = (p: unknown): 'all' | 'none' | 'error' => (p === 'none' || p === 'error' ? p : 'all');

/**
 * A plan with type errors, or one the planner refuses (a call that could exceed the window), is never
 * run: the checker's or the planner's diagnostics come back instead.
 */
export class PlanCheckError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super(
      `the plan has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors[0]?.message ?? ''}`,
    );
    this.name = 'PlanCheckError';
  }
}

/**
 * Runs a plan and resolves with its outcome; every event goes to `options.onEvent` as it happens. Never
 * rejects for a run error (those end the run with `run.done` ok=false); rejects only when the plan does not
 * type-check (PlanCheckError, before `run.start`) or cannot be interpreted at all (ProgramError).
 */
export function evaluate(plan: Plan, options: RunOptions): Promise<RunOutcome> {
  const sink = options.onEvent ?? (() => {});
  let run: Run;
  try {
    const checked = check(plan, options.catalog ? { catalog: options.catalog } : {});
    if (hasErrors(checked.diagnostics)) throw new PlanCheckError(checked.diagnostics);
    run = new Run(plan, options, sink);
  } catch (e) {
    return Promise.reject(e);
  }
  return run.execute();
}

/**
 * Runs a plan as an async stream of its run log: `for await (const event of run(plan, options))`. The
 * stream ends after `run.done`; `outcome` resolves with the same result.
 */
export function run(
  plan: Plan,
  options: RunOptions,
): AsyncIterable<TraceEvent> & { outcome: Promise<RunOutcome> } {
  const stream = new EventStream<TraceEvent>();
  const outer = options.onEvent;
  const outcome = evaluate(plan, {
    ...options,
    onEvent: (event) => {
      stream.push(event);
      outer?.(event);
    },
  });
  outcome.then(
    () => stream.close(),
    (e: unknown) => stream.close(e),
  );
  return Object.assign(stream, { outcome });
}
