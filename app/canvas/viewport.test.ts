import { describe, expect, it } from 'vitest';
import { openingViewport, READABLE_ZOOM } from './viewport.ts';

const screen = { width: 800, height: 400 };
const toScreen = (v: { x: number; y: number; zoom: number }, p: { x: number; y: number }) => ({
  x: v.x + p.x * v.zoom,
  y: v.y + p.y * v.zoom,
});

describe('the view a document opens with', () => {
  it('shows a small pipeline whole and centred, never enlarged past its size', () => {
    const v = openingViewport(
      [
        { x: 0, y: 0, width: 200, height: 90 },
        { x: 260, y: 0, width: 200, height: 90 },
      ],
      screen,
    );
    expect(v.zoom).toBe(1);
    const a = toScreen(v, { x: 0, y: 0 });
    const b = toScreen(v, { x: 460, y: 90 });
    expect(a.x).toBeCloseTo(800 - b.x);
    expect(a.y).toBeCloseTo(400 - b.y);
  });

  it('fits a pipeline a little too large, as long as the zoom stays readable', () => {
    const v = openingViewport([{ x: 0, y: 0, width: 900, height: 200 }], screen);
    expect(v.zoom).toBeGreaterThan(READABLE_ZOOM);
    expect(v.zoom).toBeLessThan(1);
    expect(toScreen(v, { x: 900, y: 0 }).x).toBeLessThanOrEqual(800);
  });

  it('keeps a long pipeline readable: the readable minimum, its start at the left, its band centred', () => {
    const rects = [
      { x: 0, y: 56, width: 180, height: 90 },
      { x: 475, y: 0, width: 740, height: 150 },
      { x: 2390, y: 56, width: 180, height: 90 },
    ];
    const v = openingViewport(rects, screen);
    expect(v.zoom).toBe(READABLE_ZOOM);
    expect(toScreen(v, { x: 0, y: 0 }).x).toBe(24);
    const top = toScreen(v, { x: 0, y: 0 }).y;
    const bottom = toScreen(v, { x: 0, y: 150 }).y;
    expect(top).toBeCloseTo(400 - bottom);
  });

  it('puts the top of a very tall pipeline at the top', () => {
    const v = openingViewport([{ x: 100, y: -50, width: 300, height: 3000 }], screen);
    expect(v.zoom).toBe(READABLE_ZOOM);
    expect(toScreen(v, { x: 100, y: -50 }).y).toBe(24);
  });

  it('an empty document or a hidden canvas opens at 1:1', () => {
    expect(openingViewport([], screen)).toEqual({ x: 0, y: 0, zoom: 1 });
    expect(openingViewport([{ x: 0, y: 0, width: 1, height: 1 }], { width: 0, height: 0 })).toEqual({
      x: 0,
      y: 0,
      zoom: 1,
    });
  });
});
