/**
 * Leaf calls as bars over time: each bar takes the first lane free at its start, so the number of lanes
 * in use at any moment is the concurrency reached, and a straggler is a lone long bar at the end.
 */
import type { CallState } from '../store/run.ts';

export interface TimelineLayout {
  ids: string[];
  start: Float64Array;
  /** End time; a call still running ends at `now`. */
  end: Float64Array;
  lane: Int32Array;
  lanes: number;
  t0: number;
  t1: number;
}

export function layoutTimeline(
  calls: ReadonlyMap<string, Pick<CallState, 'id' | 'leaf' | 'startT' | 'endT'>>,
  order: readonly string[],
  now: number,
): TimelineLayout {
  const leaves: { id: string; s: number; e: number }[] = [];
  for (const id of order) {
    const c = calls.get(id);
    if (c?.leaf) leaves.push({ id, s: c.startT, e: c.endT ?? now });
  }
  leaves.sort((a, b) => a.s - b.s || a.e - b.e);
  const laneEnds: number[] = [];
  const n = leaves.length;
  const out: TimelineLayout = {
    ids: new Array<string>(n),
    start: new Float64Array(n),
    end: new Float64Array(n),
    lane: new Int32Array(n),
    lanes: 0,
    t0: n > 0 ? leaves[0]!.s : 0,
    t1: 0,
  };
  for (let i = 0; i < n; i++) {
    const b = leaves[i]!;
    let lane = laneEnds.findIndex((end) => end <= b.s);
    if (lane < 0) {
      lane = laneEnds.length;
      laneEnds.push(b.e);
    } else laneEnds[lane] = b.e;
    out.ids[i] = b.id;
    out.start[i] = b.s;
    out.end[i] = b.e;
    out.lane[i] = lane;
    if (b.e > out.t1) out.t1 = b.e;
  }
  out.lanes = laneEnds.length;
  return out;
}
