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

// Engineers working side by side may each serve their own build: FIXPOINT_E2E_PORT and FIXPOINT_DIST.
const PORT = Number(process.env.FIXPOINT_E2E_PORT ?? 4173);
const DIST = process.env.FIXPOINT_DIST ?? 'dist';

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
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --strictPort --port ${PORT} --outDir ${DIST}`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: '**/*.webgpu.spec.ts',
      use: { launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs } },
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
