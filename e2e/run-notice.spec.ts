import { expect, test } from '@playwright/test';
import { openExample, sampleReady } from './fixtures/examples.ts';

test('a run that cannot start says why in the run panel, and the header keeps its buttons apart', async ({
  page,
}) => {
  await page.goto('/');
  await openExample(page, 'S-NIAH: needle in a haystack');
  await sampleReady(page);

  // A fresh profile has no API base URL: the run must refuse with words, not fail silently.
  await page.getByRole('button', { name: /Run$/ }).first().click();
  const alert = page.locator('.dock-bar').getByRole('alert');
  await expect(alert).toContainText(/base URL/i);

  const header = page.locator('header.header');
  const boxes = await header.getByRole('button').evaluateAll((buttons) =>
    buttons
      .filter((b) => (b as HTMLElement).offsetParent !== null)
      .map((b) => {
        const r = b.getBoundingClientRect();
        return { name: b.textContent ?? '', left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      }),
  );
  for (const [i, a] of boxes.entries())
    for (const b of boxes.slice(i + 1)) {
      const overlap =
        a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
      expect(overlap, `"${a.name}" overlaps "${b.name}"`).toBe(false);
    }
});
