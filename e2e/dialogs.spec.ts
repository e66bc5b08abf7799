/**
 * Every dialog opens, stays open while it is used, and closes when asked. Runs against the production
 * build and the dev server (playwright.config.ts, project "dev"), where React StrictMode runs each effect
 * twice: a dialog whose effect cleanup closed it used to vanish there within 20 ms of opening.
 */
import { expect, type Page, test } from '@playwright/test';

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  // The first visit has opened its example: the dialogs below see the page as a user would.
  await expect(page.getByTestId('start-example')).not.toBeEmpty();
});

test('the model settings dialog opens, stays open while it is filled in, and closes', async ({ page }) => {
  const errors = collectErrors(page);
  await page.getByRole('button', { name: /^Model:/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Model settings' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('radio', { name: /^API/ }).check();
  await dialog.getByLabel('Base URL').fill('http://127.0.0.1:9/v1');
  await dialog.getByLabel('Model', { exact: true }).fill('some-model');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Base URL')).toHaveValue('http://127.0.0.1:9/v1');
  await dialog.getByRole('button', { name: 'Close model settings' }).click();
  await expect(dialog).toBeHidden();
  // Opened again, it shows what was set.
  await page.getByRole('button', { name: /^Model:/ }).click();
  await expect(dialog.getByLabel('Base URL')).toHaveValue('http://127.0.0.1:9/v1');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(errors).toEqual([]);
});

test('the open dialog lists the examples and stays open until one is chosen', async ({ page }) => {
  const errors = collectErrors(page);
  await page.getByRole('button', { name: 'Open…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open a document' });
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('.gallery-item').first()).toBeVisible();
  await expect(dialog.getByRole('region', { name: 'Recent documents' })).toBeVisible();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Open…' }).click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(errors).toEqual([]);
});

test('the share dialog makes its link and stays open', async ({ page }) => {
  const errors = collectErrors(page);
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Share this plan' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('share-link')).toHaveValue(/#p=/);
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  expect(errors.filter((e) => !/clipboard/i.test(e))).toEqual([]);
});
