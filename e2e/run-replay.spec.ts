/**
 * The run views from a run log alone (no model): import a `.jsonl`, see its tree, inspect calls, replay it
 * into the same tree, export it again; a 10,000-call log stays usable; model output stays text.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { syntheticLog } from '../test/synthetic-log.ts';
import { serializeTrace } from '../workers/lang/format/trace-file.ts';

async function importLog(page: Page, name: string, text: string) {
  await page.getByRole('tab', { name: /History/ }).click();
  await page
    .getByTestId('import-log')
    .setInputFiles({ name, mimeType: 'application/x-ndjson', buffer: Buffer.from(text) });
  await expect(page.getByText(`Imported ${name}.`)).toBeVisible();
}

test('an imported log draws its tree, and a call can be inspected from the list', async ({ page }) => {
  await page.goto('/');
  const log = syntheticLog({
    k: 3,
    depth: 2,
    runId: 'run-small',
    failLeaves: new Set([4]),
    cachedLeaves: new Set([0]),
  });
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

test('a replay grows the same tree, and an exported log imports back into it', async ({ page }) => {
  await page.goto('/');
  const log = syntheticLog({
    k: 4,
    depth: 2,
    runId: 'run-replay',
    deltas: true,
    concurrency: 3,
    slowdown: 20,
  });
  await importLog(page, 'replay.jsonl', serializeTrace(log));
  const canvas = page.getByTestId('trace-canvas');
  await expect(canvas).toHaveAttribute('data-calls', '21');
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toHaveAttribute('data-lanes', '3');

  await page.getByTestId('replay-speed').selectOption({ label: '2×' });
  await page.getByRole('button', { name: 'Replay replay', exact: true }).click();
  // Mid-replay the tree is partial, then it reaches the whole run again.
  await expect(page.getByTestId('replay-progress')).toBeVisible();
  const partial = Number(await canvas.getAttribute('data-calls'));
  expect(partial).toBeLessThan(21);
  await expect(canvas).toHaveAttribute('data-calls', '21', { timeout: 15_000 });
  await expect(page.getByTestId('replay-progress')).toBeHidden();
  await expect(page.getByTestId('count-calls')).toContainText('16 / 16 predicted');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export replay as .jsonl' }).click();
  const file = await download;
  const text = await (await file.createReadStream()).toArray();
  const exported = Buffer.concat(text).toString('utf8');
  expect(exported.trim().split('\n')).toHaveLength(log.length);
  await importLog(page, 'exported.jsonl', exported);
  await expect(page.getByTestId('history-item')).toHaveCount(2);
  await expect(canvas).toHaveAttribute('data-calls', '21');
  await page.getByRole('radio', { name: 'List' }).check();
  // The list view loads when first shown.
  await expect(page.getByRole('treeitem').first()).toBeVisible();
  const labels = await page.getByRole('treeitem').locator('.row-label').allTextContents();
  expect(labels.slice(0, 3)).toEqual(['split 0–64000', 'split 0–16000', 'leaf 0']);
});

test('model output that looks like HTML or script stays text', async ({ page }) => {
  const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>';
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await page.goto('/');
  const log = syntheticLog({ k: 2, depth: 1, runId: 'run-xss', deltas: true, leafText: () => hostile });
  await importLog(page, 'xss.jsonl', serializeTrace(log));
  await page.getByRole('radio', { name: 'List' }).check();
  await page.getByRole('treeitem', { name: /leaf 1/ }).click();
  await expect(page.getByTestId('call-output')).toHaveText(hostile);
  expect(await page.locator('.call-inspector img, .call-inspector script, .call-inspector b').count()).toBe(
    0,
  );
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toBe(0);
});

test('a 10,000-call log imports and the tree stays usable', async ({ page }) => {
  await page.goto('/');
  const log = syntheticLog({ k: 100, depth: 2, runId: 'run-10k', inputChars: 4_000_000, concurrency: 8 });
  await importLog(page, 'big.jsonl', serializeTrace(log));
  const canvas = page.getByTestId('trace-canvas');
  await expect(canvas).toHaveAttribute('data-calls', '10101');
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-bars', '10000');
  await expect(page.getByTestId('count-calls')).toContainText('10,000 / 10,000 predicted');

  // Pan, zoom and collapse on the canvas; the page answers.
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 200, box.y + box.height / 2 + 20, { steps: 10 });
  await page.mouse.up();
  await page.mouse.wheel(0, -400);
  await page.getByRole('button', { name: 'Fit the tree' }).click();
  // The root sits at the top centre after a fit: a click there selects it.
  await page.mouse.click(box.x + box.width / 2, box.y + 24 + 4);
  await expect(canvas).toHaveAttribute('data-selected', 'c0');
  await expect(page.getByTestId('call-inspector')).toContainText('children100');
  await page.locator('.trace-canvas-wrap').press('Enter');
  await expect(canvas).toHaveAttribute('data-calls', '1');
  await page.locator('.trace-canvas-wrap').press('Enter');
  await expect(canvas).toHaveAttribute('data-calls', '10101');

  // The list renders only what is on screen, yet reaches the last call.
  await page.getByRole('radio', { name: 'List' }).check();
  const list = page.getByTestId('trace-list');
  await expect(list).toHaveAttribute('data-rows', '10101');
  expect(await list.getByRole('treeitem').count()).toBeLessThan(200);
  await list.focus();
  await page.keyboard.press('End');
  await expect(list.getByRole('treeitem', { name: /leaf 9999/ })).toBeVisible();
  await page.screenshot({ path: 'test-results/run-replay-10k.png' });
});

test('a wide tree opens readable (boxes wide enough for their labels); Fit still shows it whole', async ({
  page,
}) => {
  await page.goto('/');
  // 49 leaves: fitted whole, each box would be a few pixels wide and carry no words.
  await importLog(page, 'wide.jsonl', serializeTrace(syntheticLog({ k: 7, depth: 2, runId: 'run-wide' })));
  const canvas = page.getByTestId('trace-canvas');
  await expect(canvas).toHaveAttribute('data-calls', '57');
  await expect(canvas).toHaveAttribute('data-scale', /^(0\.9\d*|1\.0+)$/);
  // The timeline draws every leaf as a bar of its own.
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-bars', '49');
  await page.getByRole('button', { name: 'Fit the tree' }).click();
  await expect(canvas).toHaveAttribute('data-scale', /^0\.[0-3]\d*$/);
});

test('the run view has no serious accessibility violations (axe), in tree and list modes', async ({
  page,
}) => {
  await page.goto('/');
  await importLog(page, 'a11y.jsonl', serializeTrace(syntheticLog({ k: 3, depth: 2, runId: 'run-a11y' })));
  const scan = async () => {
    const r = await new AxeBuilder({ page }).include('.run-dock').analyze();
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help}`);
  };
  expect(await scan()).toEqual([]);
  await page.getByRole('radio', { name: 'List' }).check();
  await page.getByRole('treeitem').first().click();
  for (const tab of ['Input', 'Plan', 'Result']) {
    await page.getByRole('tab', { name: tab }).click();
    expect(await scan()).toEqual([]);
  }
});

test('a damaged log is refused with the line that is wrong, and nothing is half-loaded', async ({ page }) => {
  await page.goto('/');
  const lines = serializeTrace(syntheticLog({ k: 2, depth: 1, runId: 'run-bad' })).split('\n');
  lines[2] = '{"type":"call.start","runId":"run-bad"';
  await page.getByRole('tab', { name: /History/ }).click();
  await page.getByTestId('import-log').setInputFiles({
    name: 'bad.jsonl',
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from(lines.join('\n')),
  });
  await expect(page.getByRole('alert')).toContainText('bad.jsonl is not a run log: line 3');
  await expect(page.getByTestId('history-item')).toHaveCount(0);
});
