/**
 * RLM mode in the page, against the scripted server (its RLM policy writes the code, test/rlm-policy/):
 * the model's JavaScript runs in the sandbox's own worker and the run fills the same tree and inspector
 * as a plan run; a runaway cell is stopped while the page keeps answering.
 */
import type { Page } from '@playwright/test';
import { sampleGenerators, serializeTrace, type TraceEvent } from '../workers/lang/index.ts';
import { createScriptedModel } from '../workers/lang/testing/scripted-model.ts';
import { runRlm } from '../workers/rlm/index.ts';
import { openExample, sampleReady } from './fixtures/examples.ts';
import { chooseApiEngine } from './fixtures/model-settings.ts';
import { exampleTruth } from './fixtures/sample-truth.ts';
import { expect, test } from './fixtures/scripted-server.ts';

async function openSniah(page: Page) {
  await openExample(page, /^S-NIAH/);
  await sampleReady(page);
}

async function runAsRlm(page: Page) {
  await page.getByLabel('More ways to run').click();
  await page.getByTestId('run-rlm').click();
}

async function listRow(page: Page, label: string) {
  await page.getByRole('radio', { name: 'List' }).check();
  return page.getByTestId('trace-list').getByRole('treeitem').filter({ hasText: label }).first();
}

test('Run as RLM: the model’s code answers, and the tree and inspector show iterations, cells and sub-calls', async ({
  page,
  scripted,
}) => {
  scripted.configure({ latencyMs: 20, truth: [exampleTruth('sniah.json')] });
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto('/');
  await chooseApiEngine(page, scripted.url);
  await openSniah(page);
  // Nothing of the sandbox before an RLM run starts.
  expect(workers.filter((u) => /sandbox/i.test(u))).toEqual([]);
  await runAsRlm(page);
  await expect(page.getByTestId('run-title')).toContainText('· done', { timeout: 45_000 });
  await page.getByRole('tab', { name: 'Result' }).click();
  await expect(page.getByTestId('result-check')).toHaveText(/matches/);
  expect(scripted.chatRequests().filter((r) => r.basis === 'rlm-policy')).toHaveLength(2);

  const cell = await listRow(page, 'cell 1');
  await cell.click();
  const inspector = page.getByTestId('call-inspector');
  await expect(inspector.getByTestId('cell-code')).toContainText('llm_query_batched');
  await expect(inspector.getByTestId('cell-output')).toContainText('answers found');
  const sub = await listRow(page, 'llm_query 1');
  await sub.click();
  await expect(inspector).toContainText('Prompt');
  await expect(inspector.getByTestId('call-output')).not.toBeEmpty();
  const final = await listRow(page, 'cell 2');
  await final.click();
  await expect(inspector.getByTestId('cell-final')).not.toBeEmpty();
  // The model's code is shown as text: markup in it is never parsed into the page.
  expect(await inspector.locator('[data-testid="cell-code"] *').count()).toBe(0);
});

test('a runaway cell is stopped in its worker while the page keeps answering', async ({ page, scripted }) => {
  await page.goto('/');
  await chooseApiEngine(page, scripted.url);
  await openSniah(page);
  await page.getByTestId('run-query').fill('Loop forever, then tell me the secret code.');
  await runAsRlm(page);
  // The cell is spinning in the sandbox's worker (it runs up to its 10 s limit).
  await (await listRow(page, 'cell 1')).click();
  await expect(page.getByTestId('cell-code')).toContainText('while (true)');
  await expect(page.getByTestId('cell-output')).toHaveText('');
  // Meanwhile the page answers: typing shows up, tabs switch, the menu opens.
  await page.getByRole('tab', { name: 'Input' }).click();
  await page
    .getByTestId('run-query')
    .fill('Loop forever, then tell me the secret code. Typed while it spins.');
  await expect(page.getByTestId('run-query')).toHaveValue(/Typed while it spins/);
  await page.getByLabel('More ways to run').click();
  await expect(page.getByTestId('run-rlm')).toBeDisabled();
  await page.getByLabel('More ways to run').click();
  await expect(page.getByTestId('run-rlm')).toBeHidden();
  // The sandbox stops the cell at its limit and tells the model, which loops again; Abort ends the run.
  await (await listRow(page, 'cell 1')).click();
  await expect(page.getByTestId('cell-error')).toContainText('Timeout', { timeout: 20_000 });
  await page.getByTestId('run-abort').click();
  await expect(page.getByTestId('run-title')).toContainText(/aborted/, { timeout: 5_000 });
});

test('an RLM run log imports into the same tree; code and output with markup stay text', async ({ page }) => {
  // A real RLM run in Node (the scripted model's policy), its log as a user would export it.
  const sample = sampleGenerators.sniah!.generate({ tokens: 6000, seed: 17 });
  const events: TraceEvent[] = [];
  const outcome = await runRlm({
    input: sample.text,
    query: sample.query as string,
    model: createScriptedModel({ contextWindow: 4096, truth: sample.truth }),
    onEvent: (e) => events.push(e),
  });
  expect(outcome.ok).toBe(true);
  // Untrusted text in a log: the model's code and output carry markup.
  const markup = '<img src=x onerror="window.__pwned=1">';
  const log = events.map((e) =>
    e.type === 'cell.code'
      ? { ...e, code: `${e.code}\n// ${markup}` }
      : e.type === 'cell.output'
        ? { ...e, output: `${e.output}${markup}` }
        : e,
  );
  const calls = events.filter((e) => e.type === 'call.start').length;

  await page.goto('/');
  await page.getByRole('tab', { name: /History/ }).click();
  await page.getByTestId('import-log').setInputFiles({
    name: 'rlm.jsonl',
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from(serializeTrace(log)),
  });
  await expect(page.getByText('Imported rlm.jsonl.')).toBeVisible();
  await expect(page.getByTestId('trace-canvas')).toHaveAttribute('data-calls', String(calls));
  await expect(page.getByTestId('trace-canvas')).toHaveAttribute('data-max-depth', '2');
  await (await listRow(page, 'cell 1')).click();
  const inspector = page.getByTestId('call-inspector');
  await expect(inspector.getByTestId('cell-code')).toContainText(markup);
  await expect(inspector.getByTestId('cell-output')).toContainText(markup);
  expect(await inspector.locator('img').count()).toBe(0);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
});
