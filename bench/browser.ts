/**
 * Debian's Chromium through Playwright, launched exactly as the e2e tests launch it (the flags come from
 * playwright.config.ts, so the two never drift apart).
 */
import { type Browser, chromium } from 'playwright-core';
import config from '../playwright.config.ts';

/**
 * tsx compiles bench files with esbuild's keepNames, which wraps every named inner function in a call to
 * a `__name` helper. A function handed to `page.evaluate` or `addInitScript` is sent as its source text
 * and runs in the page, where that helper does not exist: the first named arrow inside it throws (inside
 * an event listener, silently, and a benchmark waiting for it hangs). Every context the shared browser
 * opens therefore gets a do-nothing `__name` before any script runs.
 */
const KEEP_NAMES_SHIM = 'globalThis.__name = globalThis.__name || function (target) { return target; };';

export function chromiumLaunchOptions(): { executablePath: string; args: string[] } {
  const project = config.projects?.find((p) => p.name === 'chromium');
  const launch = project?.use?.launchOptions;
  return {
    executablePath: launch?.executablePath ?? '/usr/bin/chromium',
    args: launch?.args ?? ['--headless', '--no-sandbox', '--disable-gpu'],
  };
}

export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch(chromiumLaunchOptions());
  // `browser.newPage` opens its context through `this.newContext`, so this covers both.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await context.addInitScript(KEEP_NAMES_SHIM);
    return context;
  };
  return browser;
}
