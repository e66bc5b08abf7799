import { expect, type Page, test } from '@playwright/test';
import { canvasPane, connect, dropFromPalette, node, openEmptyEditor } from './editor-helpers.ts';

test.use({ viewport: { width: 1600, height: 1000 } });

async function termText(page: Page): Promise<string> {
  await page.getByRole('tab', { name: 'λ-term' }).click();
  const lines = page.getByTestId('code-view-term').locator('.view-lines');
  await expect(lines).toContainText('let');
  // innerText, not textContent: the rendered lines, with their line breaks.
  const text = (await lines.innerText()).replace(/\u00a0/g, ' ');
  await page.getByRole('tab', { name: 'Inspector' }).click();
  return text;
}

/** Drags a node by its title bar so that its title lands at (x, y) in page pixels. */
async function dragNodeTo(page: Page, id: string, x: number, y: number): Promise<void> {
  const head = node(page, id).locator('.node-head, .container-head').first();
  const box = (await head.boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++)
    await page.mouse.move(
      box.x + 20 + ((x - box.x - 20) * i) / 12,
      box.y + box.height / 2 + ((y - box.y - box.height / 2) * i) / 12,
    );
  await page.mouse.up();
}

test('a node is dragged into a container body and out again', async ({ page }) => {
  await openEmptyEditor(page);
  await dropFromPalette(page, 'Map', 300, 80);
  await dropFromPalette(page, 'Peek', 120, 520);
  await expect(node(page, 'peek-1')).toBeVisible();
  expect(await termText(page)).toMatch(/^let peek_1 = peek/m);

  const lane = (await page.locator('.react-flow__node[data-id="map-1::body"]').boundingBox())!;
  await dragNodeTo(page, 'peek-1', lane.x + lane.width / 2 - 60, lane.y + lane.height - 50);
  expect(await termText(page)).toMatch(/map \(λitem\.\n\s+let peek_1 = peek/);

  // The container carries what it holds.
  const before = (await node(page, 'peek-1').boundingBox())!;
  await dragNodeTo(page, 'map-1', lane.x + 150, lane.y - 20);
  const after = (await node(page, 'peek-1').boundingBox())!;
  expect(after.x).not.toBeCloseTo(before.x, 0);

  // And out again, below the container.
  const pane = (await canvasPane(page).boundingBox())!;
  await dragNodeTo(page, 'peek-1', pane.x + 140, pane.y + pane.height - 120);
  expect(await termText(page)).toMatch(/^let peek_1 = peek/m);
  // One undo puts it back in the body.
  await page.keyboard.press('Control+z');
  expect(await termText(page)).toMatch(/map \(λitem\.\n\s+let peek_1 = peek/);
});

test('copy, paste, duplicate and delete', async ({ page }) => {
  await openEmptyEditor(page);
  await dropFromPalette(page, 'Input', 80, 80);
  await dropFromPalette(page, 'Peek', 360, 80);
  await connect(page, ['input-1', 'text'], ['peek-1', 'text']);
  // Select both (Ctrl-A), copy, paste: two new nodes and the wire between them.
  await canvasPane(page).click({ position: { x: 600, y: 400 } });
  await page.keyboard.press('Control+a');
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(2);
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(node(page, 'input-2')).toBeVisible();
  await expect(node(page, 'peek-2')).toBeVisible();
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  // The pasted nodes are the selection now: duplicate them again.
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(2);
  await page.keyboard.press('Control+d');
  await expect(node(page, 'peek-3')).toBeVisible();
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);
  await page.keyboard.press('Delete');
  await expect(node(page, 'peek-3')).toHaveCount(0);
  await expect(node(page, 'input-3')).toHaveCount(0);
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  // One undo brings back both deleted nodes and their wire.
  await page.keyboard.press('Control+z');
  await expect(node(page, 'peek-3')).toBeVisible();
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);
});

test('auto-layout places every node apart, as one undo step', async ({ page }) => {
  await openEmptyEditor(page);
  // Dropped at one spot: each lands where it was dropped, on top of the previous ones.
  for (const kind of ['Input', 'Split', 'Concat', 'Output']) {
    await dropFromPalette(page, kind, 200, 150);
    await expect(node(page, `${kind.toLowerCase()}-1`)).toBeVisible();
  }
  const boxes = async () =>
    page
      .locator('.react-flow__node:not(.react-flow__node-lane)')
      .evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-id'), (e as HTMLElement).style.transform].join(' ')),
      );
  const rects = async () =>
    page
      .locator('.react-flow__node:not(.react-flow__node-lane)')
      .evaluateAll((els) =>
        els.map((e) => e.getBoundingClientRect()).map((r) => [r.x, r.y, r.width, r.height]),
      );
  const overlaps = async () => {
    const b = await rects();
    let n = 0;
    for (let i = 0; i < b.length; i++)
      for (let j = i + 1; j < b.length; j++) {
        const [x1, y1, w1, h1] = b[i]!;
        const [x2, y2, w2, h2] = b[j]!;
        if (x1! < x2! + w2! && x2! < x1! + w1! && y1! < y2! + h2! && y2! < y1! + h1!) n++;
      }
    return n;
  };
  expect(await overlaps()).toBeGreaterThan(0);
  const before = await boxes();
  await page.getByRole('button', { name: 'Tidy' }).click();
  await expect.poll(overlaps).toBe(0);
  await page.keyboard.press('Control+z');
  await expect.poll(boxes).toEqual(before);
});

test('a plan opened without positions is laid out, and that is not an undo step', async ({ page }) => {
  await openEmptyEditor(page);
  const plan = {
    format: 'fixpoint/plan',
    version: 1,
    name: 'No positions',
    nodes: [
      { id: 'in', kind: 'Input', params: {} },
      { id: 'split', kind: 'Split', params: {} },
      { id: 'join', kind: 'Concat', params: {} },
      { id: 'out', kind: 'Output', params: {} },
    ],
    wires: [
      { id: 'a', from: { node: 'in', port: 'text' }, to: { node: 'split', port: 'text' } },
      { id: 'b', from: { node: 'split', port: 'parts' }, to: { node: 'join', port: 'items' } },
      { id: 'c', from: { node: 'join', port: 'text' }, to: { node: 'out', port: 'value' } },
    ],
  };
  await page.getByTestId('import-file').setInputFiles({
    name: 'bare.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(plan)),
  });
  await expect(node(page, 'out')).toBeVisible();
  const xs = async () =>
    page
      .locator('.react-flow__node')
      .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().x)));
  // Left to right, one after another.
  await expect.poll(async () => new Set(await xs()).size).toBe(4);
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
  await expect(page.getByTestId('problem-count')).toHaveText('✓ type-checks');
});

test('a wire end is dragged to another port, or off into empty canvas to remove it', async ({ page }) => {
  await openEmptyEditor(page);
  await dropFromPalette(page, 'Input', 80, 100);
  await dropFromPalette(page, 'Peek', 380, 60);
  await dropFromPalette(page, 'Peek', 380, 300);
  await connect(page, ['input-1', 'text'], ['peek-1', 'text']);
  const updater = page.locator('.react-flow__edgeupdater-target');
  const moveEnd = async (x: number, y: number) => {
    const box = (await updater.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(x, y, { steps: 10 });
    await page.mouse.move(x + 1, y, { steps: 2 });
    await page.mouse.up();
  };
  const target = (await page
    .locator('.react-flow__handle[data-nodeid="peek-2"][data-handleid="text"]')
    .boundingBox())!;
  await moveEnd(target.x + target.width / 2, target.y + target.height / 2);
  await expect(
    page.locator('.react-flow__edge[aria-label="Wire from input-1.text to peek-2.text"]'),
  ).toHaveCount(1);
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  const pane = (await canvasPane(page).boundingBox())!;
  await moveEnd(pane.x + pane.width - 300, pane.y + 40);
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);
  // Both were edits: undo brings the wire back.
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
});

test('a pipeline is wired from the keyboard alone: palette search, then the inspector', async ({ page }) => {
  await openEmptyEditor(page);
  const search = page.getByRole('searchbox', { name: 'Search nodes' });
  for (const kind of ['Input', 'Split', 'Concat', 'Output']) {
    await search.fill(kind);
    await search.press('Enter');
  }
  // The last added node (Output) is selected; its input is chosen from a list of compatible outputs.
  const source = page.getByRole('combobox', { name: 'Source of input value' });
  await source.focus();
  await expect(source.locator('option')).toContainText(['— not connected —', 'Concat concat-1']);
  await source.selectOption({ label: 'Concat concat-1' });
  await expect(
    page.locator('.react-flow__edge[aria-label="Wire from concat-1.text to output-1.value"]'),
  ).toHaveCount(1);
  await search.fill('concat');
  await search.press('Escape');
  await page.locator('.react-flow__node[data-id="concat-1"]').focus();
  await page.keyboard.press('Enter');
  // Only compatible outputs are offered: Input's text (Str) cannot feed Concat's texts (List<Str>).
  const texts = page.getByRole('combobox', { name: 'Source of input items' });
  await texts.focus();
  await expect(texts.locator('option', { hasText: 'Input input-1' })).toHaveCount(0);
  await texts.selectOption({ label: 'Split split-1' });
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
});
