import { expect, test } from '@playwright/test';

test('the page loads with no console error and renders the canvas', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: /Fixpoint/ })).toBeVisible();
  await expect(page.locator('.react-flow')).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Palette' })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Inspector' })).toBeVisible();
  await expect(page.getByTestId('runtime-version')).toBeVisible();
  expect(errors).toEqual([]);
});

test('the runtime worker answers through Comlink with its version', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('runtime-version')).toHaveText(/^Runtime \d+\.\d+\.\d+$/);
  const workers = page.workers().map((w) => w.url());
  expect(workers.some((u) => u.includes('runtime'))).toBe(true);
});

test('without --enable-unsafe-webgpu the status line says WebGPU is unusable and why', async ({ page }) => {
  await page.goto('/');
  const status = page.getByTestId('webgpu-status');
  await expect(status).toHaveAttribute('data-usable', 'false');
  await expect(status).toHaveText(/no navigator\.gpu|no GPU adapter/);
});
