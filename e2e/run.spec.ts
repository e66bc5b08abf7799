/**
 * Runs against the scripted OpenAI-compatible server (a test double with latency, handed each sample's
 * ground truth out of band): every example reaches its right answer within the planner's call bound;
 * abort stops the run and no request follows; a re-run is served from the cache.
 */
import type { Page } from '@playwright/test';
import { openExample, sampleReady } from './fixtures/examples.ts';
import { chooseApiEngine } from './fixtures/model-settings.ts';
import { exampleTruth, GALLERY } from './fixtures/sample-truth.ts';
import { expect, type ScriptedServer, test } from './fixtures/scripted-server.ts';

async function useScriptedModel(page: Page, scripted: ScriptedServer, concurrency?: number) {
  await chooseApiEngine(page, scripted.url, { concurrency });
}

const calls = (text: string) => {
  const m = /([\d,]+)\s*\/\s*([\d,]+) predicted/.exec(text);
  if (!m) throw new Error(`no counts in "${text}"`);
  return { actual: Number(m[1]!.replace(/,/g, '')), predicted: Number(m[2]!.replace(/,/g, '')) };
};

for (const { file, name } of GALLERY) {
  test(`${name} runs to the right answer within the predicted calls`, async ({ page, scripted }) => {
    scripted.configure({ latencyMs: 30, truth: [exampleTruth(file)] });
    await page.goto('/');
    await useScriptedModel(page, scripted);
    await openExample(page, name);
    await sampleReady(page);
    await page.getByRole('tab', { name: 'Plan' }).click();
    await expect(page.getByTestId('plan-calls')).toBeVisible({ timeout: 20_000 });
    // Before the run, the tree shows the planner's predicted recursion.
    await expect(page.getByTestId('trace-canvas')).toBeVisible();
    await expect(page.getByTestId('run-title')).toHaveText('Plan preview');
    if (name.startsWith('Hierarchical')) await page.screenshot({ path: 'test-results/run-plan-preview.png' });
    await page.getByTestId('run-start').click();
    await expect(page.getByTestId('run-title')).toContainText('· done', { timeout: 45_000 });
    await page.getByRole('tab', { name: 'Result' }).click();
    await expect(page.getByTestId('result-check')).toHaveText(/matches/);
    // The sample's expected answer is shown beside the result.
    await expect(page.getByTestId('result-expected')).not.toBeEmpty();
    const { actual, predicted } = calls((await page.getByTestId('count-calls').textContent()) ?? '');
    expect(actual).toBeGreaterThan(0);
    expect(actual).toBeLessThanOrEqual(predicted);
    expect(scripted.chatRequests().length).toBeLessThanOrEqual(predicted);
    await expect(page.getByTestId('trace-canvas')).toBeVisible();
    // The pipeline canvas shows each node's calls in the run.
    await expect(page.getByTestId('node-run-badge').first()).toBeVisible();
    // A leaf's span is highlighted in the input, and its exact prompt is shown.
    // The timeline draws leaf calls only: its first lane starts with the first leaf.
    const timeline = (await page.getByTestId('timeline').boundingBox())!;
    await page.mouse.click(timeline.x + 8, timeline.y + 20);
    await expect(page.getByTestId('call-span').locator('mark')).not.toBeEmpty();
    await expect(page.getByTestId('call-inspector')).toContainText('Prompt');
    await expect(page.getByTestId('call-tokens')).toContainText(' in · ');
    if (name.startsWith('OOLONG:')) await page.screenshot({ path: 'test-results/run-oolong.png' });
  });
}

test('abort stops the run and no further request reaches the server', async ({ page, scripted }) => {
  scripted.configure({ latencyMs: 300, truth: [exampleTruth('oolong.json', 128_000)] });
  await page.goto('/');
  await useScriptedModel(page, scripted);
  await openExample(page, 'OOLONG: count by category');
  await page.getByRole('tab', { name: 'Input' }).click();
  await page.getByLabel('Sample size').selectOption({ label: '128K tokens' });
  await sampleReady(page);
  await page.getByTestId('generate-sample').click();
  await expect(page.getByTestId('input-meta')).toContainText('128,000 tokens');
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('count-calls'))
    .toContainText(/cached|^[1-9]/, { timeout: 20_000 })
    .catch(() => {});
  await expect.poll(() => scripted.chatRequests().length, { timeout: 20_000 }).toBeGreaterThan(2);
  await page.getByTestId('run-abort').click();
  // How fast an abort lands is a figure for the bench, not an assertion here (this machine is shared).
  await expect(page.getByTestId('run-title')).toContainText('aborted');
  const atAbort = scripted.chatRequests().length;
  await page.waitForTimeout(1500);
  expect(scripted.chatRequests().length).toBe(atAbort);
  const { actual, predicted } = calls((await page.getByTestId('count-calls').textContent()) ?? '');
  expect(actual).toBeLessThan(predicted);
  await page.getByRole('tab', { name: 'Result' }).click();
  await expect(page.getByTestId('run-result')).toContainText('Aborted');
  // Said once, not three times ("Aborted. Stopped before it finished. The run was aborted.").
  const said = (await page.getByTestId('run-result').getByRole('alert').textContent()) ?? '';
  expect(said).toBe('Aborted. You stopped the run before it finished.');
  await page.screenshot({ path: 'test-results/run-aborted.png' });
});

test('a re-run is served from the cache and marks its leaves cached', async ({ page, scripted }) => {
  scripted.configure({ latencyMs: 20, truth: [exampleTruth('oolong.json')] });
  await page.goto('/');
  await useScriptedModel(page, scripted);
  await openExample(page, 'OOLONG: count by category');
  await sampleReady(page);
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('run-title')).toContainText('· done', { timeout: 45_000 });
  const first = calls((await page.getByTestId('count-calls').textContent()) ?? '');
  const sent = scripted.chatRequests().length;
  expect(sent).toBe(first.actual);

  await page.getByTestId('run-again').click();
  await expect(page.getByTestId('run-title')).toContainText('(re-run)');
  await expect(page.getByTestId('run-title')).toContainText('· done', { timeout: 45_000 });
  await expect(page.getByTestId('count-calls')).toContainText(`(${first.actual} cached, 0 sent)`);
  expect(scripted.chatRequests().length).toBe(sent);
  await page.getByRole('tab', { name: 'Result' }).click();
  await expect(page.getByTestId('result-check')).toHaveText(/matches/);
  await page.getByRole('radio', { name: 'List' }).check();
  await expect(page.getByRole('treeitem').filter({ hasText: 'from cache' }).first()).toBeVisible();
  await page.getByRole('tab', { name: /History/ }).click();
  await expect(page.getByTestId('history-item')).toHaveCount(2);
});

test('a leaf answer that is HTML stays text everywhere it is shown', async ({ page, scripted }) => {
  const hostile = '<img src=x onerror="window.__pwned=1"> and <script>window.__pwned=2</script>.';
  // The scripted summariser keeps a document's key sentences: the hostile text is one of them.
  scripted.configure({ truth: [{ keySentences: [hostile, 'A second paragraph.'] }] });
  await page.goto('/');
  await useScriptedModel(page, scripted);
  await openExample(page, 'Hierarchical summary');
  await page.getByRole('tab', { name: 'Input' }).click();
  const document = `${hostile} More words follow here.\n\nA second paragraph. It ends.`;
  await page.getByTestId('input-text').fill(document);
  await expect(page.getByTestId('input-meta')).toContainText(`${document.length} characters`);
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('run-title')).toContainText('· done', { timeout: 45_000 });
  await page.getByRole('tab', { name: 'Result' }).click();
  await expect(page.getByTestId('result-text')).toContainText('<img src=x onerror=');
  await page.getByRole('radio', { name: 'List' }).check();
  await page.getByRole('treeitem').first().click();
  await expect(page.getByTestId('call-inspector')).toBeVisible();
  expect(await page.locator('.run-dock img, .run-dock script').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

/** Selects a node on the pipeline canvas from the keyboard (the minimap may lie over it for a click). */
async function selectOnCanvas(page: Page, id: string) {
  const node = page.locator(`.react-flow__node[data-id="${id}"]`);
  await node.focus();
  await page.keyboard.press('Enter');
  await expect(node).toHaveClass(/selected/);
}

test('run from the selected node asks the model only for that node and what follows it', async ({
  page,
  scripted,
}) => {
  scripted.configure({ latencyMs: 10, truth: [exampleTruth('oolong.json')] });
  await page.goto('/');
  await useScriptedModel(page, scripted);
  await openExample(page, 'OOLONG: count by category');
  await sampleReady(page);
  const runFrom = page.getByTestId('run-from-node');
  await page.getByLabel('More ways to run').click();
  // Nothing selected yet: the item says why it cannot run.
  await expect(runFrom).toBeDisabled();
  await expect(runFrom).toContainText('select a node on the canvas first');
  await page.getByLabel('More ways to run').click();

  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('run-title')).toContainText('· done', { timeout: 45_000 });
  const first = scripted.chatRequests();
  // The scripted model logs what each answer was made from: counts for the leaves, the totals for the last.
  const counts = first.filter((r) => r.basis === 'counts').length;
  expect(counts).toBeGreaterThan(0);
  expect(first.filter((r) => r.basis === 'fact')).toHaveLength(1);

  // The final call alone: the counts made upstream come from the cache.
  await selectOnCanvas(page, 'answer');
  await page.getByLabel('More ways to run').click();
  await expect(runFrom).toBeEnabled();
  await expect(runFrom).toContainText('Read off the totals and everything after it ask the model again');
  await page.screenshot({ path: 'test-results/run-from-node.png' });
  await runFrom.click();
  await expect(page.getByTestId('run-title')).toContainText('(from Read off the totals)');
  await expect(page.getByTestId('run-title')).toContainText('· done', { timeout: 45_000 });
  const fromAnswer = scripted.chatRequests().slice(first.length);
  expect(fromAnswer.map((r) => r.basis)).toEqual(['fact']);
  await expect(page.getByTestId('count-calls')).toContainText(`(${counts} cached, 1 sent)`);
  await page.getByRole('tab', { name: 'Result' }).click();
  await expect(page.getByTestId('result-check')).toHaveText(/matches/);

  // From a node inside the Map: each count again, and the answer after them.
  const before = scripted.chatRequests().length;
  await selectOnCanvas(page, 'classify');
  await page.getByLabel('More ways to run').click();
  await runFrom.click();
  await expect(page.getByTestId('run-title')).toContainText('(from Count the named categories)');
  await expect(page.getByTestId('run-title')).toContainText('· done', { timeout: 45_000 });
  const fromCount = scripted.chatRequests().slice(before);
  expect(fromCount.filter((r) => r.basis === 'counts')).toHaveLength(counts);
  expect(fromCount.filter((r) => r.basis === 'fact')).toHaveLength(1);
  expect(fromCount).toHaveLength(counts + 1);
});
