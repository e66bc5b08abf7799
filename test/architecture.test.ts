/**
 * The layering rules of docs/architecture.md, checked on the import graph: app → runtime client →
 * language, each layer entered through its front door. Type-only imports cost nothing at run time and
 * are allowed across doors; value imports are what the rules are about.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => /\.(ts|tsx)$/.test(f) && existsSync(join(root, f)));

interface Import {
  from: string;
  /** Repository-relative target for a relative specifier; the bare specifier otherwise. */
  to: string;
  typeOnly: boolean;
  /** `import('…')`: loaded when the code runs, not with the importing module. */
  dynamic: boolean;
  /** `import '…'` of a file of ours (a relative specifier): for the module's side effects alone. */
  bareLocal: boolean;
}

/** Every static and dynamic import and re-export of a file (comments are skipped). */
function importsOf(file: string, source: string): Import[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: Import[] = [];
  const statement =
    /\b(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\bimport\s+['"]([^'"]+)['"]/g;
  for (const m of code.matchAll(statement)) {
    const spec = m[4] ?? m[5] ?? m[6] ?? '';
    const clause = m[3] ?? '';
    // `import { type A, type B }` is as type-only as `import type { A, B }`.
    const names = /^\{([\s\S]*)\}$/.exec(clause.trim())?.[1];
    const allTypes =
      names !== undefined &&
      names.split(',').filter((n) => n.trim() !== '').length > 0 &&
      names
        .split(',')
        .filter((n) => n.trim() !== '')
        .every((n) => /^\s*type\s/.test(n));
    const typeOnly = m[2] !== undefined || allTypes;
    const to = spec.startsWith('.') ? relative(root, resolve(root, dirname(file), spec)) : spec;
    out.push({
      from: file,
      to,
      typeOnly,
      dynamic: m[5] !== undefined,
      bareLocal: m[6]?.startsWith('.') === true,
    });
  }
  return out;
}

const graph = files.flatMap((f) => importsOf(f, readFileSync(join(root, f), 'utf8')));
const isTest = (f: string) => /\.test\.tsx?$/.test(f) || f.includes('/testing/');
const valueImports = graph.filter((i) => !i.typeOnly && !isTest(i.from));

const under = (dir: string) => (f: string) => f.startsWith(`${dir}/`);

describe('architecture', () => {
  it('the scanner sees value, type-only and dynamic imports', () => {
    const seen = importsOf(
      'app/x.ts',
      "import { a } from './a.ts';\nimport type { B } from './b.ts';\nimport { type C } from './c.ts';\nconst d = import('./d.ts');\nexport * from './e.ts';",
    );
    expect(seen.map((i) => [i.to, i.typeOnly, i.dynamic]).sort()).toEqual([
      ['app/a.ts', false, false],
      ['app/b.ts', true, false],
      ['app/c.ts', true, false],
      ['app/d.ts', false, true],
      ['app/e.ts', false, false],
    ]);
  });

  it('the language imports nothing from outside workers/lang but zod', () => {
    const bad = graph.filter(
      (i) =>
        under('workers/lang')(i.from) &&
        !isTest(i.from) &&
        !under('workers/lang')(i.to) &&
        !['zod'].includes(i.to),
    );
    expect(bad).toEqual([]);
  });

  it('our modules are imported for what they export, never for side effects alone (but style sheets)', () => {
    // package.json's "sideEffects" lets the build drop a module none of whose exports is used (so a worker
    // importing two names from a door does not carry the whole language): such a module would vanish.
    const bad = valueImports.filter((i) => i.bareLocal && !i.to.endsWith('.css'));
    expect(valueImports.some((i) => i.bareLocal)).toBe(true); // the style sheets: the scanner sees them
    expect(bad).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { sideEffects?: unknown };
    expect(pkg.sideEffects).toEqual(['*.css']);
  });

  it('the UI and the CLI enter the language through its front door only', () => {
    const bad = valueImports.filter(
      (i) =>
        (under('app')(i.from) || under('cli')(i.from)) &&
        under('workers/lang')(i.to) &&
        i.to !== 'workers/lang/index.ts',
    );
    expect(bad).toEqual([]);
  });

  it('the page runs no provider: it loads only the model layer’s page-safe door, never the runtime', () => {
    const bad = valueImports.filter(
      (i) =>
        under('app')(i.from) &&
        ((under('workers/models')(i.to) && i.to !== 'workers/models/index.ts') ||
          under('workers/runtime')(i.to) ||
          /^workers\/(runtime|llm)\.worker\.ts$/.test(i.to)),
    );
    expect(bad).toEqual([]);
  });

  it('the model layer’s page-safe door reaches no provider code', () => {
    const reached = new Set<string>();
    const frontier = ['workers/models/index.ts'];
    while (frontier.length > 0) {
      const f = frontier.pop() as string;
      if (reached.has(f)) continue;
      reached.add(f);
      for (const i of valueImports) if (i.from === f && i.to.startsWith('workers/')) frontier.push(i.to);
    }
    const providers = ['openai.ts', 'webllm.ts', 'wllama.ts', 'local-engines.ts'].map(
      (p) => `workers/models/${p}`,
    );
    expect([...reached].filter((f) => providers.includes(f))).toEqual([]);
  });

  it('OpenTelemetry export enters the language through its door and reaches no provider, runtime or UI', () => {
    const bad = valueImports.filter(
      (i) =>
        under('workers/otel')(i.from) &&
        ((under('workers/lang')(i.to) && i.to !== 'workers/lang/index.ts') ||
          under('workers/models')(i.to) ||
          under('workers/runtime')(i.to) ||
          under('app')(i.to) ||
          under('cli')(i.to)),
    );
    expect(bad).toEqual([]);
  });

  it('the page loads OpenTelemetry off the first screen: in a worker of its own or by a dynamic import', () => {
    const bad = valueImports.filter(
      (i) =>
        under('app')(i.from) &&
        (under('workers/otel')(i.to) || i.to.startsWith('@opentelemetry/')) &&
        !i.from.endsWith('.worker.ts') &&
        !i.dynamic,
    );
    expect(bad).toEqual([]);
    // The page reaches it at all (else this rule would hold vacuously).
    expect(valueImports.some((i) => under('app')(i.from) && under('workers/otel')(i.to))).toBe(true);
  });

  it('RLM mode enters the language through its door, and the page reaches it only through the runtime worker', () => {
    const bad = valueImports.filter(
      (i) =>
        (under('workers/rlm')(i.from) &&
          ((under('workers/lang')(i.to) && i.to !== 'workers/lang/index.ts') ||
            under('workers/models')(i.to) ||
            under('workers/runtime')(i.to) ||
            under('app')(i.to))) ||
        (under('app')(i.from) && under('workers/rlm')(i.to)),
    );
    expect(bad).toEqual([]);
    // The engine loads only when a sandbox is made: by a dynamic import or in the sandbox's own worker.
    const engine = valueImports.filter(
      (i) =>
        /^(quickjs-emscripten-core|@jitl\/quickjs-|acorn)/.test(i.to) &&
        !i.dynamic &&
        !['workers/rlm/sandbox.worker.ts', 'workers/rlm/cell-transform.ts'].includes(i.from),
    );
    expect(engine).toEqual([]);
  });

  it('the CLI enters the runtime through its front door only', () => {
    const bad = valueImports.filter(
      (i) =>
        under('cli')(i.from) &&
        (under('workers/models')(i.to) || under('workers/runtime')(i.to)) &&
        i.to !== 'workers/runtime/index.ts',
    );
    expect(bad).toEqual([]);
  });

  it("the editor core (app/editor) runs without React, the DOM or the page's stores", () => {
    const core = valueImports.filter((i) => under('app/editor')(i.from));
    expect(core.length).toBeGreaterThan(5);
    const bad = core.filter(
      (i) =>
        /^(react|react-dom|@xyflow\/react|zustand|zundo)(\/|$)/.test(i.to) ||
        (i.to.startsWith('app/') && !under('app/editor')(i.to)),
    );
    expect(bad.map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });

  it("the README's map of the code names folders that exist, and every folder of app/, workers/ and workers/lang/", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const map = readme.slice(readme.indexOf('## Map of the code'));
    const named = [...map.matchAll(/^\|\s*`([^`]+)`/gm)].map((m) => (m[1] as string).replace(/\/$/, ''));
    expect(named.length).toBeGreaterThan(5);
    for (const p of named)
      expect(existsSync(join(root, p)), `${p} is in the README but not on disk`).toBe(true);
    const folders = ['app', 'workers', 'workers/lang'].flatMap((dir) =>
      execFileSync('git', ['ls-files', dir], { cwd: root, encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map((f) => f.slice(dir.length + 1).split('/'))
        .filter((parts) => parts.length > 1)
        .map((parts) => `${dir}/${parts[0]}`),
    );
    const covered = (folder: string) =>
      named.some(
        (p) =>
          p === folder || (folder.startsWith(`${p}/`) && !['app', 'workers', 'workers/lang'].includes(p)),
      );
    const missing = [...new Set(folders)].filter((f) => statSync(join(root, f)).isDirectory() && !covered(f));
    expect(missing, 'folders the README map does not mention').toEqual([]);
  });
});
