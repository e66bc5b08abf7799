/**
 * The leaf cache lives in IndexedDB on the worker side: after a reload, running the same plan over the same
 * document asks the model nothing (the scripted server, a test double, counts the requests).
 */
import type { Page } from '@playwright/test';
import { openExample, sampleReady } from './fixtures/examples.ts';
import { chooseApiEngine } from './fixtures/model-settings.ts';
import { exampleTruth } from './fixtures/sample-truth.ts';
import { expect, type ScriptedServer, test } from './fixtures/scripted-server.ts';

async function setUp(page: Page, scripted: ScriptedServer) {
  scripted.configure({ truth: [exampleTruth('oolong.json')] });
  await chooseApiEngine(page, scripted.url);
  await openExample(page, 'OOLONG: count by category');
  await sampleReady(page);
}

async function runToEnd(page: Page) {
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('run-title')).toContainText('· done', { timeout: 45_000 });
  await page.getByRole('tab', { name: 'Result' }).click();
  await expect(page.getByTestId('result-check')).toHaveText(/matches/);
}

test('leaf answers survive a reload: the same run after it asks the model nothing', async ({
  page,
  scripted,
}) => {
  await page.goto('/');
  await setUp(page, scripted);
  await runToEnd(page);
  const asked = scripted.chatRequests().length;
  expect(asked).toBeGreaterThan(0);

  await page.reload();
  await setUp(page, scripted);
  await runToEnd(page);
  expect(scripted.chatRequests()).toHaveLength(asked);
  await expect(page.getByTestId('count-calls')).toContainText('cached');
});
