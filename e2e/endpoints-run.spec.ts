/**
 * Two endpoints from the model settings, as a user sets them up: the first rate-limits (and says so in
 * x-ratelimit-* headers), the second dies mid-run. The run finishes with the right answer, never going over
 * the limit; each server sees only its own key, and neither key is kept outside this tab or shown anywhere.
 */
import { startScriptedServer } from '../test/scripted-server/server.ts';
import { chooseApiEngine } from './fixtures/model-settings.ts';
import { runExampleOnSample } from './fixtures/run-example.ts';
import { exportLatestRunLog } from './fixtures/run-log.ts';
import { exampleTruth } from './fixtures/sample-truth.ts';
import { expect, test } from './fixtures/scripted-server.ts';

const KEY_A = 'sk-e2e-endpoint-A-recognisable-31f0';
const KEY_B = 'sk-e2e-endpoint-B-recognisable-8c2e';

test('a run over two endpoints goes on when one dies, stays under the other’s rate limit, and keeps both keys in the tab', async ({
  page,
  scripted,
}) => {
  const truth = [exampleTruth('oolong.json')];
  scripted.configure({ truth, apiKey: KEY_A, latencyMs: 10, rateLimit: { requests: 6, windowMs: 500 } });
  const second = await startScriptedServer({ truth, apiKey: KEY_B, latencyMs: 10, stopAfter: 2 });
  try {
    await page.goto('/');
    const dialog = await chooseApiEngine(page, scripted.url, { apiKey: KEY_A, keepOpen: true });
    // A small window makes enough leaves for both endpoints and for the second to die among them.
    await dialog.getByLabel('Context window (tokens)').fill('1024');
    await dialog.getByText('Rate limits and more endpoints').click();
    await dialog.getByRole('button', { name: 'Add an endpoint' }).click();
    await dialog.getByLabel('Endpoint 2 URL').fill(second.url);
    await dialog.getByLabel('Endpoint 2 key').fill(KEY_B);
    await dialog.press('Escape');
    await expect(dialog).toBeHidden();

    await runExampleOnSample(page, 'OOLONG: count by category');

    // The run panel says what the endpoints did.
    await expect(
      page.getByRole('status').filter({ hasText: 'Leaves spread over 2 endpoints' }),
    ).toContainText(/Endpoint 2 \(http:\/\/127\.0\.0\.1:\d+\/v1\) stopped answering/);
    expect(second.stopped).toBe(true);
    expect(scripted.rateLimitViolations()).toBe(0);
    expect(scripted.chatRequests().length).toBeGreaterThan(2);
    expect(new Set(scripted.chatRequests().map((r) => r.authorization))).toEqual(
      new Set([`Bearer ${KEY_A}`]),
    );
    expect(new Set(second.chatRequests().map((r) => r.authorization))).toEqual(new Set([`Bearer ${KEY_B}`]));

    const exported = await exportLatestRunLog(page);
    const stored = await page.evaluate(() => ({
      local: Object.keys(localStorage)
        .map((k) => `${k}=${localStorage.getItem(k)}`)
        .join('\n'),
      session: sessionStorage.getItem('fixpoint.endpointKeys') ?? '',
      settings: localStorage.getItem('fixpoint.settings.v1') ?? '',
    }));
    // Kept in this tab (sessionStorage) for the next run; nowhere else.
    expect(stored.session).toContain(KEY_B);
    expect(stored.settings).toContain(second.url.replace(/\/v1$/, ''));
    for (const text of [
      page.url(),
      exported,
      stored.local,
      (await page.locator('body').textContent()) ?? '',
    ]) {
      expect(text).not.toContain(KEY_A);
      expect(text).not.toContain(KEY_B);
    }
  } finally {
    await second.close();
  }
});
