import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import budgets from './budgets.json' with { type: 'json' };
import { machine } from './machine.ts';

/**
 * Size of the first screen's JavaScript in the production build: the entry script of index.html, the
 * chunks it imports statically, and the runtime worker it starts at once. Lazy chunks are listed apart.
 */
export async function firstScreen(): Promise<void> {
  const html = readFileSync('dist/index.html', 'utf8');
  const entry = [...html.matchAll(/<script[^>]+src="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/assets\/([^"]+\.js)"/g)].map(
    (m) => m[1]!,
  );
  const assets = readdirSync('dist/assets').filter((f) => f.endsWith('.js'));
  const workers = assets.filter((f) => f.startsWith('runtime.worker'));
  const first = new Set([...entry, ...preloads, ...workers]);
  const size = (f: string) => {
    const body = readFileSync(`dist/assets/${f}`);
    return { file: f, kb: body.length / 1024, gzipKB: gzipSync(body, { level: 9 }).length / 1024 };
  };
  const firstFiles = [...first].map(size);
  const lazyFiles = assets.filter((f) => !first.has(f)).map(size);
  const total = firstFiles.reduce((s, f) => s + f.gzipKB, 0);
  writeFileSync(
    'bench/results/first-screen.json',
    JSON.stringify(
      {
        machine: machine(),
        budgetGzipKB: budgets.firstScreenJsGzipKB,
        totalGzipKB: total,
        firstFiles,
        lazyFiles,
      },
      null,
      2,
    ),
  );
  console.log(`first screen: ${total.toFixed(1)} KB gzip (budget ${budgets.firstScreenJsGzipKB} KB)`);
}
