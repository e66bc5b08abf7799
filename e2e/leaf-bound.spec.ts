/**
 * The leaf bound in the editor: a plan that would send a whole document to the model is refused on its
 * node, with the planner's sizes, and one click puts a Split (and a Map and a Reduce) before it; the plan
 * preview then plans pieces within the window.
 */

import { node } from './editor-helpers.ts';
import { chooseApiEngine } from './fixtures/model-settings.ts';
import { expect, test } from './fixtures/scripted-server.ts';

const direct = {
  format: 'fixpoint/plan',
  version: 2,
  name: 'Whole document at once',
  query: 'What is the magic number?',
  nodes: [
    { id: 'in', kind: 'Input', params: {} },
    {
      id: 'ask',
      kind: 'LLM',
      params: { template: 'Question: {{query}}\n\nText:\n{{chunk}}\n\nReply NOT_FOUND if it is not there.' },
    },
    { id: 'out', kind: 'Output', params: {} },
  ],
  wires: [
    { id: 'w1', from: { node: 'in', port: 'text' }, to: { node: 'ask', port: 'chunk' } },
    { id: 'w2', from: { node: 'ask', port: 'text' }, to: { node: 'out', port: 'value' } },
  ],
  view: { positions: { in: { x: 0, y: 0 }, ask: { x: 260, y: 0 }, out: { x: 560, y: 0 } } },
};

test('a leaf over the window is refused on its node, and one click puts a Split before it', async ({
  page,
  scripted,
}) => {
  await page.goto('/');
  await chooseApiEngine(page, scripted.url);
  await page.getByTestId('import-file').setInputFiles({
    name: 'direct.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(direct)),
  });
  await expect(node(page, 'ask')).toBeVisible();
  await page.getByRole('tab', { name: 'Input' }).click();
  await page
    .getByTestId('input-text')
    .fill(`${'The harbour master waited. '.repeat(4000)}The magic number is 4417203.`);
  await page.getByRole('tab', { name: 'Plan' }).click();
  const refusals = page.getByTestId('plan-refusals');
  await expect(refusals).toContainText(
    /would be sent [\d,]+ prompt tokens .* over the model's [\d,]+-token window/,
    {
      timeout: 20_000,
    },
  );
  await expect(node(page, 'ask')).toContainText('Put a Split before it');
  await node(page, 'ask').getByTestId('fix-split-before').click();
  await expect(node(page, 'ask.each')).toBeVisible();
  await expect(refusals).toBeHidden({ timeout: 20_000 });
  await expect(page.getByTestId('plan-calls-parts')).toContainText(
    /\d+ leaf · 0 filter · 0 combine · 0 repair/,
  );
  expect(scripted.chatRequests()).toHaveLength(0);
});
