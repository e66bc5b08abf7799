import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import budgets from '../bench/budgets.json' with { type: 'json' };

/**
 * The first screen's JavaScript (page and runtime worker, everything fetched until the network is idle),
 * gzip-compressed, stays under budget. Monaco, WebLLM and OpenTelemetry must arrive as lazy chunks, not here.
 */
test('first-screen JavaScript stays under the gzip budget and excludes Monaco, WebLLM and OpenTelemetry', async ({
  page,
}) => {
  const scripts = new Map<string, Buffer>();
  page.on('response', async (response) => {
    const url = response.url();
    if (!url.endsWith('.js') && !url.includes('.js?')) return;
    try {
      scripts.set(url, await response.body());
    } catch {
      // A response whose body went away (navigation) is not part of the first screen.
    }
  });
  // Workers' script fetches are not always page responses; count them through the page's own timing.
  await page.goto('/');
  await expect(page.getByTestId('webgpu-status')).toBeVisible();
  await page.waitForLoadState('networkidle');
  const workerUrls = page.workers().map((w) => w.url());
  for (const url of workerUrls) {
    if (!scripts.has(url)) scripts.set(url, Buffer.from(await (await page.request.get(url)).body()));
  }

  const files = [...scripts].map(([url, body]) => ({
    file: new URL(url).pathname,
    bytes: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
  }));
  const totalGzipKB = files.reduce((s, f) => s + f.gzip, 0) / 1024;
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/first-screen.json', JSON.stringify({ totalGzipKB, files }, null, 2));

  expect(files.length).toBeGreaterThan(0);
  expect(files.map((f) => f.file).join(' ')).not.toMatch(/monaco|web-llm|webllm|wllama|otlp|opentelemetry/i);
  // Chunk names can change; the OpenTelemetry export's own strings cannot hide in another chunk.
  const code = [...scripts.values()].map((b) => b.toString('utf8')).join('\n');
  expect(code).not.toContain('resourceSpans');
  expect(code).not.toContain('gen_ai.operation.name');
  expect(totalGzipKB).toBeLessThan(budgets.firstScreenJsGzipKB);
});
