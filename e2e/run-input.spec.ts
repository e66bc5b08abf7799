/** The input panel: paste, open files up to 50 MB without holding the text in the page's React state. */
import { writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { estimateTokenizer } from '../workers/lang/index.ts';
import { sampleReady } from './fixtures/examples.ts';

test('pasted text is counted in characters and estimated tokens', async ({ page }) => {
  await page.goto('/');
  await sampleReady(page);
  const text = 'word '.repeat(2000);
  await page.getByTestId('input-text').fill(text);
  const tokens = estimateTokenizer.count(text).toLocaleString('en');
  await expect(page.getByTestId('input-meta')).toContainText(`10,000 characters · ~${tokens} tokens`);
});

test('a 50 MB file opens, is counted, and is previewed rather than put in a text area', async ({
  page,
}, testInfo) => {
  await page.goto('/');
  await sampleReady(page);
  const line = 'The quick brown fox jumps over the lazy dog; 0123456789.\n';
  const big = Buffer.from(line.repeat(Math.ceil((50 * 1024 * 1024) / line.length)));
  // Playwright hands a buffer over only up to 50 MB: larger files go by path.
  const path = testInfo.outputPath('big.txt');
  writeFileSync(path, big);
  await page.getByTestId('input-file').setInputFiles(path);
  const chars = big.length.toLocaleString('en');
  await expect(page.getByTestId('input-meta')).toContainText(`${chars} characters`, { timeout: 30_000 });
  await expect(page.getByTestId('input-meta')).toContainText('big.txt');
  await expect(page.getByTestId('input-text')).toHaveCount(0);
  await expect(page.getByTestId('input-preview')).toContainText('The quick brown fox');
  // The page still answers: switching tabs works at once.
  await page.getByRole('tab', { name: 'Plan' }).click();
  await expect(page.getByTestId('plan-preview')).toBeVisible();
});

test('a JSON file opens as text, and a binary file is refused in words', async ({ page }) => {
  await page.goto('/');
  await sampleReady(page);
  const json = JSON.stringify({ items: [1, 2, 3], note: 'hello' });
  await page
    .getByTestId('input-file')
    .setInputFiles({ name: 'data.json', mimeType: 'application/json', buffer: Buffer.from(json) });
  await expect(page.getByTestId('input-meta')).toContainText(`${json.length} characters`);
  await expect(page.getByTestId('input-text')).toHaveValue(json);
  await page.getByTestId('input-file').setInputFiles({
    name: 'blob.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from([0x50, 0x00, 0x01, 0x02]),
  });
  await expect(page.getByRole('alert')).toContainText('binary');
  await expect(page.getByTestId('input-meta')).toContainText(`${json.length} characters`);
});

test('a pasted document survives a reload; one past the limit says it will not', async ({ page }) => {
  await page.goto('/');
  await sampleReady(page);
  const text = `A document nobody shaped for this test.\n${'Line of ordinary prose, number one. '.repeat(200)}`;
  await page.getByRole('tab', { name: 'Input' }).click();
  await page.getByTestId('input-text').fill(text);
  await expect(page.getByTestId('input-meta')).toContainText(
    `${text.length.toLocaleString('en')} characters`,
  );
  await expect(page.getByTestId('input-save')).toHaveAttribute('data-state', 'saved');
  await page.reload();
  await page.getByRole('tab', { name: 'Input' }).click();
  await expect(page.getByTestId('input-text')).toHaveValue(text);
  await expect(page.getByTestId('input-meta')).toContainText(
    `${text.length.toLocaleString('en')} characters`,
  );

  // 21 million characters: past the stated limit of 20 million.
  const big = Buffer.from('0123456789'.repeat(2_100_000));
  await page
    .getByTestId('input-file')
    .setInputFiles({ name: 'big.txt', mimeType: 'text/plain', buffer: big });
  await expect(page.getByTestId('input-save')).toHaveAttribute('data-state', 'too-large');
  await expect(page.getByTestId('input-save')).toContainText(
    'documents up to 20,000,000 characters are kept in this browser',
  );
});

test('an edit and a paste made just before a reload are not lost to the save delay', async ({ page }) => {
  await page.goto('/');
  await sampleReady(page);
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');
  const query = 'Which of these paragraphs mentions the lighthouse keeper?';
  const text = 'The lighthouse keeper wrote every evening.\n\nThe ferry left at nine, as it always had.';
  await page.getByLabel('Query').first().fill(query);
  await page.getByTestId('input-text').fill(text);
  // No waiting for "Saved": a user presses F5 (or closes the tab) straight after typing.
  await page.reload();
  await page.getByRole('tab', { name: 'Input' }).click();
  await expect(page.getByLabel('Query').first()).toHaveValue(query);
  await expect(page.getByTestId('input-text')).toHaveValue(text);
});
