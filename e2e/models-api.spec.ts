import { startScriptedServer } from '../test/scripted-server/server.ts';
import { chooseApiEngine } from './fixtures/model-settings.ts';
import { DEFAULT_SCRIPTED_MODEL, expect, test } from './fixtures/scripted-server.ts';

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

test('a server that refuses the page (CORS) is explained: reachable, but refusing', async ({
  page,
  scripted,
}) => {
  scripted.configure({ cors: false });
  await page.goto('/');
  const dialog = await chooseApiEngine(page, scripted.url, { keepOpen: true });
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  const report = dialog.getByTestId('api-report');
  await expect(report).toHaveAttribute('role', 'alert');
  await expect(report).toHaveAttribute('data-verdict', 'cors');
  await expect(report).toHaveText(/is running, but refuses requests from this page \(CORS\)/);
  await expect(report.locator('[data-check="reachable"]')).toHaveAttribute('data-state', 'ok');
  await expect(report.locator('[data-check="chat"]')).toHaveAttribute('data-state', 'bad');
});

test('a server that blocks /models for the browser but allows chat is reported working', async ({
  page,
  scripted,
}) => {
  scripted.configure({ noCorsPaths: ['/v1/models'] });
  await page.goto('/');
  const dialog = await chooseApiEngine(page, scripted.url, { keepOpen: true });
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  const report = dialog.getByTestId('api-report');
  await expect(report).toHaveAttribute('data-verdict', 'chat-works');
  await expect(report).toHaveAttribute('role', 'status');
  await expect(report).toHaveText(/^Chat works/);
  await expect(report.locator('[data-check="models"]')).toHaveText(/blocked for this page \(CORS\)/);
  await expect(report.locator('[data-check="models"]')).toHaveAttribute('data-state', 'warn');
  await expect(report.locator('[data-check="chat"]')).toHaveAttribute('data-state', 'ok');
  // The chat request was sent although /models failed first.
  expect(scripted.chatRequests().length).toBe(1);
});

test('an address where nothing answers is reported unreachable, not CORS', async ({ page }) => {
  const gone = await startScriptedServer();
  const url = gone.url;
  await gone.close();
  await page.goto('/');
  const dialog = await chooseApiEngine(page, url, { keepOpen: true });
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  const report = dialog.getByTestId('api-report');
  await expect(report).toHaveAttribute('data-verdict', 'unreachable');
  await expect(report).toHaveText(/^Server unreachable: nothing answers at/);
  await expect(report).not.toHaveText(/CORS/);
  await expect(report.locator('[data-check="reachable"]')).toHaveAttribute('data-state', 'bad');
});

test('with a base URL and no model yet, Test connection lists the models to choose from', async ({
  page,
  scripted,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: /^Model/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Model settings' });
  await dialog.getByLabel('Base URL').fill(scripted.url);
  await expect(dialog.getByLabel('Model', { exact: true })).toHaveValue('');
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  const report = dialog.getByTestId('api-report');
  await expect(report).toHaveAttribute('data-verdict', 'no-model');
  await expect(report).toContainText(`Choose a model: it offers ${DEFAULT_SCRIPTED_MODEL}`);
  // The Model field now offers them, and no chat request was sent with an empty model.
  await expect(
    dialog.getByTestId('offered-models').locator(`option[value="${DEFAULT_SCRIPTED_MODEL}"]`),
  ).toHaveCount(1);
  expect(scripted.chatRequests()).toHaveLength(0);
});

test('the Start tab names the models the server offers, and warns of one it does not list', async ({
  page,
  scripted,
}) => {
  await page.goto('/');
  const start = page.getByTestId('start-panel');
  const state = start.getByTestId('start-engine-state');
  await start.getByLabel('Base URL').fill(scripted.url);
  // Leaving the field asks the server for its models.
  await start.getByLabel('Model', { exact: true }).focus();
  await expect(state).toContainText(`The server offers ${DEFAULT_SCRIPTED_MODEL}`);
  await start.getByLabel('Model', { exact: true }).fill('qwen3:4b');
  await expect(state).toContainText('does not list “qwen3:4b”');
  await start.getByLabel('Model', { exact: true }).fill(DEFAULT_SCRIPTED_MODEL);
  await expect(state).toContainText('Ready to run');
});
