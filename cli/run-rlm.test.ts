/**
 * `fixpoint run --rlm`, spawned as a user runs it, against the scripted server (its RLM policy writes the
 * code): the answer on stdout, the log in --trace, budgets from the command line, usage errors.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFromLog } from '../app/store/run.ts';
import { type ScriptedServer, startScriptedServer } from '../test/scripted-server/server.ts';
import { parseTrace, sampleGenerator } from '../workers/lang/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/fixpoint.mjs');
const FAKE_KEY = 'sk-fixpoint-CLI-rlm-fake-key-90ab';
const dir = mkdtempSync(join(tmpdir(), 'fixpoint-rlm-'));
const sample = sampleGenerator('sniah')!.generate({ tokens: 9000, seed: 12 });
const input = join(dir, 'haystack.txt');
writeFileSync(input, sample.text);

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer({ apiKey: FAKE_KEY, truth: [sample.truth] });
});
afterAll(() => server.close());

function fixpoint(args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: root, env: { ...process.env, FIXPOINT_TEST_KEY: FAKE_KEY } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const common = (query: string) => [
  'run',
  '--rlm',
  '--input',
  input,
  '--query',
  query,
  '--base-url',
  server.url,
  '--model',
  'fixpoint-scripted',
  '--api-key-env',
  'FIXPOINT_TEST_KEY',
  '--context-window',
  '4096',
];

describe('fixpoint run --rlm (spawned, against the scripted server)', () => {
  it('answers with the model’s own code and writes the log; the key appears nowhere', async () => {
    server.reset();
    const trace = join(dir, 'rlm.jsonl');
    const r = await fixpoint([...common(sample.query as string), '--trace', trace]);
    expect(r.stderr).toContain('RLM: 2 root calls, 2 code blocks');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(sample.expected);
    const text = readFileSync(trace, 'utf8');
    expect(text).not.toContain(FAKE_KEY);
    expect(r.stdout + r.stderr).not.toContain(FAKE_KEY);
    const read = parseTrace(text);
    expect(read.ok).toBe(true);
    if (read.ok) {
      const state = runFromLog(read.events);
      expect(state.mode).toBe('rlm');
      expect(state.result).toBe(sample.expected);
    }
  });

  it('a looping model is stopped by a budget given on the command line, with the reason, exit 1', async () => {
    const r = await fixpoint([
      ...common('Never finish: what is it about?'),
      '--max-iterations',
      '2',
      '--json',
    ]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { ok: boolean; error: { kind: string; message: string } };
    expect(out.ok).toBe(false);
    expect(out.error.kind).toBe('BudgetExceeded');
    expect(out.error.message).toContain('Iteration budget of 2');
  });

  it('usage errors: a plan with --rlm, no question, no plan without --rlm', async () => {
    const withPlan = await fixpoint([...common('q'), join(root, 'public/examples/sniah.json')]);
    expect(withPlan.code).toBe(2);
    expect(withPlan.stderr).toContain('--rlm runs without a plan');
    const noQuery = await fixpoint(common('').filter((a) => a !== '' && a !== '--query'));
    expect(noQuery.code).toBe(2);
    expect(noQuery.stderr).toContain('--rlm needs --query');
    const noPlan = await fixpoint(['run', '--input', input, '--base-url', server.url, '--model', 'm']);
    expect(noPlan.code).toBe(2);
    expect(noPlan.stderr).toContain('missing PLAN');
  });
});
