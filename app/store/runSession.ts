/**
 * The runs of this session and what the run views show: the live run, a replay, or a past run from the
 * history. Each run keeps its whole event log (the source of truth); `view` is `applyEvents` over what
 * has been shown of it so far. View choices (selection, collapsed calls, follow live) live here too.
 */
import { create } from 'zustand';
import type { TraceEvent } from '../../workers/lang/index.ts';
import { applyEvents, emptyRun, type RunState } from './run.ts';

/**
 * One run of the session. Records are immutable: a live batch makes a new record for its run and leaves
 * every other record (and the list's other entries) the same objects, so only what changed re-renders.
 */
export interface RunRecord {
  readonly runId: string;
  /** Plan name and when, for the history list. */
  readonly label: string;
  readonly startedAt: number;
  readonly origin: 'live' | 'imported';
  /** The whole log so far; a live batch makes a longer copy, never edits this one. */
  readonly events: readonly TraceEvent[];
  /** Folded state of all its events, kept up to date while live. */
  readonly final: RunState;
}

export interface ReplayState {
  runId: string;
  /** Log milliseconds per wall millisecond; Infinity shows everything at once. */
  speed: number;
  playing: boolean;
  /** Events of the log shown so far. */
  position: number;
  /** Log time reached. */
  t: number;
}

interface RunSessionState {
  records: RunRecord[];
  /** The run the views show, and what of it is shown. */
  viewing: string | null;
  view: RunState;
  liveRunId: string | null;
  replay: ReplayState | null;
  selectedCallId: string | null;
  collapsed: ReadonlySet<string>;
  follow: boolean;
  /** Which tree drawing: the canvas, or the list (accessible, virtualised). */
  treeMode: 'canvas' | 'list';
}

export const useRunSession = create<RunSessionState>()(() => ({
  records: [],
  viewing: null,
  view: emptyRun,
  liveRunId: null,
  replay: null,
  selectedCallId: null,
  collapsed: new Set(),
  follow: true,
  treeMode: 'canvas',
}));

const set = useRunSession.setState;
const get = useRunSession.getState;

function findRecord(runId: string | null): RunRecord | undefined {
  return runId === null ? undefined : get().records.find((r) => r.runId === runId);
}

/** Opens a record for a run that is starting and shows it. */
export function beginLiveRun(runId: string, label: string): void {
  const record: RunRecord = {
    runId,
    label,
    startedAt: Date.now(),
    origin: 'live',
    events: [],
    final: emptyRun,
  };
  set((s) => ({
    records: [record, ...s.records],
    viewing: runId,
    view: emptyRun,
    liveRunId: runId,
    replay: null,
    selectedCallId: null,
    collapsed: new Set(),
  }));
}

/** A batch of the live run's log, as the worker streams it. */
export function appendLiveEvents(runId: string, events: readonly TraceEvent[]): void {
  const old = findRecord(runId);
  if (!old || events.length === 0) return;
  const record: RunRecord = {
    ...old,
    events: old.events.concat(events),
    final: applyEvents(old.final, events),
  };
  const s = get();
  const ended = events.some((e) => e.type === 'run.done');
  const patch: Partial<RunSessionState> = {
    records: s.records.map((r) => (r === old ? record : r)),
  };
  if (s.viewing === runId && s.replay === null) patch.view = record.final;
  if (ended && s.liveRunId === runId) patch.liveRunId = null;
  set(patch);
}

/** The live run ended without a run.done (the worker died, the call threw). */
export function endLiveRun(runId: string): void {
  if (get().liveRunId === runId) set({ liveRunId: null });
}

/** Adds a run read from a `.jsonl` file and shows it whole. */
export function addImportedRun(events: readonly TraceEvent[], label: string): string {
  const final = applyEvents(emptyRun, events);
  let runId = final.runId ?? `imported-${Date.now()}`;
  // The same file imported twice is two entries; ids stay unique in the list.
  if (findRecord(runId)) runId = `${runId}~${get().records.length}`;
  const record: RunRecord = { runId, label, startedAt: Date.now(), origin: 'imported', events, final };
  set((s) => ({
    records: [record, ...s.records],
    viewing: runId,
    view: final,
    replay: null,
    selectedCallId: null,
    collapsed: new Set(),
  }));
  return runId;
}

export function viewRun(runId: string): void {
  const record = findRecord(runId);
  if (!record) return;
  set({ viewing: runId, view: record.final, replay: null, selectedCallId: null, collapsed: new Set() });
}

export function selectCall(callId: string | null): void {
  set({ selectedCallId: callId });
}

export function toggleCollapsed(callId: string): void {
  set((s) => {
    const next = new Set(s.collapsed);
    if (next.has(callId)) next.delete(callId);
    else next.add(callId);
    return { collapsed: next };
  });
}

export function setFollow(follow: boolean): void {
  set({ follow });
}

export function setTreeMode(treeMode: 'canvas' | 'list'): void {
  set({ treeMode });
}

/** Replay: shows the run's log from the start at `speed`. The clock is driven by `replayTick`. */
export function startReplay(runId: string, speed: number): void {
  const record = findRecord(runId);
  if (!record) return;
  set({
    viewing: runId,
    view: emptyRun,
    replay: { runId, speed, playing: true, position: 0, t: 0 },
    selectedCallId: null,
    collapsed: new Set(),
  });
  if (!Number.isFinite(speed)) replayTick(0);
}

export function setReplaySpeed(speed: number): void {
  const r = get().replay;
  if (r) set({ replay: { ...r, speed } });
}

export function pauseReplay(playing: boolean): void {
  const r = get().replay;
  if (r) set({ replay: { ...r, playing } });
}

export function stopReplay(): void {
  const r = get().replay;
  const record = findRecord(r?.runId ?? null);
  set({ replay: null, view: record ? record.final : get().view });
}

/**
 * Advances the replay clock by `wallMs` of real time: applies the events whose log time has been reached.
 * Returns false once the log is exhausted.
 */
export function replayTick(wallMs: number): boolean {
  const r = get().replay;
  if (!r?.playing) return r !== null;
  const record = findRecord(r.runId);
  if (!record) return false;
  const t = Number.isFinite(r.speed) ? r.t + wallMs * r.speed : Number.POSITIVE_INFINITY;
  const due = eventsDue(record.events, r.position, t);
  const view = due.length > 0 ? applyEvents(get().view, due) : get().view;
  const position = r.position + due.length;
  const done = position >= record.events.length;
  set({ view, replay: done ? null : { ...r, position, t } });
  return !done;
}

/** The events from `position` on whose time is at most `t` (a log is in time order). */
function eventsDue(events: readonly TraceEvent[], position: number, t: number): TraceEvent[] {
  let end = position;
  while (end < events.length && events[end]!.t <= t) end++;
  return events.slice(position, end);
}
