/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // The first screen is budgeted (see docs/benchmarks.md); Monaco and WebLLM are separate lazy chunks.
    chunkSizeWarningLimit: 8000,
  },
  preview: { port: 4173 },
  // The dev server must not react to builds and test output written beside it: a fresh build's index.html in
  // a dist folder made every open dev page reload (the e2e suite runs the dev server next to a build).
  server: { watch: { ignored: ['**/dist*/**', '**/test-results/**', '**/playwright-report/**'] } },
  test: {
    include: [
      'workers/**/*.test.ts',
      'app/**/*.test.{ts,tsx}',
      'test/**/*.test.ts',
      'bench/**/*.test.ts',
      'cli/**/*.test.ts',
    ],
    environment: 'node',
    // The CLI keeps a leaf cache on disk by default; a test that spawns it gets none unless it asks for one,
    // so no test reads what another one (or another day's run) left there.
    env: { FIXPOINT_CACHE_DIR: 'off' },
    testTimeout: 20_000,
  },
});
