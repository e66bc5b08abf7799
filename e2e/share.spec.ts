/**
 * Sharing by URL, end to end: the Share button makes and copies a link, a fresh browser profile opens it,
 * the previous document stays in the recent list, broken links get a message, and an API key and provider
 * address set in the settings never appear in a link, a plan export or a run log export.
 */
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { syntheticLog } from '../test/synthetic-log.ts';
import { PLAN_VERSION } from '../workers/lang/format/plan.ts';
import { serializeTrace } from '../workers/lang/format/trace-file.ts';

const KEY = 'sk-e2e-RECOGNISABLE-0123456789abcdef';
const PROVIDER = 'http://private-llm.e2e.example:9999/v1';

const example = JSON.parse(
  readFileSync(new URL('../public/examples/sniah.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

/** Settings as a user leaves them: a key for this tab, and a remembered provider address. */
async function withSettings(context: BrowserContext) {
  await context.addInitScript(
    ({ key, provider }) => {
      sessionStorage.setItem('fixpoint.apiKey', key);
      localStorage.setItem(
        'fixpoint.settings.v1',
        JSON.stringify({
          engine: 'openai',
          api: { baseUrl: provider, model: 'e2e-model', concurrency: 2, contextWindow: 8192 },
        }),
      );
    },
    { key: KEY, provider: PROVIDER },
  );
}

async function ready(page: Page) {
  await expect(page.locator('.react-flow')).toBeVisible();
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');
}

async function importPlan(page: Page, plan: Record<string, unknown>, name = 'plan.json') {
  await page.getByTestId('import-file').setInputFiles({
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(plan)),
  });
  await expect(page.getByRole('textbox', { name: 'Document name' })).toHaveValue(String(plan.name));
}

/** The JSON a link carries, decoded the way any reader could. */
function payloadOf(url: string): string {
  const m = new RegExp(`#p=${PLAN_VERSION}\\.([A-Za-z0-9_-]+)$`).exec(url);
  if (!m) throw new Error(`not a share link: ${url}`);
  return inflateRawSync(Buffer.from(m[1]!, 'base64url')).toString('utf8');
}

async function share(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Share this plan' });
  await expect(dialog).toBeVisible();
  const field = dialog.getByTestId('share-link');
  await expect(field).toHaveValue(new RegExp(`#p=${PLAN_VERSION}\\.`));
  return field.inputValue();
}

test('Share copies a link that a fresh browser profile opens as the same plan', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  await withSettings(context);
  const page = await context.newPage();
  await page.goto('/');
  await ready(page);
  await importPlan(page, example);
  const nodes = await page.locator('.react-flow__node').count();
  expect(nodes).toBeGreaterThan(3);

  const url = await share(page);
  const dialog = page.getByRole('dialog', { name: 'Share this plan' });
  await expect(dialog.getByTestId('share-length')).toContainText(
    `${url.length.toLocaleString('en')} characters · copied to the clipboard`,
  );
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  await expect(dialog.getByTestId('share-warning')).toHaveCount(0);
  await expect(dialog.getByRole('checkbox', { name: /Include the input/ })).not.toBeChecked();
  await page.screenshot({ path: 'test-results/share-dialog.png' });
  const axe = await new AxeBuilder({ page }).include('.share-dialog').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  // Nothing of the settings travels: neither in the link as written nor in what it decodes to.
  const payload = payloadOf(url);
  for (const secret of [KEY, PROVIDER, 'private-llm', 'e2e-model', 'apiKey', 'baseUrl']) {
    expect(url).not.toContain(secret);
    expect(payload).not.toContain(secret);
  }
  expect(JSON.parse(payload).name).toBe(example.name);

  // A fresh browser profile: no storage, no settings, nothing open before.
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const errors: string[] = [];
  other.on('pageerror', (e) => errors.push(e.message));
  await other.goto(url);
  const notice = other.getByRole('status', { name: 'Shared plan opened' });
  await expect(notice.getByTestId('shared-name')).toHaveText(String(example.name));
  await expect(notice.getByTestId('shared-description')).toHaveText(String(example.description));
  await expect(notice.getByTestId('shared-previous')).toHaveCount(0); // the fresh profile had nothing to keep
  await expect(other.getByRole('textbox', { name: 'Document name' })).toHaveValue(String(example.name));
  await expect(other.locator('.react-flow__node')).toHaveCount(nodes);
  await expect.poll(() => other.evaluate(() => location.hash)).toBe('');
  await other.screenshot({ path: 'test-results/share-opened.png' });
  const axeNotice = await new AxeBuilder({ page: other }).include('.shared-notice').analyze();
  expect(axeNotice.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  // A reload shows the saved document, not the link again.
  await other.reload();
  await expect(other.getByRole('textbox', { name: 'Document name' })).toHaveValue(String(example.name));
  await expect(other.getByRole('status', { name: 'Shared plan opened' })).toHaveCount(0);
  expect(errors).toEqual([]);
  await fresh.close();
  await context.close();
});

test('opening a link keeps the previous document in the recent list', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  await importPlan(page, { ...example, name: 'My own work' }, 'mine.json');
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');
  const url = await share(page);
  await page.keyboard.press('Escape');

  // The same link, edited to another name, pasted into the address bar of this tab (a hashchange).
  const payload = JSON.parse(payloadOf(url)) as Record<string, unknown>;
  payload.name = 'Shared with me';
  const packed = await page.evaluate(async (json) => {
    const stream = new Blob([json]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    return btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  }, JSON.stringify(payload));
  await page.evaluate((hash) => {
    location.hash = hash;
  }, `p=1.${packed}`);
  const notice = page.getByRole('status', { name: 'Shared plan opened' });
  await expect(notice.getByTestId('shared-name')).toHaveText('Shared with me');
  await expect(notice.getByTestId('shared-previous')).toContainText('“My own work” is kept');
  await expect(page.getByRole('textbox', { name: 'Document name' })).toHaveValue('Shared with me');
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');

  await page.getByRole('button', { name: 'Open…' }).click();
  const recent = page.getByRole('region', { name: 'Recent documents' });
  await expect(recent.getByText('My own work')).toBeVisible();
  await expect(recent.getByText('Shared with me')).toBeVisible();
  // And the kept document opens with its content intact.
  await recent.getByRole('button', { name: /My own work/ }).click();
  await expect(page.getByRole('textbox', { name: 'Document name' })).toHaveValue('My own work');
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
});

test('a broken or hostile link gets a clear message and the app stays usable', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  await importPlan(page, { ...example, name: 'Untouched' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  const cases: [string, RegExp][] = [
    ['p=1.this-is-not*base64', /characters a share link never contains/],
    ['p=1.AAAAAAAAAAAAAAAA', /does not decompress|not valid JSON/],
    ['p=7.AAAA', /newer Fixpoint/],
  ];
  // A zip bomb: 16 MB of spaces in a link of ~22,000 characters.
  const bomb = await page.evaluate(async () => {
    const stream = new Blob([new Uint8Array(16 * 1024 * 1024).fill(32)])
      .stream()
      .pipeThrough(new CompressionStream('deflate-raw'));
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  });
  cases.push([`p=1.${bomb}`, /expands to more than 1 MB/]);

  for (const [hash, message] of cases) {
    await page.evaluate((h) => {
      location.hash = h;
    }, hash);
    const alert = page.getByRole('alert', { name: 'Share link problem' });
    await expect(alert).toContainText('This share link could not be opened.');
    await expect(alert).toContainText(message);
    await expect(alert).toContainText('Your document was not changed.');
    if (hash.startsWith('p=7')) await page.screenshot({ path: 'test-results/share-broken.png' });
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('');
    await alert.getByRole('button', { name: 'Dismiss' }).click();
  }
  await expect(page.getByRole('textbox', { name: 'Document name' })).toHaveValue('Untouched');
  // Still usable: sharing works.
  expect(await share(page)).toMatch(new RegExp(`#p=${PLAN_VERSION}\\.`));
  expect(errors).toEqual([]);
});

test('a key pasted into the plan stops the link and the export; a long link warns; input travels on request', async ({
  browser,
}) => {
  const context = await browser.newContext();
  await withSettings(context);
  const page = await context.newPage();
  await page.goto('/');
  await ready(page);

  const nodes = (example.nodes as Record<string, unknown>[]).map((n) =>
    n.kind === 'LLM' ? { ...n, params: { ...(n.params as object), template: `key ${KEY} {{chunk}}` } } : n,
  );
  await importPlan(page, { ...example, name: 'Leaky', nodes });
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Share this plan' });
  await expect(dialog.getByTestId('share-error')).toContainText('Your API key appears in the plan');
  await expect(dialog.getByTestId('share-error')).not.toContainText(KEY);
  await expect(dialog.getByTestId('share-link')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Done' }).click();
  const refused = page.waitForEvent('download', { timeout: 1500 }).catch(() => null);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByText(/Your API key appears in the plan/)).toBeVisible();
  expect(await refused).toBeNull();

  // A plan export without the key: the file holds neither the key nor the provider.
  await importPlan(page, { ...example, name: 'Clean' });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const file = readFileSync((await (await download).path())!, 'utf8');
  expect(JSON.parse(file).name).toBe('Clean');
  for (const secret of [KEY, PROVIDER, 'private-llm']) expect(file).not.toContain(secret);

  // A run log export: a model that echoed the key is redacted in the file.
  const log = syntheticLog({ k: 2, depth: 1, runId: 'run-echo', leafText: () => `the key is ${KEY}` });
  await page.getByRole('tab', { name: /History/ }).click();
  await page.getByTestId('import-log').setInputFiles({
    name: 'echo.jsonl',
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from(serializeTrace(log)),
  });
  await expect(page.getByText('Imported echo.jsonl.')).toBeVisible();
  const logDownload = page.waitForEvent('download');
  await page
    .getByRole('button', { name: /Export .* as \.jsonl/ })
    .first()
    .click();
  const logFile = readFileSync((await (await logDownload).path())!, 'utf8');
  expect(logFile).toContain('[redacted]');
  for (const secret of [KEY, PROVIDER]) expect(logFile).not.toContain(secret);

  // A long description makes a long link: the dialog warns.
  const noise = Array.from({ length: 600 }, (_, i) => ((i * 7919) % 10007).toString(36)).join(' ');
  await importPlan(page, { ...example, name: 'Long', description: noise });
  await share(page);
  await expect(page.getByTestId('share-warning')).toContainText('longer than 2,000 characters');
  await page.keyboard.press('Escape');

  // Input: off by default; on request it travels, and the opened plan carries it.
  await importPlan(page, {
    ...example,
    name: 'With input',
    input: { text: 'A small document. The secret code for falcon is 4711.' },
  });
  const without = await share(page);
  expect(payloadOf(without)).not.toContain('4711');
  const dialog2 = page.getByRole('dialog', { name: 'Share this plan' });
  await expect(dialog2.getByTestId('share-input-note')).toContainText('the input is');
  await dialog2.getByRole('checkbox', { name: /Include the input/ }).check();
  await expect(dialog2.getByTestId('share-link')).not.toHaveValue(without);
  const withInput = await dialog2.getByTestId('share-link').inputValue();
  expect(payloadOf(withInput)).toContain('4711');

  // Opened elsewhere, the link's input becomes the input document there.
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(withInput);
  await expect(other.getByTestId('shared-name')).toHaveText('With input');
  await expect(other.getByRole('status', { name: 'Shared plan opened' })).toContainText(
    'with its input document',
  );
  await expect(other.getByTestId('input-meta')).toContainText('53 characters');
  await expect(other.getByTestId('input-meta')).toContainText('from the shared link');
  await fresh.close();
  await context.close();
});
