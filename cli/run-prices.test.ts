import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScriptedServer, startScriptedServer } from '../test/scripted-server/server.ts';
import { sampleGenerator } from '../workers/lang/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/fixpoint.mjs');
const dir = mkdtempSync(join(tmpdir(), 'fixpoint-prices-'));
const sample = sampleGenerator('oolong')!.generate({ tokens: 6000, seed: 3 });
const input = join(dir, 'doc.txt');
writeFileSync(input, sample.text);
// Made-up figures: the project writes down no provider's prices.
const prices = join(dir, 'prices.csv');
writeFileSync(
  prices,
  'model,input,output,cached_input,currency\nfixpoint-scripted,0.25,1.25,,EUR\nother,1,1,,EUR\n',
);

let server: ScriptedServer;
beforeAll(async () => {
  // The scripted model answers from the sample's ground truth, handed to it out of band.
  server = await startScriptedServer({ truth: [sample.truth] });
});
afterAll(() => server.close());

function fixpoint(extra: string[], model = 'fixpoint-scripted') {
  const argv = [
    bin,
    'run',
    join(root, 'public/examples/oolong.json'),
    '--input',
    input,
    '--query',
    sample.query,
    '--base-url',
    server.url,
    '--model',
    model,
    ...extra,
  ];
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, argv, { cwd: root }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

interface Summary {
  ok: boolean;
  error?: { kind: string; message: string };
  totals: { leafCalls: number; cachedCalls: number; promptTokens: number; completionTokens: number };
  cost: { amount: number; currency: string } | null;
}

describe('fixpoint run --prices, --max-cost and the leaf cache on disk', () => {
  it('costs the run at the table’s price: tokens × prices, in its currency, in the summary and the progress', async () => {
    server.reset();
    const r = await fixpoint(['--prices', prices, '--json', '--no-cache']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Summary;
    const t = out.totals;
    expect(out.cost?.currency).toBe('EUR');
    expect(out.cost?.amount).toBeCloseTo((t.promptTokens * 0.25 + t.completionTokens * 1.25) / 1e6, 12);
    expect(r.stderr).toMatch(/tokens · €0\.\d+/);

    const plain = await fixpoint(['--prices', prices, '--no-cache']);
    expect(plain.stderr).toMatch(/leaf calls \(0 cached, planner bound \d+\), \d+ tokens, €0\.\d+, [\d.]+ s/);
  });

  it('says "no price" for a model the table leaves out, never a cost of zero', async () => {
    server.reset();
    server.configure({ models: ['unpriced-model'] });
    const r = await fixpoint(['--prices', prices, '--no-cache'], 'unpriced-model');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/has no price for "unpriced-model": its cost is not counted/);
    expect(r.stderr).toMatch(/tokens, no price, /);
    expect(r.stderr).not.toMatch(/€0\.00|\$0\.00/);
  });

  it('stops at --max-cost with BudgetExceeded before the call that could cross it', async () => {
    server.reset();
    const full = JSON.parse((await fixpoint(['--prices', prices, '--json', '--no-cache'])).stdout) as Summary;
    server.reset();
    const budget = full.cost!.amount / 3;
    const r = await fixpoint(['--prices', prices, '--json', '--no-cache', '--max-cost', String(budget)]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as Summary;
    expect(out.error?.kind).toBe('BudgetExceeded');
    expect(out.error?.message).toMatch(/^Cost budget of €0\.\d+ reached: €0\.\d+ spent/);
    expect(out.cost!.amount).toBeLessThanOrEqual(budget);
    expect(server.chatRequests().length).toBeLessThan(full.totals.leafCalls);

    const unpriced = await fixpoint(['--max-cost', '1']);
    expect(unpriced.code).toBe(2);
    expect(unpriced.stderr).toMatch(
      /--max-cost needs the model's price: give a price table with --prices FILE/,
    );
  });

  it('keeps answers in the cache folder: the same run again asks the model nothing and costs nothing', async () => {
    const cache = join(dir, 'cache');
    server.reset();
    const first = JSON.parse(
      (await fixpoint(['--prices', prices, '--json', '--cache-dir', cache])).stdout,
    ) as Summary;
    expect(first.totals.cachedCalls).toBe(0);
    server.reset();
    const again = JSON.parse(
      (await fixpoint(['--prices', prices, '--json', '--cache-dir', cache])).stdout,
    ) as Summary;
    expect(server.chatRequests()).toHaveLength(0);
    expect(again.totals.cachedCalls).toBe(again.totals.leafCalls);
    expect(again.cost).toEqual({ amount: 0, currency: 'EUR' });
  });
});
