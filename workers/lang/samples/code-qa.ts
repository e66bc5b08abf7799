/**
 * Code QA (after LongBench-v2's code repositories): a dump of a small repository's source files, each
 * behind a header naming its path (in one of several styles), in Python or TypeScript, with comments in
 * English or Chinese. The question is multiple choice: which of four functions does what it describes, in
 * other words than the function's own documentation. The answer is the letter.
 */

import { sampleKinds } from './kinds.ts';
import { pickLayout, withNewlines } from './layout.ts';
import { type Rng, seededRandom } from './random.ts';
import { charsFor, defineGenerator, progressOf } from './sample.ts';

const VERBS = [
  'load',
  'save',
  'parse',
  'check',
  'pack',
  'rotate',
  'merge',
  'split',
  'render',
  'fetch',
  'tidy',
  'encode',
  'decode',
  'index',
  'prune',
  'schedule',
  'settle',
  'stage',
];
const NOUNS = [
  'manifest',
  'digest',
  'chunk',
  'logs',
  'config',
  'session',
  'archive',
  'token',
  'store',
  'queue',
  'header',
  'snapshot',
  'invoice',
  'ledger',
  'batch',
  'upload',
];
const QUALIFIERS = ['async', 'batch', 'safe', 'legacy', 'fast', 'raw', 'all', 'once', 'v2', 'local'];
const PACKAGES = ['core', 'storage', 'net', 'billing', 'util', 'jobs'];
const GENERIC_DOCS = [
  (n: string) => `Read the ${n} from disk and check its fields.`,
  (n: string) => `Write the ${n} back, keeping the previous copy.`,
  (n: string) => `Build a ${n} from its parts.`,
  (n: string) => `Return the ${n} as a plain dictionary.`,
  (n: string) => `Compare two ${n} values field by field.`,
];
/** What a function does, in its own words and in the question's. */
const BEHAVIOURS = [
  {
    doc: 'Return True when the SHA-256 of the archive matches the digest recorded in its manifest.',
    ask: 'decides whether an uploaded archive arrived intact',
  },
  {
    doc: 'Drop cache entries that have not been read for longer than max_age seconds.',
    ask: 'evicts stale items from the cache',
  },
  {
    doc: 'Wait twice as long after each failed attempt, up to five attempts, before giving up.',
    ask: 'retries a failing request with exponential backoff',
  },
  {
    doc: 'Turn a byte count into a short string for people, such as 4.2 MB.',
    ask: 'formats file sizes for display',
  },
  {
    doc: 'Cut the upload into parts of at most 8 MiB so that each can be sent again on its own.',
    ask: 'breaks a large upload into separately retryable pieces',
  },
  {
    doc: 'Rename the current log with a timestamp and start a new one once it passes the size limit.',
    ask: 'keeps log files from growing without bound',
  },
];
const ZH_COMMENTS = ['# 注意：这里的顺序很重要', '# TODO: 以后再优化', '# 兼容旧版本的格式'];

type Lang = 'py' | 'ts';
type Header = (path: string) => [string, string?];
const HEADERS: Header[] = [
  (p) => [`=== ${p} ===`],
  (p) => [`# File: ${p}`],
  (p) => [`--- ${p} ---`],
  (p) => [`<file path="${p}">`, '</file>'],
];

const camel = (name: string) => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

interface Fn {
  name: string;
  doc: string;
}

/** A function's source, and the lines that say what it does (its signature and its documentation). */
function functionSource(rng: Rng, lang: Lang, fn: Fn): { lines: string[]; evidence: string[] } {
  const arg = rng.pick(['path', 'data', 'items', 'entry', 'payload']);
  const local = rng.pick(['result', 'out', 'value', 'acc']);
  if (lang === 'py') {
    const signature = `def ${fn.name}(${arg}, *, strict=False):`;
    const doc = `    """${fn.doc}"""`;
    const body = [
      `    ${local} = []`,
      `    for part in ${arg}:`,
      `        if strict and not part:`,
      `            raise ValueError("empty part in ${fn.name}")`,
      `        ${local}.append(part)`,
      `    return ${local}`,
    ];
    if (rng.int(4) === 0) body.splice(1, 0, `    ${rng.pick(ZH_COMMENTS)}`);
    return { lines: [signature, doc, ...body, ''], evidence: [signature, doc] };
  }
  const name = camel(fn.name);
  const doc = `/** ${fn.doc} */`;
  const signature = `export function ${name}(${arg}: readonly string[], strict = false): string[] {`;
  const body = [
    `  const ${local}: string[] = [];`,
    `  for (const part of ${arg}) {`,
    `    if (strict && !part) throw new Error('empty part in ${name}');`,
    `    ${local}.push(part);`,
    '  }',
    `  return ${local};`,
    '}',
    '',
  ];
  if (rng.int(4) === 0) body.splice(1, 0, `  // ${rng.pick(ZH_COMMENTS).slice(2)}`);
  return { lines: [doc, signature, ...body], evidence: [doc, signature] };
}

export const codeQaSample = defineGenerator<string>({
  ...sampleKinds['code-qa'],
  generate({ tokens, seed, layout: given, at, withoutAnswer, onProgress }) {
    const rng = seededRandom(seed);
    const layout = pickLayout(rng, given);
    const lang: Lang = rng.int(2) === 0 ? 'py' : 'ts';
    const header = rng.pick(HEADERS);
    const behaviour = rng.pick(BEHAVIOURS);
    const names = new Set<string>();
    const newName = () => {
      for (let tries = 0; ; tries++) {
        const base = `${rng.pick(VERBS)}_${rng.pick(NOUNS)}`;
        // A large repository runs out of two-word names, as real ones do: then a qualifier.
        const n = tries < 8 ? base : `${base}_${rng.pick(QUALIFIERS)}${tries > 16 ? names.size : ''}`;
        if (!names.has(n)) {
          names.add(n);
          return n;
        }
      }
    };
    // Files of ordinary functions until the size is reached.
    const files: { path: string; fns: Fn[] }[] = [];
    let length = 0;
    const target = charsFor(tokens, 1500);
    const grew = progressOf(onProgress, target);
    while (length < target || files.length < 4) {
      const count = 2 + rng.int(5);
      const fns = Array.from({ length: count }, () => {
        const name = newName();
        return { name, doc: rng.pick(GENERIC_DOCS)(name.split('_')[1]!) };
      });
      const path = `src/${rng.pick(PACKAGES)}/${rng.pick(NOUNS)}_${files.length}.${lang}`;
      files.push({ path, fns });
      // A function's source runs to about 300 characters in either language.
      length += count * 300 + 60;
      grew(length);
    }
    // The function the question is about, in a file near `at`.
    const targetFn: Fn = { name: newName(), doc: behaviour.doc };
    const file = files[Math.min(files.length - 1, Math.floor((at ?? rng.next()) * files.length))]!;
    if (!withoutAnswer) file.fns.splice(rng.int(file.fns.length + 1), 0, targetFn);
    const decoys = rng.shuffle(files.flatMap((f) => f.fns).filter((f) => f !== targetFn)).slice(0, 3);
    const options = rng.shuffle([targetFn, ...decoys]);
    const letter = 'ABCD'[options.indexOf(targetFn)]!;
    const show = (f: Fn) => (lang === 'ts' ? camel(f.name) : f.name);
    const query = `${rng.pick([
      `Which function in this repository ${behaviour.ask}?`,
      `In the code above, which function ${behaviour.ask}?`,
    ])}\n${options.map((f, i) => `(${'ABCD'[i]}) ${show(f)}`).join('\n')}\nAnswer with the letter.`;

    let evidence: string[] = [];
    const blocks = files.map((f) => {
      const [open, close] = header(f.path);
      const lines = [open];
      if (lang === 'py')
        lines.push(
          `"""${f.path.split('/').pop()}: part of the ${f.path.split('/')[1]} package."""`,
          'import os',
          '',
        );
      else lines.push(`const RETRY_LIMIT = ${2 + rng.int(6)};`, '');
      for (const fn of f.fns) {
        const src = functionSource(rng, lang, fn);
        if (fn === targetFn) evidence = src.evidence;
        lines.push(...src.lines);
      }
      if (close) lines.push(close);
      return lines.join('\n');
    });
    if (withoutAnswer) evidence = functionSource(rng, lang, targetFn).evidence;
    const gap = layout.separator === 'blank' ? '\n\n' : '\n';
    return {
      text: withNewlines(blocks.join(gap), layout),
      query,
      expected: withoutAnswer ? null : letter,
      truth: { question: query, facts: [{ evidence, answer: letter }] },
    };
  },
});
