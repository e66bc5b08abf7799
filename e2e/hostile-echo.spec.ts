/**
 * A model that echoes the API key it was sent, and a server whose errors quote it: the page shows the
 * answer and the errors with the key replaced by [redacted] — in the result, the recursion tree and the
 * call inspector, the Test connection report — and the exported run log holds it nowhere.
 */

import { openExample, sampleReady } from './fixtures/examples.ts';
import { expect, HOSTILE_MODEL, test } from './fixtures/hostile-server.ts';
import { chooseApiEngine } from './fixtures/model-settings.ts';
import { exportLatestRunLog } from './fixtures/run-log.ts';

const KEY = 'sk-e2e-ECHOED-by-the-model-3c9d27f1';

test('a key echoed by the model or the server never shows on the page or in the exported log', async ({
  page,
  hostile,
}) => {
  hostile.mode = 'echo-key';
  await page.goto('/');
  const dialog = await chooseApiEngine(page, hostile.url, {
    model: HOSTILE_MODEL,
    apiKey: KEY,
    keepOpen: true,
  });
  await dialog.getByTestId('api-test').click();
  await expect(dialog.getByTestId('api-report')).toContainText('Chat works');
  // Not the key, nor what a cut for display leaves of it.
  await expect(dialog.getByTestId('api-report')).not.toContainText(KEY.slice(0, 12));
  await dialog.press('Escape');

  await openExample(page, 'S-NIAH');
  await sampleReady(page);
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('run-title')).toContainText('· done', { timeout: 30_000 });
  expect(hostile.requests.every((r) => r.authorization === `Bearer ${KEY}`)).toBe(true);
  await page.getByRole('tab', { name: 'Result' }).click();
  await expect(page.getByTestId('result-text')).toContainText('[redacted]');

  // A failing run: the server's error quotes the key; the error shown and logged does not.
  hostile.mode = 'echo-key-error';
  await page.getByLabel('More ways to run').click();
  await page.getByRole('button', { name: /^Run without cache/ }).click();
  await expect(page.getByTestId('run-title')).toContainText('(no cache)');
  await expect(page.getByTestId('run-title')).toContainText('· failed', { timeout: 30_000 });
  expect(hostile.requests.some((r) => r.mode === 'echo-key-error')).toBe(true);

  const exported = await exportLatestRunLog(page);
  expect(exported).toContain('[redacted]');
  expect(exported).not.toContain(KEY.slice(0, 12));
  expect(exported).not.toContain(KEY.slice(-12));
  const body = (await page.locator('body').textContent()) ?? '';
  expect(body).not.toContain(KEY.slice(0, 12));
  expect(body).not.toContain(KEY.slice(-12));
});
