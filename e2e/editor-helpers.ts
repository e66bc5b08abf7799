import { expect, type Locator, type Page } from '@playwright/test';

/** Opens the editor on a fresh, empty document (autosave restores the last one otherwise). */
export async function openEmptyEditor(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.locator('.react-flow')).toBeVisible();
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await foldRunDock(page);
}

/** The run dock is folded away so the canvas has the room a user building a pipeline would give it. */
export async function foldRunDock(page: Page): Promise<void> {
  const toggle = page.locator('.dock-toggle');
  if ((await toggle.count()) > 0 && (await toggle.getAttribute('aria-expanded')) === 'true')
    await toggle.click();
}

export function canvasPane(page: Page): Locator {
  return page.locator('.react-flow__pane');
}

export function node(page: Page, id: string): Locator {
  return page.locator(`.react-flow__node[data-id="${id}"]`);
}

export function handle(page: Page, nodeId: string, port: string, side: 'in' | 'out'): Locator {
  return page.locator(
    `.react-flow__handle[data-nodeid="${nodeId}"][data-handleid="${port}"].${side === 'in' ? 'target' : 'source'}`,
  );
}

/** Drags a kind from the palette and drops it at (x, y) of the canvas (pixels from its top left). */
export async function dropFromPalette(page: Page, kind: string, x: number, y: number): Promise<void> {
  await page
    .getByRole('complementary', { name: 'Palette' })
    .locator(`button[data-kind="${kind}"]`)
    .dragTo(canvasPane(page), { targetPosition: { x, y } });
}

/** The id of the newest node of a kind (ids are `<kind>-<n>`). */
export async function lastIdOf(page: Page, kind: string): Promise<string> {
  const ids = await page
    .locator(`.react-flow__node:has([data-kind="${kind}"])`)
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
  const n = (id: string) => Number(id.split('-').pop());
  return ids.sort((a, b) => n(a) - n(b)).at(-1) ?? '';
}

/** Drags a wire between two handles the way a user does: press, move, release. */
export async function dragWire(page: Page, from: Locator, to: Locator): Promise<void> {
  await from.hover();
  await page.mouse.down();
  const box = await to.boundingBox();
  if (!box) throw new Error('target handle not visible');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 8 });
  await page.mouse.move(box.x + box.width / 2 + 1, box.y + box.height / 2, { steps: 2 });
}

export async function connect(page: Page, from: [string, string], to: [string, string]): Promise<void> {
  await dragWire(page, handle(page, from[0], from[1], 'out'), handle(page, to[0], to[1], 'in'));
  await page.mouse.up();
}

export function edgeBetween(page: Page, from: [string, string], to: [string, string]): Locator {
  return page.locator(`.react-flow__edge[aria-label="Wire from ${from[0]}.${from[1]} to ${to[0]}.${to[1]}"]`);
}
