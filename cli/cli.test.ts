import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { costOf, estimateTokenizer, sampleGenerator } from '../workers/lang/index.ts';
import { checkCommand } from './check.ts';
import { planCommand } from './plan.ts';
import { stringIo } from './string-io.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/fixpoint.mjs');
const summary = join(root, 'workers/lang/format/fixtures/v1/summary.json');
const needle = join(root, 'workers/lang/format/fixtures/v1/needle.json');

function fixpoint(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: root }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'fixpoint-cli-'));
/** The needle fixture with the Reduce's unit unwired: an empty-reduce error at best.unit. */
const broken = join(dir, 'broken.json');
const doc = JSON.parse(readFileSync(needle, 'utf8')) as { wires: { id: string }[] };
doc.wires = doc.wires.filter((w) => w.id !== 'w11');
writeFileSync(broken, JSON.stringify(doc));
const input = join(dir, 'input.txt');
writeFileSync(input, 'lorem ipsum dolor sit amet '.repeat(4000));

describe('fixpoint check (spawned)', () => {
  it('prints ok and exits 0 for good plans', async () => {
    const r = await fixpoint('check', summary, needle);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${summary}: ok`);
    expect(r.stdout).toContain(`${needle}: ok`);
  }, 30_000);

  it('exits 1 with the error, node and port for a bad plan', async () => {
    const r = await fixpoint('check', summary, broken);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error empty-reduce at best\.unit: /);
  }, 30_000);
});

describe('fixpoint plan (spawned)', () => {
  it('prints the estimate as JSON', async () => {
    const r = await fixpoint('plan', summary, '--input', input, '--context-window', '8192', '--json');
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout) as {
      kStar: number;
      tauStar: number;
      depth: number;
      totalCalls: number;
      n: number;
    };
    expect(e.n).toBe(estimateTokenizer.count('lorem ipsum dolor sit amet '.repeat(4000)));
    expect(e.depth).toBeGreaterThanOrEqual(1);
    expect(e.totalCalls).toBeGreaterThanOrEqual(e.kStar);
  }, 30_000);

  it('exits 2 on a wrong command line', async () => {
    const r = await fixpoint('plan', summary);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing --input/);
  }, 30_000);
});

describe('check and plan commands (in process)', () => {
  it('reports unreadable and non-JSON files as errors', () => {
    const { io, out } = stringIo();
    const notJson = join(dir, 'x.json');
    writeFileSync(notJson, '{ nope');
    expect(checkCommand([join(dir, 'missing.json'), notJson], {}, io)).toBe(1);
    expect(out.stderr).toMatch(/cannot read .*missing\.json: ENOENT/);
    expect(out.stderr).toMatch(/x\.json is not a plan/);
    expect(checkCommand([], {}, io)).toBe(2);
  });

  it('prints the human estimate with k*, τ*, d, N̂, tokens and the bound', () => {
    const { io, out } = stringIo();
    expect(planCommand(needle, { input, contextWindow: '4096' }, io)).toBe(0);
    for (const label of ['k*', 'τ*', 'd ', 'N̂ (model calls)', 'tokens', 'accuracy bound'])
      expect(out.stdout).toContain(label);
  });

  it('says N̂ by parts and the expected tokens', () => {
    const { io, out } = stringIo();
    expect(planCommand(needle, { input, contextWindow: '4096' }, io)).toBe(0);
    expect(out.stdout).toMatch(
      /N̂ \(model calls\) +\d+ = \d+ leaf \+ \d+ filter \+ \d+ combine \+ \d+ repair/,
    );
    expect(out.stdout).toMatch(/expected +\d+ calls/);
  });

  it('refuses a plan that could send a leaf more than its window, with the node, the sizes and the fix', () => {
    const { io, out } = stringIo();
    const direct = join(dir, 'direct.json');
    writeFileSync(
      direct,
      JSON.stringify({
        format: 'fixpoint/plan',
        version: 2,
        name: 'direct',
        nodes: [
          { id: 'in', kind: 'Input' },
          { id: 'ask', kind: 'LLM', params: { template: 'Summarise {{chunk}}', notFound: '' } },
          { id: 'out', kind: 'Output' },
        ],
        wires: [
          { id: 'w1', from: { node: 'in', port: 'text' }, to: { node: 'ask', port: 'chunk' } },
          { id: 'w2', from: { node: 'ask', port: 'text' }, to: { node: 'out', port: 'value' } },
        ],
      }),
    );
    expect(planCommand(direct, { input, contextWindow: '4096' }, io)).toBe(1);
    expect(out.stderr).toMatch(/refused by the planner/);
    expect(out.stderr).toMatch(
      /LLM "ask" would be sent [\d,]+ prompt tokens .*4,096-token window\. Put a Split before it/,
    );
  });

  it('with --prices, says the predicted cost: likely from the expected tokens, at most from the worst case', () => {
    // Made-up figures: the project writes down no provider's prices.
    const prices = join(dir, 'prices.csv');
    writeFileSync(prices, 'model,input,output,currency\nsmall-model,0.5,2,EUR\nlarge-model,3,12,EUR\n');
    const oolong = join(root, 'public/examples/oolong.json');
    const questions = join(dir, 'questions.txt');
    writeFileSync(questions, sampleGenerator('oolong')!.generate({ tokens: 20_000, seed: 4 }).text);
    const given = { input: questions, contextWindow: '4096', prices, model: 'large-model' };
    const json = stringIo();
    expect(planCommand(oolong, { ...given, json: true }, json.io)).toBe(0);
    const e = JSON.parse(json.out.stdout) as {
      promptTokens: number;
      completionTokens: number;
      expected: { promptTokens: number; completionTokens: number };
      cost: { model: string; currency: string; expected: number; most: number };
    };
    const price = { input: 3, output: 12, currency: 'EUR' };
    expect(e.cost.model).toBe('large-model');
    expect(e.cost.currency).toBe('EUR');
    expect(e.cost.most).toBeCloseTo(costOf(price, e), 12);
    expect(e.cost.expected).toBeCloseTo(costOf(price, e.expected), 12);
    expect(e.cost.expected).toBeLessThan(e.cost.most);

    const human = stringIo();
    expect(planCommand(oolong, given, human.io)).toBe(0);
    expect(human.out.stdout).toMatch(/cost +~€[\d.]+ expected, at most €[\d.]+ \(large-model/);

    // Several models and none named, or a model the table leaves out: a usage error, before any planning.
    const none = stringIo();
    expect(planCommand(needle, { input, prices }, none.io)).toBe(2);
    expect(none.out.stderr).toMatch(/prices 2 models: say which with --model NAME/);
    const missing = stringIo();
    expect(planCommand(needle, { input, prices, model: 'other' }, missing.io)).toBe(2);
    expect(missing.out.stderr).toMatch(/no price for "other"/);
  });

  it('refuses to plan a plan that does not check', () => {
    const { io, out } = stringIo();
    expect(planCommand(broken, { input }, io)).toBe(1);
    expect(out.stderr).toMatch(/does not check/);
    expect(planCommand(needle, { input, contextWindow: 'lots' }, io)).toBe(2);
  });
});
