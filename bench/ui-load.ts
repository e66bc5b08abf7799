/**
 * First-screen load time of the app against a blank page served the same way (the same `vite preview` of
 * the same build, the same Chromium, each load in a fresh browser context so nothing is cached). The
 * ratio is the figure: absolute times on a shared machine say little, the ratio measured side by side
 * says how much the app costs over the least a page can cost. App and blank loads alternate, so a burst
 * of load elsewhere hits both.
 *
 * "Ready" is the first animation frame at which the marker is on screen (non-zero size), seen from inside
 * the page, in ms since navigation start: for the app, the canvas and the runtime worker's answer in the
 * status line (the app can be used); for the blank page, its one paragraph.
 */
import { writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { Benchmark } from './benchmark.ts';
import { describeMachine } from './machine.ts';
import { type Summary, show, summarize } from './stats.ts';

const BLANK_PAGE = 'bench-blank.html';
const APP_READY = ['.react-flow', '[data-testid="runtime-version"]'];
const BLANK_READY = ['#blank'];

interface Load {
  /** First frame with every marker on screen, ms since navigation start. */
  ready: number;
  firstContentfulPaint: number;
  domContentLoaded: number;
  load: number;
}

export interface UiLoadResult {
  runs: number;
  app: Record<keyof Load, Summary>;
  blank: Record<keyof Load, Summary>;
  /** app ready / blank ready, per pair of loads. */
  ratio: Summary;
}

export const uiLoadBenchmark: Benchmark<UiLoadResult> = {
  name: 'ui-load',
  title: 'First screen load time (app against a blank page)',
  needsBuild: true,
  async run(ctx) {
    writeFileSync(
      `${ctx.dist}/${BLANK_PAGE}`,
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>blank</title></head>' +
        '<body><p id="blank">blank</p></body></html>\n',
    );
    const base = await ctx.preview();
    const browser = await ctx.browser();
    // One unmeasured load of each warms the server and the browser process, not the page's cache.
    await measure(browser, `${base}/`, APP_READY);
    await measure(browser, `${base}/${BLANK_PAGE}`, BLANK_READY);
    const app: Load[] = [];
    const blank: Load[] = [];
    // A cold load is short next to the noise of a shared machine: take more pairs than the minimum.
    const runs = Math.max(ctx.options.runs, 9);
    for (let i = 0; i < runs; i++) {
      app.push(await measure(browser, `${base}/`, APP_READY));
      blank.push(await measure(browser, `${base}/${BLANK_PAGE}`, BLANK_READY));
      ctx.log(`run ${i + 1}: app ${app[i]!.ready.toFixed(0)} ms, blank ${blank[i]!.ready.toFixed(0)} ms`);
    }
    const by = (loads: Load[]) =>
      Object.fromEntries(
        (['ready', 'firstContentfulPaint', 'domContentLoaded', 'load'] as const).map((k) => [
          k,
          summarize(loads.map((l) => l[k])),
        ]),
      ) as Record<keyof Load, Summary>;
    return {
      runs,
      app: by(app),
      blank: by(blank),
      ratio: summarize(app.map((a, i) => a.ready / blank[i]!.ready)),
    };
  },
  headline(r) {
    return `app ready **${r.ratio.median.toFixed(1)}×** as late as a blank page (${r.app.ready.median.toFixed(0)} ms against ${r.blank.ready.median.toFixed(0)} ms)`;
  },
  report(r, { machine }) {
    const row = (label: string, k: keyof Load) =>
      `| ${label} | ${show(r.app[k], 'ms', 0)} | ${show(r.blank[k], 'ms', 0)} |`;
    return [
      `The app's first screen is ready (canvas drawn and the runtime worker answering) **${r.ratio.median.toFixed(1)}×**`,
      `as late as a blank page served the same way (${show(r.ratio, '×', 1)}; ${r.runs} cold loads of each, alternating).`,
      'Each load is a fresh browser context of Debian Chromium (flags as in `playwright.config.ts`) on `vite preview` of',
      'a production build; times are ms since navigation start, seen from inside the page on the first animation frame',
      `with the markers on screen. ${describeMachine(machine)}.`,
      '',
      '| measure | app | blank page |',
      '|---|---:|---:|',
      row('ready (first screen usable)', 'ready'),
      row('first contentful paint', 'firstContentfulPaint'),
      row('DOMContentLoaded', 'domContentLoaded'),
      row('load event', 'load'),
    ];
  },
};

/**
 * Runs in the page before its own scripts. Written as source text, not a function handed to Playwright:
 * tsx compiles this file with helpers (`__name`) that do not exist inside the page.
 */
const READY_WATCH = `function (selectors) {
  var present = function () {
    return selectors.every(function (s) { return document.querySelector(s) !== null; });
  };
  var visible = function () {
    return selectors.every(function (s) {
      var el = document.querySelector(s);
      if (!el) return false;
      var box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0;
    });
  };
  // Watch the DOM first and count frames only once the markers are in it.
  var waiting = false;
  var frame = function () {
    if (visible()) window.__benchReady = performance.now();
    else requestAnimationFrame(frame);
  };
  var observer = new MutationObserver(function () {
    if (waiting || !present()) return;
    waiting = true;
    observer.disconnect();
    requestAnimationFrame(frame);
  });
  observer.observe(document, { childList: true, subtree: true });
}`;

async function measure(browser: Browser, url: string, markers: string[]): Promise<Load> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(`(${READY_WATCH})(${JSON.stringify(markers)})`);
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(
      () => (window as unknown as { __benchReady?: number }).__benchReady !== undefined,
      null,
      {
        timeout: 30_000,
        polling: 50,
      },
    );
    return await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return {
        ready: (window as unknown as { __benchReady: number }).__benchReady,
        firstContentfulPaint: fcp?.startTime ?? Number.NaN,
        domContentLoaded: nav?.domContentLoadedEventEnd ?? Number.NaN,
        load: nav?.loadEventEnd ?? Number.NaN,
      };
    });
  } finally {
    await context.close();
  }
}
