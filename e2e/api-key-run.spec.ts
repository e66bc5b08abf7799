/**
 * A run over the API with a recognisable fake key, under injected faults: the key reaches the server in
 * the Authorization header and nowhere else — not the page URL, the console, the exported run log, the
 * saved document, the leaf cache in IndexedDB, or any error text shown.
 */

import { chooseApiEngine } from './fixtures/model-settings.ts';
import { runExampleOnSample } from './fixtures/run-example.ts';
import { exportLatestRunLog } from './fixtures/run-log.ts';
import { exampleTruth } from './fixtures/sample-truth.ts';
import { expect, test } from './fixtures/scripted-server.ts';

const KEY = 'sk-e2e-RUN-recognisable-fake-key-4b7e1d';

test('a run with an API key leaves the key in no URL, log, export, storage or cache', async ({
  page,
  scripted,
}) => {
  scripted.configure({
    truth: [exampleTruth('oolong.json')],
    apiKey: KEY,
    latencyMs: 10,
    faults: { rate: 0.2, kinds: ['500', '429', 'truncated'], seed: 5 },
  });
  const consoleText: string[] = [];
  page.on('console', (m) => consoleText.push(m.text()));
  await page.goto('/');

  await chooseApiEngine(page, scripted.url, { apiKey: KEY });

  await runExampleOnSample(page, 'OOLONG: count by category');

  const chats = scripted.chatRequests();
  expect(chats.length).toBeGreaterThan(0);
  expect(chats.every((r) => r.authorization === `Bearer ${KEY}`)).toBe(true);
  expect(chats.some((r) => r.fault !== null)).toBe(true);

  const exported = await exportLatestRunLog(page);
  expect(exported).toContain('"type":"run.done"');

  // Everything the page keeps: its storage (minus the key's own slot) and the leaf cache in IndexedDB.
  const stored = await page.evaluate(async () => {
    const dump = (s: Storage) =>
      Object.keys(s)
        .filter((k) => k !== 'fixpoint.apiKey')
        .map((k) => `${k}=${s.getItem(k)}`)
        .join('\n');
    const databases = (await indexedDB.databases()).map((d) => d.name ?? '');
    const values: string[] = [];
    for (const name of databases) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const req = db.transaction(store, 'readonly').objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        values.push(JSON.stringify(all));
      }
      db.close();
    }
    return { local: dump(localStorage), session: dump(sessionStorage), databases, idb: values.join('\n') };
  });
  expect(stored.databases).toContain('fixpoint-leaf-cache');
  for (const text of [
    page.url(),
    consoleText.join('\n'),
    exported,
    stored.local,
    stored.session,
    stored.idb,
  ]) {
    expect(text).not.toContain(KEY);
  }
  expect(await page.locator('body').textContent()).not.toContain(KEY);
});
