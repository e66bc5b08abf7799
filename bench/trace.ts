/**
 * The recursion tree at 10,000 calls, in Chromium: time from importing a 10,000-leaf run log to the first
 * frame with the whole tree drawn, and frame times while dragging the tree around, fitted (every box on
 * screen, a pixel wide) and zoomed in (boxes with words). Each run is a fresh page of the production build.
 *
 * "Drawn" is seen from inside the page: the file input's change event starts the clock; it stops at the
 * first animation frame after the canvas says it holds all the calls. Frame times are the intervals between
 * animation frames during a drag of 60 pointer moves; a frame at 60 Hz is 16.7 ms.
 */
import type { Page } from 'playwright-core';
import { syntheticLog } from '../test/synthetic-log.ts';
import { serializeTrace } from '../workers/lang/format/trace-file.ts';
import type { Benchmark } from './benchmark.ts';
import { describeMachine } from './machine.ts';
import { type Summary, show, summarize } from './stats.ts';

const K = 100;
const DEPTH = 2;
const CALLS = 1 + K + K * K;

export interface TraceResult {
  runs: number;
  calls: number;
  logMB: number;
  /** Import (parse + fold + layout + first draw), ms. */
  draw: Summary;
  /** Per-run median and 95th percentile of frame intervals while panning, ms. */
  panFitted: { median: Summary; p95: Summary };
  panZoomed: { median: Summary; p95: Summary };
}

export const traceBenchmark: Benchmark<TraceResult> = {
  name: 'trace',
  title: 'Recursion tree with 10,000 calls (draw and pan)',
  needsBuild: true,
  async run(ctx) {
    const text = serializeTrace(syntheticLog({ k: K, depth: DEPTH, runId: 'bench-10k', concurrency: 8 }));
    const base = await ctx.preview();
    const browser = await ctx.browser();
    const draws: number[] = [];
    const fitted = { median: [] as number[], p95: [] as number[] };
    const zoomed = { median: [] as number[], p95: [] as number[] };
    for (let i = 0; i < ctx.options.runs + 1; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      try {
        const page = await context.newPage();
        await page.goto(`${base}/`);
        const draw = await importAndDraw(page, text);
        const f = await panFrames(page);
        // Zoom in at the left end of the tree, where words are drawn in the boxes.
        await page.getByRole('button', { name: 'Zoom in', exact: true }).click();
        for (let z = 0; z < 24; z++) await page.locator('.trace-canvas-wrap').press('+');
        const zz = await panFrames(page);
        // The first run warms the server and the browser process; it is not counted.
        if (i > 0) {
          draws.push(draw);
          fitted.median.push(f.median);
          fitted.p95.push(f.p95);
          zoomed.median.push(zz.median);
          zoomed.p95.push(zz.p95);
          ctx.log(
            `run ${i}: drawn in ${draw.toFixed(0)} ms; pan frames fitted ${f.median.toFixed(1)}/${f.p95.toFixed(1)} ms, zoomed ${zz.median.toFixed(1)}/${zz.p95.toFixed(1)} ms (median/p95)`,
          );
        }
      } finally {
        await context.close().catch(() => undefined);
      }
    }
    return {
      runs: draws.length,
      calls: CALLS,
      logMB: text.length / 1024 / 1024,
      draw: summarize(draws),
      panFitted: { median: summarize(fitted.median), p95: summarize(fitted.p95) },
      panZoomed: { median: summarize(zoomed.median), p95: summarize(zoomed.p95) },
    };
  },
  headline(r) {
    return `${r.calls.toLocaleString('en')}-call log imported and drawn in **${Math.round(r.draw.median).toLocaleString('en')} ms**; panning: median frame **${r.panZoomed.median.median.toFixed(1)} ms**, p95 ${r.panZoomed.p95.median.toFixed(1)} ms`;
  },
  report(r, { machine }) {
    return [
      `A run log of **${r.calls.toLocaleString('en')} calls** (${r.logMB.toFixed(1)} MB of JSON Lines, k = ${K}, depth ${DEPTH})`,
      `is imported and drawn in **${show(r.draw, 'ms', 0)}** (file chosen → first frame with the whole tree on the canvas:`,
      'parse and validate in a worker, fold into the run state, lay out, draw). Panning it by dragging keeps frames at the',
      'intervals below (median and 95th percentile of the intervals between animation frames during a drag of 60',
      'pointer moves; 16.7 ms is 60 Hz). Fitted: every call on screen, a pixel wide; zoomed: boxes with words.',
      `${r.runs} fresh pages of the production build in Debian Chromium (1440×900, software rendering). ${describeMachine(machine)}.`,
      '',
      '| measure | median | 95th percentile |',
      '|---|---:|---:|',
      `| import → tree drawn | ${show(r.draw, 'ms', 0)} | |`,
      `| frame interval, panning, fitted | ${show(r.panFitted.median, 'ms', 1)} | ${show(r.panFitted.p95, 'ms', 1)} |`,
      `| frame interval, panning, zoomed in | ${show(r.panZoomed.median, 'ms', 1)} | ${show(r.panZoomed.p95, 'ms', 1)} |`,
    ];
  },
};

async function importAndDraw(page: Page, text: string): Promise<number> {
  await page.getByRole('tab', { name: /History/ }).click();
  await page.evaluate((calls: number) => {
    const w = window as unknown as { __traceDrawn?: Promise<number> };
    w.__traceDrawn = new Promise<number>((resolve) => {
      const input = document.querySelector('[data-testid="import-log"]')!;
      input.addEventListener(
        'change',
        () => {
          const t0 = performance.now();
          const wait = () => {
            const canvas = document.querySelector('[data-testid="trace-canvas"]');
            if (canvas?.getAttribute('data-calls') === String(calls)) {
              // The draw happens on the next animation frame; the frame after it is on screen.
              requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
            } else requestAnimationFrame(wait);
          };
          wait();
        },
        { once: true },
      );
    });
  }, CALLS);
  await page
    .getByTestId('import-log')
    .setInputFiles({ name: 'bench.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(text) });
  return page.evaluate(() => (window as unknown as { __traceDrawn: Promise<number> }).__traceDrawn);
}

async function panFrames(page: Page): Promise<{ median: number; p95: number }> {
  const box = (await page.getByTestId('trace-canvas').boundingBox())!;
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean };
    w.__frames = [];
    w.__recording = true;
    let last = performance.now();
    const tick = (now: number) => {
      w.__frames.push(now - last);
      last = now;
      if (w.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let i = 1; i <= 60; i++) await page.mouse.move(cx + Math.sin(i / 6) * 200, cy + Math.cos(i / 6) * 40);
  await page.mouse.up();
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean };
    w.__recording = false;
    return w.__frames.slice(1);
  });
  const sorted = frames.sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
  return { median: at(0.5), p95: at(0.95) };
}
