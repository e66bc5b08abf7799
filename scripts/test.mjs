// `npm test`: type check, lint, unit tests, end-to-end tests, then one line `N passed, N failed`
// summing every suite. Exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = [];
mkdirSync('test-results', { recursive: true });

function run(cmd, args) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  return { ok: r.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) };
}

function step(name, cmd, args) {
  console.log(`\n▶ ${name}`);
  const r = run(cmd, args);
  results.push({ name, passed: r.ok ? 1 : 0, failed: r.ok ? 0 : 1, seconds: r.seconds });
  return r.ok;
}

/** A suite that reports its own test counts through a JSON file. */
function suite(name, cmd, args, jsonFile, count) {
  console.log(`\n▶ ${name}`);
  rmSync(jsonFile, { force: true });
  const r = run(cmd, args);
  let passed = 0;
  let failed = 0;
  if (existsSync(jsonFile)) {
    ({ passed, failed } = count(JSON.parse(readFileSync(jsonFile, 'utf8'))));
  }
  // A crashed runner (no report, or a non-zero exit with every test green) still counts as a failure.
  if (!r.ok && failed === 0) failed = 1;
  results.push({ name, passed, failed, seconds: r.seconds });
}

const vitestCount = (j) => ({ passed: j.numPassedTests ?? 0, failed: j.numFailedTests ?? 0 });
const playwrightCount = (j) => ({
  passed: (j.stats?.expected ?? 0) + (j.stats?.flaky ?? 0),
  failed: j.stats?.unexpected ?? 0,
});

step('typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']);
step('lint', 'npx', ['biome', 'check', '.']);
suite(
  'unit',
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=test-results/unit.json'],
  'test-results/unit.json',
  vitestCount,
);
// Engineers working side by side build and serve their own copy (playwright.config.ts reads the same variable).
const dist = process.env.FIXPOINT_DIST ?? 'dist';
if (
  step('chromium', 'node', ['scripts/ensure-chromium.mjs']) &&
  step('build', 'npx', ['vite', 'build', '--outDir', dist, '--emptyOutDir'])
) {
  suite('e2e', 'npx', ['playwright', 'test'], 'test-results/e2e.json', playwrightCount);
}

console.log('\nSummary');
for (const r of results)
  console.log(`  ${r.name.padEnd(10)} ${r.passed} passed, ${r.failed} failed (${r.seconds}s)`);
const passed = results.reduce((s, r) => s + r.passed, 0);
const failed = results.reduce((s, r) => s + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
