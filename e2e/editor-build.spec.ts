import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import {
  canvasPane,
  connect,
  dragWire,
  edgeBetween,
  foldRunDock,
  handle,
  node,
  openEmptyEditor,
} from './editor-helpers.ts';
import { openExample } from './fixtures/examples.ts';

test.use({ viewport: { width: 1600, height: 1000 } });

/** Drops a kind at a point given in page pixels (the pane's own coordinates are what dragTo takes). */
async function dropAt(page: Page, kind: string, x: number, y: number): Promise<void> {
  const pane = await canvasPane(page).boundingBox();
  await page
    .getByRole('complementary', { name: 'Palette' })
    .locator(`button[data-kind="${kind}"]`)
    .dragTo(canvasPane(page), { targetPosition: { x: x - pane!.x, y: y - pane!.y } });
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(1);
}

/** Drops a kind inside a container's body, below its Entry and Exit. */
async function dropInto(page: Page, kind: string, laneId: string): Promise<void> {
  const lane = await page.locator(`.react-flow__node[data-id="${laneId}"]`).boundingBox();
  await dropAt(page, kind, lane!.x + lane!.width / 2 - 40, lane!.y + lane!.height - 12);
}

async function selectNode(page: Page, id: string): Promise<void> {
  await node(page, id).locator('.node-head, .container-head').first().click();
  await expect(node(page, id)).toHaveClass(/selected/);
}

test('the S-NIAH pipeline is built by hand from an empty canvas and type-checks clean', async ({ page }) => {
  await openEmptyEditor(page);
  await foldRunDock(page);
  const pane = (await canvasPane(page).boundingBox())!;
  const at = (x: number, y: number) => [pane.x + x, pane.y + y] as const;
  // Zoom out a step so the whole pipeline fits.
  await page.getByRole('button', { name: /zoom out/i }).click();
  await page.getByRole('button', { name: /zoom out/i }).click();

  // Away from the canvas edges: dragging a wire near an edge pans the view (as it should).
  await dropAt(page, 'Input', ...at(90, 50));
  await dropAt(page, 'Split', ...at(310, 50));
  await dropAt(page, 'Filter', ...at(90, 180));
  await dropAt(page, 'Map', ...at(520, 180));
  await dropAt(page, 'Reduce', ...at(120, 420));
  await dropAt(page, 'Const', ...at(90, 540));
  await dropAt(page, 'Output', ...at(480, 450));
  await dropInto(page, 'Match', 'filter-1::body');
  await dropInto(page, 'LLM', 'map-1::body');

  const wires: [[string, string], [string, string]][] = [
    [
      ['input-1', 'text'],
      ['split-1', 'text'],
    ],
    [
      ['split-1', 'parts'],
      ['filter-1', 'items'],
    ],
    [
      ['entry-1', 'item'],
      ['match-1', 'text'],
    ],
    [
      ['match-1', 'match'],
      ['exit-1', 'keep'],
    ],
    [
      ['filter-1', 'kept'],
      ['map-1', 'items'],
    ],
    [
      ['entry-2', 'item'],
      ['llm-1', 'chunk'],
    ],
    [
      ['llm-1', 'text'],
      ['exit-2', 'result'],
    ],
    [
      ['map-1', 'results'],
      ['reduce-1', 'items'],
    ],
    [
      ['const-1', 'value'],
      ['reduce-1', 'unit'],
    ],
    [
      ['reduce-1', 'result'],
      ['output-1', 'value'],
    ],
  ];
  for (const [from, to] of wires) {
    await connect(page, from, to);
    await expect(edgeBetween(page, from, to)).toHaveCount(1);
  }
  await expect(page.locator('.react-flow__edge')).toHaveCount(10);

  // Parameters through the inspector.
  await selectNode(page, 'match-1');
  await page.locator('[data-param="keywords"] input, [data-param="keywords"] textarea').fill('secret code');
  await selectNode(page, 'reduce-1');
  await page.locator('[data-param="op"] select').selectOption('best');
  await selectNode(page, 'const-1');
  await page.locator('[data-param="value"] textarea').fill('"NOT FOUND"');

  await expect(page.getByTestId('problem-count')).toHaveText('✓ type-checks');
  // The checker's types are on the ports: the Map's result is a list of texts.
  await expect(node(page, 'map-1').locator('[data-port="results"]')).toHaveAttribute(
    'data-port-type',
    'List<Str>',
  );
  await page.getByRole('tab', { name: 'λ-term' }).click();
  await expect(page.getByTestId('code-view-term')).toContainText('reduce[best]');
});

test('an incompatible wire is refused while dragging, with the reason', async ({ page }) => {
  await openEmptyEditor(page);
  await foldRunDock(page);
  const pane = (await canvasPane(page).boundingBox())!;
  await dropAt(page, 'Input', pane.x + 40, pane.y + 60);
  await dropAt(page, 'Map', pane.x + 340, pane.y + 40);
  await dragWire(page, handle(page, 'input-1', 'text', 'out'), handle(page, 'map-1', 'items', 'in'));
  await expect(page.getByTestId('connect-hint')).toContainText('expects List<A>, but this output gives Str');
  await page.mouse.up();
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);
});

test('a type error introduced by an edit shows on the right port and in the problems list', async ({
  page,
}) => {
  await openEmptyEditor(page);
  await foldRunDock(page);
  const pane = (await canvasPane(page).boundingBox())!;
  await dropAt(page, 'Input', pane.x + 40, pane.y + 60);
  await dropAt(page, 'Split', pane.x + 300, pane.y + 60);
  await dropAt(page, 'Reduce', pane.x + 560, pane.y + 60);
  await dropAt(page, 'Output', pane.x + 820, pane.y + 60);
  await connect(page, ['input-1', 'text'], ['split-1', 'text']);
  await connect(page, ['split-1', 'parts'], ['reduce-1', 'items']);
  await connect(page, ['reduce-1', 'result'], ['output-1', 'value']);
  await expect(page.getByTestId('problem-count')).toHaveText('✓ type-checks');

  // Summing numbers over a list of texts: the Reduce's `items` input is now wrong.
  await selectNode(page, 'reduce-1');
  await page.locator('[data-param="op"] select').selectOption('sum');
  const items = node(page, 'reduce-1').locator('[data-port="items"]');
  await expect(items).toHaveAttribute('data-error', /List<Int>|Int|Str/);
  await expect(node(page, 'split-1').locator('[data-port="parts"]')).not.toHaveAttribute('data-error', /.+/);
  await expect(page.getByTestId('problem-count')).toContainText('1 error');
  const problem = page.getByRole('region', { name: 'Problems' }).getByRole('button', { name: /items/ });
  await expect(problem).toBeVisible();

  // Choosing the problem selects its node.
  await canvasPane(page).click({ position: { x: 20, y: 20 } });
  await expect(node(page, 'reduce-1')).not.toHaveClass(/selected/);
  await problem.click();
  await expect(node(page, 'reduce-1')).toHaveClass(/selected/);
});

test('the LLM template is edited in Monaco with completion of the variables in scope', async ({ page }) => {
  await openEmptyEditor(page);
  await foldRunDock(page);
  const pane = (await canvasPane(page).boundingBox())!;
  await dropAt(page, 'LLM', pane.x + 200, pane.y + 80);
  const editor = page.getByTestId('template-editor');
  await expect(editor.locator('.monaco-editor')).toBeVisible();
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nNotes: {{');
  await page.keyboard.press('Control+Space');
  const suggest = page.locator('.suggest-widget');
  await expect(suggest).toBeVisible();
  await expect(suggest).toContainText('{{query}}');
  await page.keyboard.type('notes');
  await page.keyboard.press('Escape');
  await page.keyboard.type('}}');
  // A named variable becomes an input port of the node.
  await expect(node(page, 'llm-1').locator('[data-port="notes"]')).toBeVisible();
});

test('the main screen has no serious accessibility violation', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('.react-flow')).toBeVisible();
  await openExample(page, 'S-NIAH');
  await expect(node(page, 'search')).toBeVisible();
  const serious = async () => {
    const results = await new AxeBuilder({ page }).exclude('.monaco-editor').analyze();
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  };
  expect(await serious()).toEqual([]);
  // With a node's parameters in the inspector, and with the Open dialog up.
  await node(page, 'split').locator('.node-head').click();
  await expect(page.locator('[data-param="mode"] select')).toBeVisible();
  expect(await serious()).toEqual([]);
  await page.getByRole('button', { name: 'Open…' }).click();
  await expect(page.getByRole('dialog', { name: 'Open a document' })).toBeVisible();
  expect(await serious()).toEqual([]);
});
