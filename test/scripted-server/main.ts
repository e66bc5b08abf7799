/**
 * TEST DOUBLE launcher: starts the scripted OpenAI-compatible server from the command line, for
 * Playwright, benchmarks and trying the app by hand without a model.
 *
 *   node --import tsx test/scripted-server/main.ts --port 8123 --latency 50
 *   … --token-latency 2 --fault-rate 0.2 --faults 429,500,truncated --seed 7 --api-key sk-test --no-cors
 *   … --schedule 429,ok,hang   (the first chat request rate-limited, the second answered, the third hangs)
 *   … --window 4096 --context-errors llama.cpp --sentinel NOT_FOUND --truth truth.json
 *   … --rate-requests 60 --rate-tokens 20000 --rate-window 60000 [--no-rate-headers]   (a rate limit)
 *   … --slots 4   (at most 4 answers at once)   --stop-after 100   (dies when the 101st chat request comes)
 *
 * Ground truth (a JSON array of the samples' `truth`, or one) comes from --truth or, at any time, from
 * `POST /__scripted/configure` with `{ "truth": [...] }`.
 *
 * Prints one line `scripted server listening on <base url>` once it accepts connections; stops on
 * SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { GroundTruth } from '../../workers/lang/samples/truth.ts';
import { FAULT_KINDS, type FaultKind, type ScriptedServerOptions, startScriptedServer } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    latency: { type: 'string', default: '0' },
    'token-latency': { type: 'string', default: '0' },
    'fault-rate': { type: 'string', default: '0' },
    faults: { type: 'string' },
    schedule: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'retry-after': { type: 'string', default: '0' },
    'slow-token': { type: 'string', default: '100' },
    models: { type: 'string' },
    'api-key': { type: 'string' },
    window: { type: 'string' },
    'context-errors': { type: 'string' },
    sentinel: { type: 'string' },
    truth: { type: 'string' },
    'no-cors': { type: 'boolean', default: false },
    'no-usage': { type: 'boolean', default: false },
    'rate-requests': { type: 'string' },
    'rate-tokens': { type: 'string' },
    'rate-window': { type: 'string', default: '60000' },
    'no-rate-headers': { type: 'boolean', default: false },
    slots: { type: 'string' },
    'stop-after': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(
    'usage: node --import tsx test/scripted-server/main.ts [--port N] [--latency MS] [--token-latency MS]\n' +
      `       [--fault-rate R --faults ${FAULT_KINDS.join(',')}] [--seed N] [--retry-after S] [--slow-token MS]\n` +
      '       [--schedule 429,ok,500,… (a fault per chat request in order; ok answers normally)]\n' +
      '       [--models a,b] [--api-key KEY] [--no-cors] [--no-usage]\n' +
      '       [--window TOKENS] [--context-errors vllm|llama.cpp] [--sentinel TEXT] [--truth FILE.json]\n' +
      '       [--rate-requests N] [--rate-tokens N] [--rate-window MS] [--no-rate-headers] [--slots N] [--stop-after N]',
  );
  process.exit(0);
}

function num(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} must be a non-negative number, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

function fault(k: string): FaultKind {
  if (!(FAULT_KINDS as readonly string[]).includes(k)) {
    console.error(`unknown fault "${k}"; known: ${FAULT_KINDS.join(', ')}`);
    process.exit(2);
  }
  return k as FaultKind;
}

const kinds = values.faults ? values.faults.split(',').map(fault) : undefined;

const options: ScriptedServerOptions = {
  port: num('port', values.port),
  host: values.host,
  latencyMs: num('latency', values.latency),
  tokenLatencyMs: num('token-latency', values['token-latency']),
  retryAfterSeconds: num('retry-after', values['retry-after']),
  slowTokenMs: num('slow-token', values['slow-token']),
  cors: !values['no-cors'],
  usage: !values['no-usage'],
};
const rate = num('fault-rate', values['fault-rate']);
if (rate > 0) options.faults = { rate, seed: num('seed', values.seed), ...(kinds ? { kinds } : {}) };
if (values.schedule) options.schedule = values.schedule.split(',').map((k) => (k === 'ok' ? null : fault(k)));
if (values.models) options.models = values.models.split(',').filter(Boolean);
if (values['api-key']) options.apiKey = values['api-key'];
if (values.window) options.contextWindow = num('window', values.window);
if (values['context-errors']) {
  const style = values['context-errors'];
  if (style !== 'vllm' && style !== 'llama.cpp') {
    console.error(`--context-errors must be vllm or llama.cpp, got "${style}"`);
    process.exit(2);
  }
  options.contextErrors = style;
}
if (values.sentinel !== undefined) options.sentinel = values.sentinel;
if (values.truth) {
  const parsed = JSON.parse(readFileSync(values.truth, 'utf8')) as GroundTruth | GroundTruth[];
  options.truth = Array.isArray(parsed) ? parsed : [parsed];
}
if (values['rate-requests'] || values['rate-tokens']) {
  options.rateLimit = {
    windowMs: num('rate-window', values['rate-window']),
    headers: !values['no-rate-headers'],
    ...(values['rate-requests'] && { requests: num('rate-requests', values['rate-requests']) }),
    ...(values['rate-tokens'] && { tokens: num('rate-tokens', values['rate-tokens']) }),
  };
}
if (values.slots) options.slots = num('slots', values.slots);
if (values['stop-after']) options.stopAfter = num('stop-after', values['stop-after']);

const server = await startScriptedServer(options);
console.log(`scripted server listening on ${server.url}`);

const stop = () => {
  server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
