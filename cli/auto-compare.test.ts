/**
 * `fixpoint run --auto` and `fixpoint compare`, spawned as a user runs them, against the scripted server
 * (given the samples' truth): the family chosen on stderr, the answer on stdout, the detection call in the
 * log; the comparison's figures equal the two logs'; usage errors.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScriptedServer, startScriptedServer } from '../test/scripted-server/server.ts';
import { compareRuns, parseTrace, sampleGenerator } from '../workers/lang/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/fixpoint.mjs');
const FAKE_KEY = 'sk-fixpoint-CLI-auto-fake-key-77cd';
const dir = mkdtempSync(join(tmpdir(), 'fixpoint-auto-'));
const oolong = sampleGenerator('oolong')!.generate({ tokens: 6000, seed: 4 });
const sniah = sampleGenerator('sniah')!.generate({ tokens: 6000, seed: 8, script: 'latin' });
const oolongFile = join(dir, 'oolong.txt');
const sniahFile = join(dir, 'sniah.txt');
writeFileSync(oolongFile, oolong.text);
writeFileSync(sniahFile, sniah.text);

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer({ apiKey: FAKE_KEY, truth: [oolong.truth, sniah.truth] });
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

const model = () => [
  '--base-url',
  server.url,
  '--model',
  'fixpoint-scripted',
  '--api-key-env',
  'FIXPOINT_TEST_KEY',
  '--context-window',
  '4096',
];

describe('fixpoint run --auto', () => {
  it('detects the family, says it on stderr, answers on stdout, and logs the detection call', async () => {
    const trace = join(dir, 'auto.jsonl');
    const r = await fixpoint([
      'run',
      '--auto',
      '--input',
      oolongFile,
      '--query',
      oolong.query,
      ...model(),
      '--trace',
      trace,
    ]);
    expect(r.stderr).toContain('task: aggregate');
    expect(r.stderr).toContain('detected by the model');
    expect(r.code, r.stderr).toBe(0);
    expect(sampleGenerator('oolong')!.isCorrect(r.stdout.trim(), oolong.expected)).toBe(true);
    const log = parseTrace(readFileSync(trace, 'utf8'));
    if (!log.ok) throw new Error(log.error);
    expect(log.events[1]).toMatchObject({ type: 'call.start', nodeId: 'auto.detect' });
    expect(readFileSync(trace, 'utf8')).not.toContain(FAKE_KEY);
  });

  it('takes --family instead of detecting, and refuses an unknown one or a plan file', async () => {
    const picked = await fixpoint([
      'run',
      '--auto',
      '--family',
      'search',
      '--input',
      sniahFile,
      '--query',
      sniah.query,
      ...model(),
      '--json',
    ]);
    expect(picked.code, picked.stderr).toBe(0);
    const out = JSON.parse(picked.stdout);
    expect(out).toMatchObject({ ok: true, family: 'search', chosenBy: 'user', result: sniah.expected });
    const bad = await fixpoint([
      'run',
      '--auto',
      '--family',
      'poetry',
      '--input',
      sniahFile,
      '--query',
      'Q?',
      ...model(),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--family must be one of');
    const both = await fixpoint([
      'run',
      'public/examples/sniah.json',
      '--auto',
      '--input',
      sniahFile,
      '--query',
      'Q?',
      ...model(),
    ]);
    expect(both.code).toBe(2);
    const noQuery = await fixpoint(['run', '--auto', '--input', sniahFile, ...model()]);
    expect(noQuery.code).toBe(2);
    expect(noQuery.stderr).toContain('--auto needs --query');
  });
});

describe('fixpoint compare', () => {
  it("prints the table, and --json's figures are the two logs'", async () => {
    const trace = join(dir, 'cmp.jsonl');
    const r = await fixpoint([
      'compare',
      '--auto',
      '--input',
      sniahFile,
      '--query',
      sniah.query,
      ...model(),
      '--trace',
      trace,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const printed = JSON.parse(r.stdout);
    const planLog = parseTrace(readFileSync(trace, 'utf8'));
    const rlmLog = parseTrace(readFileSync(`${trace}.rlm.jsonl`, 'utf8'));
    if (!planLog.ok || !rlmLog.ok) throw new Error('a log does not parse');
    const fromLogs = compareRuns(planLog.events, rlmLog.events);
    expect(printed).toEqual(JSON.parse(JSON.stringify(fromLogs)));
    expect(printed.plan.result).toBe(sniah.expected);
    expect(printed.rlm.result).toBe(sniah.expected);
    const planDone = planLog.events.at(-1);
    if (planDone?.type !== 'run.done') throw new Error('no run.done');
    expect(printed.plan.calls).toBe(planDone.totals.leafCalls);
    expect(printed.plan.promptTokens).toBe(planDone.totals.promptTokens);

    const table = await fixpoint([
      'compare',
      '--auto',
      '--input',
      sniahFile,
      '--query',
      sniah.query,
      ...model(),
    ]);
    expect(table.code, table.stderr).toBe(0);
    for (const label of [
      'answer',
      'model calls',
      'tokens in',
      'tokens out',
      'wall time',
      'depth',
      'predicted calls',
    ])
      expect(table.stdout).toContain(label);
    expect(table.stdout).toContain(String(sniah.expected));
  });

  it('compares a plan file given by path, with no detection call', async () => {
    const r = await fixpoint([
      'compare',
      'public/examples/sniah.json',
      '--input',
      sniahFile,
      '--query',
      sniah.query,
      ...model(),
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const printed = JSON.parse(r.stdout);
    expect(printed.plan).toMatchObject({ kind: 'plan', detected: false, result: sniah.expected });
    expect(printed.rlm).toMatchObject({ kind: 'rlm', result: sniah.expected });
  });

  it('needs a plan or --auto, and a question', async () => {
    expect((await fixpoint(['compare', '--input', sniahFile, '--query', 'Q?', ...model()])).code).toBe(2);
    expect((await fixpoint(['compare', '--auto', '--input', sniahFile, ...model()])).code).toBe(2);
  });
});
