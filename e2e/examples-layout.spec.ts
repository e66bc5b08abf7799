/**
 * Every example plan opens from the gallery, type-checks, and is laid out cleanly on the canvas: no two
 * nodes of the same body overlap, and every node sits inside its container.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { openExample } from './fixtures/examples.ts';

interface Entry {
  file: string;
  name: string;
}
interface PlanNode {
  id: string;
  kind: string;
  parent?: string;
  slot?: string;
}

const dir = new URL('../public/examples/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', dir), 'utf8')) as Entry[];

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (a: Box, b: Box) =>
  a.x >= b.x - 1 &&
  a.y >= b.y - 1 &&
  a.x + a.width <= b.x + b.width + 1 &&
  a.y + a.height <= b.y + b.height + 1;

for (const entry of index) {
  test(`${entry.file} opens from the gallery, type-checks and has no overlapping nodes`, async ({ page }) => {
    const plan = JSON.parse(readFileSync(new URL(entry.file, dir), 'utf8')) as { nodes: PlanNode[] };
    await page.goto('/');
    await openExample(page, entry.name);
    for (const node of plan.nodes)
      await expect(page.locator(`.react-flow__node[data-id="${node.id}"]`)).toBeVisible();
    await expect(page.getByText('type-checks')).toBeVisible();

    const boxes = new Map<string, Box>();
    for (const node of plan.nodes) {
      const box = await page.locator(`.react-flow__node[data-id="${node.id}"]`).boundingBox();
      expect(box, node.id).not.toBeNull();
      boxes.set(node.id, box!);
    }
    const bodies = new Map<string, PlanNode[]>();
    for (const node of plan.nodes) {
      const key = node.parent === undefined ? '' : `${node.parent}/${node.slot ?? 'body'}`;
      bodies.set(key, [...(bodies.get(key) ?? []), node]);
    }
    for (const [key, nodes] of bodies) {
      for (let i = 0; i < nodes.length; i++)
        for (let j = i + 1; j < nodes.length; j++)
          expect(
            overlap(boxes.get(nodes[i]!.id)!, boxes.get(nodes[j]!.id)!),
            `${nodes[i]!.id} and ${nodes[j]!.id} overlap in ${key || 'the top level'}`,
          ).toBe(false);
      if (key === '') continue;
      const container = boxes.get(key.split('/')[0]!)!;
      for (const n of nodes)
        expect(inside(boxes.get(n.id)!, container), `${n.id} sticks out of ${key}`).toBe(true);
    }
  });
}

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
]) {
  test(`at ${viewport.width}×${viewport.height} every example opens readable, with room for the canvas`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    await page.goto('/');
    const pane = page.locator('.react-flow');
    const readable = async () => {
      // Wait for the opening view (a zoom is set a moment after the document opens).
      await expect(page.locator('.react-flow__viewport')).toHaveAttribute('style', /scale\((0\.[7-9]|1)/);
      const px = await page
        .locator('.react-flow__node .node-title')
        .first()
        .evaluate((el) => {
          const scale = Number(
            /scale\(([\d.]+)\)/.exec(el.closest('.react-flow__viewport')!.getAttribute('style')!)![1],
          );
          return Number.parseFloat(getComputedStyle(el).fontSize) * scale;
        });
      expect(px).toBeGreaterThanOrEqual(9);
    };
    await readable();
    const box = (await pane.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(viewport.height === 720 ? 400 : 520);
    expect(box.width).toBeGreaterThanOrEqual(viewport.width === 1280 ? 700 : 850);
    for (const entry of index) {
      await openExample(page, entry.name);
      await readable();
      // The pipeline's start is in view: its first top-level node lies inside the canvas.
      const first = page.locator('.react-flow__node').first();
      const b = (await first.boundingBox())!;
      expect(b.x).toBeGreaterThanOrEqual(box.x);
      expect(b.x).toBeLessThan(box.x + box.width);
    }
  });
}
