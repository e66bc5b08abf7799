/**
 * `fixpoint run` over several endpoints and under rate limits, spawned as a user runs it, against scripted
 * OpenAI-compatible servers (a test double): one dies mid-run, one rate-limits, each has its own key.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ScriptedServer,
  type ScriptedServerOptions,
  startScriptedServer,
} from '../test/scripted-server/server.ts';
import { sampleGenerator } from '../workers/lang/index.ts';
import { repoRoot, spawnFixpoint } from './testing/spawn-fixpoint.ts';

const root = repoRoot;
const dir = mkdtempSync(join(tmpdir(), 'fixpoint-scale-'));
const oolong = sampleGenerator('oolong')!;
const sample = oolong.generate({ tokens: 12_000, seed: 2 });
/** Whether a run's result is the sample's answer, as the example's scorer reads it (the plan answers in words). */
const right = (result: unknown) => oolong.score(result, sample.expected) === 1;
const input = join(dir, 'questions.txt');
writeFileSync(input, sample.text);
const plan = join(root, 'public/examples/oolong.json');
const KEYS = { A: 'sk-fixpoint-endpoint-A-7a1c', B: 'sk-fixpoint-endpoint-B-2b9d' };

const servers: ScriptedServer[] = [];
/** A scripted server handed the sample's ground truth: the scripted model answers from nothing else. */
async function serve(options: ScriptedServerOptions): Promise<ScriptedServer> {
  const s = await startScriptedServer({ truth: [sample.truth], ...options });
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const fixpoint = spawnFixpoint;

// A small window makes many leaves of the OOLONG sample: enough to spread and to outlive a server.
const runArgs = [
  'run',
  plan,
  '--input',
  input,
  '--query',
  sample.query,
  '--context-window',
  '1024',
  '--json',
];

interface Summary {
  ok: boolean;
  result: unknown;
  totals: { leafCalls: number };
  endpoints: { url: string; answered: number; state: string; rateLimited: number }[];
}

describe('fixpoint run over several endpoints', () => {
  it('spreads the leaves over two servers, each with its own key, and goes on when one dies mid-run', async () => {
    const a = await serve({ apiKey: KEYS.A, latencyMs: 10 });
    const b = await serve({ apiKey: KEYS.B, latencyMs: 10, stopAfter: 3 });
    const trace = join(dir, 'fleet.jsonl');
    const r = await fixpoint(
      [
        ...runArgs,
        '--base-url',
        a.url,
        '--base-url',
        b.url,
        '--model',
        'fixpoint-scripted',
        '--api-key-env',
        'KEY_FOR_A',
        '--api-key-env',
        'KEY_FOR_B',
        '--trace',
        trace,
      ],
      { KEY_FOR_A: KEYS.A, KEY_FOR_B: KEYS.B },
    );
    expect(r.stderr).not.toMatch(/fixpoint run:/);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Summary;
    expect(out.ok).toBe(true);
    expect(right(out.result)).toBe(true);
    expect(b.stopped).toBe(true);
    expect(out.endpoints.map((e) => e.state)).toEqual(['up', 'down']);
    expect(out.endpoints[0]!.answered + out.endpoints[1]!.answered).toBe(out.totals.leafCalls);
    expect(new Set(a.chatRequests().map((q) => q.authorization))).toEqual(new Set([`Bearer ${KEYS.A}`]));
    expect(new Set(b.chatRequests().map((q) => q.authorization))).toEqual(new Set([`Bearer ${KEYS.B}`]));
    for (const written of [r.stdout, r.stderr, readFileSync(trace, 'utf8')]) {
      expect(written).not.toContain(KEYS.A);
      expect(written).not.toContain(KEYS.B);
    }
  });

  it('keeps under a rate limit it learns from the headers: no 429, and says what it learned', async () => {
    const s = await serve({ rateLimit: { requests: 4, windowMs: 500 } });
    const r = await fixpoint([
      ...runArgs.filter((a) => a !== '--json'),
      '--base-url',
      s.url,
      '--model',
      'fixpoint-scripted',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(sample.expected);
    expect(s.chatRequests().length).toBeGreaterThan(8);
    expect(s.rateLimitViolations()).toBe(0);
    expect(r.stderr).toMatch(
      /endpoint 1 http:\/\/127\.0\.0\.1:\d+\/v1 \(fixpoint-scripted\): \d+ answered, rate limits 4 requests/,
    );
  });

  it('takes an endpoints file with weights, and refuses one holding a key', async () => {
    const a = await serve({ latencyMs: 20 });
    const b = await serve({ latencyMs: 20 });
    const fleet = join(dir, 'fleet.json');
    writeFileSync(
      fleet,
      JSON.stringify({
        model: 'fixpoint-scripted',
        endpoints: [
          { baseUrl: a.url, weight: 3, concurrency: 16 },
          { baseUrl: b.url, weight: 1, concurrency: 16 },
        ],
      }),
    );
    const r = await fixpoint([...runArgs, '--endpoints', fleet]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Summary;
    expect(out.ok).toBe(true);
    expect(right(out.result)).toBe(true);
    expect(a.chatRequests().length).toBeGreaterThan(b.chatRequests().length);

    const withKey = join(dir, 'with-key.json');
    writeFileSync(withKey, JSON.stringify([{ baseUrl: a.url, model: 'fixpoint-scripted', apiKey: KEYS.A }]));
    const refused = await fixpoint([...runArgs, '--endpoints', withKey]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/keys are read only from environment variables/);
    expect(refused.stderr).not.toContain(KEYS.A);
  });

  it('fixpoint batch takes the same endpoints: documents spread over two servers, each its own key, one dying', async () => {
    const a = await serve({ apiKey: KEYS.A, latencyMs: 10 });
    const b = await serve({ apiKey: KEYS.B, latencyMs: 10, stopAfter: 4 });
    const docs = join(dir, 'batch-docs');
    mkdirSync(docs, { recursive: true });
    for (const name of ['one.txt', 'two.txt', 'three.txt']) writeFileSync(join(docs, name), sample.text);
    const out = join(dir, 'batch-out.jsonl');
    const r = await fixpoint(
      [
        'batch',
        plan,
        '--inputs',
        docs,
        '--out',
        out,
        '--query',
        sample.query,
        '--context-window',
        '1024',
        '--no-cache',
        '--base-url',
        a.url,
        '--base-url',
        b.url,
        '--model',
        'fixpoint-scripted',
        '--api-key-env',
        'KEY_FOR_A',
        '--api-key-env',
        'KEY_FOR_B',
      ],
      { KEY_FOR_A: KEYS.A, KEY_FOR_B: KEYS.B },
    );
    expect(r.code, r.stderr).toBe(0);
    const results = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ok: boolean; result: unknown });
    expect(results).toHaveLength(3);
    expect(results.every((l) => l.ok && right(l.result))).toBe(true);
    expect(b.stopped).toBe(true);
    expect(new Set(a.chatRequests().map((q) => q.authorization))).toEqual(new Set([`Bearer ${KEYS.A}`]));
    expect(new Set(b.chatRequests().map((q) => q.authorization))).toEqual(new Set([`Bearer ${KEYS.B}`]));
    for (const written of [r.stdout, r.stderr, readFileSync(out, 'utf8')]) {
      expect(written).not.toContain(KEYS.A);
      expect(written).not.toContain(KEYS.B);
    }
  });
});
