/**
 * The run views from a run log alone (no model): import a `.jsonl`, see its tree, inspect calls, replay it
 * into the same tree, export it again; a 10,000-call log stays usable; model output stays text.
 */
import { expect, type Page, test } from '@playwright/test';
import { serializeTrace } from '../workers/lang/trace-file.ts';
import { syntheticLog } from '../test/synthetic-log.ts';

async function importLog(page: Page, name: string, text: string) {
  await page.getByRole('tab', { name: /History/ }).click();
  await page.getByTestId('import-log').setInputFiles({ name, mimeType: 'application/x-ndjson', buffer: Buffer.from(text) });
  await expect(page.getByText(`Imported ${name}.`)).toBeVisible();
}

test('an imported log draws its tree, and a call can be inspected from the list', async ({ page }) => {
  await page.goto('/');
  const log = syntheticLog({ k: 3, depth: 2, runId: 'run-small', failLeaves: new Set([4]), cachedLeaves: new Set([0]) });
  await importLog(page, 'small.jsonl', serializeTrace(log));
  const canvas = page.getByTestId('trace-canvas');
  await expect(canvas).toHaveAttribute('data-calls', '13');
  await expect(canvas).toHaveAttribute('data-max-depth', '2');
  await expect(page.getByTestId('count-errors')).toContainText('1 error');
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-bars', '9');
  await page.screenshot({ path: 'test-results/run-replay-small.png' });

  await page.getByRole('radio', { name: 'List' }).check();
  const list = page.getByRole('tree');
  await expect(list.getByRole('treeitem')).toHaveCount(13);
  await list.getByRole('treeitem', { name: /leaf 4/ }).click();
  const inspector = page.getByTestId('call-inspector');
  await expect(inspector).toContainText('LeafFailed');
  await expect(inspector).toContainText('500 three times');
  await list.getByRole('treeitem', { name: /leaf 0/ }).click();
  await expect(inspector).toContainText('served from the cache');
  await expect(inspector).toContainText('Count widgets in chars');
});
