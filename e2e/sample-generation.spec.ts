/**
 * An example's sample is built in a worker, with progress and a Stop: a large one (or a share link asking for
 * one) leaves the page free to use.
 */
import { expect, test } from '@playwright/test';
import { openExample, sampleReady } from './fixtures/examples.ts';

test('a 4M-token sample builds off the main thread with progress, can be stopped, and arrives whole', async ({
  page,
}) => {
  await page.goto('/');
  await openExample(page, /./);
  await sampleReady(page);
  const before = await page.getByTestId('input-meta').textContent();
  await page.getByLabel('Sample size').selectOption('4000000');

  // Stop: the worker's script is held back until the test has pressed Stop, so the order is certain.
  let release = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });
  await page.route('**/*sample.worker*', async (route) => {
    await held;
    // The stopped worker no longer wants its script: the request may be gone by now.
    await route.continue().catch(() => {});
  });
  await page.getByTestId('generate-sample').click();
  await expect(page.getByTestId('sample-progress')).toBeVisible();
  await page.getByTestId('sample-stop').click();
  await expect(page.getByTestId('sample-generating')).toHaveCount(0);
  await expect(page.getByTestId('input-meta')).toHaveText(before ?? '');
  release();
  await page.unroute('**/*sample.worker*');

  // Progress: the page's own code sees the bar part of the way, which a generator running on the main
  // thread would never let it do (the page would be frozen until the sample was whole).
  await page.getByTestId('generate-sample').click();
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          const bar = document.querySelector('[data-testid="sample-progress"]');
          const fraction = bar ? Number(bar.getAttribute('data-fraction')) : -1;
          return fraction < 1 ? fraction : -1;
        }),
      { intervals: [10], timeout: 20_000 },
    )
    .toBeGreaterThan(0);
  await expect(page.getByTestId('input-meta')).toContainText(/1[56],\d{3},\d{3} characters/, {
    timeout: 30_000,
  });
  await expect(page.getByTestId('sample-generating')).toHaveCount(0);
  await expect(page.getByTestId('input-preview')).toBeVisible();
  expect(page.workers().some((w) => w.url().includes('sample'))).toBe(false);
});
