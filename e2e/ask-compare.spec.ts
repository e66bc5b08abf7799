/**
 * Starting from a question, in the page, against the scripted server: a document nobody shaped for the
 * examples is pasted into the Start tab, a question asked; one button detects the task (one model call),
 * opens its plan on the canvas (undoable), runs it to the right answer with the detection in the run's
 * tree and N̂; "Compare with RLM" then shows both trees and the table read off the two logs.
 */
import type { Page } from '@playwright/test';
import type { GroundTruth } from '../workers/lang/index.ts';
import { chooseApiEngine } from './fixtures/model-settings.ts';
import { expect, test } from './fixtures/scripted-server.ts';

const PARAGRAPHS = [
  'The harbour office opens at seven, when the first ferries come in from the islands and the gulls gather on the breakwater.',
  'Most of the morning goes to paperwork: manifests, tide tables, and the complaints of fishermen who want a better berth.',
  'In winter the storms close the outer channel for days, and the pilots play cards in the back room until the wind drops.',
  'The old lighthouse keeper still walks the pier every evening, though the light has run on its own for twenty years.',
  'A new crane arrived last spring; it took three weeks to assemble and still squeals when it turns to the north.',
  'On market days the quay fills with stalls selling smoked fish, rope, lamp oil and postcards of the harbour in summer.',
  'The customs house keeps its records in a cellar that floods at the highest tides, so the oldest ledgers are on the top shelf.',
  'Children from the village school visit each June to watch the boats being painted and to climb the signal tower.',
];
const FACT = 'The access code for the Orion vault is KV-7729.';
const QUESTION = 'What is the access code for the Orion vault?';

/** The paragraphs with the fact put between two of them at a random place. */
function hayWithFact(): { text: string; at: number } {
  const at = Math.floor(Math.random() * (PARAGRAPHS.length + 1));
  const parts = [...PARAGRAPHS.slice(0, at), FACT, ...PARAGRAPHS.slice(at)];
  return { text: parts.join('\n\n'), at };
}

/** What a reader of that document knows, built as the generators build theirs. */
const TRUTH: GroundTruth = {
  family: 'search',
  question: QUESTION,
  facts: [{ evidence: [FACT], answer: 'KV-7729' }],
};

async function ask(page: Page, document: string) {
  await page.getByRole('tab', { name: 'Start' }).click();
  // The first visit is making the example's sample: let it finish, so it is the pasted text that runs.
  await expect(page.getByTestId('start-input-state')).toContainText('Input ready', { timeout: 30_000 });
  await page.getByTestId('ask-document').fill(document);
  await page.getByTestId('ask-question').fill(QUESTION);
}

test('paste a document, ask, and the detected plan answers it; Compare shows both runs side by side', async ({
  page,
  scripted,
}) => {
  const { text, at } = hayWithFact();
  test.info().annotations.push({ type: 'fact at paragraph', description: String(at) });
  scripted.configure({ latencyMs: 10, truth: [TRUTH] });
  await page.goto('/');
  await chooseApiEngine(page, scripted.url);
  await ask(page, text);
  await expect(page.getByTestId('ask-family')).toHaveValue('auto');
  await page.getByTestId('ask-run').click();

  await expect(page.getByTestId('ask-chosen')).toHaveAttribute('data-family', 'search', { timeout: 30_000 });
  await expect(page.getByTestId('run-title')).toContainText('· done', { timeout: 45_000 });
  // The search plan is on the canvas, with the question as its query.
  await expect(page.locator('.react-flow__node').filter({ hasText: 'Answer from the piece' })).toBeVisible();
  await page.getByRole('tab', { name: 'Input' }).click();
  await expect(page.getByTestId('run-query')).toHaveValue(QUESTION);
  await page.getByRole('tab', { name: 'Result' }).click();
  await expect(page.getByTestId('result-text')).toHaveText('KV-7729');
  // The detection was one call of the run: the first request asked for a task kind, and the tree shows it.
  expect(scripted.chatRequests()[0]?.basis).toBe('task-kind');
  await page.getByRole('radio', { name: 'List' }).check();
  await expect(
    page.getByTestId('trace-list').getByRole('treeitem').filter({ hasText: 'detect the task' }),
  ).toHaveCount(1);
  // The plan replaced the open one as one edit: undo brings the example back.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.locator('.react-flow__node').filter({ hasText: 'Answer from the piece' })).toHaveCount(1);

  // Compare: the plan and RLM mode on the same document and question.
  scripted.reset();
  scripted.configure({ latencyMs: 10, truth: [TRUTH] });
  await page.getByRole('tab', { name: 'Start' }).click();
  await page.getByTestId('ask-compare').click();
  const view = page.getByTestId('compare-view');
  await expect(view).toBeVisible();
  const table = view.getByTestId('compare-table');
  await expect(table).toBeVisible({ timeout: 60_000 });
  await expect(view.getByTestId('compare-tree-plan')).toHaveAttribute('data-status', 'done');
  await expect(view.getByTestId('compare-tree-rlm')).toHaveAttribute('data-status', 'done');
  const answer = table.locator('tr[data-row="answer"] td');
  await expect(answer.nth(0)).toHaveText('KV-7729');
  await expect(answer.nth(1)).toHaveText('KV-7729');
  // Model calls: the plan's (detection included) and the RLM's are what the server was asked (a comparison
  // asks afresh: the same question on the same document, asked above, is not served from the leaf cache).
  const calls = table.locator('tr[data-row="calls"] td');
  const count = async (i: number) => Number.parseInt((await calls.nth(i).textContent()) ?? '', 10);
  expect((await count(0)) + (await count(1))).toBe(scripted.chatRequests().length);
  await expect(calls.nth(0)).not.toContainText('cached');
  await expect(calls.nth(0)).toContainText('incl. 1 detect');
  await expect(table.locator('tr[data-row="predicted"] td').nth(1)).toContainText('none');
  // Both trees are drawn at once.
  for (const pane of ['compare-tree-plan', 'compare-tree-rlm'])
    await expect(view.getByTestId(pane).locator('.recursion-tree')).toBeVisible();
});

test('a detection that fails says so and lets the user pick; the picked plan then runs', async ({
  page,
  scripted,
}) => {
  const { text } = hayWithFact();
  // The server fails every attempt of the detection call (a reply naming no kind is tested in Node).
  scripted.configure({ truth: [TRUTH], schedule: ['500', '500', '500', '500'] });
  await page.goto('/');
  await chooseApiEngine(page, scripted.url);
  await ask(page, text);
  await page.getByTestId('ask-run').click();
  await expect(page.getByTestId('ask-error')).toContainText('Choose the kind of task', { timeout: 30_000 });
  await page.getByTestId('ask-family').selectOption('search');
  await page.getByTestId('ask-run').click();
  await expect(page.getByTestId('ask-chosen')).toHaveAttribute('data-family', 'search', { timeout: 30_000 });
  await expect(page.getByTestId('run-title')).toContainText('· done', { timeout: 45_000 });
  await page.getByRole('tab', { name: 'Result' }).click();
  await expect(page.getByTestId('result-text')).toHaveText('KV-7729');
});
