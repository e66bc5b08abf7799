import { expect, type Page, test } from '@playwright/test';

async function openSettings(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('webgpu-status')).toHaveAttribute('data-usable', 'true');
  await page.getByRole('button', { name: /^Model:/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Model settings' });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('on a WebGPU adapter without shader-f16 the q4f32 Qwen3 models are offered, with their memory needs', async ({
  page,
}) => {
  const dialog = await openSettings(page);
  await expect(dialog.getByTestId('engine-reason')).toHaveText(
    /^Local WebGPU by default: .*shader-f16 missing/,
  );
  await expect(dialog.getByRole('radio', { name: /^Local WebGPU/ })).toBeChecked();
  await expect(dialog.getByTestId('quantization-note')).toBeVisible();
  const options = dialog.getByTestId('webllm-option');
  await expect(options).toHaveCount(4);
  const ids = await options.evaluateAll((els) => els.map((e) => e.getAttribute('data-model-id')));
  expect(ids).toEqual([
    'Qwen3-0.6B-q4f32_1-MLC',
    'Qwen3-1.7B-q4f32_1-MLC',
    'Qwen3-4B-q4f32_1-MLC',
    'Qwen3-8B-q4f32_1-MLC',
  ]);
  // Memory needs as web-llm 0.2.86's prebuilt list states them (1925 MB, 2635 MB, 4328 MB, 6853 MB).
  await expect(options.nth(0)).toContainText('needs 1.9 GB of GPU memory');
  await expect(options.nth(3)).toContainText('needs 6.7 GB of GPU memory');
  await expect(options.nth(0).getByTestId('cache-status')).toHaveText('not downloaded');
  await expect(dialog.getByTestId('storage-estimate')).toHaveText(
    /Browser storage for this site: .* used of .* available/,
  );
});

test('with no internet the missing weights are explained, with the offer to use the API', async ({
  page,
}) => {
  const dialog = await openSettings(page);
  await dialog.getByRole('button', { name: 'Download and load Qwen3 0.6B' }).click();
  const trouble = dialog.getByTestId('engine-trouble');
  await expect(trouble).toBeVisible({ timeout: 45_000 });
  await expect(trouble).toHaveAttribute('data-code', 'offline');
  await expect(trouble).toContainText('could not be downloaded');
  await trouble.getByRole('button', { name: 'Use an API instead' }).click();
  await expect(dialog.getByRole('radio', { name: /^API/ })).toBeChecked();
  await expect(dialog.getByTestId('api-section')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Model: API' })).toBeVisible();
});

test('a cached model shows as downloaded and Delete removes it from the browser cache', async ({ page }) => {
  await page.goto('/');
  // Seed web-llm's Cache Storage the way a finished download leaves it: the tensor index and its shards.
  const base = 'https://huggingface.co/mlc-ai/Qwen3-0.6B-q4f32_1-MLC/resolve/main/';
  await page.evaluate(async (base) => {
    const cache = await caches.open('webllm/model');
    await cache.put(
      `${base}tensor-cache.json`,
      Response.json({ records: [{ dataPath: 'params_shard_0.bin' }] }),
    );
    await cache.put(`${base}params_shard_0.bin`, new Response(new Uint8Array(16)));
  }, base);

  const dialog = await openSettings(page);
  const option = dialog.locator('[data-model-id="Qwen3-0.6B-q4f32_1-MLC"]');
  await expect(option.getByTestId('cache-status')).toHaveText('downloaded');
  await expect(
    dialog.locator('[data-model-id="Qwen3-1.7B-q4f32_1-MLC"]').getByTestId('cache-status'),
  ).toHaveText('not downloaded');
  await expect(dialog.getByRole('button', { name: 'Load Qwen3 0.6B' })).toBeVisible();

  await option.getByRole('button', { name: 'Delete Qwen3 0.6B from the cache' }).click();
  await expect(option.getByTestId('cache-status')).toHaveText('not downloaded');
  await expect(dialog.getByRole('button', { name: 'Download and load Qwen3 0.6B' })).toBeVisible();
  // The weights are gone (web-llm keeps its small tensor index; without shards it reports not cached).
  const left = await page.evaluate(async () =>
    (await (await caches.open('webllm/model')).keys()).map((r) => r.url.split('/').pop()),
  );
  expect(left).not.toContain('params_shard_0.bin');
});

test('with WebGPU, the Start tab says the example runs on this GPU, and offers an API instead', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('webgpu-status')).toHaveAttribute('data-usable', 'true');
  const start = page.getByTestId('start-panel');
  await expect(start.locator('.start-engine')).toHaveAttribute('data-engine', 'webllm');
  await expect(start).toContainText(/Qwen3 0\.6B runs on this computer's GPU.*Qwen3-0\.6B-q4f32_1-MLC/);
  await expect(start.getByTestId('start-engine-state')).toContainText('Ready to run');
  await start.getByRole('button', { name: 'Use an API server instead' }).click();
  await expect(start.getByLabel('Base URL')).toBeVisible();
});
