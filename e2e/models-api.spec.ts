import { chooseApiEngine } from './fixtures/model-settings.ts';
import { expect, test } from './fixtures/scripted-server.ts';

const KEY = 'sk-e2e-settings-0123456789';

/** The API settings' "Test connection" against the scripted OpenAI-compatible server (a test double). */
test('test connection reaches the server with the key in the Authorization header only', async ({
  page,
  scripted,
}) => {
  scripted.configure({ apiKey: KEY });
  const consoleText: string[] = [];
  page.on('console', (m) => consoleText.push(m.text()));
  await page.goto('/');
  const dialog = await chooseApiEngine(page, scripted.url, { keepOpen: true });

  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(dialog.getByTestId('api-report')).toHaveAttribute('role', 'alert');
  await expect(dialog.getByTestId('api-report')).toHaveText(/key/i);

  await dialog.getByLabel('API key').fill(KEY);
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(dialog.getByTestId('api-report')).toHaveAttribute('role', 'status');
  await expect(page.getByRole('button', { name: 'Model: API' })).toBeVisible();

  const authorized = scripted.requests.filter((r) => r.authorization === `Bearer ${KEY}`);
  expect(authorized.length).toBeGreaterThan(0);
  for (const r of scripted.requests) expect(r.path).not.toContain(KEY);
  expect(page.url()).not.toContain(KEY);
  expect(consoleText.join('\n')).not.toContain(KEY);
});

test('a server that refuses the page (CORS) is explained', async ({ page, scripted }) => {
  scripted.configure({ cors: false });
  await page.goto('/');
  const dialog = await chooseApiEngine(page, scripted.url, { keepOpen: true });
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(dialog.getByTestId('api-report')).toHaveAttribute('role', 'alert');
  await expect(dialog.getByTestId('api-report')).toHaveText(/CORS|origin/i);
});
