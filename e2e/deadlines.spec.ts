/**
 * The leaf deadlines are settable in the page (Model settings → Deadlines), kept across a reload, and
 * reach the run: a server that asks to wait longer than the Retry-After set there fails the call at once,
 * with what it asked, instead of holding the run.
 */
import { openExample, sampleReady } from './fixtures/examples.ts';
import { chooseApiEngine } from './fixtures/model-settings.ts';
import { exampleTruth } from './fixtures/sample-truth.ts';
import { expect, test } from './fixtures/scripted-server.ts';

test('a Retry-After over the cap set in the model settings fails the run with the server’s words', async ({
  page,
  scripted,
}) => {
  // Every chat request is refused with "retry after 45 s": within the default cap (60 s) a run would wait.
  scripted.configure({
    truth: [exampleTruth('sniah.json')],
    faults: { rate: 1, kinds: ['429'] },
    retryAfterSeconds: 45,
  });
  await page.goto('/');
  const dialog = await chooseApiEngine(page, scripted.url, { keepOpen: true });
  const deadlines = dialog.getByTestId('deadlines');
  await deadlines.locator('summary').click();
  await deadlines.getByLabel('Longest Retry-After (s)').fill('2');
  await expect(deadlines.locator('summary')).toHaveText('Deadlines (changed)');
  await dialog.press('Escape');

  // Kept across a reload, like every other model setting.
  await page.reload();
  await page.getByRole('button', { name: /^Model:/ }).click();
  const again = page.getByRole('dialog', { name: 'Model settings' }).getByTestId('deadlines');
  await again.locator('summary').click();
  await expect(again.getByLabel('Longest Retry-After (s)')).toHaveValue('2');
  await page.getByRole('dialog', { name: 'Model settings' }).press('Escape');

  await openExample(page, 'S-NIAH');
  await sampleReady(page);
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('run-title')).toContainText('· failed', { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Result' }).click();
  await expect(page.getByTestId('run-result').getByRole('alert')).toContainText(/asked to wait 45 s/);
});
