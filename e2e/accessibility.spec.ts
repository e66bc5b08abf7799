/**
 * axe in both colour schemes, over what a new user meets: the first screen with its Start tab, a finished run
 * (Result, Plan, History, the tree as a list), the inspector, every dialog and the command palette. No serious
 * or critical violation (contrast included: the dark theme's Run button was white on #8b97ff, 2.6:1).
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { GALLERY, galleryTruth } from './fixtures/sample-truth.ts';
import { DEFAULT_SCRIPTED_MODEL, expect, test } from './fixtures/scripted-server.ts';

async function serious(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).exclude('.monaco-editor').analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`no serious accessibility violation in the ${colorScheme} scheme, from the first screen to a run`, async ({
    page,
    scripted,
  }) => {
    // Eleven full-page axe scans: seconds each on a busy machine.
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme });
    // The run is of what a first visit opens: the gallery's first example, whose truth the server is given.
    scripted.configure({ truth: [galleryTruth(GALLERY[0]!.name)] });
    await page.goto('/');
    const start = page.getByTestId('start-panel');
    await expect(start.getByTestId('start-input-state')).toContainText('Input ready');
    const checked: Record<string, string[]> = {};
    checked['first screen'] = await serious(page);

    await start.getByLabel('Base URL').fill(scripted.url);
    await start.getByLabel('Model', { exact: true }).fill(DEFAULT_SCRIPTED_MODEL);
    await start.getByTestId('start-run').click();
    await expect(start.getByTestId('start-run-state')).toHaveAttribute('data-status', 'done', {
      timeout: 60_000,
    });
    checked['result'] = await serious(page);
    for (const tab of ['Plan', 'History', 'Input']) {
      await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
      checked[`${tab} tab`] = await serious(page);
    }
    await page.getByRole('radio', { name: 'List' }).check();
    await page.getByRole('treeitem').first().click();
    checked['tree as a list, a call inspected'] = await serious(page);
    await page.getByRole('tab', { name: 'Inspector' }).click();
    checked.inspector = await serious(page);

    for (const [button, dialog] of [
      [/^Model:/, 'Model settings'],
      ['Open…', 'Open a document'],
      ['Share', 'Share this plan'],
    ] as const) {
      await page.getByRole('button', { name: button, exact: typeof button === 'string' }).click();
      await expect(page.getByRole('dialog', { name: dialog })).toBeVisible();
      checked[dialog] = await serious(page);
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog', { name: dialog })).toBeHidden();
    }
    await page.keyboard.press('Control+k');
    await page.keyboard.type('a');
    checked['command palette'] = await serious(page);
    await page.keyboard.press('Escape');

    const found = Object.entries(checked).filter(([, v]) => v.length > 0);
    expect(found).toEqual([]);
  });
}

test('the palette’s search box shows its whole placeholder', async ({ page }) => {
  await page.goto('/');
  const search = page.getByRole('searchbox', { name: 'Search nodes' });
  const fits = await search.evaluate((el: HTMLInputElement) => {
    const style = getComputedStyle(el);
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = `${style.fontSize} ${style.fontFamily}`;
    const room =
      el.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
    return ctx.measureText(el.placeholder).width <= room;
  });
  expect(fits).toBe(true);
});
