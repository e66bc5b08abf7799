import { expect, test } from '@playwright/test';

test('with --enable-unsafe-webgpu the status line reports a fallback adapter without shader-f16', async ({
  page,
}) => {
  await page.goto('/');
  const status = page.getByTestId('webgpu-status');
  await expect(status).toHaveAttribute('data-usable', 'true');
  await expect(status).toHaveText(/fallback \(software\) adapter/);
  await expect(status).toHaveText(/shader-f16 missing: using q4f32/);
});
