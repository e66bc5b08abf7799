/**
 * A run's state as a pure function of its event log (docs/evaluation.md): `applyEvents(state, events)`.
 * Logs of every run-log format are read (values decoded by the log's version).
 * The tree, the timeline, the counters, the inspector and replay all read what this returns, so a live
 * run and a replayed `.jsonl` of it draw the same picture.
 *
 * Batches arrive every few tens of milliseconds and a run may hold 10,000 calls, so the reducer copies on
 * write per batch: each batch clones the call index once and each touched call once, never the whole tree
 * per event. Earlier states are never mutated.
 */

import type {
  CellErrorKind,
  ChatMessage,
  FinishReason,
  ModelPrice,
  Plan,
  PlanEstimate,
  RlmRunSettings,
  RunErrorKind,
  TraceEvent,
} from '../../workers/lang/index.ts';
import { costOf, decodeValue } from '../../workers/lang/index.ts';

/** `planned`: a call the plan preview predicts, drawn before anything runs. */
export type CallStatus = 'planned' | 'running' | 'done' | 'cached' | 'error' | 'aborted';
export type RunStatus = 'idle' | 'running' | 'done' | 'failed' | 'aborted';

export interface CallError {
  kind: RunErrorKind;
  message: string;
}

/** A code cell of an RLM run: the code the model wrote and what running it gave. */
export interface CellState {
  code: string;
  /** What it printed (cut at the sandbox's limit); null while it runs. */
  output: string | null;
  droppedChars: number;
  ms: number | null;
  error: { kind: CellErrorKind; message: string } | null;
  final: string | null;
}

export interface CallState {
  id: string;
  parentId: string | null;
  depth: number;
  nodeId: string;
  span: [number, number] | null;
  label: string;
  children: string[];
  status: CallStatus;
  /** Order of call.start in the log: the tree keeps siblings in this order. */
  index: number;
  startT: number;
  endT: number | null;
  /** Set once the call asked a model (leaf.request): leaves are the calls that did. */
  leaf: boolean;
  messages: ChatMessage[] | null;
  cacheKey: string | null;
  /** Streamed text so far; replaced by the final text on leaf.done. */
  output: string;
  promptTokens: number;
  completionTokens: number;
  /** Of the prompt tokens, those the server read from its prompt cache. */
  cachedPromptTokens: number;
  /**
   * Money: this call's own model call (a leaf), and this call's with every call below it; 0 for a cached
   * answer or no model call. Meaningless without a price (RunState.price null: "no price").
   */
  cost: number;
  treeCost: number;
  /** Model time reported by leaf.done (0 for a cache hit). */
  ms: number | null;
  cached: boolean;
  retries: number;
  finishReason: FinishReason | null;
  summary: string | null;
  value: unknown;
  hasValue: boolean;
  /** The call's value is absent: "no answer here" (run logs of format 2 on). */
  absent: boolean;
  /** A Filter call that kept none of its items: how many it had, and what its policy did then. */
  keptNoneOf: { of: number; policy: 'all' | 'none' | 'error' } | null;
  error: CallError | null;
  /** Set for a code cell of an RLM run (`cell.code`, `cell.output`). */
  cell: CellState | null;
}

export interface NodeCounts {
  started: number;
  running: number;
  done: number;
  cached: number;
  errors: number;
  /** Money spent by this plan node's model calls (with a price). */
  cost: number;
}

export interface RunCounters {
  calls: number;
  leafCalls: number;
  doneCalls: number;
  cachedCalls: number;
  errors: number;
  /** Calls stopped by an abort. */
  aborted: number;
  running: number;
  promptTokens: number;
  completionTokens: number;
  /** Money spent so far, at the run's price (RunState.price; none: "no price", not zero). */
  cost: number;
}

export interface RunState {
  runId: string | null;
  status: RunStatus;
  /** 'rlm' when the log began with `rlm.start`: the model wrote code, there is no plan. */
  mode: 'plan' | 'rlm';
  /** What an RLM run was allowed (window, sandbox limits, budgets). */
  rlm: RlmRunSettings | null;
  plan: Plan | null;
  estimate: PlanEstimate | null;
  inputChars: number;
  query: string;
  model: string;
  /** The price the run was costed at (recorded in run.start), or null: the model had none. */
  price: ModelPrice | null;
  calls: ReadonlyMap<string, CallState>;
  roots: readonly string[];
  /** Call ids in start order. */
  order: readonly string[];
  counters: RunCounters;
  byNode: Readonly<Record<string, NodeCounts>>;
  maxDepth: number;
  /** Time of the latest event, ms since the run started. */
  t: number;
  lastSeq: number;
  eventCount: number;
  result: unknown;
  hasResult: boolean;
  /** The run finished and found no answer (its result is absent). */
  absent: boolean;
  /** Filters that kept none of their items, in the order they said so. */
  emptyFilters: readonly { callId: string; nodeId: string; of: number; policy: string }[];
  /** The run log's format version (1 for logs without one). */
  logVersion: number;
  error: { kind: RunErrorKind; message: string; nodeId?: string } | null;
  totals: Extract<TraceEvent, { type: 'run.done' }>['totals'] | null;
  /** Events the reducer could not place (unknown call id, wrong run, out of order): shown, not hidden. */
  anomalies: string[];
}

const zeroCounters: RunCounters = {
  calls: 0,
  leafCalls: 0,
  doneCalls: 0,
  cachedCalls: 0,
  errors: 0,
  aborted: 0,
  running: 0,
  promptTokens: 0,
  completionTokens: 0,
  cost: 0,
};

export const emptyRun: RunState = {
  runId: null,
  status: 'idle',
  mode: 'plan',
  rlm: null,
  plan: null,
  estimate: null,
  inputChars: 0,
  query: '',
  model: '',
  price: null,
  calls: new Map(),
  roots: [],
  order: [],
  counters: zeroCounters,
  byNode: {},
  maxDepth: 0,
  t: 0,
  lastSeq: -1,
  eventCount: 0,
  result: undefined,
  hasResult: false,
  absent: false,
  emptyFilters: [],
  logVersion: 1,
  error: null,
  totals: null,
  anomalies: [],
};

const MAX_ANOMALIES = 50;

type CallIdentity = Pick<
  CallState,
  'id' | 'parentId' | 'depth' | 'nodeId' | 'span' | 'label' | 'index' | 'startT'
>;

/** A call that has started and done nothing yet. */
export function newCall(who: CallIdentity, status: CallStatus = 'running'): CallState {
  // Written out field by field: a spread into a literal this wide is several times slower in V8.
  return {
    id: who.id,
    parentId: who.parentId,
    depth: who.depth,
    nodeId: who.nodeId,
    span: who.span,
    label: who.label,
    index: who.index,
    startT: who.startT,
    children: [],
    status,
    endT: null,
    leaf: false,
    messages: null,
    cacheKey: null,
    output: '',
    promptTokens: 0,
    completionTokens: 0,
    cachedPromptTokens: 0,
    cost: 0,
    treeCost: 0,
    ms: null,
    cached: false,
    retries: 0,
    finishReason: null,
    summary: null,
    value: undefined,
    hasValue: false,
    absent: false,
    keptNoneOf: null,
    error: null,
    cell: null,
  };
}

/** Folds a batch of events into a new state. Pure: `state` is left as it was. */
export function applyEvents(state: RunState, events: readonly TraceEvent[]): RunState {
  if (events.length === 0) return state;
  // Copy-on-write for this batch: what has been cloned already may be mutated freely.
  const calls = new Map(state.calls);
  const fresh = new Set<string>();
  const freshChildren = new Set<string>();
  let roots = state.roots as string[];
  let rootsFresh = false;
  const order = state.order.slice();
  const counters = { ...state.counters };
  const byNode = { ...state.byNode };
  const freshNodes = new Set<string>();
  const anomalies = state.anomalies.slice();
  const next: RunState = { ...state, calls, order, counters, byNode, anomalies };

  const note = (msg: string) => {
    if (anomalies.length < MAX_ANOMALIES) anomalies.push(msg);
  };
  const edit = (id: string): CallState | undefined => {
    const c = calls.get(id);
    if (!c) return undefined;
    if (fresh.has(id)) return c;
    const copy = { ...c };
    calls.set(id, copy);
    fresh.add(id);
    return copy;
  };
  const nodeCounts = (nodeId: string): NodeCounts => {
    const existing = byNode[nodeId];
    if (existing && freshNodes.has(nodeId)) return existing;
    const copy = existing
      ? { ...existing }
      : { started: 0, running: 0, done: 0, cached: 0, errors: 0, cost: 0 };
    byNode[nodeId] = copy;
    freshNodes.add(nodeId);
    return copy;
  };
  const finish = (c: CallState, status: CallStatus, t: number) => {
    if (c.status === 'running') {
      counters.running--;
      nodeCounts(c.nodeId).running--;
    }
    c.status = status;
    c.endT = t;
  };

  for (const e of events) {
    if (e.type === 'run.start') {
      // A new run starts from nothing: a log holds one run.
      if (next.runId !== null && next.runId !== e.runId) note(`a second run ${e.runId} began in the log`);
      Object.assign(next, {
        runId: e.runId,
        status: 'running',
        plan: e.plan,
        estimate: e.estimate,
        inputChars: e.inputChars,
        query: e.query,
        model: e.model,
        logVersion: e.logVersion ?? 1,
        price: e.price ?? null,
      });
    } else if (e.type === 'rlm.start') {
      if (next.runId !== null && next.runId !== e.runId) note(`a second run ${e.runId} began in the log`);
      Object.assign(next, {
        runId: e.runId,
        status: 'running',
        mode: 'rlm',
        rlm: e.settings,
        logVersion: e.logVersion ?? 1,
        price: e.price ?? null,
        plan: null,
        estimate: null,
        inputChars: e.inputChars,
        query: e.query,
        model: e.model,
      });
    } else if (next.runId !== null && e.runId !== next.runId) {
      note(`event ${e.seq} belongs to run ${e.runId}, not ${next.runId}`);
      continue;
    }
    if (e.seq <= next.lastSeq) note(`event ${e.seq} (${e.type}) arrived after ${next.lastSeq}`);
    next.lastSeq = Math.max(next.lastSeq, e.seq);
    next.t = Math.max(next.t, e.t);
    next.eventCount++;

    switch (e.type) {
      case 'run.start':
      case 'rlm.start':
        break;
      case 'cell.code': {
        const c = edit(e.callId);
        if (!c) {
          note(`cell.code for unknown call ${e.callId}`);
          break;
        }
        c.cell = { code: e.code, output: null, droppedChars: 0, ms: null, error: null, final: null };
        break;
      }
      case 'cell.output': {
        const c = edit(e.callId);
        if (!c) {
          note(`cell.output for unknown call ${e.callId}`);
          break;
        }
        c.cell = {
          code: c.cell?.code ?? '',
          output: e.output,
          droppedChars: e.droppedChars,
          ms: e.ms,
          error: e.error ?? null,
          final: e.final ?? null,
        };
        break;
      }
      case 'call.start': {
        if (calls.has(e.callId)) {
          note(`call ${e.callId} started twice`);
          break;
        }
        const call = newCall({
          id: e.callId,
          parentId: e.parentId,
          depth: e.depth,
          nodeId: e.nodeId,
          span: e.span,
          label: e.label,
          index: order.length,
          startT: e.t,
        });
        calls.set(e.callId, call);
        fresh.add(e.callId);
        order.push(e.callId);
        const parent = e.parentId === null ? undefined : edit(e.parentId);
        if (parent) {
          if (!freshChildren.has(parent.id)) {
            parent.children = parent.children.slice();
            freshChildren.add(parent.id);
          }
          parent.children.push(e.callId);
        } else {
          if (e.parentId !== null) note(`call ${e.callId} names an unknown parent ${e.parentId}`);
          if (!rootsFresh) {
            roots = roots.slice();
            rootsFresh = true;
          }
          roots.push(e.callId);
        }
        counters.calls++;
        counters.running++;
        const n = nodeCounts(e.nodeId);
        n.started++;
        n.running++;
        if (e.depth > next.maxDepth) next.maxDepth = e.depth;
        break;
      }
      case 'leaf.request': {
        const c = edit(e.callId);
        if (!c) {
          note(`leaf.request for unknown call ${e.callId}`);
          break;
        }
        if (!c.leaf) counters.leafCalls++;
        c.leaf = true;
        c.messages = e.messages;
        c.cacheKey = e.cacheKey;
        break;
      }
      case 'leaf.delta': {
        const c = edit(e.callId);
        if (!c) {
          note(`leaf.delta for unknown call ${e.callId}`);
          break;
        }
        c.output += e.text;
        break;
      }
      case 'leaf.done': {
        const c = edit(e.callId);
        if (!c) {
          note(`leaf.done for unknown call ${e.callId}`);
          break;
        }
        if (!c.leaf) counters.leafCalls++;
        c.leaf = true;
        c.output = e.text;
        c.promptTokens = e.promptTokens;
        c.completionTokens = e.completionTokens;
        c.ms = e.ms;
        c.cached = e.cached;
        c.retries = e.retries;
        c.finishReason = e.finishReason;
        counters.promptTokens += e.promptTokens;
        counters.completionTokens += e.completionTokens;
        c.cachedPromptTokens = e.cachedPromptTokens ?? 0;
        const price = next.price;
        if (price) {
          // A leaf is done once; its money goes to the run, its plan node and every call above it.
          const spent = costOf(price, e) - c.cost;
          c.cost += spent;
          counters.cost += spent;
          nodeCounts(c.nodeId).cost += spent;
          for (let a: CallState | undefined = c; a; a = a.parentId === null ? undefined : edit(a.parentId))
            a.treeCost += spent;
        }
        if (e.cached) {
          counters.cachedCalls++;
          nodeCounts(c.nodeId).cached++;
        }
        break;
      }
      case 'call.done': {
        const c = edit(e.callId);
        if (!c) {
          note(`call.done for unknown call ${e.callId}`);
          break;
        }
        c.summary = e.summary;
        if ('value' in e) {
          c.value = decodeValue(e.value, next.logVersion);
          c.hasValue = true;
        }
        if (e.absent) c.absent = true;
        // A code cell that stopped on an error ends as an error call, though the run goes on.
        const failedCell = c.cell?.error != null;
        if (c.status === 'running') {
          if (failedCell) {
            counters.errors++;
            nodeCounts(c.nodeId).errors++;
          } else {
            counters.doneCalls++;
            nodeCounts(c.nodeId).done++;
          }
        }
        finish(c, failedCell ? 'error' : c.cached ? 'cached' : 'done', e.t);
        break;
      }
      case 'call.error': {
        const c = edit(e.callId);
        if (!c) {
          note(`call.error for unknown call ${e.callId}`);
          break;
        }
        c.error = e.error;
        // A call stopped by an abort did not fail: it is counted apart, not as an error.
        const aborted = e.error.kind === 'Aborted';
        if (aborted) {
          if (c.status !== 'aborted') counters.aborted++;
        } else if (c.status !== 'error') {
          counters.errors++;
          nodeCounts(c.nodeId).errors++;
        }
        finish(c, aborted ? 'aborted' : 'error', e.t);
        break;
      }
      case 'filter.empty': {
        const c = edit(e.callId);
        if (!c) {
          note(`filter.empty for unknown call ${e.callId}`);
          break;
        }
        c.keptNoneOf = { of: e.of, policy: e.policy };
        next.emptyFilters = [
          ...next.emptyFilters,
          { callId: e.callId, nodeId: e.nodeId, of: e.of, policy: e.policy },
        ];
        break;
      }
      case 'run.done': {
        next.totals = e.totals;
        next.error = e.error ?? null;
        next.status = e.ok ? 'done' : e.error?.kind === 'Aborted' ? 'aborted' : 'failed';
        if (e.absent) next.absent = true;
        else if ('result' in e) {
          next.result = decodeValue(e.result, next.logVersion);
          next.hasResult = true;
        }
        break;
      }
    }
  }
  next.roots = roots;
  return next;
}

/** The state a whole log leads to. */
export function runFromLog(events: readonly TraceEvent[]): RunState {
  return applyEvents(emptyRun, events);
}

/** Calls finished against the planner's bound, for "done / predicted". */
export function predictedCalls(state: RunState): number | null {
  return state.estimate ? state.estimate.totalCalls : null;
}

/** Model calls actually made (leaves that were not served from the cache). */
export function modelCalls(state: RunState): number {
  return state.counters.leafCalls - state.counters.cachedCalls;
}
