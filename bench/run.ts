// `npm run bench`: runs every benchmark of bench/registry.ts (or `--only NAME`), stores each result in
// bench/results/<name>.json with the machine and date, then regenerates docs/benchmarks.md from the stored
// results. The table is never hand-edited.
//
//   npm run bench [-- --only NAME[,NAME]] [--runs 5] [--report]
//   npm run bench -- --only task-families --base-url http://localhost:8000/v1 --model Qwen/Qwen3-8B \
//     [--api-key-env VAR] [--context-window 32768] [--concurrency 8] [--sizes 8000,16000]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import type { BenchContext, BenchOptions, ResultFile } from './benchmark.ts';
import { launchChromium } from './browser.ts';
import { machine } from './machine.ts';
import { type Preview, startPreview } from './preview.ts';
import { benchmarks } from './registry.ts';
import { RESULTS_DIR, writeReport } from './report.ts';

const DEFAULT_TIME_LIMIT_S = 180;
const BUDGET_S = 600;

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    runs: { type: 'string', default: '5' },
    report: { type: 'boolean', default: false },
    dist: { type: 'string', default: 'dist-bench' },
    'no-build': { type: 'boolean', default: false },
    'base-url': { type: 'string' },
    model: { type: 'string' },
    'api-key-env': { type: 'string' },
    'context-window': { type: 'string' },
    concurrency: { type: 'string' },
    sizes: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(
    [
      'usage: npm run bench -- [--only NAME[,NAME]] [--runs N] [--report] [--no-build] [--dist DIR]',
      '       [--base-url URL --model NAME [--api-key-env VAR] [--context-window N] [--concurrency N]]',
      '       [--sizes 8000,16000,…]',
      `benchmarks: ${benchmarks.map((b) => b.name).join(', ')}`,
    ].join('\n'),
  );
  process.exit(0);
}

function positive(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`--${name} must be a positive number, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

if (values.report) {
  writeReport();
  console.log('docs/benchmarks.md rewritten from bench/results/');
  process.exit(0);
}

const wanted = values.only?.split(',').filter(Boolean);
for (const name of wanted ?? []) {
  if (!benchmarks.some((b) => b.name === name)) {
    console.error(`unknown benchmark "${name}"; known: ${benchmarks.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
}
const selected = wanted ? benchmarks.filter((b) => wanted.includes(b.name)) : benchmarks;

const options: BenchOptions = { runs: Math.max(5, Math.floor(positive('runs', values.runs) ?? 5)) };
if (values['base-url']) options.baseUrl = values['base-url'];
if (values.model) options.model = values.model;
if (values['api-key-env']) options.apiKeyEnv = values['api-key-env'];
const contextWindow = positive('context-window', values['context-window']);
if (contextWindow !== undefined) options.contextWindow = contextWindow;
const concurrency = positive('concurrency', values.concurrency);
if (concurrency !== undefined) options.concurrency = concurrency;
if (values.sizes) options.sizes = values.sizes.split(',').map((s) => positive('sizes', s)!);
if ((options.baseUrl === undefined) !== (options.model === undefined)) {
  console.error('--base-url and --model go together');
  process.exit(2);
}

const started = performance.now();
mkdirSync(RESULTS_DIR, { recursive: true });
const dist = values.dist;
if (selected.some((b) => b.needsBuild) && !values['no-build']) {
  console.log(`▶ vite build --outDir ${dist}`);
  execFileSync('npx', ['vite', 'build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
}

let preview: Promise<Preview> | undefined;
let browser: Promise<Browser> | undefined;
const ctx: BenchContext = {
  options,
  dist,
  preview: async () => {
    preview ??= startPreview(dist);
    return (await preview).url;
  },
  browser: () => {
    browser ??= launchChromium();
    return browser;
  },
  log: (line) => console.log(`  ${line}`),
};

async function closeShared(): Promise<void> {
  const [b, p] = [browser, preview];
  browser = undefined;
  preview = undefined;
  if (b) await (await b.catch(() => undefined))?.close().catch(() => {});
  if (p) await (await p.catch(() => undefined))?.close().catch(() => {});
}

let failed = 0;
try {
  for (const b of selected) {
    console.log(`▶ ${b.name}: ${b.title}`);
    const at = machine();
    const t0 = performance.now();
    // A real model takes as long as it takes: the limits keep the default run (scripted server, this
    // machine) within its budget, they are not for runs against an endpoint the user chose.
    const limit = options.baseUrl ? undefined : (b.timeLimitS ?? DEFAULT_TIME_LIMIT_S);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const result = await Promise.race([
        b.run(ctx),
        new Promise<never>((_, reject) => {
          if (limit === undefined) return;
          timer = setTimeout(
            () => reject(new Error(`no result within its time limit of ${limit} s (timeLimitS)`)),
            limit * 1000,
          );
        }),
      ]);
      const seconds = (performance.now() - t0) / 1000;
      const file: ResultFile = { benchmark: b.name, title: b.title, machine: at, seconds, result };
      writeFileSync(`${RESULTS_DIR}/${b.name}.json`, `${JSON.stringify(file, null, 2)}\n`);
      console.log(`  done in ${seconds.toFixed(1)} s`);
    } catch (e) {
      failed++;
      console.error(`  ${b.name} failed: ${(e as Error).stack ?? e}`);
      // Whatever it left behind (a hung page, a stuck server) must not slow down the benchmarks after it.
      await closeShared();
    } finally {
      clearTimeout(timer);
    }
  }
} finally {
  await closeShared();
}
writeReport();
const total = (performance.now() - started) / 1000;
console.log(
  `\nbench: ${selected.length - failed} of ${selected.length} benchmarks done in ${Math.floor(total / 60)} min ${(total % 60).toFixed(0)} s; docs/benchmarks.md written`,
);
if (!wanted && total > BUDGET_S)
  console.log(`bench: over the budget of ${BUDGET_S / 60} minutes for the whole run`);
if (failed > 0) process.exit(1);
