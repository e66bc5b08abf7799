import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_MODEL, type HostileServer, startHostileServer } from '../test/hostile-server/server.ts';
import { type ScriptedServer, startScriptedServer } from '../test/scripted-server/server.ts';
import { type GroundTruth, parseTrace, sampleGenerator } from '../workers/lang/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/fixpoint.mjs');
const plan = join(root, 'public/examples/sniah.json');
const KEY = 'sk-fixpoint-BATCH-recognisable-fake-key-77e1';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer({ apiKey: KEY });
});
afterAll(() => server.close());

/** Every sample made so far: the scripted model answers from their ground truth, handed to it out of band. */
const truths: GroundTruth[] = [];
function sample(seed: number, tokens: number) {
  const made = sampleGenerator('sniah')!.generate({ tokens, seed });
  truths.push(made.truth);
  server.configure({ truth: [...truths] });
  return made;
}

/** The server as started, its log cleared, still holding the samples' truth. */
function resetServer() {
  server.reset();
  server.configure({ truth: [...truths] });
}

const tmp = () => mkdtempSync(join(tmpdir(), 'fixpoint-batch-'));

/** Documents that say which they are (DOC-n), so the server's log tells whose prompt each request was. */
function writeDocs(dir: string, n: number): string[] {
  mkdirSync(dir, { recursive: true });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { text } = sample(40 + i, 1500);
    const id = `doc-${String(i).padStart(2, '0')}.txt`;
    writeFileSync(join(dir, id), `DOC-${i} begins.\n${text}\nDOC-${i} ends.`);
    ids.push(id);
  }
  return ids;
}

function args(inputs: string, out: string, extra: string[] = []) {
  return [
    bin,
    'batch',
    plan,
    '--inputs',
    inputs,
    '--out',
    out,
    '--base-url',
    server.url,
    '--model',
    'fixpoint-scripted',
    '--api-key-env',
    'FIXPOINT_BATCH_KEY',
    ...extra,
  ];
}

function fixpoint(argv: string[], env: Record<string, string> = { FIXPOINT_BATCH_KEY: KEY }) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      argv,
      { cwd: root, env: { ...process.env, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { id: string; ok: boolean; [k: string]: unknown });

/** The documents whose text the server was asked about (by their DOC-n marker). */
const docsAsked = (s: ScriptedServer) =>
  s
    .chatRequests()
    .flatMap((r) => (r.messages ?? []).map((m) => /DOC-(\d+) begins/.exec(String(m.content))?.[1]))
    .filter((x): x is string => x !== undefined)
    .map((n) => `doc-${n.padStart(2, '0')}.txt`);

async function waitFor(check: () => boolean, what: string, ms = 30_000) {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('fixpoint batch (spawned, against the scripted server)', () => {
  it('killed mid-batch and run again, does each document once: what was done is skipped, the rest is run', async () => {
    const dir = tmp();
    const ids = writeDocs(join(dir, 'docs'), 8);
    const out = join(dir, 'results.jsonl');
    resetServer();
    // Slow enough to be killed halfway; no leaf cache, so what is skipped is skipped by the results alone.
    server.configure({ latencyMs: 150 });
    let child: ChildProcess | undefined;
    const killed = new Promise<void>((resolve) => {
      child = spawn(process.execPath, args(join(dir, 'docs'), out, ['--parallel', '2', '--no-cache']), {
        cwd: root,
        env: { ...process.env, FIXPOINT_BATCH_KEY: KEY },
        stdio: 'ignore',
      });
      child.on('exit', () => resolve());
    });
    await waitFor(() => existsSync(out) && lines(out).length >= 3, 'three results');
    child!.kill('SIGKILL');
    await killed;
    const before = lines(out);
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(before.length).toBeLessThan(8);
    const askedBefore = new Set(docsAsked(server));

    server.clearLog();
    server.configure({ latencyMs: 0 });
    const r = await fixpoint(args(join(dir, 'docs'), out, ['--parallel', '3', '--no-cache', '--json']));
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { skipped: number; done: number; failed: number };
    expect(summary).toMatchObject({ skipped: before.length, done: 8 - before.length, failed: 0 });

    // Every document has exactly one result, all of them good.
    const after = lines(out);
    expect(after.map((l) => l.id).sort()).toEqual(ids);
    expect(after.every((l) => l.ok)).toBe(true);
    // The second run asked nothing about the documents the first had finished, and everything about the rest.
    const askedAfter = docsAsked(server);
    for (const done of before) expect(askedAfter).not.toContain(done.id);
    expect(new Set(askedAfter)).toEqual(new Set(ids.filter((id) => !before.some((b) => b.id === id))));
    for (const done of before) expect(askedBefore).toContain(done.id);
  }, 60_000);

  it('stopped with Ctrl+C, ends cleanly (exit 130), keeps every finished document, and goes on when run again', async () => {
    const dir = tmp();
    const ids = writeDocs(join(dir, 'docs'), 6);
    const out = join(dir, 'results.jsonl');
    resetServer();
    server.configure({ latencyMs: 150 });
    let stdout = '';
    const child = spawn(process.execPath, args(join(dir, 'docs'), out, ['--no-cache']), {
      cwd: root,
      env: { ...process.env, FIXPOINT_BATCH_KEY: KEY },
    });
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => existsSync(out) && lines(out).length >= 2, 'two results');
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stdout).toMatch(/Stopped: interrupted\. Run the same command again to go on from here\./);
    const before = lines(out);
    expect(before.every((l) => l.ok)).toBe(true);
    expect(before.length).toBeLessThan(6);

    server.configure({ latencyMs: 0 });
    const r = await fixpoint(args(join(dir, 'docs'), out, ['--no-cache']));
    expect(r.code, r.stderr).toBe(0);
    expect(
      lines(out)
        .map((l) => l.id)
        .sort(),
    ).toEqual(ids);
  }, 60_000);

  it('reads JSON Lines inputs (ids, queries), writes a trace per document, and a summary with the cost', async () => {
    const dir = tmp();
    const inputs = join(dir, 'inputs.jsonl');
    const docs = [0, 1, 2].map((i) => {
      const s = sample(70 + i, 1200);
      return { id: `case/${i}`, text: s.text, query: s.query, expected: s.expected };
    });
    writeFileSync(inputs, `${docs.map(({ expected: _, ...d }) => JSON.stringify(d)).join('\n')}\n\n`);
    // Made-up figures: the project writes down no provider's prices.
    const prices = join(dir, 'prices.json');
    writeFileSync(
      prices,
      JSON.stringify({ currency: 'USD', prices: [{ model: 'fixpoint-scripted', input: 1.5, output: 6 }] }),
    );
    resetServer();
    const out = join(dir, 'out.jsonl');
    const traces = join(dir, 'traces');
    const r = await fixpoint(
      args(inputs, out, ['--traces', traces, '--prices', prices, '--cache-dir', join(dir, 'c')]),
    );
    expect(r.code, r.stderr).toBe(0);
    const results = lines(out);
    // Lines come in the order documents finish (--parallel 2): compared by id.
    const byId = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(results.map((l) => [l.id, l.ok, l.result]).sort(byId)).toEqual(
      docs.map((d) => [d.id, true, d.expected]),
    );
    for (const line of results) {
      const totals = line.totals as { promptTokens: number; completionTokens: number };
      const cost = line.cost as { amount: number; currency: string };
      expect(cost.currency).toBe('USD');
      expect(cost.amount).toBeCloseTo((totals.promptTokens * 1.5 + totals.completionTokens * 6) / 1e6, 12);
      const trace = parseTrace(readFileSync(line.trace as string, 'utf8'));
      expect(trace.ok && trace.complete).toBe(true);
    }
    // Each document's own question reached the model.
    for (const d of docs)
      expect(
        server.chatRequests().some((q) => q.messages?.some((m) => String(m.content).includes(d.query))),
      ).toBe(true);
    expect(readdirSync(traces)).toHaveLength(3);
    expect(r.stdout).toMatch(/^document\s+status\s+calls\s+tokens\s+cost\s+time/m);
    expect(r.stdout).toMatch(/3 documents: 3 ok, 0 failed, 0 skipped .*\$0\.\d+/);
    expect(r.stderr).toMatch(/batch: 3\/3 documents · .* tokens · \$0\.\d+/);
  });

  it('stops at a batch money budget before the call that could cross it, and goes on when run again', async () => {
    const dir = tmp();
    writeDocs(join(dir, 'docs'), 6);
    const prices = join(dir, 'prices.csv');
    writeFileSync(prices, 'model,input,output\nfixpoint-scripted,2,8\n');
    resetServer();
    const out = join(dir, 'out.jsonl');
    const common = ['--prices', prices, '--no-cache', '--parallel', '1', '--json'];
    const r = await fixpoint(args(join(dir, 'docs'), out, [...common, '--max-cost', '0.007']));
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout) as { stopped: string; done: number; cost: { amount: number } };
    expect(summary.stopped).toMatch(/^Batch cost budget of \$0\.007 reached/);
    expect(summary.cost.amount).toBeLessThanOrEqual(0.007);
    expect(summary.done).toBeGreaterThan(0);
    expect(summary.done).toBeLessThan(6);
    expect(lines(out).every((l) => l.ok)).toBe(true);

    const again = await fixpoint(args(join(dir, 'docs'), out, common));
    expect(again.code).toBe(0);
    expect(lines(out)).toHaveLength(6);
  });

  it('refuses what cannot work before running anything (exit 2)', async () => {
    const dir = tmp();
    writeDocs(join(dir, 'docs'), 1);
    resetServer();
    const noOut = await fixpoint(args(join(dir, 'docs'), '').filter((a) => a !== '--out' && a !== ''));
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/missing --out/);
    const dup = join(dir, 'dup.jsonl');
    writeFileSync(dup, '{"id":"a","text":"x"}\n{"id":"a","text":"y"}\n');
    const dupR = await fixpoint(args(dup, join(dir, 'o.jsonl')));
    expect(dupR.code).toBe(2);
    expect(dupR.stderr).toMatch(/the id "a" is given to two documents/);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"text":"fine"}\n{"text": 3}\n');
    const badR = await fixpoint(args(bad, join(dir, 'o.jsonl')));
    expect(badR.code).toBe(2);
    expect(badR.stderr).toMatch(/line 2: "text" must be a string/);
    const noPrice = await fixpoint(args(join(dir, 'docs'), join(dir, 'o.jsonl'), ['--max-cost', '1']));
    expect(noPrice.code).toBe(2);
    expect(noPrice.stderr).toMatch(/--max-cost needs the model's price/);
    expect(server.chatRequests()).toHaveLength(0);
  });
});

describe('fixpoint batch with a model that echoes the key', () => {
  let hostile: HostileServer;
  beforeAll(async () => {
    hostile = await startHostileServer({ mode: 'echo-key' });
  });
  afterAll(() => hostile.close());

  it('writes the key into no result, trace or cache file, and prints it nowhere', async () => {
    const dir = tmp();
    writeDocs(join(dir, 'docs'), 3);
    const out = join(dir, 'out.jsonl');
    const r = await fixpoint(
      [
        bin,
        'batch',
        plan,
        '--inputs',
        join(dir, 'docs'),
        '--out',
        out,
        '--traces',
        join(dir, 'traces'),
        '--cache-dir',
        join(dir, 'cache'),
        '--base-url',
        hostile.url,
        '--model',
        HOSTILE_MODEL,
        '--api-key-env',
        'FIXPOINT_BATCH_KEY',
      ],
      { FIXPOINT_BATCH_KEY: KEY },
    );
    // The server did get the key, and the model did echo it.
    expect(hostile.requests.some((q) => q.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(KEY);
    const files = walk(dir);
    expect(files.some((f) => f.includes(`${join(dir, 'cache')}`))).toBe(true);
    expect(files.some((f) => f.includes(`${join(dir, 'traces')}`))).toBe(true);
    let redacted = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toContain(KEY);
      if (text.includes('[redacted]')) redacted++;
    }
    // The echo is there, replaced: results, traces and cache all held it.
    expect(redacted).toBeGreaterThanOrEqual(3);
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}
