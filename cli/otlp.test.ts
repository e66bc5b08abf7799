import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOtlpJson } from '../test/otlp-receiver/decode.ts';
import { type OtlpReceiver, startOtlpReceiver } from '../test/otlp-receiver/receiver.ts';
import { spanTreeProblems } from '../test/otlp-receiver/span-tree.ts';
import { type ScriptedServer, startScriptedServer } from '../test/scripted-server/server.ts';
import { syntheticLog } from '../test/synthetic-log.ts';
import { parseTrace, sampleGenerator, serializeTrace, type TraceEvent } from '../workers/lang/index.ts';
import { otlpRequest, tracesUrl } from './otlp-export.ts';
import { formatResult } from './run.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/fixpoint.mjs');
const KEY = 'sk-fixpoint-OTLP-recognisable-fake-key-7a2e';
const TRACING_TOKEN = 'Basic cGstbGYtMTIzOnNrLWxmLTQ1Ng==';

const dir = mkdtempSync(join(tmpdir(), 'fixpoint-otlp-'));
const sample = sampleGenerator('oolong')!.generate({ tokens: 6000, seed: 3 });
const input = join(dir, 'doc.txt');
writeFileSync(input, sample.text);
const plan = join(root, 'public/examples/oolong.json');

let model: ScriptedServer;
let receiver: OtlpReceiver;
beforeAll(async () => {
  // The scripted server answers from the sample's ground truth, handed to it out of band.
  model = await startScriptedServer({ apiKey: KEY, truth: [sample.truth] });
});
afterAll(async () => {
  await model.close();
  await receiver?.close();
});

function fixpoint(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: root, env: { ...process.env, FIXPOINT_TEST_KEY: KEY, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A run whose question carries the key, as if pasted into it: every prompt then holds the key. */
const runArgs = (...extra: string[]) => [
  'run',
  plan,
  '--input',
  input,
  '--query',
  `${sample.query} (ignore ${KEY})`,
  '--base-url',
  model.url,
  '--model',
  'fixpoint-scripted',
  '--api-key-env',
  'FIXPOINT_TEST_KEY',
  ...extra,
];

/** The tracing tool's credentials come from the environment, as the docs advise, unless given as a header. */
const run = (...extra: string[]) =>
  fixpoint(
    runArgs(...extra),
    extra.includes('--otlp-header')
      ? {}
      : { OTEL_EXPORTER_OTLP_HEADERS: `Authorization=${encodeURIComponent(TRACING_TOKEN)}` },
  );

const logOf = (path: string): TraceEvent[] => {
  const parsed = parseTrace(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.events;
};

describe('fixpoint run --otlp-* and fixpoint otlp (spawned, against an OTLP/HTTP receiver test double)', () => {
  it('sends the run as protobuf spans nested as its tree, writes the same spans to a file, and no key anywhere', async () => {
    receiver = await startOtlpReceiver();
    model.reset();
    const trace = join(dir, 'run.jsonl');
    const file = join(dir, 'spans.json');
    const r = await run(
      '--trace',
      trace,
      '--otlp-endpoint',
      receiver.url,
      '--otlp-header',
      `Authorization=${TRACING_TOKEN}`,
      '--otlp-header',
      'x-project=fixpoint-tests',
      '--otlp-file',
      file,
      '--otlp-content',
    );
    expect(r.stderr).not.toMatch(/fixpoint run:|could not/);
    expect(r.code).toBe(0);
    // OOLONG's answer is a count or a label, printed as it is.
    expect(r.stdout.trim()).toBe(formatResult(sample.expected));
    expect(r.stderr).toMatch(
      /OpenTelemetry: \d+ spans \(trace [0-9a-f]{32}\) sent to http:\/\/127\.0\.0\.1:\d+\/v1\/traces/,
    );
    expect(r.stderr).toMatch(/OpenTelemetry: \d+ spans .* written to /);

    expect(receiver.requests.length).toBeGreaterThan(0);
    for (const q of receiver.requests) {
      expect(q.status).toBe(200);
      expect(q.contentType).toBe('application/x-protobuf');
      expect(q.headers.authorization).toBe(TRACING_TOKEN);
      expect(q.headers['x-project']).toBe('fixpoint-tests');
      expect(q.body.includes(KEY)).toBe(false);
      expect(JSON.stringify(q.headers)).not.toContain(KEY);
    }
    const events = logOf(trace);
    const received = receiver.spans();
    expect(spanTreeProblems(received, events)).toEqual([]);
    const chats = received.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    expect(chats.length).toBe(model.chatRequests().length);
    const workflow = received.find((s) => s.parentSpanId === '')!;
    expect(workflow.attributes['fixpoint.run.query']).toBe(`${sample.query} (ignore [redacted])`);

    const written = readFileSync(file, 'utf8');
    expect(decodeOtlpJson(written).flatMap((b) => b.spans)).toEqual(received);
    for (const text of [written, r.stdout, r.stderr, readFileSync(trace, 'utf8')]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(TRACING_TOKEN);
    }

    // The saved log, sent again later, is the same spans: same ids, same times.
    const again = await startOtlpReceiver();
    try {
      utimesSync(trace, new Date(), new Date());
      const later = await fixpoint(
        [
          'otlp',
          trace,
          '--otlp-endpoint',
          `${again.url}/v1/traces`,
          '--otlp-protocol',
          'http/json',
          '--otlp-content',
        ],
        { OTEL_SERVICE_NAME: 'team-pipelines' },
      );
      expect(later.stderr).toMatch(/sent to/);
      expect(later.code).toBe(0);
      expect(again.requests.every((q) => q.contentType === 'application/json')).toBe(true);
      expect(again.spans()).toEqual(received);
      expect(again.requests[0]?.batches[0]?.resource['service.name']).toBe('team-pipelines');
    } finally {
      await again.close();
    }
  });

  it('keeps prompts and outputs out unless --otlp-content; takes credentials from OTEL_EXPORTER_OTLP_HEADERS', async () => {
    await receiver?.close();
    receiver = await startOtlpReceiver();
    model.reset();
    const r = await run('--otlp-endpoint', receiver.url, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
    expect(receiver.requests.every((q) => q.headers.authorization === TRACING_TOKEN)).toBe(true);
    expect(receiver.requests[0]?.batches[0]?.resource['service.name']).toBe('fixpoint');
    expect(r.stdout + r.stderr).not.toContain(TRACING_TOKEN);
    const keys = new Set(receiver.spans().flatMap((s) => Object.keys(s.attributes)));
    expect(keys.has('gen_ai.input.messages')).toBe(false);
    expect(keys.has('gen_ai.output.messages')).toBe(false);
    expect(keys.has('gen_ai.usage.input_tokens')).toBe(true);
  });

  it('retries an endpoint that is briefly unavailable, and exits 1 with words when it refuses the spans', async () => {
    await receiver?.close();
    receiver = await startOtlpReceiver({ failFirst: { count: 1, status: 503 } });
    const log = join(dir, 'synthetic.jsonl');
    writeFileSync(log, serializeTrace(syntheticLog({ k: 3, depth: 2, startedAt: 1_790_000_000_000 })));
    const retried = await fixpoint(['otlp', log, '--otlp-endpoint', receiver.url]);
    expect(retried.code).toBe(0);
    expect(receiver.requests.map((q) => q.status)).toEqual([503, 200]);

    await receiver.close();
    receiver = await startOtlpReceiver({ failFirst: { count: 1, status: 400 } });
    const refused = await fixpoint(['otlp', log, '--otlp-endpoint', receiver.url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /could not send the spans to http:\/\/127\.0\.0\.1:\d+\/v1\/traces: HTTP 400/,
    );

    const old = join(dir, 'old.jsonl');
    const undated = syntheticLog({ k: 2, depth: 1 });
    writeFileSync(old, serializeTrace(undated));
    const mtime = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    utimesSync(old, mtime, mtime);
    const out = join(dir, 'old.otlp.json');
    const dated = await fixpoint(['otlp', old, '--otlp-file', out]);
    expect(dated.code).toBe(0);
    const spans = decodeOtlpJson(readFileSync(out, 'utf8')).flatMap((b) => b.spans);
    const end = spans.find((s) => s.parentSpanId === '')!.endNs;
    expect(end).toBe(BigInt(mtime.getTime()) * 1_000_000n);
  });

  it('refuses to send the model key in a header, and other wrong options, before any model call', async () => {
    model.reset();
    const leak = await run(
      '--otlp-endpoint',
      'http://127.0.0.1:9/v1/traces',
      '--otlp-header',
      `Authorization=Bearer ${KEY}`,
    );
    expect(leak.code).toBe(2);
    expect(leak.stderr).toMatch(/OTLP header holds the model's API key/);
    expect(leak.stderr).not.toContain(KEY);
    const fromEnv = await fixpoint(runArgs('--otlp-file', join(dir, 'x.json')), {
      OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${KEY}`,
    });
    expect(fromEnv.code).toBe(2);
    expect(model.chatRequests()).toHaveLength(0);

    const env = {};
    expect(() => otlpRequest({ otlpHeader: 'a=b' }, env, undefined)).toThrow(/need --otlp-endpoint/);
    expect(() => otlpRequest({ otlpEndpoint: 'ftp://x' }, env, undefined)).toThrow(/http\(s\) URL/);
    expect(() => otlpRequest({ otlpEndpoint: 'http://x', otlpProtocol: 'grpc' }, env, undefined)).toThrow(
      /--otlp-protocol/,
    );
    expect(() => otlpRequest({ otlpFile: 'f', otlpHeader: 'no equals' }, env, undefined)).toThrow(
      /NAME=VALUE/,
    );
    expect(otlpRequest({}, env, undefined)).toBeUndefined();
    expect(tracesUrl('http://localhost:4318')).toBe('http://localhost:4318/v1/traces');
    expect(tracesUrl('https://cloud.example/api/public/otel/')).toBe(
      'https://cloud.example/api/public/otel/v1/traces',
    );
    expect(tracesUrl('http://localhost:6006/v1/traces')).toBe('http://localhost:6006/v1/traces');
  });
});
