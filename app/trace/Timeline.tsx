/**
 * Leaf calls as bars over time on a canvas: a lane per call in flight at once, so the concurrency reached
 * and the stragglers (a long bar alone at the end) are visible at a glance. Click a bar to inspect it.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { RunState } from '../store/run.ts';
import { useCanvasSize } from './canvasSize.ts';
import { duration, int } from './format.ts';
import { readPalette } from './palette.ts';
import {
  AXIS,
  barAt,
  barRect,
  layoutTimeline,
  PAD,
  type TimelineLayout,
  timelineGeometry,
} from './timelineLayout.ts';

export interface TimelineProps {
  state: Pick<RunState, 'calls' | 'order' | 't'>;
  selectedId: string | null;
  onSelect(id: string | null): void;
}

export function Timeline({ state, selectedId, onSelect }: TimelineProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const t = useMemo(
    () => layoutTimeline(state.calls, state.order, state.t),
    [state.calls, state.order, state.t],
  );
  const sizeRef = useRef({ w: 0, h: 0 });
  const latest = useRef({ t, state, selectedId });
  latest.current = { t, state, selectedId };

  useCanvasSize(wrapRef, canvasRef, sizeRef, () => {
    const l = latest.current;
    if (canvasRef.current) paint(canvasRef.current, l.t, l.state, sizeRef.current, l.selectedId);
  });

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || sizeRef.current.w === 0) return;
    const id = requestAnimationFrame(() => paint(canvas, t, state, sizeRef.current, selectedId));
    return () => cancelAnimationFrame(id);
  }, [t, state, selectedId]);

  const longest = useMemo(() => {
    let best = -1;
    for (let i = 0; i < t.ids.length; i++)
      if (best < 0 || t.end[i]! - t.start[i]! > t.end[best]! - t.start[best]!) best = i;
    return best;
  }, [t]);

  const summary =
    t.ids.length === 0
      ? 'Timeline: no leaf calls yet.'
      : `Timeline: ${int(t.ids.length)} leaf calls in ${t.lanes} lane${t.lanes === 1 ? '' : 's'} over ${duration(t.t1 - t.t0)}; the longest took ${duration(t.end[longest]! - t.start[longest]!)}.`;

  return (
    <div ref={wrapRef} className="timeline-wrap">
      <canvas
        ref={canvasRef}
        className="timeline-canvas"
        data-testid="timeline"
        data-bars={t.ids.length}
        data-lanes={t.lanes}
        role="img"
        aria-label={summary}
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          const i = barAt(t, sizeRef.current, e.clientX - r.left, e.clientY - r.top);
          onSelect(i >= 0 ? t.ids[i]! : null);
        }}
      />
    </div>
  );
}

function paint(
  canvas: HTMLCanvasElement,
  t: TimelineLayout,
  state: TimelineProps['state'],
  size: { w: number; h: number },
  selectedId: string | null,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const pal = readPalette(canvas);
  const dpr = canvas.width / Math.max(size.w, 1);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size.w, size.h);
  if (t.ids.length === 0) return;
  const { sx } = timelineGeometry(t, size);
  // Axis: a tick every "nice" step.
  const span = Math.max(t.t1 - t.t0, 1);
  const raw = span / Math.max(2, Math.floor(size.w / 90));
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  ctx.fillStyle = pal.muted;
  ctx.strokeStyle = pal.edge;
  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  for (let v = 0; v <= span; v += step) {
    const x = PAD + v * sx;
    ctx.fillText(duration(v), x + 2, 2);
    ctx.beginPath();
    ctx.moveTo(x, AXIS - 4);
    ctx.lineTo(x, size.h);
    ctx.stroke();
  }
  const paths = new Map<string, Path2D>();
  let selected: [number, number, number, number] | null = null;
  for (let i = 0; i < t.ids.length; i++) {
    const status = state.calls.get(t.ids[i]!)?.status ?? 'running';
    const { x, y, w, h } = barRect(t, i, size);
    let p = paths.get(status);
    if (!p) {
      p = new Path2D();
      paths.set(status, p);
    }
    p.rect(x, y, w, h);
    if (t.ids[i] === selectedId) selected = [x, y, w, h];
  }
  for (const [status, p] of paths) {
    ctx.fillStyle = pal.status[status as keyof typeof pal.status];
    ctx.fill(p);
  }
  if (selected) {
    ctx.strokeStyle = pal.selected;
    ctx.lineWidth = 2;
    ctx.strokeRect(selected[0] - 1, selected[1] - 1, selected[2] + 2, selected[3] + 2);
  }
}
