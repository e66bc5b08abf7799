/**
 * The first minutes of a new user, in both builds (the production build and `vite`, see playwright.config.ts):
 * a first visit opens an example with its sample ready and a clear next step, and a finished run against an
 * OpenAI-compatible server (the scripted test double) takes at most four actions — a click, a key press or
 * filling one field each count as one, and this spec counts them.
 */
import type { Locator, Page } from '@playwright/test';
import { GALLERY, galleryTruth } from './fixtures/sample-truth.ts';
import { DEFAULT_SCRIPTED_MODEL, expect, type ScriptedServer, test } from './fixtures/scripted-server.ts';

/** What the user does, counted. Waiting and looking are free; every click, key and filled field is one. */
function actions(page: Page) {
  let count = 0;
  return {
    get count() {
      return count;
    },
    async click(target: Locator) {
      count++;
      await target.click();
    },
    async fill(target: Locator, value: string) {
      count++;
      await target.fill(value);
    },
    async press(key: string) {
      count++;
      await page.keyboard.press(key);
    },
  };
}

/** In the Start tab: the server's address, the model, Run — three actions. */
async function connectAndRun(act: ReturnType<typeof actions>, start: Locator, scripted: ScriptedServer) {
  await act.fill(start.getByLabel('Base URL'), scripted.url);
  await act.fill(start.getByLabel('Model', { exact: true }), DEFAULT_SCRIPTED_MODEL);
  await act.click(start.getByTestId('start-run'));
}

/**
 * The run finished, and the Result tab shows an answer built from what the server said: the server (a test
 * double) was handed the sample's ground truth, so that answer is the sample's expected one.
 */
async function expectAnswerFromServer(page: Page, scripted: ScriptedServer) {
  await expect(page.getByTestId('start-run-state')).toHaveAttribute('data-status', 'done', {
    timeout: 60_000,
  });
  const result = page.getByTestId('result-text');
  await expect(result).toBeVisible();
  const text = ((await result.textContent()) ?? '').trim();
  expect(text.length).toBeGreaterThan(0);
  const answers = scripted
    .chatRequests()
    .map((r) => r.answer?.trim() ?? '')
    .filter(Boolean);
  expect(answers.length).toBeGreaterThan(0);
  // A text result is one of the model's answers, or made of them; a structured one (counts, pairs) is built
  // from them by the plan and is at least valid JSON.
  if (text.startsWith('{') || text.startsWith('[')) expect(() => JSON.parse(text)).not.toThrow();
  else expect(answers.some((a) => a.includes(text) || text.includes(a))).toBe(true);
  await expect(page.getByTestId('result-check')).toHaveText(/matches/);
}

test('a first visit opens an example with its sample ready, a next step, and no error on screen', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  const start = page.getByTestId('start-panel');
  await expect(page.getByRole('tab', { name: 'Start' })).toHaveAttribute('aria-selected', 'true');
  await expect(start.getByTestId('start-example')).not.toBeEmpty();
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  // The sample is made without being asked for.
  await expect(start.getByTestId('start-input-state')).toContainText(/Input ready: [\d,]+ characters/);
  await expect(page.getByTestId('input-meta')).toContainText('characters');
  // The next step is said, and nothing is called an error before the user did anything.
  await expect(start.getByLabel('Base URL')).toBeVisible();
  await expect(start.getByTestId('start-engine-state')).toContainText('Fill in the base URL and the model');
  await expect(page.getByTestId('problem-count')).toHaveText('✓ type-checks');
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(errors).toEqual([]);

  // A reload is no longer a first visit: the same document, and the Inspector as usual.
  const name = (await start.getByTestId('start-example').textContent()) ?? '';
  await page.reload();
  await expect(page.getByRole('tab', { name: 'Inspector' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('Document name')).toHaveValue(name);
});

test('four actions from a fresh start to a finished run of an example against an OpenAI-compatible server', async ({
  page,
  scripted,
}) => {
  const act = actions(page);
  // A first visit opens the gallery's first example, its sample at the example's own size and seed.
  scripted.configure({ truth: [galleryTruth(GALLERY[0]!.name)] });
  await page.goto('/');
  await connectAndRun(act, page.getByTestId('start-panel'), scripted);
  await expectAnswerFromServer(page, scripted);
  expect(act.count).toBeLessThanOrEqual(4);
});

test('choosing another example from the Start tab still takes four actions to its answer', async ({
  page,
  scripted,
}) => {
  const act = actions(page);
  await page.goto('/');
  const start = page.getByTestId('start-panel');
  const other = start.locator('.gallery-item:not([aria-current="true"])').last();
  const name = (await other.locator('.gallery-name').textContent()) ?? '';
  scripted.configure({ truth: [galleryTruth(name)] });
  await act.click(other);
  await expect(start.getByTestId('start-example')).toHaveText(name);
  await connectAndRun(act, start, scripted);
  await expectAnswerFromServer(page, scripted);
  expect(act.count).toBe(4);
});

test('a first visit through a share link opens the plan with its sample ready and the Start tab', async ({
  page,
  browser,
}) => {
  // Someone shares the example a first visit opens (its input is too large for the link: only its recipe goes).
  await page.goto('/');
  await expect(page.getByTestId('start-panel').getByTestId('start-input-state')).toContainText('Input ready');
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByRole('dialog').getByTestId('share-link').inputValue();
  expect(link).toContain('#p=');

  // A new browser opens it: no input of its own, no saved document.
  const context = await browser.newContext();
  const friend = await context.newPage();
  const errors: string[] = [];
  friend.on('pageerror', (e) => errors.push(e.message));
  await friend.goto(link);
  await expect(friend.getByRole('status', { name: 'Shared plan opened' })).toContainText(
    'with its sample document',
  );
  await expect(friend.getByRole('tab', { name: 'Start' })).toHaveAttribute('aria-selected', 'true');
  await expect(friend.getByTestId('start-input-state')).toContainText(/Input ready: [\d,]+ characters/);
  await expect(friend.getByTestId('input-meta')).toContainText('characters');
  expect(errors).toEqual([]);
  await context.close();
});
