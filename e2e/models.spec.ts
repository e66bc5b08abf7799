import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { makeTinyGguf, writeTinyGguf } from '../test/tiny-gguf/make.ts';

async function openSettings(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('webgpu-status')).toBeVisible();
  await page.getByRole('button', { name: /^Model:/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Model settings' });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('without WebGPU the panel explains why and defaults to the API', async ({ page }) => {
  const dialog = await openSettings(page);
  await expect(dialog.getByTestId('engine-reason')).toHaveText(
    /^API by default: .*(no navigator\.gpu|no GPU adapter)/,
  );
  await expect(dialog.getByRole('radio', { name: /^API/ })).toBeChecked();
  await expect(dialog.getByTestId('api-section')).toBeVisible();

  await dialog.getByRole('radio', { name: /^Local WebGPU/ }).check();
  await expect(dialog.getByTestId('webgpu-unavailable')).toHaveText(/Qwen3 cannot run on this GPU here/);
  await dialog.getByRole('button', { name: 'Use an API instead' }).click();
  await expect(dialog.getByRole('radio', { name: /^API/ })).toBeChecked();
  await expect(page.getByRole('button', { name: 'Model: API' })).toBeVisible();
  // web-llm is never fetched when WebGPU is unusable.
  expect(
    page
      .workers()
      .map((w) => w.url())
      .join(' '),
  ).not.toMatch(/llm\.worker/);
});

test('the GGUF engine loads a tiny GGUF picked from disk and generates, deterministically, off the main thread', async ({
  page,
}) => {
  const gguf = writeTinyGguf(join(mkdtempSync(join(tmpdir(), 'fixpoint-gguf-')), 'tiny-test-double.gguf'));
  const dialog = await openSettings(page);
  await dialog.getByRole('radio', { name: /^GGUF \(llama\.cpp\)/ }).check();
  // The GPU is asked for by default; without WebGPU the settings say the CPU is to be expected.
  await expect(
    dialog.getByRole('radio', { name: 'GPU where WebGPU can run it, else the CPU', exact: true }),
  ).toBeChecked();
  await expect(dialog.getByTestId('gguf-expectation')).toHaveText(
    /^No usable WebGPU here \(.*\): expect the CPU\.$/,
  );
  await dialog.getByLabel('…or a .gguf file from this computer').setInputFiles(gguf);
  await expect(dialog.getByTestId('gguf-source')).toHaveText(/tiny-test-double\.gguf \(picked file\)/);
  await dialog.getByRole('button', { name: 'Load model' }).click();
  await expect(dialog.getByTestId('gguf-loaded')).toHaveText(
    /tiny-test-double\.gguf is loaded \(context 4096 tokens\)/,
    {
      timeout: 30_000,
    },
  );
  // Where the model went, read from llama.cpp's log: CPU buffers, though the GPU was asked for.
  const backend = dialog.getByTestId('gguf-backend');
  await expect(backend).toHaveAttribute('data-ran', 'cpu');
  await expect(backend).toHaveAttribute('data-gpu-requested', 'true');
  await expect(backend).toContainText(
    "Running on: CPU — the GPU was requested, but llama.cpp used CPU buffers only (llama.cpp's log: weights 0.38 MiB on the CPU; KV cache on the CPU). Likely why:",
  );
  await backend.getByText("The lines of llama.cpp's log this is read from").click();
  await expect(dialog.getByTestId('gguf-log')).toContainText('CPU KV buffer size');
  await expect(page.getByTestId('model-settings-button')).toHaveText('Model: GGUF (llama.cpp) · CPU');

  const answers: string[] = [];
  const stats: string[] = [];
  for (let i = 0; i < 2; i++) {
    await dialog.getByRole('button', { name: 'Try it' }).click();
    await expect(dialog.getByTestId('try-stats')).toBeVisible({ timeout: 30_000 });
    // Random weights: the answer ends where the double's stop token first wins, or at the 64-token limit.
    await expect(dialog.getByTestId('try-stats')).toHaveAttribute('data-finish', /^(stop|length)$/);
    await expect(dialog.getByTestId('try-stats')).toHaveText(
      /^\d+ tokens in \d+ ms · finished: (stop|length)/,
    );
    stats.push((await dialog.getByTestId('try-stats').textContent())?.replace(/ in \d+ ms/, '') ?? '');
    answers.push((await dialog.getByTestId('try-output').textContent()) ?? '');
  }
  expect(answers[0]?.length).toBeGreaterThan(0);
  expect(answers[1]).toBe(answers[0]);
  expect(stats[1]).toBe(stats[0]);
  // Closed and opened again, the panel shows the model still in memory.
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: /^Model:/ }).click();
  await expect(page.getByTestId('gguf-loaded')).toHaveText(/tiny-test-double\.gguf is loaded/);
  // llama.cpp runs in wllama's own worker, started from the runtime worker, not on the page.
  expect(page.workers().some((w) => w.url().includes('runtime'))).toBe(true);
});

test('the GGUF engine downloads a GGUF by URL with progress, then generates', async ({ page }) => {
  // Loading after the download compiles llama.cpp's WebAssembly: on a loaded 2-core machine that took over 30 s.
  test.setTimeout(180_000);
  // A plain file server (test double) for the tiny model, on another origin, allowing the page (CORS).
  const bytes = makeTinyGguf();
  let downloads = 0;
  let releaseRest = () => {};
  const server = createServer((req, res) => {
    if (req.url !== '/models/tiny-url.gguf') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'content-length',
      'content-type': 'application/octet-stream',
      'content-length': String(bytes.length),
    });
    // wllama asks for the size first.
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    downloads++;
    // Half now, the rest when the test has seen the progress: the download is observable, not a race.
    res.write(Buffer.from(bytes.subarray(0, bytes.length >> 1)));
    releaseRest = () => res.end(Buffer.from(bytes.subarray(bytes.length >> 1)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const dialog = await openSettings(page);
    await dialog.getByRole('radio', { name: /^GGUF \(llama\.cpp\)/ }).check();
    await dialog.getByLabel('GGUF model URL').fill(`http://127.0.0.1:${port}/models/tiny-url.gguf`);
    await dialog.getByRole('button', { name: 'Load model' }).click();
    const progress = dialog.getByTestId('load-progress');
    // The download stalls after its first half: the report of that half must still reach the panel (a
    // throttle that dropped it left the panel at "Starting" for good, one run in three).
    await expect(progress).toHaveAttribute('data-phase', 'downloading', { timeout: 30_000 });
    await expect(progress).toContainText(/Downloading · \d+% · \d+ KB of 397 KB/);
    await expect(progress.getByRole('progressbar', { name: 'Loading the GGUF model' })).toBeVisible();
    // The toolbar shows the load too, for loads a run starts while the panel is closed.
    await expect(page.getByTestId('model-settings-button')).toContainText(/· loading \d+%/);
    releaseRest();
    await expect(dialog.getByTestId('gguf-loaded')).toHaveText(/tiny-url\.gguf is loaded/, {
      timeout: 30_000,
    });
    expect(downloads).toBeGreaterThan(0);
    await expect(page.getByTestId('model-settings-button')).toHaveText('Model: GGUF (llama.cpp) · CPU');
    await dialog.getByRole('button', { name: 'Try it' }).click();
    await expect(dialog.getByTestId('try-stats')).toHaveAttribute('data-finish', /^(stop|length)$/, {
      timeout: 30_000,
    });
    // The URL is a setting worth keeping; the page's own URL never carries it.
    expect(await page.evaluate(() => localStorage.getItem('fixpoint.settings.v1'))).toContain(
      'tiny-url.gguf',
    );
  } finally {
    server.close();
  }
});

test('a GGUF URL that does not answer is explained, with a retry', async ({ page }) => {
  const dialog = await openSettings(page);
  await dialog.getByRole('radio', { name: /^GGUF \(llama\.cpp\)/ }).check();
  await dialog.getByLabel('GGUF model URL').fill('http://127.0.0.1:9/missing-model.gguf');
  await dialog.getByRole('button', { name: 'Load model' }).click();
  const trouble = dialog.getByTestId('engine-trouble');
  await expect(trouble).toBeVisible({ timeout: 30_000 });
  await expect(trouble).toHaveText(/missing-model\.gguf/);
  await expect(trouble.getByRole('button', { name: 'Try again' })).toBeVisible();
});

test('the API key stays in this tab unless remembered, and never enters the URL', async ({ page }) => {
  const key = 'sk-test-1234567890abcdef';
  const dialog = await openSettings(page);
  await dialog.getByLabel('Base URL').fill('http://127.0.0.1:9/v1');
  await dialog.getByLabel('Model', { exact: true }).fill('qwen3:0.6b');
  await dialog.getByLabel('API key').fill(key);
  const stored = () =>
    page.evaluate(() => ({
      session: sessionStorage.getItem('fixpoint.apiKey'),
      local: localStorage.getItem('fixpoint.apiKey'),
      settings: localStorage.getItem('fixpoint.settings.v1') ?? '',
    }));
  expect(await stored()).toMatchObject({ session: key, local: null });

  await dialog.getByLabel(/Remember the key on this device/).check();
  expect(await stored()).toMatchObject({ session: null, local: key });
  await dialog.getByLabel(/Remember the key on this device/).uncheck();
  const after = await stored();
  expect(after).toMatchObject({ session: key, local: null });
  expect(after.settings).toContain('qwen3:0.6b');
  expect(after.settings).not.toContain(key);
  expect(page.url()).not.toContain(key);

  // Kept for the session: a reload in the same tab still has it.
  await page.reload();
  await page.getByRole('button', { name: /^Model:/ }).click();
  await expect(page.getByLabel('API key')).toHaveValue(key);
});

test('the model settings dialog has no accessibility violations and closes with Escape', async ({ page }) => {
  const dialog = await openSettings(page);
  for (const engine of [/^API/, /^GGUF \(llama\.cpp\)/, /^Local WebGPU/]) {
    await dialog.getByRole('radio', { name: engine }).check();
    const results = await new AxeBuilder({ page }).include('[data-testid="model-settings"]').analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: /^Model:/ })).toBeFocused();
});
