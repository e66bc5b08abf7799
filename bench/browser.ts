/**
 * Debian's Chromium through Playwright, launched exactly as the e2e tests launch it (the flags come from
 * playwright.config.ts, so the two never drift apart).
 */
import { type Browser, chromium } from 'playwright-core';
import config from '../playwright.config.ts';

export function chromiumLaunchOptions(): { executablePath: string; args: string[] } {
  const project = config.projects?.find((p) => p.name === 'chromium');
  const launch = project?.use?.launchOptions;
  return {
    executablePath: launch?.executablePath ?? '/usr/bin/chromium',
    args: launch?.args ?? ['--headless', '--no-sandbox', '--disable-gpu'],
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions());
}
