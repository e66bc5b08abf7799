/** Keeps a canvas's backing store the size of its box in device pixels, and calls back after each resize. */
import { type RefObject, useEffect } from 'react';

export function useCanvasSize(
  wrapRef: RefObject<HTMLElement | null>,
  canvasRef: RefObject<HTMLCanvasElement | null>,
  size: { current: { w: number; h: number } },
  onResize: () => void,
): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: set up once; onResize reads fresh state through refs.
  useEffect(() => {
    const wrap = wrapRef.current;
    const canvas = canvasRef.current;
    if (!wrap || !canvas) return;
    const ro = new ResizeObserver(() => {
      const r = wrap.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      size.current = { w: r.width, h: r.height };
      canvas.width = Math.max(1, Math.round(r.width * dpr));
      canvas.height = Math.max(1, Math.round(r.height * dpr));
      canvas.style.width = `${r.width}px`;
      canvas.style.height = `${r.height}px`;
      onResize();
    });
    ro.observe(wrap);
    return () => ro.disconnect();
  }, []);
}
