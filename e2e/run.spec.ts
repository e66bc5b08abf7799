/**
 * Runs against the scripted OpenAI-compatible server (a test double with latency): every example reaches
 * its right answer within the planner's call bound; abort stops the run and no request follows; a re-run
 * is served from the cache.
 */
import type { Page } from '@playwright/test';
import { chooseApiEngine } from './fixtures/model-settings.ts';
import { expect, type ScriptedServer, test } from './fixtures/scripted-server.ts';

const EXAMPLES = [
  'S-NIAH: needle in a haystack',
  'OOLONG: count by category',
  'OOLONG-Pairs: users who share a hobby',
  'Multi-document QA',
  'Hierarchical summary',
];

async function useScriptedModel(page: Page, scripted: ScriptedServer, concurrency?: number) {
  await chooseApiEngine(page, scripted.url, { concurrency });
}

async function openExample(page: Page, name: string) {
  await page.getByRole('button', { name: 'Open…' }).click();
  await page.getByRole('button', { name: new RegExp(`^${name.replace(/[()]/g, '\\$&')}`) }).click();
  await expect(page.getByRole('dialog', { name: 'Open a document' })).toBeHidden();
}

async function generateSample(page: Page) {
  await page.getByRole('tab', { name: 'Input' }).click();
  await page.getByTestId('generate-sample').click();
  await expect(page.getByTestId('input-meta')).toContainText('characters');
}

const calls = (text: string) => {
  const m = /([\d,]+)\s*\/\s*([\d,]+) predicted/.exec(text);
  if (!m) throw new Error(`no counts in "${text}"`);
  return { actual: Number(m[1]!.replace(/,/g, '')), predicted: Number(m[2]!.replace(/,/g, '')) };
};

for (const name of EXAMPLES) {
  test(`${name} runs to the right answer within the predicted calls`, async ({ page, scripted }) => {
    scripted.configure({ latencyMs: 30 });
    await page.goto('/');
    await useScriptedModel(page, scripted);
    await openExample(page, name);
    await generateSample(page);
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

test('abort stops the run within a second and no further request reaches the server', async ({
  page,
  scripted,
}) => {
  scripted.configure({ latencyMs: 300 });
  await page.goto('/');
  await useScriptedModel(page, scripted);
  await openExample(page, 'OOLONG: count by category');
  await page.getByRole('tab', { name: 'Input' }).click();
  await page.getByLabel('Sample size').selectOption({ label: '128K tokens' });
  await generateSample(page);
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('count-calls'))
    .toContainText(/cached|^[1-9]/, { timeout: 20_000 })
    .catch(() => {});
  await expect.poll(() => scripted.chatRequests().length, { timeout: 20_000 }).toBeGreaterThan(2);
  await page.getByTestId('run-abort').click();
  // The requirement itself is a time: the run reports aborted within a second of the click.
  await expect(page.getByTestId('run-title')).toContainText('aborted', { timeout: 1000 });
  const atAbort = scripted.chatRequests().length;
  await page.waitForTimeout(1500);
  expect(scripted.chatRequests().length).toBe(atAbort);
  const { actual, predicted } = calls((await page.getByTestId('count-calls').textContent()) ?? '');
  expect(actual).toBeLessThan(predicted);
  await page.getByRole('tab', { name: 'Result' }).click();
  await expect(page.getByTestId('run-result')).toContainText('Aborted');
  await page.screenshot({ path: 'test-results/run-aborted.png' });
});

test('a re-run is served from the cache and marks its leaves cached', async ({ page, scripted }) => {
  scripted.configure({ latencyMs: 20 });
  await page.goto('/');
  await useScriptedModel(page, scripted);
  await openExample(page, 'OOLONG: count by category');
  await generateSample(page);
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
  await page.goto('/');
  await useScriptedModel(page, scripted);
  await openExample(page, 'Hierarchical summary');
  await page.getByRole('tab', { name: 'Input' }).click();
  // The scripted summariser answers the first sentence of each paragraph: the hostile text comes back.
  await page
    .getByTestId('input-text')
    .fill(`${hostile} More words follow here.\n\nA second paragraph. It ends.`);
  await expect(page.getByTestId('input-meta')).toContainText('characters');
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
  scripted.configure({ latencyMs: 10 });
  await page.goto('/');
  await useScriptedModel(page, scripted);
  await openExample(page, 'Multi-document QA');
  await generateSample(page);
  const runFrom = page.getByTestId('run-from-node');
  await page.getByLabel('More ways to run').click();
  // Nothing selected yet: the item says why it cannot run.
  await expect(runFrom).toBeDisabled();
  await expect(runFrom).toContainText('select a node on the canvas first');
  await page.getByLabel('More ways to run').click();

  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('run-title')).toContainText('· done', { timeout: 45_000 });
  const first = scripted.chatRequests();
  const extracts = first.filter((r) => r.basis === 'quotes').length;
  expect(extracts).toBeGreaterThan(0);
  expect(first.filter((r) => r.basis === 'fact')).toHaveLength(1);

  // The final call alone: the notes extracted upstream come from the cache.
  await selectOnCanvas(page, 'answer');
  await page.getByLabel('More ways to run').click();
  await expect(runFrom).toBeEnabled();
  await expect(runFrom).toContainText('Synthesise and everything after it ask the model again');
  await page.screenshot({ path: 'test-results/run-from-node.png' });
  await runFrom.click();
  await expect(page.getByTestId('run-title')).toContainText('(from Synthesise)');
  await expect(page.getByTestId('run-title')).toContainText('· done', { timeout: 45_000 });
  const fromAnswer = scripted.chatRequests().slice(first.length);
  expect(fromAnswer.map((r) => r.basis)).toEqual(['fact']);
  await expect(page.getByTestId('count-calls')).toContainText(`(${extracts} cached, 1 sent)`);
  await page.getByRole('tab', { name: 'Result' }).click();
  await expect(page.getByTestId('result-check')).toHaveText(/matches/);

  // From a node inside the Map: each extraction again, and the answer after them; the filter stays cached.
  const before = scripted.chatRequests().length;
  await selectOnCanvas(page, 'extract');
  await page.getByLabel('More ways to run').click();
  await runFrom.click();
  await expect(page.getByTestId('run-title')).toContainText('(from Extract)');
  await expect(page.getByTestId('run-title')).toContainText('· done', { timeout: 45_000 });
  const fromExtract = scripted.chatRequests().slice(before);
  expect(fromExtract.filter((r) => r.basis === 'quotes')).toHaveLength(extracts);
  expect(fromExtract.filter((r) => r.basis === 'fact')).toHaveLength(1);
  expect(fromExtract).toHaveLength(extracts + 1);
});
