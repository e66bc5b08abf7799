/**
 * The recursion tree drawn on one `<canvas>`: one box per call, coloured by status, growing as events
 * arrive. Drawing is culled to the viewport and batched by colour, so 10,000 calls pan smoothly; there is
 * no DOM element per call. Drag to pan, wheel to zoom, click to inspect, double-click to collapse; the
 * keyboard pans (arrows), zooms (+ −), fits (0) and collapses the selected call (Enter). The list view
 * (TreeList) is the same tree for screen readers.
 */
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { ModelPrice } from '../../workers/lang/index.ts';
import type { CallState, RunState } from '../store/run.ts';
import { useCanvasSize } from './canvasSize.ts';
import { callOutcomeNote, chars, duration, int, money } from './format.ts';
import { hitTest, layoutTree, NODE_H, NODE_W, type TreeLayout } from './layout.ts';
import { readPalette } from './palette.ts';
import {
  fitWholeTree,
  MAX_SCALE,
  MIN_SCALE,
  PAD,
  readableTreeView,
  type TreeView,
  yScale,
} from './treeView.ts';

export interface TreeCanvasProps {
  state: Pick<RunState, 'calls' | 'roots' | 'order' | 'maxDepth' | 'runId'> &
    Partial<Pick<RunState, 'price'>>;
  selectedId: string | null;
  collapsed: ReadonlySet<string>;
  follow: boolean;
  onSelect(id: string | null): void;
  onToggle(id: string): void;
  /** The user moved the view by hand: following the live edge stops. */
  onManualMove?(): void;
  /** Bumped by the toolbar to ask for a fit. */
  fitRequest?: number;
  zoomRequest?: { n: number; factor: number };
  label: string;
}

type View = TreeView;

export function TreeCanvas(props: TreeCanvasProps) {
  const { state, collapsed, selectedId, follow } = props;
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const view = useRef<View>({ x: PAD, y: PAD, scale: 1 });
  const size = useRef({ w: 0, h: 0 });
  const frame = useRef(0);
  const fittedFor = useRef<string | null | undefined>(undefined);
  const layout = useMemo(() => layoutTree(state, collapsed), [state, collapsed]);
  const latest = useRef({ layout, props });
  latest.current = { layout, props };

  const draw = useCallback(() => {
    frame.current = 0;
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const { layout: l, props: p } = latest.current;
    drawTree(ctx, canvas, l, p.state.calls, view.current, size.current, p.selectedId, p.state.price ?? null);
    // For tests and tools: the scale drawn, and so how wide a box (and its label) is.
    canvas.dataset.scale = view.current.scale.toFixed(3);
  }, []);

  const redraw = useCallback(() => {
    if (frame.current === 0) frame.current = requestAnimationFrame(draw);
  }, [draw]);

  /** The Fit button and `0`: the whole tree, however small. */
  const fitView = useCallback(() => {
    if (size.current.w === 0 || size.current.h === 0) return;
    view.current = fitWholeTree(latest.current.layout, size.current);
    redraw();
  }, [redraw]);

  /** Opening a run, and following a live one: readable, on the root or the newest call (treeView.ts). */
  const showReadable = useCallback(
    (newest: boolean) => {
      if (size.current.w === 0 || size.current.h === 0) return;
      const { layout: l, props: p } = latest.current;
      const last = newest ? l.index.get(p.state.order[p.state.order.length - 1] ?? '') : undefined;
      view.current = readableTreeView(l, size.current, last ?? 0);
      redraw();
    },
    [redraw],
  );

  useCanvasSize(wrapRef, canvasRef, size, () => {
    if (fittedFor.current !== latest.current.props.state.runId) {
      fittedFor.current = latest.current.props.state.runId;
      showReadable(false);
    } else redraw();
  });

  // A different run: show it once its first calls are there.
  useEffect(() => {
    if (size.current.w > 0 && fittedFor.current !== state.runId && layout.ids.length > 0) {
      fittedFor.current = state.runId;
      showReadable(false);
    }
  }, [state.runId, layout, showReadable]);

  // Follow live: the growing tree stays in view — whole while that is readable, else around the newest
  // call. Moving the view by hand turns following off.
  useEffect(() => {
    if (follow && layout.ids.length > 0) showReadable(true);
    else redraw();
  }, [layout, follow, showReadable, redraw]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new selection only needs a repaint.
  useEffect(() => redraw(), [selectedId, redraw]);

  useEffect(() => {
    if (props.fitRequest) fitView();
  }, [props.fitRequest, fitView]);

  const zoomAt = useCallback(
    (factor: number, sx: number, sy: number) => {
      const v = view.current;
      const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, v.scale * factor));
      v.x = sx - ((sx - v.x) * scale) / v.scale;
      v.y = sy - ((sy - v.y) * yScale(scale)) / yScale(v.scale);
      v.scale = scale;
      redraw();
    },
    [redraw],
  );

  useEffect(() => {
    if (props.zoomRequest) zoomAt(props.zoomRequest.factor, size.current.w / 2, size.current.h / 2);
  }, [props.zoomRequest, zoomAt]);

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = canvas.getBoundingClientRect();
      latest.current.props.onManualMove?.();
      zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [zoomAt]);

  const drag = useRef<{ x: number; y: number; vx: number; vy: number; moved: boolean } | null>(null);

  const pick = (clientX: number, clientY: number): number => {
    const canvas = canvasRef.current!;
    const r = canvas.getBoundingClientRect();
    const v = view.current;
    const ys = yScale(v.scale);
    const wx = (clientX - r.left - v.x) / v.scale;
    const wy = (clientY - r.top - v.y) / ys;
    return hitTest(latest.current.layout, wx, wy, { x: 4 / v.scale, y: 4 / ys });
  };

  const onKey = (key: string): boolean => {
    const v = view.current;
    const step = 60;
    const mid = () => [size.current.w / 2, size.current.h / 2] as const;
    switch (key) {
      case 'ArrowLeft':
        v.x += step;
        break;
      case 'ArrowRight':
        v.x -= step;
        break;
      case 'ArrowUp':
        v.y += step;
        break;
      case 'ArrowDown':
        v.y -= step;
        break;
      case '+':
      case '=':
        zoomAt(1.25, ...mid());
        return true;
      case '-':
        zoomAt(0.8, ...mid());
        return true;
      case '0':
        fitView();
        return true;
      case 'Enter':
        if (selectedId) props.onToggle(selectedId);
        return true;
      default:
        return false;
    }
    props.onManualMove?.();
    redraw();
    return true;
  };

  return (
    <div
      ref={wrapRef}
      className="trace-canvas-wrap"
      role="application"
      aria-roledescription="recursion tree"
      aria-label={props.label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: role application takes keys (pan, zoom, fit, collapse).
      tabIndex={0}
      onKeyDown={(e) => {
        if (onKey(e.key)) e.preventDefault();
      }}
    >
      <canvas
        ref={canvasRef}
        className="trace-canvas"
        data-testid="trace-canvas"
        data-calls={layout.ids.length}
        data-max-depth={state.maxDepth}
        data-selected={selectedId ?? ''}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          drag.current = { x: e.clientX, y: e.clientY, vx: view.current.x, vy: view.current.y, moved: false };
        }}
        onPointerMove={(e) => {
          const d = drag.current;
          if (!d) return;
          const dx = e.clientX - d.x;
          const dy = e.clientY - d.y;
          if (!d.moved && Math.abs(dx) + Math.abs(dy) > 4) {
            d.moved = true;
            props.onManualMove?.();
          }
          if (d.moved) {
            view.current.x = d.vx + dx;
            view.current.y = d.vy + dy;
            redraw();
          }
        }}
        onPointerUp={(e) => {
          const d = drag.current;
          drag.current = null;
          if (d && !d.moved) {
            const i = pick(e.clientX, e.clientY);
            props.onSelect(i >= 0 ? latest.current.layout.ids[i]! : null);
          }
        }}
        onDoubleClick={(e) => {
          const i = pick(e.clientX, e.clientY);
          if (i >= 0) props.onToggle(latest.current.layout.ids[i]!);
        }}
      />
    </div>
  );
}

function drawTree(
  ctx: CanvasRenderingContext2D,
  canvas: HTMLCanvasElement,
  l: TreeLayout,
  calls: RunState['calls'],
  v: View,
  size: { w: number; h: number },
  selectedId: string | null,
  price: ModelPrice | null,
): void {
  const pal = readPalette(canvas);
  const dpr = canvas.width / Math.max(size.w, 1);
  // Everything is drawn in screen pixels (x and y scale differ when zoomed far out).
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size.w, size.h);
  const sx = v.scale;
  const sy = yScale(v.scale);
  const w = Math.max(NODE_W * sx, 1.5);
  const h = Math.max(NODE_H * sy, 1.5);
  const n = l.ids.length;
  const X = new Float32Array(n);
  const Y = new Float32Array(n);
  const visible = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = l.x[i]! * sx + v.x;
    const y = l.y[i]! * sy + v.y;
    X[i] = x;
    Y[i] = y;
    visible[i] = x + w >= 0 && x <= size.w && y + h >= 0 && y <= size.h ? 1 : 0;
  }

  // Edges: parent's bottom to child's top, one path.
  ctx.beginPath();
  for (let i = 0; i < n; i++) {
    const p = l.parent[i]!;
    if (p < 0) continue;
    const cx = X[i]! + w / 2;
    const px = X[p]! + w / 2;
    if (Math.max(cx, px) < 0 || Math.min(cx, px) > size.w || Y[i]! < 0 || Y[p]! > size.h) continue;
    ctx.moveTo(px, Y[p]! + h);
    ctx.lineTo(cx, Y[i]!);
  }
  ctx.strokeStyle = pal.edge;
  ctx.lineWidth = 1;
  ctx.stroke();

  // Boxes, one path per status colour.
  const byStatus = new Map<string, Path2D>();
  for (let i = 0; i < n; i++) {
    if (!visible[i]) continue;
    const c = calls.get(l.ids[i]!);
    if (!c) continue;
    let path = byStatus.get(c.status);
    if (!path) {
      path = new Path2D();
      byStatus.set(c.status, path);
    }
    path.rect(X[i]!, Y[i]!, w, h);
  }
  for (const [status, path] of byStatus) {
    ctx.fillStyle = pal.status[status as CallState['status']];
    ctx.globalAlpha = status === 'planned' ? 0.35 : 0.9;
    ctx.fill(path);
  }
  ctx.globalAlpha = 1;

  const sel = selectedId === null ? undefined : l.index.get(selectedId);
  if (sel !== undefined) {
    ctx.strokeStyle = pal.selected;
    ctx.lineWidth = 3;
    ctx.strokeRect(X[sel]! - 2, Y[sel]! - 2, w + 4, h + 4);
  }

  // Collapsed calls carry a mark even when too small for words.
  ctx.fillStyle = pal.text;
  for (let i = 0; i < n; i++)
    if (visible[i] && l.hidden[i]! > 0 && w < 70) ctx.fillRect(X[i]! + w / 2 - 1, Y[i]! + h + 2, 2, 6);

  // Words only where they can be read: as many 12-px lines as the box holds.
  const lines = Math.min(3, Math.floor((h - 4) / 12));
  if (w < 70 || lines < 1) return;
  ctx.textBaseline = 'top';
  const maxText = w - 10;
  for (let i = 0; i < n; i++) {
    if (!visible[i]) continue;
    const c = calls.get(l.ids[i]!);
    if (!c) continue;
    ctx.fillStyle = c.status === 'planned' ? pal.text : pal.onStatus;
    ctx.font = '600 11px system-ui, sans-serif';
    const note = callOutcomeNote(c);
    ctx.fillText(
      clip(ctx, note ? `${c.label || c.id} · ${note}` : c.label || c.id, maxText),
      X[i]! + 5,
      Y[i]! + 3,
    );
    if (lines < 2) continue;
    ctx.font = '10px system-ui, sans-serif';
    const hidden = l.hidden[i]!;
    const third = hidden > 0 ? `+${int(hidden)} hidden` : timeLine(c);
    // With room for two lines only, the second says what matters most: status, tokens, time.
    ctx.fillText(clip(ctx, lines < 3 ? third : callLine(c, price), maxText), X[i]! + 5, Y[i]! + 15);
    if (lines >= 3) ctx.fillText(clip(ctx, third, maxText), X[i]! + 5, Y[i]! + 27);
  }
}

function callLine(c: CallState, price: ModelPrice | null): string {
  const span = c.span ? chars(c.span[1] - c.span[0]) : '';
  // What this call and everything below it cost, where the run has a price.
  const cost = price && c.treeCost > 0 ? ` · ${money(c.treeCost, price)}` : '';
  return `d${c.depth} · ${span}${cost}`;
}

function timeLine(c: CallState): string {
  if (c.status === 'planned') return c.leaf ? 'leaf' : '';
  const tokens = c.leaf ? `${int(c.promptTokens + c.completionTokens)} tok · ` : '';
  if (c.status === 'running') return `${tokens}running…`;
  if (c.status === 'error') return 'failed';
  if (c.cached) return 'cached';
  return `${tokens}${duration(c.ms ?? (c.endT === null ? null : c.endT - c.startT))}`;
}

function clip(ctx: CanvasRenderingContext2D, s: string, max: number): string {
  if (ctx.measureText(s).width <= max) return s;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(`${s.slice(0, mid)}…`).width <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${s.slice(0, lo)}…`;
}
