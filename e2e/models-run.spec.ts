import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { writeTinyGguf } from '../test/tiny-gguf/make.ts';
import { openExample, sampleReady } from './fixtures/examples.ts';

/**
 * The whole in-browser inference path on the CPU engine: a real example plan runs on the tiny random GGUF
 * (a test double: gibberish, deterministic) through the runtime worker, the evaluator and wllama. The answer
 * means nothing; the number of model calls must be the one the planner predicted.
 */
test('an example plan runs on the tiny GGUF with as many calls as the planner predicted', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const gguf = writeTinyGguf(join(mkdtempSync(join(tmpdir(), 'fixpoint-gguf-')), 'tiny-run.gguf'));
  await page.goto('/');
  await page.getByRole('button', { name: /^Model:/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Model settings' });
  await dialog.getByRole('radio', { name: /^CPU \(GGUF\)/ }).check();
  await dialog.getByLabel('…or a .gguf file from this computer').setInputFiles(gguf);
  await dialog.getByRole('button', { name: 'Load model' }).click();
  await expect(dialog.getByTestId('gguf-loaded')).toBeVisible({ timeout: 30_000 });
  await dialog.press('Escape');
  await expect(dialog).toBeHidden();

  await openExample(page, 'Hierarchical summary');
  await sampleReady(page);
  await page.getByLabel('Sample size').selectOption({ label: '2K tokens' });
  await page.getByTestId('generate-sample').click();
  await expect(page.getByTestId('input-meta')).toContainText('characters');
  await page.getByRole('tab', { name: 'Plan' }).click();
  await expect(page.getByTestId('plan-calls')).toBeVisible({ timeout: 20_000 });

  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('run-title')).toContainText(/· (done|failed)/, { timeout: 150_000 });
  await page.getByRole('tab', { name: 'Result' }).click();
  // On failure, the run's own words say why (the Result tab shows the error).
  const why = (await page.getByTestId('run-result').textContent()) ?? '';
  await expect(page.getByTestId('run-title'), why).toContainText('· done');
  const text = (await page.getByTestId('count-calls').textContent()) ?? '';
  const m = /([\d,]+)\s*\/\s*([\d,]+) predicted/.exec(text);
  expect(m, `counts in "${text}"`).not.toBeNull();
  const actual = Number(m?.[1]?.replace(/,/g, ''));
  const predicted = Number(m?.[2]?.replace(/,/g, ''));
  expect(actual).toBeGreaterThan(1);
  expect(actual).toBe(predicted);
  await page.getByRole('tab', { name: 'Result' }).click();
  await expect(page.getByTestId('result-text')).not.toBeEmpty();
});
