/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  optimizeDeps: {
    // RLM mode's sandbox worker loads these only when a run starts: pre-bundled at dev-server start, so their
    // discovery then does not reload the page mid-run. The engine's build package stays as published: it
    // finds its own files (and we hand it its .wasm URL).
    include: ['acorn', 'quickjs-emscripten-core'],
    exclude: ['@jitl/quickjs-wasmfile-release-sync'],
  },
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
