/**
 * OpenTelemetry export from the History tab: a live run over the API exports as OTLP/JSON whose spans nest
 * as the run's tree (checked against the run's own `.jsonl`), carry prompts only when asked, and never the
 * API key; an imported log exports to the very bytes the Node exporter writes for it.
 */
import type { Download, Page } from '@playwright/test';
import { decodeOtlpJson } from '../test/otlp-receiver/decode.ts';
import { spanTreeProblems } from '../test/otlp-receiver/span-tree.ts';
import { syntheticLog } from '../test/synthetic-log.ts';
import { parseTrace, serializeTrace } from '../workers/lang/format/trace-file.ts';
import { otlpFileFromLog } from '../workers/otel/otlp-json.ts';
import { openExample, sampleReady } from './fixtures/examples.ts';
import { chooseApiEngine } from './fixtures/model-settings.ts';
import { exampleTruth } from './fixtures/sample-truth.ts';
import { expect, test } from './fixtures/scripted-server.ts';

const KEY = 'sk-e2e-OTLP-recognisable-fake-key-93c1';

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const download: Promise<Download> = page.waitForEvent('download');
  await click();
  const file = await download;
  const text = Buffer.concat(await (await file.createReadStream()).toArray()).toString('utf8');
  return { name: file.suggestedFilename(), text };
}

test('a run exports as OTLP/JSON spans nested as its tree, prompts only when asked, never the key', async ({
  page,
  scripted,
}) => {
  scripted.configure({ apiKey: KEY, latencyMs: 5, truth: [exampleTruth('oolong.json')] });
  await page.goto('/');
  await chooseApiEngine(page, scripted.url, { apiKey: KEY });
  await openExample(page, 'OOLONG: count by category');
  await sampleReady(page);
  // A key pasted into the question reaches every prompt: the export must still not carry it.
  const query = page.getByTestId('run-query');
  await query.fill(`${await query.inputValue()} (ignore ${KEY})`);
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('run-title')).toContainText('· done', { timeout: 45_000 });

  await page.getByRole('tab', { name: 'History' }).click();
  const log = await downloaded(page, () =>
    page
      .getByRole('button', { name: /^Export .* as \.jsonl$/ })
      .first()
      .click(),
  );
  // The runtime redacts the key from the log before the page sees it, so the export has nothing left to scrub.
  expect(log.text).not.toContain(KEY);
  expect(log.text).toContain('[redacted]');
  const parsed = parseTrace(log.text);
  expect(parsed.ok).toBe(true);
  const events = parsed.ok ? parsed.events : [];

  const plain = await downloaded(page, () =>
    page
      .getByRole('button', { name: /as OpenTelemetry spans/ })
      .first()
      .click(),
  );
  expect(plain.name).toMatch(/\.otlp\.json$/);
  await expect(page.getByText(/Exported \d+ spans \(\d+ model calls\) as OTLP\/JSON\./)).toBeVisible();
  const spans = decodeOtlpJson(plain.text).flatMap((b) => b.spans);
  expect(spanTreeProblems(spans, events)).toEqual([]);
  expect(plain.text).not.toContain('gen_ai.input.messages');
  expect(plain.text).not.toContain(KEY);

  await page.getByTestId('otlp-content').check();
  const full = await downloaded(page, () =>
    page
      .getByRole('button', { name: /as OpenTelemetry spans/ })
      .first()
      .click(),
  );
  await expect(page.getByText(/with prompts and outputs\./)).toBeVisible();
  expect(full.text).toContain('gen_ai.input.messages');
  expect(full.text).toContain('[redacted]');
  expect(full.text).not.toContain(KEY);
  expect(
    spanTreeProblems(
      decodeOtlpJson(full.text).flatMap((b) => b.spans),
      events,
    ),
  ).toEqual([]);
});

test('an imported log exports to the same spans as the Node exporter writes for it', async ({ page }) => {
  const log = syntheticLog({
    k: 3,
    depth: 2,
    runId: 'run-otlp',
    startedAt: Date.UTC(2026, 10, 30, 12),
    failLeaves: new Set([2]),
    cachedLeaves: new Set([5]),
  });
  await page.goto('/');
  await page.getByRole('tab', { name: /History/ }).click();
  await page.getByTestId('import-log').setInputFiles({
    name: 'otlp.jsonl',
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from(serializeTrace(log)),
  });
  await expect(page.getByText('Imported otlp.jsonl.')).toBeVisible();
  const exported = await downloaded(page, () =>
    page.getByRole('button', { name: 'Export otlp as OpenTelemetry spans (OTLP/JSON)' }).click(),
  );
  expect(exported.text).toBe(new TextDecoder().decode(otlpFileFromLog(log).bytes));
});
