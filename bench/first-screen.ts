import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Benchmark } from './benchmark.ts';
import budgets from './budgets.json' with { type: 'json' };
import { describeMachine } from './machine.ts';

interface FileSize {
  file: string;
  kb: number;
  gzipKB: number;
}

export interface FirstScreenResult {
  budgetGzipKB: number;
  totalGzipKB: number;
  firstFiles: FileSize[];
  lazyFiles: FileSize[];
}

const kb = (n: number) => `${n.toFixed(1)} KB`;

/**
 * Size of the first screen's JavaScript in the production build: the entry script of index.html, the
 * chunks it imports statically, and the runtime worker it starts at once. Lazy chunks are listed apart.
 * Sizes are exact, so one measurement is the figure.
 */
export const firstScreenBenchmark: Benchmark<FirstScreenResult> = {
  name: 'first-screen',
  title: 'First screen JavaScript',
  needsBuild: true,
  async run(ctx) {
    const html = readFileSync(`${ctx.dist}/index.html`, 'utf8');
    const entry = [...html.matchAll(/<script[^>]+src="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
    const preloads = [
      ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/assets\/([^"]+\.js)"/g),
    ].map((m) => m[1]!);
    const assets = readdirSync(`${ctx.dist}/assets`).filter((f) => f.endsWith('.js'));
    const workers = assets.filter((f) => f.startsWith('runtime.worker'));
    const first = new Set([...entry, ...preloads, ...workers]);
    const size = (f: string): FileSize => {
      const body = readFileSync(`${ctx.dist}/assets/${f}`);
      return { file: f, kb: body.length / 1024, gzipKB: gzipSync(body, { level: 9 }).length / 1024 };
    };
    const firstFiles = [...first].map(size);
    const lazyFiles = assets.filter((f) => !first.has(f)).map(size);
    const totalGzipKB = firstFiles.reduce((s, f) => s + f.gzipKB, 0);
    ctx.log(`first screen: ${totalGzipKB.toFixed(1)} KB gzip (budget ${budgets.firstScreenJsGzipKB} KB)`);
    return { budgetGzipKB: budgets.firstScreenJsGzipKB, totalGzipKB, firstFiles, lazyFiles };
  },
  headline(r) {
    return `**${kb(r.totalGzipKB)}** gzip (budget ${kb(r.budgetGzipKB)})`;
  },
  report(r, { machine }) {
    return [
      `Budget: **${kb(r.budgetGzipKB)} gzip** (enforced by \`e2e/first-screen-budget.spec.ts\` in \`npm test\`).`,
      `Measured: **${kb(r.totalGzipKB)} gzip** — the entry script, its static imports and the runtime worker, gzip level 9 (${describeMachine(machine)}).`,
      '',
      '| file | size | gzip | loaded |',
      '|---|---:|---:|---|',
      ...r.firstFiles.map((f) => `| ${f.file} | ${kb(f.kb)} | ${kb(f.gzipKB)} | first screen |`),
      ...r.lazyFiles.map((f) => `| ${f.file} | ${kb(f.kb)} | ${kb(f.gzipKB)} | lazily |`),
    ];
  },
};
