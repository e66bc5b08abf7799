/**
 * The run dock at the window sizes a new user has: after a run, the recursion tree has the room to show a
 * whole row of calls at its readable scale. At 1280×720 the tree toolbar used to wrap onto a second line and
 * the timeline kept a fixed 96 px, which left the tree about 55 px: its top row was drawn cut in half.
 */
import { NODE_H } from '../app/trace/layout.ts';
import { PAD, READABLE_TREE_SCALE } from '../app/trace/treeView.ts';
import { GALLERY, galleryTruth } from './fixtures/sample-truth.ts';
import { DEFAULT_SCRIPTED_MODEL, expect, test } from './fixtures/scripted-server.ts';

/** A row of boxes at the readable scale with the view's padding above and below it. */
const ROW_ROOM = NODE_H * READABLE_TREE_SCALE + 2 * PAD;

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
]) {
  test(`at ${viewport.width}×${viewport.height} the recursion tree shows a whole row of calls after a run`, async ({
    page,
    scripted,
  }) => {
    await page.setViewportSize(viewport);
    scripted.configure({ truth: [galleryTruth(GALLERY[0]!.name)] });
    await page.goto('/');
    const start = page.getByTestId('start-panel');
    await start.getByLabel('Base URL').fill(scripted.url);
    await start.getByLabel('Model', { exact: true }).fill(DEFAULT_SCRIPTED_MODEL);
    await start.getByTestId('start-run').click();
    await expect(page.getByTestId('start-run-state')).toHaveAttribute('data-status', 'done', {
      timeout: 60_000,
    });

    const canvas = page.getByTestId('trace-canvas');
    await expect(canvas).toBeVisible();
    const box = (await canvas.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(ROW_ROOM);
    // The toolbar above it stays on one line: its caption is cut with an ellipsis, its full text in a title.
    const caption = page.locator('.tree-caption');
    await expect(caption).toHaveAttribute('title', /Recursion tree: \d+ calls/);
    const toolbar = (await page.getByRole('toolbar', { name: 'Tree view' }).boundingBox())!;
    const fit = (await page.getByRole('button', { name: 'Fit the tree' }).boundingBox())!;
    expect(toolbar.height).toBeLessThan(2 * fit.height);
  });
}
