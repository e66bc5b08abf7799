/**
 * Adding and wiring nodes without the mouse, and where new nodes go: the command palette (Ctrl+K) adds a node
 * next to the selection, wired from it when a wire fits, and connects ports; nodes added by click land in free
 * space; a new container starts small, and an Output dropped beside (or on) it stays at the top level.
 */
import { expect, type Page, test } from '@playwright/test';
import { canvasPane, dropFromPalette, edgeBetween, node, openEmptyEditor } from './editor-helpers.ts';

/** Key presses, counted: a chord (Ctrl+K) is one, typed text one per character. */
function keyboard(page: Page) {
  let presses = 0;
  return {
    get presses() {
      return presses;
    },
    async press(key: string) {
      presses++;
      await page.keyboard.press(key);
    },
    async type(text: string) {
      presses += text.length;
      await page.keyboard.type(text);
    },
  };
}

async function boxesApart(page: Page, ids: string[]) {
  const boxes = await Promise.all(ids.map(async (id) => (await node(page, id).boundingBox())!));
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const overlap =
        a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
      expect(overlap, `${ids[i]} overlaps ${ids[j]}`).toBe(false);
    }
}

test('three nodes and two wires from the keyboard in under twenty key presses', async ({ page }) => {
  await openEmptyEditor(page);
  const keys = keyboard(page);
  for (const name of ['input', 'split', 'map']) {
    await keys.press('Control+k');
    await expect(page.getByRole('dialog', { name: 'Commands' })).toBeVisible();
    await keys.type(name);
    await keys.press('Enter');
    await expect(page.getByRole('dialog', { name: 'Commands' })).toBeHidden();
  }
  await expect(page.locator('.react-flow__node:not(.react-flow__node-lane)')).toHaveCount(5); // Map's Entry, Exit
  await expect(edgeBetween(page, ['input-1', 'text'], ['split-1', 'text'])).toHaveCount(1);
  await expect(edgeBetween(page, ['split-1', 'parts'], ['map-1', 'items'])).toHaveCount(1);
  await boxesApart(page, ['input-1', 'split-1', 'map-1']);
  expect(keys.presses).toBeLessThanOrEqual(20);
  // One undo takes back the last node with its wire.
  await page.keyboard.press('Control+z');
  await expect(node(page, 'map-1')).toHaveCount(0);
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
});

test('connect to… from the command palette wires the selected node’s port', async ({ page }) => {
  await openEmptyEditor(page);
  const search = page.getByRole('searchbox', { name: 'Search nodes' });
  for (const kind of ['Split', 'Concat']) {
    await search.fill(kind);
    await search.press('Enter');
  }
  await node(page, 'split-1').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+k');
  await page.keyboard.type('connect concat');
  await expect(page.getByRole('dialog', { name: 'Commands' }).getByRole('option').first()).toHaveText(
    /Connect Split split-1 · parts → Concat concat-1 · items/,
  );
  await page.keyboard.press('Enter');
  await expect(edgeBetween(page, ['split-1', 'parts'], ['concat-1', 'items'])).toHaveCount(1);
});

test('nodes added by click land in free space, each next to the one before', async ({ page }) => {
  await openEmptyEditor(page);
  const palette = page.getByRole('complementary', { name: 'Palette' });
  for (const kind of ['Input', 'Split', 'Concat', 'LLM', 'Output'])
    await palette.locator(`button[data-kind="${kind}"]`).click();
  await boxesApart(page, ['input-1', 'split-1', 'concat-1', 'llm-1', 'output-1']);
  // With nothing selected, another lands apart too.
  await canvasPane(page).click({ position: { x: 20, y: 20 } });
  await palette.locator('button[data-kind="Query"]').click();
  await boxesApart(page, ['input-1', 'split-1', 'concat-1', 'llm-1', 'output-1', 'query-1']);
});

test('a new container starts small; an Output dropped beside it or on it stays at the top level', async ({
  page,
}) => {
  await openEmptyEditor(page);
  await dropFromPalette(page, 'Map', 120, 120);
  const map = (await node(page, 'map-1').boundingBox())!;
  const pane = (await canvasPane(page).boundingBox())!;
  expect(map.width).toBeLessThanOrEqual(360);
  expect(map.height).toBeLessThanOrEqual(200);
  await dropFromPalette(page, 'Output', map.x - pane.x + map.width + 30, map.y - pane.y + 20);
  await dropFromPalette(page, 'Output', map.x - pane.x + map.width / 2, map.y - pane.y + map.height / 2);
  await expect(node(page, 'output-2')).toBeVisible();
  await expect(page.locator('.problem-msg', { hasText: 'must be at the top level' })).toHaveCount(0);
});
