import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScriptedServer, startScriptedServer } from '../test/scripted-server/server.ts';
import { parseTrace, sampleGenerator } from '../workers/lang/index.ts';
import { repoRoot, spawnFixpoint } from './testing/spawn-fixpoint.ts';

const root = repoRoot;
const FAKE_KEY = 'sk-fixpoint-CLI-recognisable-fake-key-51d0';

const dir = mkdtempSync(join(tmpdir(), 'fixpoint-run-'));
const sample = sampleGenerator('sniah')!.generate({ tokens: 6000, seed: 8 });
const input = join(dir, 'haystack.txt');
writeFileSync(input, sample.text);
const plan = join(root, 'public/examples/sniah.json');

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer({ apiKey: FAKE_KEY, truth: [sample.truth] });
});
afterAll(() => server.close());

const fixpoint = spawnFixpoint;

const common = () => [
  'run',
  plan,
  '--input',
  input,
  '--query',
  sample.query,
  '--base-url',
  server.url,
  '--model',
  'fixpoint-scripted',
  '--api-key-env',
  'FIXPOINT_TEST_KEY',
];

describe('fixpoint run (spawned, against the scripted server)', () => {
  it('runs an example, writes the trace, prints the outcome as JSON; the key appears nowhere', async () => {
    server.reset();
    server.configure({ faults: { rate: 0.3, kinds: ['500', '429', 'truncated'], seed: 4 } });
    const trace = join(dir, 'run.jsonl');
    const r = await fixpoint([...common(), '--trace', trace, '--json', '--concurrency', '3'], {
      FIXPOINT_TEST_KEY: FAKE_KEY,
    });
    expect(r.stderr).not.toMatch(/fixpoint run:/);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; result: unknown; totals: { leafCalls: number } };
    expect(out).toMatchObject({ ok: true, result: sample.expected });
    const text = readFileSync(trace, 'utf8');
    const parsed = parseTrace(text);
    expect(parsed.ok && parsed.complete).toBe(true);
    expect(server.chatRequests().every((q) => q.authorization === `Bearer ${FAKE_KEY}`)).toBe(true);
    for (const written of [r.stdout, r.stderr, text]) expect(written).not.toContain(FAKE_KEY);
  });

  it('prints the bare result without --json, progress on stderr', async () => {
    server.reset();
    const r = await fixpoint(common(), { FIXPOINT_TEST_KEY: FAKE_KEY });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(sample.expected);
    expect(r.stderr).toMatch(/progress: \d+\/\d+ leaf calls/);
    expect(r.stderr).toMatch(/leaf calls \(\d+ cached, planner bound \d+\)/);
  });

  it('fails with words and exit 1 when the key is refused, without printing it', async () => {
    server.reset();
    const wrong = 'sk-fixpoint-WRONG-cli-key-9999';
    const r = await fixpoint([...common(), '--json'], { FIXPOINT_TEST_KEY: wrong });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { ok: boolean; error: { kind: string; message: string } };
    expect(out).toMatchObject({ ok: false, error: { kind: 'ProviderUnavailable' } });
    expect(out.error.message).toMatch(/refused the API key/);
    expect(r.stdout + r.stderr).not.toContain(wrong);
  });

  it('is a usage error (exit 2) when the key variable is unset, an option is missing, or the plan is wrong', async () => {
    const unset = await fixpoint(common(), {});
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/FIXPOINT_TEST_KEY \(--api-key-env\) is not set/);

    const noModel = await fixpoint(['run', plan, '--input', input, '--base-url', server.url]);
    expect(noModel.code).toBe(2);
    expect(noModel.stderr).toMatch(/missing --model/);

    const broken = join(dir, 'broken.json');
    const doc = JSON.parse(readFileSync(plan, 'utf8')) as { nodes: { kind: string }[] };
    doc.nodes = doc.nodes.filter((n) => n.kind !== 'Output');
    writeFileSync(broken, JSON.stringify(doc));
    server.reset();
    const bad = await fixpoint(['run', broken, ...common().slice(2)], { FIXPOINT_TEST_KEY: FAKE_KEY });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cannot run:\n {2}error /);
    expect(server.chatRequests()).toHaveLength(0);
  });
});
