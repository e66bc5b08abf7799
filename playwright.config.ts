import { defineConfig } from '@playwright/test';

/** Debian's Chromium; Playwright never downloads a browser here (scripts/ensure-chromium.mjs installs it). */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Engineers working side by side may each serve their own build: FIXPOINT_E2E_PORT and FIXPOINT_DIST. The
// dev server (`vite`, React StrictMode) listens 1000 ports higher unless FIXPOINT_DEV_PORT says otherwise.
const PORT = Number(process.env.FIXPOINT_E2E_PORT ?? 4173);
const DEV_PORT = Number(process.env.FIXPOINT_DEV_PORT ?? PORT + 1000);
const DIST = process.env.FIXPOINT_DIST ?? 'dist';

/**
 * Specs that also run against the dev server: StrictMode runs effects twice there, which the production
 * build never shows (a dialog closed by its own effect's cleanup went unnoticed that way).
 */
const BOTH_BUILDS = [
  '**/smoke.spec.ts',
  '**/dialogs.spec.ts',
  '**/first-visit.spec.ts',
  '**/ask-compare.spec.ts',
  // Dialogs opened by keyboard and settings kept across a reload: StrictMode runs their effects twice.
  '**/editor-keyboard.spec.ts',
  '**/deadlines.spec.ts',
];
const chromium = { executablePath: '/usr/bin/chromium', args: chromiumArgs };

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
  },
  webServer: [
    {
      command: `npx vite preview --host 127.0.0.1 --strictPort --port ${PORT} --outDir ${DIST}`,
      url: `http://127.0.0.1:${PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: `npx vite --host 127.0.0.1 --strictPort --port ${DEV_PORT}`,
      url: `http://127.0.0.1:${DEV_PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
  ],
  projects: [
    {
      name: 'chromium',
      testIgnore: '**/*.webgpu.spec.ts',
      use: { launchOptions: chromium },
    },
    {
      // The same smoke set against `vite` (npm run dev): development React, StrictMode, unbundled modules.
      name: 'dev',
      testMatch: BOTH_BUILDS,
      // Modules are compiled on first request: slower than the build, never flaky by design.
      timeout: 120_000,
      expect: { timeout: 20_000 },
      use: { baseURL: `http://127.0.0.1:${DEV_PORT}`, actionTimeout: 30_000, launchOptions: chromium },
    },
    {
      // Headless Chromium offers WebGPU through SwiftShader (CPU) with this flag: no shader-f16.
      name: 'webgpu',
      testMatch: '**/*.webgpu.spec.ts',
      use: {
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [...chromiumArgs, '--enable-unsafe-webgpu'],
        },
      },
    },
  ],
});
