/**
 * An API key never reaches an output, whatever the model or the server echoes: the CLI's stdout (plain
 * and --json), its stderr and its trace file; what the runtime worker sends the page (every event and the
 * run's summary); the settings' "Test connection" report; and the refusal of a base URL with a key in it.
 * The hostile server echoes the key from the Authorization header, in an answer and in an error body.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../cli/run.ts';
import { stringIo } from '../../cli/string-io.ts';
import type { TraceEvent } from '../../workers/lang/index.ts';
import { createModel } from '../../workers/runtime/index.ts';
import { createRunService } from '../../workers/runtime/run-service.ts';
import { HOSTILE_MODEL, type HostileServer, startHostileServer } from './server.ts';

const KEY = 'sk-echo-SECRET-7f3a9c21d4e8b605';
/** The key, or what is left of it in text cut short for display (its first or last twelve characters). */
const pieces = new RegExp(`${KEY.slice(0, 12)}|${KEY.slice(-12)}`);
const root = fileURLToPath(new URL('../..', import.meta.url));
const plan = join(root, 'public/examples/sniah.json');
const dir = mkdtempSync(join(tmpdir(), 'fixpoint-echo-'));
const input = join(dir, 'doc.txt');
writeFileSync(input, 'The river bends past the old mill. The secret code for Juniper is K-4471. '.repeat(20));

let server: HostileServer;
beforeAll(async () => {
  server = await startHostileServer();
});
afterAll(() => server.close());

/** `fixpoint run` in-process, every channel captured as text. */
async function cli(json: boolean) {
  const { io, out } = stringIo({ ECHO_KEY: KEY });
  const trace = join(dir, `run-${json ? 'json' : 'plain'}-${server.mode}.jsonl`);
  const code = await runCommand(
    plan,
    {
      input,
      baseUrl: server.url,
      model: HOSTILE_MODEL,
      apiKeyEnv: 'ECHO_KEY',
      contextWindow: 4096,
      leafTimeout: 2000,
      attemptTimeout: 1000,
      trace,
      json,
    },
    io,
  );
  return { code, ...out, trace: readFileSync(trace, 'utf8') };
}

describe('a key echoed by the model or the server reaches no output', () => {
  it('CLI, plain and --json: the answer that quotes the key is printed redacted; stderr and trace too', async () => {
    server.mode = 'echo-key';
    for (const json of [false, true]) {
      const r = await cli(json);
      expect(r.code).toBe(0);
      // The server did get the key, and the model did echo it: the outputs show where it was.
      expect(server.requests.at(-1)?.authorization).toBe(`Bearer ${KEY}`);
      expect(r.stdout).toContain('[redacted]');
      expect(r.trace).toContain('[redacted]');
      for (const channel of [r.stdout, r.stderr, r.trace]) expect(channel).not.toMatch(pieces);
    }
  });

  it('CLI: an error body quoting the key fails the run without printing it', async () => {
    server.mode = 'echo-key-error';
    for (const json of [false, true]) {
      const r = await cli(json);
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toMatch(/500/);
      for (const channel of [r.stdout, r.stderr, r.trace]) expect(channel).not.toMatch(pieces);
    }
  });

  it('what the worker sends the page: every event and the summary', async () => {
    server.mode = 'echo-key';
    const service = createRunService({ createModel: (config) => createModel(config), cache: () => null });
    const events: TraceEvent[] = [];
    const summary = await service.run(
      {
        runId: 'echo',
        plan: JSON.parse(readFileSync(plan, 'utf8')),
        input: readFileSync(input, 'utf8'),
        model: {
          engine: 'openai',
          baseUrl: server.url,
          model: HOSTILE_MODEL,
          apiKey: KEY,
          concurrency: 2,
          contextWindow: 4096,
        },
        useCache: false,
      },
      (batch) => events.push(...batch),
    );
    expect(summary.ok).toBe(true);
    const sent = JSON.stringify({ events, summary });
    expect(sent).toContain('[redacted]');
    expect(sent).not.toMatch(pieces);
  });

  it('the settings’ Test connection: the model’s reply is shown without the key', async () => {
    server.mode = 'echo-key';
    const service = createRunService({ createModel: (config) => createModel(config), cache: () => null });
    const report = await service.testConnection({
      engine: 'openai',
      baseUrl: server.url,
      model: HOSTILE_MODEL,
      apiKey: KEY,
      concurrency: 1,
      contextWindow: 4096,
    });
    expect(report.ok).toBe(true);
    expect(JSON.stringify(report)).not.toMatch(pieces);
  });
});

describe('a base URL with credentials is refused without repeating them', () => {
  const withKey = () => server.url.replace('http://', `http://alice:${KEY}@`);

  it('by the CLI (spawned): usage error, exit 2, nothing of the key on either stream', async () => {
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          join(root, 'bin/fixpoint.mjs'),
          'run',
          plan,
          '--input',
          input,
          '--base-url',
          withKey(),
          '--model',
          'm',
        ],
        { cwd: root },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/user name or key in it/);
    expect(r.stdout + r.stderr).not.toContain(KEY);
    expect(r.stdout + r.stderr).not.toContain('alice');
  });

  it('by the runtime (the page’s run and Test connection)', async () => {
    const service = createRunService({ createModel: (config) => createModel(config), cache: () => null });
    const model = {
      engine: 'openai' as const,
      baseUrl: withKey(),
      model: HOSTILE_MODEL,
      concurrency: 1,
      contextWindow: 4096,
    };
    const report = await service.testConnection(model);
    expect(report.ok).toBe(false);
    expect(report.message).toMatch(/user name or key in it/);
    const summary = await service.run(
      { runId: 'cred', plan: JSON.parse(readFileSync(plan, 'utf8')), input: 'text', model },
      () => {},
    );
    expect(summary).toMatchObject({ ok: false, stage: 'model', error: { kind: 'ProviderUnavailable' } });
    expect(JSON.stringify({ report, summary })).not.toMatch(new RegExp(`${KEY}|alice`));
  });
});
