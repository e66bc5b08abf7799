/**
 * TEST HELPER. A corpus of real text nobody wrote for the examples: README, CHANGELOG and type-declaration
 * files of packages `npm ci` installs at the versions package-lock.json pins (so their content is stable),
 * read at test time, never downloaded. Tests plant their own facts in them (docs/examples.md, "Tried on
 * documents nobody wrote for them").
 */
import { existsSync, readFileSync } from 'node:fs';

const modules = new URL('../../../node_modules/', import.meta.url);

/**
 * The corpus's files (platform-independent packages that `npm ci` installs everywhere):
 * DOMPurify (MPL-2.0 or Apache-2.0), fast-check, zod, quickjs-emscripten-core, monaco-editor, vite (its
 * LICENSE.md gathers the licences of what it bundles, wrapped at 80 columns) and @types/node (all MIT).
 */
export const CORPUS = {
  dompurify: 'dompurify/README.md',
  fastCheck: 'fast-check/README.md',
  zod: 'zod/README.md',
  quickjs: 'quickjs-emscripten-core/README.md',
  monacoChangelog: 'monaco-editor/CHANGELOG.md',
  viteLicences: 'vite/LICENSE.md',
  nodePath: '@types/node/path.d.ts',
  nodeDns: '@types/node/dns.d.ts',
  nodeReadline: '@types/node/readline.d.ts',
  nodeUrl: '@types/node/url.d.ts',
} as const;

/** One corpus file's text, with its line endings made LF (a test chooses its own). */
export function corpusFile(path: string): string {
  const url = new URL(path, modules);
  if (!existsSync(url)) throw new Error(`corpus file node_modules/${path} is missing: run npm ci`);
  return readFileSync(url, 'utf8').replace(/\r\n?/g, '\n');
}

/** Files one after another, each behind a header of the kind `tail` prints: `==> path <==`. */
export function concatenated(paths: readonly string[]): string {
  return paths.map((p) => `==> node_modules/${p} <==\n${corpusFile(p)}`).join('\n');
}

export const crlf = (text: string): string => text.replace(/\n/g, '\r\n');

/**
 * `text` with `passage` written in at about `at` (0 the start, 1 the end), as its own line: after the
 * line break nearest to that point (the very start or end at 0 and 1).
 */
export function plantLine(text: string, passage: string, at: number): string {
  if (at <= 0) return `${passage}\n${text}`;
  if (at >= 1) return `${text.replace(/\n*$/, '')}\n${passage}\n`;
  const i = text.indexOf('\n', Math.floor(text.length * at));
  const cut = i < 0 ? text.length : i + 1;
  return `${text.slice(0, cut)}${passage}\n${text.slice(cut)}`;
}

/** `text` with `passage` written into the line holding `anchor`, right after it (mid-paragraph). */
export function plantAfter(text: string, anchor: string, passage: string): string {
  const i = text.indexOf(anchor);
  if (i < 0) throw new Error(`anchor not in the corpus: ${anchor}`);
  return `${text.slice(0, i + anchor.length)} ${passage}${text.slice(i + anchor.length)}`;
}

/** `text` without every line that holds one of `passages` (the evidence taken out). */
export function withoutLines(text: string, passages: readonly string[]): string {
  return text
    .split('\n')
    .filter((line) => !passages.some((p) => line.includes(p)))
    .join('\n');
}
