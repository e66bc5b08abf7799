import { expect, type Page, test } from '@playwright/test';
import { loadTinyGguf, runSummaryExample } from './fixtures/gguf.ts';

/** Whether the page's WebGPU adapter has shader-f16, which llama.cpp's WebGPU backend needs. */
async function adapterHasShaderF16(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const adapter = await navigator.gpu?.requestAdapter();
    return adapter?.features.has('shader-f16') ?? false;
  });
}

/**
 * The GGUF engine with WebGPU present: the GPU is asked for, and where llama.cpp put the model is read from
 * its own log. Headless Chromium's SwiftShader adapter has no shader-f16, so llama.cpp's WebGPU backend
 * registers no device and the model runs on the CPU: the fallback must be reported in words. On an adapter
 * with shader-f16 the same test expects WebGPU buffers.
 */
test('a GGUF run with the GPU requested makes the predicted calls and reports the backend that ran', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await expect(page.getByTestId('webgpu-status')).toHaveAttribute('data-usable', 'true');
  const f16 = await adapterHasShaderF16(page);
  const dialog = await loadTinyGguf(page, 'tiny-webgpu.gguf');
  await expect(dialog.getByTestId('gguf-expectation')).toHaveText(
    f16
      ? /^WebGPU with shader-f16 on /
      : /^WebGPU is here \(.*\) but without shader-f16, .*: expect the CPU\./,
  );
  const backend = dialog.getByTestId('gguf-backend');
  await expect(backend).toHaveAttribute('data-gpu-requested', 'true');
  if (f16) {
    await expect(backend).toHaveAttribute('data-ran', 'gpu');
    await expect(backend).toContainText(/Running on: GPU — WebGPU/);
  } else {
    await expect(backend).toHaveAttribute('data-ran', 'cpu');
    await expect(backend).toContainText(
      /Running on: CPU — the GPU was requested, but llama\.cpp used CPU buffers only .* Likely why: the WebGPU adapter \(google swiftshader\) lacks shader-f16, which llama\.cpp's WebGPU backend needs\./,
    );
  }
  const ran = f16 ? 'GPU' : 'CPU';
  await dialog.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('model-settings-button')).toHaveText(`Model: GGUF (llama.cpp) · ${ran}`);

  const { actual, predicted } = await runSummaryExample(page);
  expect(actual).toBeGreaterThan(1);
  expect(actual).toBe(predicted);
  await expect(page.getByTestId('model-settings-button')).toHaveText(`Model: GGUF (llama.cpp) · ${ran}`);
});

test('"CPU only" does not ask llama.cpp for the GPU, and says so', async ({ page }) => {
  await page.goto('/');
  const dialog = await loadTinyGguf(page, 'tiny-cpu-only.gguf', 'CPU only');
  await expect(dialog.getByTestId('gguf-expectation')).toHaveText(
    'CPU only: llama.cpp is not asked for the GPU.',
  );
  const backend = dialog.getByTestId('gguf-backend');
  await expect(backend).toHaveAttribute('data-gpu-requested', 'false');
  await expect(backend).toHaveAttribute('data-ran', 'cpu');
  await expect(backend).toContainText(
    /^Running on: CPU — chosen in the settings \(llama\.cpp's log: weights/,
  );
  // Asking for the GPU again makes the loaded model stale: it must be loaded again to say where it runs.
  await dialog.getByRole('radio', { name: 'GPU where WebGPU can run it, else the CPU', exact: true }).check();
  await expect(dialog.getByTestId('gguf-backend')).toBeHidden();
  await expect(dialog.getByRole('button', { name: 'Load model' })).toBeVisible();
});
