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

/** Room for the time axis above the lanes, and the margin at either end. */
export const AXIS = 16;
export const PAD = 6;
/**
 * The space left at the end of every bar wide enough to spare it: back-to-back calls in one lane (one ends as
 * the next starts) were drawn as one long bar.
 */
export const BAR_GAP = 2;

export function timelineGeometry(t: TimelineLayout, size: { w: number; h: number }) {
  const span = Math.max(t.t1 - t.t0, 1);
  const sx = (size.w - 2 * PAD) / span;
  const laneH = Math.max(1, Math.min(14, (size.h - AXIS - PAD) / Math.max(t.lanes, 1)));
  return { sx, laneH };
}

/** Where bar `i` is drawn, in CSS pixels. */
export function barRect(
  t: TimelineLayout,
  i: number,
  size: { w: number; h: number },
): { x: number; y: number; w: number; h: number } {
  const { sx, laneH } = timelineGeometry(t, size);
  const x = PAD + (t.start[i]! - t.t0) * sx;
  const full = (t.end[i]! - t.start[i]!) * sx;
  // A bar keeps at least a sliver; past twice the gap it gives the gap up at its end.
  const w = full > 2 * BAR_GAP ? full - BAR_GAP : Math.max(1, full / 2);
  const y = AXIS + t.lane[i]! * laneH;
  return { x, y, w, h: Math.max(1, laneH - (laneH > 4 ? 2 : 0)) };
}

/** The bar under a point (within 4 px along its lane), or -1. */
export function barAt(t: TimelineLayout, size: { w: number; h: number }, x: number, y: number): number {
  const { laneH } = timelineGeometry(t, size);
  const lane = Math.floor((y - AXIS) / laneH);
  let best = -1;
  let bestD = 4;
  for (let i = 0; i < t.ids.length; i++) {
    if (t.lane[i] !== lane) continue;
    const r = barRect(t, i, size);
    const d = x < r.x ? r.x - x : x > r.x + r.w ? x - r.x - r.w : 0;
    if (d < bestD) {
      best = i;
      bestD = d;
    }
  }
  return best;
}
