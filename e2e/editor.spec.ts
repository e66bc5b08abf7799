import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { defaultParams, paletteGroups } from '../workers/lang/index.ts';
import {
  canvasPane,
  connect,
  dragWire,
  dropFromPalette,
  edgeBetween,
  handle,
  node,
  openEmptyEditor,
} from './editor-helpers.ts';

test.use({ viewport: { width: 1600, height: 1000 } });

/** Every kind the palette offers, from the catalog (one list, kept by the language). */
const PALETTE_KINDS = paletteGroups.flatMap((g) => g.kinds);

test('every kind can be dragged from the palette onto the canvas', async ({ page }) => {
  await openEmptyEditor(page);
  const palette = page.getByRole('complementary', { name: 'Palette' });
  // A container brings a body per slot, unless its defaults make it bodyless (Reduce with a built-in ⊕).
  const specs = paletteGroups.flatMap((g) => g.specs);
  const bodies = (kind: string) => {
    const spec = specs.find((s) => s.kind === kind)!;
    const container = spec.container;
    return container && !container.bodyless?.(defaultParams(spec)) ? container.slots.length : 0;
  };
  expect(bodies('Map')).toBe(1);
  expect(bodies('Fix')).toBe(2);
  for (const kind of PALETTE_KINDS) {
    await expect(palette.locator(`button[data-kind="${kind}"]`)).toBeVisible();
    await dropFromPalette(page, kind, 220, 160);
    const added = node(page, `${kind.toLowerCase()}-1`);
    await expect(added).toBeVisible();
    await expect(added.locator(`[data-kind="${kind}"]`).first()).toBeVisible();
    // Containers come with their bodies' Entry and Exit, a Fix with a Self in its step.
    await expect(page.locator('.react-flow__node [data-kind="Entry"]')).toHaveCount(bodies(kind));
    await expect(page.locator('.react-flow__node [data-kind="Self"]')).toHaveCount(kind === 'Fix' ? 1 : 0);
    // The new node is selected: Delete removes it (with its body), leaving the canvas empty again.
    await page.keyboard.press('Delete');
    await expect(page.locator('.react-flow__node:not(.react-flow__node-lane)')).toHaveCount(0);
  }
});

test('a node is added from the keyboard through the palette search', async ({ page }) => {
  await openEmptyEditor(page);
  const search = page.getByRole('searchbox', { name: 'Search nodes' });
  await search.fill('split');
  await search.press('Enter');
  await expect(node(page, 'split-1')).toBeVisible();
  // Arrow keys walk the list; Enter on an entry adds it.
  await search.fill('llm');
  await search.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(node(page, 'llm-1')).toBeVisible();
});

test('valid ports connect; a wire that would close a cycle is refused with the reason', async ({ page }) => {
  await openEmptyEditor(page);
  await dropFromPalette(page, 'Input', 60, 80);
  await dropFromPalette(page, 'Peek', 320, 80);
  await dropFromPalette(page, 'Peek', 580, 80);
  await connect(page, ['input-1', 'text'], ['peek-1', 'text']);
  await expect(edgeBetween(page, ['input-1', 'text'], ['peek-1', 'text'])).toHaveCount(1);
  await connect(page, ['peek-1', 'preview'], ['peek-2', 'text']);
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);

  await dragWire(page, handle(page, 'peek-2', 'preview', 'out'), handle(page, 'peek-1', 'text', 'in'));
  await expect(page.getByTestId('connect-hint')).toContainText(/loop|cycle/i);
  await page.mouse.up();
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
});

test('undo and redo walk back and forth through a sequence of edits', async ({ page }) => {
  await openEmptyEditor(page);
  const undo = page.getByRole('button', { name: 'Undo' });
  const redo = page.getByRole('button', { name: 'Redo' });
  await expect(undo).toBeDisabled();
  await dropFromPalette(page, 'Input', 60, 80);
  await dropFromPalette(page, 'Peek', 340, 80);
  await connect(page, ['input-1', 'text'], ['peek-1', 'text']);
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  // One drag is one step.
  const peek = node(page, 'peek-1');
  const before = await peek.boundingBox();
  await peek.locator('.node-head').hover();
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(before!.x + 40 + i * 8, before!.y + 20 + i * 6);
  await page.mouse.up();
  const moved = await peek.boundingBox();
  expect(moved!.x).toBeGreaterThan(before!.x + 40);

  // Selection changes are not steps: undo goes straight to the position before the drag.
  await canvasPane(page).click({ position: { x: 30, y: 30 } });
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await peek.boundingBox())!.x).toBeCloseTo(before!.x, 0);
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);
  await undo.click();
  await expect(node(page, 'peek-1')).toHaveCount(0);
  await expect(node(page, 'input-1')).toHaveCount(1);
  await page.keyboard.press('Control+Shift+z');
  await expect(node(page, 'peek-1')).toHaveCount(1);
  await page.keyboard.press('Control+y');
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  await redo.click();
  await expect.poll(async () => (await peek.boundingBox())!.x).toBeCloseTo(moved!.x, 0);
  await expect(redo).toBeDisabled();
});

test('typing in a parameter is merged into one undo step and text fields keep their own Ctrl-Z', async ({
  page,
}) => {
  await openEmptyEditor(page);
  await dropFromPalette(page, 'Peek', 200, 120);
  await node(page, 'peek-1').click();
  const end = page.getByRole('spinbutton', { name: 'End' });
  await end.fill('');
  await end.pressSequentially('1234');
  await expect(node(page, 'peek-1')).toContainText('1234');
  await end.blur();
  await page.keyboard.press('Control+z');
  await expect(node(page, 'peek-1')).toContainText('2000');
  await expect(node(page, 'peek-1')).toHaveCount(1);
});

test('a reload restores the document exactly', async ({ page }) => {
  await openEmptyEditor(page);
  await page.getByRole('textbox', { name: 'Document name' }).fill('Kept across reloads');
  await page.getByRole('textbox', { name: 'Document name' }).press('Enter');
  await dropFromPalette(page, 'Input', 60, 80);
  await dropFromPalette(page, 'Map', 300, 60);
  await dropFromPalette(page, 'Peek', 360, 140);
  await connect(page, ['input-1', 'text'], ['peek-1', 'text']);
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');
  const snapshot = () =>
    page
      .locator('.react-flow__node')
      .evaluateAll((els) =>
        els.map((e) => `${e.getAttribute('data-id')} ${(e as HTMLElement).style.transform}`).sort(),
      );
  const before = await snapshot();
  // The whole document, as the Export button writes it.
  const json = async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    return readFileSync((await (await download).path())!, 'utf8');
  };
  const jsonBefore = await json();
  await page.reload();
  await expect(node(page, 'peek-1')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Document name' })).toHaveValue('Kept across reloads');
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  expect(await snapshot()).toEqual(before);
  const jsonAfter = await json();
  expect(JSON.parse(jsonAfter).nodes).toHaveLength(5);
  expect(jsonAfter).toEqual(jsonBefore);
});

test('importing a malformed file explains what is wrong and keeps the document', async ({ page }) => {
  await openEmptyEditor(page);
  await dropFromPalette(page, 'Input', 60, 80);
  await expect(node(page, 'input-1')).toBeVisible();
  const input = page.getByTestId('import-file');
  await input.setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format": '),
  });
  await expect(page.getByTestId('notice-error')).toContainText('broken.json');
  await expect(page.getByTestId('notice-error')).toContainText(/JSON|not valid|end/i);
  await expect(node(page, 'input-1')).toBeVisible();

  const wrongKind = {
    format: 'fixpoint/plan',
    version: 1,
    name: 'bad',
    nodes: [{ id: 'x', kind: 'Teleport', params: {} }],
    wires: [],
  };
  await input.setInputFiles({
    name: 'unknown-kind.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(wrongKind)),
  });
  await expect(page.getByTestId('notice-error').last()).toContainText(/unknown node kind|kind/i);
  await expect(node(page, 'input-1')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Document name' })).not.toHaveValue('bad');
});

test('a corrupted autosave is reported and the editor recovers', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');
  // Damage the open document's save directly in IndexedDB, as a broken browser or extension might.
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('fixpoint');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const tx = db.transaction('documents', 'readwrite');
    const store = tx.objectStore('documents');
    const current = await new Promise<string>((resolve) => {
      const r = store.get('current');
      r.onsuccess = () => resolve(r.result as string);
    });
    store.put(
      { id: current, savedAt: 1, plan: { format: 'fixpoint/plan', nodes: 'garbage' } },
      `doc:${current}`,
    );
    await new Promise((resolve) => {
      tx.oncomplete = resolve;
    });
  });
  await page.reload();
  await expect(page.getByTestId('notice-error')).toContainText('could not be read');
  await expect(page.getByRole('button', { name: 'Download the damaged copy' })).toBeVisible();
  await expect(page.locator('.react-flow')).toBeVisible();
  // The editor works: a node can be added and is saved.
  await dropFromPalette(page, 'Input', 80, 80);
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');
});

test('a parameter out of range is explained beside its field and on the node', async ({ page }) => {
  await openEmptyEditor(page);
  await dropFromPalette(page, 'LLM', 200, 120);
  const maxTokens = page.getByRole('spinbutton', { name: 'Max tokens' });
  await maxTokens.fill('0');
  await expect(maxTokens).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('[data-param="maxTokens"] .field-error')).toContainText('at least 1');
  await expect(node(page, 'llm-1')).toHaveClass(/selected/);
  await expect(node(page, 'llm-1').locator('.node-problems')).toContainText('maxTokens');
  await maxTokens.fill('64');
  await expect(maxTokens).not.toHaveAttribute('aria-invalid', 'true');
});
