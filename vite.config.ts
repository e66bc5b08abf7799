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
  test: {
    include: [
      'workers/**/*.test.ts',
      'app/**/*.test.{ts,tsx}',
      'test/**/*.test.ts',
      'bench/**/*.test.ts',
      'cli/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 20_000,
  },
});
