/**
 * The recursion tree of a run as its log tells it, for export: each call with its parent, its times and
 * the model calls made inside it. A plain fold of the log (the page's reducer, app/store/run.ts, draws the
 * same tree for the screen; a test holds the two to the same shape). Event kinds it does not know are
 * skipped, so a log from a newer Fixpoint still exports what this one understands.
 */
import type { ChatMessage, ModelPrice, Plan, PlanEstimate, TraceEvent } from '../lang/index.ts';

type Of<K extends TraceEvent['type']> = Extract<TraceEvent, { type: K }>;

/** One request to a model: `leaf.request` until its `leaf.done`, or until the call ended without one. */
export interface ModelCall {
  requestT: number;
  messages: ChatMessage[];
  /** The answer (`t` is when it came); null while unanswered: the call failed, was stopped, or the log ends first. */
  done: Answer | null;
}

/** `leaf.done` without its envelope. `ms` is the time with the model, queueing excluded (0 for a cache hit). */
export type Answer = Omit<Of<'leaf.done'>, 'runId' | 'seq' | 'type' | 'callId'>;

export type CallOutcome = 'running' | 'done' | 'error' | 'aborted';

export interface RunCall {
  id: string;
  parentId: string | null;
  nodeId: string;
  label: string;
  depth: number;
  span: [number, number] | null;
  startT: number;
  /** Null while the call is still running when the log ends. */
  endT: number | null;
  outcome: CallOutcome;
  summary: string | null;
  /** The call's value is absent ("no answer here"; run logs of format 2 on). */
  absent: boolean;
  /** A Filter that kept none of its `of` items, and what its policy did then (`filter.empty`). */
  keptNone: { t: number; of: number; policy: string } | null;
  error: { kind: string; message: string } | null;
  models: ModelCall[];
  children: string[];
}

export interface RunTree {
  runId: string;
  startedAt: number | null;
  /** The run-log format (`run.start.logVersion`; 1 when the log does not say): how its values are written. */
  logVersion: number;
  /** The plan and its estimate; null for an RLM run, which has none (its calls are the model's code). */
  plan: Plan | null;
  estimate: PlanEstimate | null;
  model: string;
  /** The price the run was costed at (`run.start.price`); null when it had none. */
  price: ModelPrice | null;
  query: string;
  inputChars: number;
  calls: Map<string, RunCall>;
  /** Calls with no parent, in start order. */
  roots: string[];
  /** Every call in start order. */
  order: string[];
  /** Time of the last event: where unfinished calls end. */
  lastT: number;
  done: Of<'run.done'> | null;
}

/**
 * The tree of the log's first run (a plan run's `run.start` or an RLM run's `rlm.start`); null when the log
 * has neither. Events of another run are skipped.
 */
export function runTree(events: readonly TraceEvent[]): RunTree | null {
  let tree: RunTree | null = null;
  for (const e of events) {
    if (e.type === 'run.start' || e.type === 'rlm.start') {
      if (tree) continue;
      tree = {
        runId: e.runId,
        startedAt: typeof e.startedAt === 'number' ? e.startedAt : null,
        logVersion: typeof e.logVersion === 'number' ? e.logVersion : 1,
        plan: e.type === 'run.start' ? e.plan : null,
        estimate: e.type === 'run.start' ? e.estimate : null,
        model: e.model,
        price: (e.type === 'run.start' ? e.price : undefined) ?? null,
        query: e.query,
        inputChars: e.inputChars,
        calls: new Map(),
        roots: [],
        order: [],
        lastT: e.t,
        done: null,
      };
      continue;
    }
    if (!tree || e.runId !== tree.runId) continue;
    tree.lastT = Math.max(tree.lastT, e.t);
    apply(tree, e);
  }
  return tree;
}

function apply(tree: RunTree, e: TraceEvent): void {
  if (e.type === 'run.done') {
    tree.done = e;
    return;
  }
  if (e.type === 'call.start') {
    if (tree.calls.has(e.callId)) return;
    tree.calls.set(e.callId, {
      id: e.callId,
      parentId: e.parentId,
      nodeId: e.nodeId,
      label: e.label,
      depth: e.depth,
      span: e.span,
      startT: e.t,
      endT: null,
      outcome: 'running',
      summary: null,
      absent: false,
      keptNone: null,
      error: null,
      models: [],
      children: [],
    });
    tree.order.push(e.callId);
    const parent = e.parentId === null ? undefined : tree.calls.get(e.parentId);
    if (parent) parent.children.push(e.callId);
    else tree.roots.push(e.callId);
    return;
  }
  const callId = (e as { callId?: unknown }).callId;
  const call = typeof callId === 'string' ? tree.calls.get(callId) : undefined;
  if (!call) return;
  switch (e.type) {
    case 'leaf.request':
      call.models.push({ requestT: e.t, messages: e.messages, done: null });
      break;
    case 'leaf.done': {
      const open = call.models.findLast((m) => m.done === null);
      const { runId: _r, seq: _s, type: _type, callId: _c, ...done } = e;
      if (open) open.done = done;
      else call.models.push({ requestT: e.t, messages: [], done });
      break;
    }
    case 'call.done':
      call.summary = e.summary;
      if (e.absent) call.absent = true;
      call.outcome = 'done';
      call.endT = e.t;
      break;
    case 'call.error':
      call.error = { kind: e.error.kind, message: e.error.message };
      // An abort stops a call; it did not fail (the run view counts it apart too).
      call.outcome = e.error.kind === 'Aborted' ? 'aborted' : 'error';
      call.endT = e.t;
      break;
    case 'filter.empty':
      call.keptNone = { t: e.t, of: e.of, policy: e.policy };
      break;
    default:
      // leaf.delta: streamed text, superseded by leaf.done; kinds this version does not know: skipped.
      break;
  }
}
