/**
 * Cost in money, from a user's side: no price by default ("no price", never $0), a price table imported in
 * the model settings (kept on this device), the plan preview's predicted cost, the run's measured cost in
 * the counters, the call inspector and the History list (tokens × prices, the same figures the scripted
 * server's own counts give), and a money budget that stops a run before the call that could cross it.
 */
import { billedTokens } from '../test/scripted-server/billed.ts';
import { openExample, sampleReady } from './fixtures/examples.ts';
import { chooseApiEngine } from './fixtures/model-settings.ts';
import { exampleTruth } from './fixtures/sample-truth.ts';
import { DEFAULT_SCRIPTED_MODEL, expect, type ScriptedServer, test } from './fixtures/scripted-server.ts';

// Made-up figures: the project writes down no provider's prices.
const INPUT = 0.8;
const OUTPUT = 3.2;

const number = (s: string) => Number(s.replace(/,/g, ''));

/** What the server billed, at the prices. */
function billed(s: ScriptedServer): number {
  const { prompt, completion } = billedTokens(s);
  return (prompt * INPUT + completion * OUTPUT) / 1e6;
}

async function runAndWait(page: import('@playwright/test').Page, how: 'run' | 'no-cache') {
  if (how === 'run') await page.getByTestId('run-start').click();
  else {
    await page.getByLabel('More ways to run').click();
    await page.getByRole('button', { name: /^Run without cache/ }).click();
  }
  await expect(page.getByTestId('run-title')).toContainText(/· (done|failed)/, { timeout: 45_000 });
}

test('prices from a file cost the plan and the run; a money budget stops a run cleanly', async ({
  page,
  scripted,
}) => {
  test.setTimeout(120_000);
  // The scripted model answers from the sample's ground truth, handed to it out of band.
  scripted.configure({ truth: [exampleTruth('oolong.json')] });
  await page.goto('/');
  await chooseApiEngine(page, scripted.url);
  await openExample(page, 'OOLONG: count by category');
  await sampleReady(page);

  // No price yet: the run's cost is "no price", not $0.
  await runAndWait(page, 'run');
  await expect(page.getByTestId('count-cost')).toHaveText('cost no price');
  await page.getByRole('tab', { name: /^History/ }).click();
  await expect(page.getByTestId('history-cost').first()).toHaveText('no price');

  // Import a price table in the model settings.
  const dialog = await chooseApiEngine(page, scripted.url, { keepOpen: true });
  await expect(dialog.getByTestId('price-status')).toHaveText(
    `${DEFAULT_SCRIPTED_MODEL} has no price: its runs show "no price".`,
  );
  await dialog.getByTestId('prices-import').setInputFiles({
    name: 'prices.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      `model,input,output\nsomething-else,9,9\n${DEFAULT_SCRIPTED_MODEL},${INPUT},${OUTPUT}\n`,
    ),
  });
  await expect(dialog.getByTestId('price-status')).toContainText(
    `${DEFAULT_SCRIPTED_MODEL}: $0.80 in · $3.20 out`,
  );
  await expect(dialog.getByTestId('prices-table').locator('tbody tr')).toHaveCount(2);
  // A typo says what is wrong and leaves the table the runs use as it was.
  await dialog.getByLabel('Output price of row 2').fill('3.2x');
  await expect(dialog.getByTestId('prices-problem')).toContainText('Row 2: the output price');
  await expect(dialog.getByTestId('price-status')).toContainText('$3.20 out');
  await dialog.getByLabel('Output price of row 2').fill(String(OUTPUT));
  await expect(dialog.getByTestId('prices-problem')).toHaveCount(0);
  await dialog.press('Escape');

  // The plan preview predicts the cost.
  await page.getByRole('tab', { name: 'Plan' }).click();
  await expect(page.getByTestId('plan-cost')).toContainText(/at most \$0\.\d+/);
  const most = number(
    /at most \$([\d.,]+)/.exec((await page.getByTestId('plan-cost').textContent()) ?? '')![1]!,
  );

  // A run costs its tokens × the prices: in the counters, as the server counted them, in the inspector and History.
  scripted.clearLog();
  await runAndWait(page, 'no-cache');
  const tokens = (await page.getByTestId('count-tokens').textContent()) ?? '';
  const [, inTok, outTok] = /tokens ([\d,]+) in · ([\d,]+) out/.exec(tokens)!;
  const cost = (number(inTok!) * INPUT + number(outTok!) * OUTPUT) / 1e6;
  await expect(page.getByTestId('count-cost')).toHaveText(/^cost \$0\.\d+$/);
  const shown = Number(await page.getByTestId('count-cost').getAttribute('data-amount'));
  expect(shown).toBeCloseTo(cost, 12);
  expect(cost).toBeCloseTo(billed(scripted), 9);
  expect(cost).toBeLessThanOrEqual(most);
  const timeline = (await page.getByTestId('timeline').boundingBox())!;
  await page.mouse.click(timeline.x + 8, timeline.y + 20);
  await expect(page.getByTestId('call-cost')).toHaveText(/^\$0\.\d+$/);
  await page.getByRole('tab', { name: /^History/ }).click();
  await expect(page.getByTestId('history-cost').first()).toHaveText(/^\$0\.\d+$/);

  // A money budget below the cost stops the next run with BudgetExceeded, never having spent more.
  await page.getByRole('tab', { name: 'Plan' }).click();
  const budget = cost / 2;
  await page.getByLabel('Stop a run at a cost of').fill(budget.toFixed(6));
  await expect(page.getByTestId('cost-budget')).toContainText('it will likely stop early');
  scripted.clearLog();
  await runAndWait(page, 'no-cache');
  await expect(page.getByTestId('run-title')).toContainText('· failed');
  await page.getByRole('tab', { name: 'Result' }).click();
  await expect(page.getByText(/BudgetExceeded/).first()).toBeVisible();
  await expect(page.getByText(/Cost budget of \$0\.\d+ reached/).first()).toBeVisible();
  expect(billed(scripted)).toBeLessThanOrEqual(Number(budget.toFixed(6)));

  // The table and the budget stay on this device.
  await page.reload();
  const again = await chooseApiEngine(page, scripted.url, { keepOpen: true });
  await expect(again.getByTestId('price-status')).toContainText('$0.80 in · $3.20 out');
  await again.press('Escape');
  await page.getByRole('tab', { name: 'Plan' }).click();
  await expect(page.getByLabel('Stop a run at a cost of')).toHaveValue(budget.toFixed(6));
});
