/**
 * An example's sample is built in a worker, with progress and a Stop: a large one (or a share link asking for
 * one) leaves the page free to use.
 */
import { expect, test } from '@playwright/test';

test('a 4M-token sample builds off the main thread, can be stopped, and arrives whole when not', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open…' }).click();
  await page.locator('.gallery-item').first().click();
  await page.getByRole('tab', { name: 'Input' }).click();
  const before = await page.getByTestId('input-meta').textContent();
  await page.getByLabel('Sample size').selectOption('4000000');

  await page.getByTestId('generate-sample').click();
  const progress = page.getByTestId('sample-progress');
  await expect(progress).toBeVisible();
  // The page answers while the sample is being built: a field takes typing, and the progress bar is
  // still there afterwards (a blocked main thread would have handled the typing only once it was done).
  await page.getByTestId('run-query').fill('typed while the sample is built');
  await expect(page.getByTestId('run-query')).toHaveValue('typed while the sample is built');
  await expect(progress).toBeVisible();
  await page.getByTestId('sample-stop').click();
  await expect(page.getByTestId('sample-generating')).toHaveCount(0);
  await expect(page.getByTestId('input-meta')).toHaveText(before ?? '');
  expect(page.workers().some((w) => w.url().includes('sample'))).toBe(false);

  await page.getByTestId('generate-sample').click();
  await expect(page.getByTestId('input-meta')).toContainText(/1[56],\d{3},\d{3} characters/, {
    timeout: 30_000,
  });
  await expect(page.getByTestId('sample-generating')).toHaveCount(0);
  await expect(page.getByTestId('input-preview')).toBeVisible();
  // The sample brings its own question.
  await expect(page.getByTestId('run-query')).not.toHaveValue('typed while the sample is built');
});
