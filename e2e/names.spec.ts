/**
 * One name per thing: a port is called what wires, errors and the JSON call it; the counters say which
 * calls they count; the paper's symbols (k*, τ*, α, ⊕) are explained where they appear.
 */
import { expect, test } from '@playwright/test';
import { node, openEmptyEditor } from './editor-helpers.ts';
import { sampleReady } from './fixtures/examples.ts';
import { chooseApiEngine } from './fixtures/model-settings.ts';

test('a port shows the name its errors and wires use', async ({ page }) => {
  await openEmptyEditor(page);
  const palette = page.getByRole('complementary', { name: 'Palette' });
  for (const kind of ['Split', 'Output']) await palette.locator(`button[data-kind="${kind}"]`).click();
  await expect(node(page, 'output-1').locator('.port-in .port-label')).toHaveText('value');
  await expect(page.locator('.problem-where', { hasText: 'output-1' })).toContainText('· value');
  await expect(page.locator('.problem-msg', { hasText: 'output-1' })).toContainText('"value"');
  await expect(node(page, 'split-1').locator('.port-out .port-label')).toHaveText('parts');
  // The inspector lists the same names.
  await expect(page.getByRole('region', { name: 'Ports' })).toContainText('in value');
});

test('the counters say which calls they count, and the symbols are explained', async ({ page }) => {
  await page.goto('/');
  await sampleReady(page);
  await expect(page.getByTestId('count-calls')).toContainText('model calls');
  await expect(page.getByTestId('count-tree-calls')).toContainText('tree calls done');
  await expect(page.getByTestId('count-tree-calls')).toHaveAttribute(
    'title',
    /every box of the recursion tree/,
  );

  // The plan preview needs a model's window: any API address will do, nothing is called.
  await chooseApiEngine(page, 'http://127.0.0.1:9/v1');
  await page.getByRole('tab', { name: 'Plan' }).click();
  await expect(page.getByTestId('plan-k')).toBeVisible({ timeout: 20_000 });
  for (const [symbol, words] of [
    ['k*', /how many pieces a Split cuts/],
    ['τ*', /the leaf size/],
    ['α', /the target accuracy/],
  ] as const)
    await expect(page.locator(`abbr[data-term="${symbol}"]`)).toHaveAttribute('title', words);
  // What is expected reads beside the bound as the same kind of figure: tokens in, tokens out.
  const tokens = (await page.getByTestId('plan-tokens').textContent()) ?? '';
  const figures = /≤ ([\d,]+) in · ≤ ([\d,]+) out · expected ([\d,]+) in · ([\d,]+) out, in \d+ calls/.exec(
    tokens,
  );
  expect(figures, tokens).not.toBeNull();
  const [inBound, outBound, inExpected, outExpected] = figures!
    .slice(1)
    .map((f) => Number(f.replace(/,/g, '')));
  expect(inExpected).toBeLessThanOrEqual(inBound!);
  expect(outExpected).toBeLessThanOrEqual(outBound!);

  // ⊕ on a Reduce: the node's summary and its parameter explain it.
  const reduce = page.locator('.react-flow__node:has([data-kind="Reduce"])').first();
  if ((await reduce.count()) > 0) {
    await expect(reduce.locator('.node-summary[title]').first()).toHaveAttribute('title', /combine operator/);
  }
  await page.getByRole('button', { name: 'New', exact: true }).click();
  const palette = page.getByRole('complementary', { name: 'Palette' });
  await expect(palette.locator('button[data-kind="Reduce"]')).toHaveAttribute(
    'title',
    /⊕ — the combine operator/,
  );
  await palette.locator('button[data-kind="Reduce"]').click();
  await expect(page.locator('[data-param="op"] label')).toHaveAttribute('title', /⊕ — the combine operator/);
  await palette.locator('button[data-kind="Fix"]').click();
  await expect(page.locator('.lane-base .lane-title')).toHaveAttribute('title', /τ\* — the leaf size/);
});
