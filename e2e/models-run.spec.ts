import { expect, test } from '@playwright/test';
import { loadTinyGguf, runSummaryExample } from './fixtures/gguf.ts';

/**
 * The whole in-browser inference path on the GGUF engine: a real example plan runs on the tiny random GGUF
 * (a test double: gibberish, deterministic) through the runtime worker, the evaluator and wllama. The answer
 * means nothing; the number of model calls must be the one the planner predicted. This browser has no
 * WebGPU, so llama.cpp runs on the CPU (e2e/models-gguf.webgpu.spec.ts asks for the GPU).
 */
test('an example plan runs on the tiny GGUF with as many calls as the planner predicted', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto('/');
  const dialog = await loadTinyGguf(page, 'tiny-run.gguf');
  await expect(dialog.getByTestId('gguf-backend')).toHaveAttribute('data-ran', 'cpu');
  await dialog.press('Escape');
  await expect(dialog).toBeHidden();

  const { actual, predicted } = await runSummaryExample(page);
  expect(actual).toBeGreaterThan(1);
  expect(actual).toBe(predicted);
});
