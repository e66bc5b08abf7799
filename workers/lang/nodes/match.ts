import { Bool, Str } from '../check/types.ts';
import type { NodeSpec, ParamProblem, Params } from './node-spec.ts';
import { queryKeywords } from './query-words.ts';
import { compileSafeRegex, regexProblem, type SafeRegex } from './safe-regex.ts';

const isWordCode = (c: number) => Number.isFinite(c) && /[\p{L}\p{N}_]/u.test(String.fromCharCode(c));

/** Keywords, one per line, blank lines dropped. */
export function keywordList(keywords: unknown): string[] {
  return String(keywords ?? '')
    .split('\n')
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
}

/** Scripts written without spaces between words: a keyword in them is matched anywhere. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

export function containsKeyword(text: string, keyword: string, wholeWord: boolean): boolean {
  const whole = wholeWord && !UNSPACED.test(keyword);
  for (let at = text.indexOf(keyword); at >= 0; at = text.indexOf(keyword, at + 1)) {
    if (!whole) return true;
    const before = at > 0 ? text.charCodeAt(at - 1) : Number.NaN;
    const after = at + keyword.length < text.length ? text.charCodeAt(at + keyword.length) : Number.NaN;
    if (!isWordCode(before) && !isWordCode(after)) return true;
  }
  return false;
}

const compiled = new Map<string, SafeRegex>();
function cachedRegex(pattern: string, caseSensitive: boolean): SafeRegex {
  const key = `${caseSensitive ? 'c' : 'i'}:${pattern}`;
  let re = compiled.get(key);
  if (!re) {
    re = compileSafeRegex(pattern, { caseSensitive });
    if (compiled.size > 200) compiled.clear();
    compiled.set(key, re);
  }
  return re;
}

/** The predicate Match computes, as a pure function (`query` feeds the `queryWords` option). */
export function matches(text: string, params: Params, query = ''): boolean {
  const caseSensitive = params.caseSensitive === true;
  let hit: boolean;
  if (params.mode === 'regex') hit = cachedRegex(String(params.pattern), caseSensitive).test(text);
  else {
    const haystack = caseSensitive ? text : text.toLowerCase();
    const keys = keywordList(params.keywords).map((k) => (caseSensitive ? k : k.toLowerCase()));
    if (params.queryWords === true) keys.push(...queryKeywords(query));
    const wholeWord = params.wholeWord === true;
    hit =
      params.require === 'all'
        ? keys.every((k) => containsKeyword(haystack, k, wholeWord))
        : keys.some((k) => containsKeyword(haystack, k, wholeWord));
  }
  return params.negate === true ? !hit : hit;
}

export const matchSpec: NodeSpec = {
  kind: 'Match',
  group: 'symbolic',
  title: 'Match',
  description: 'True when the text contains keywords or matches a (safe) regular expression.',
  params: [
    {
      name: 'mode',
      label: 'Match by',
      kind: 'enum',
      options: ['keywords', 'regex'],
      default: 'keywords',
      description: 'Keywords, or a regular expression (a safe subset that cannot hang).',
    },
    {
      name: 'keywords',
      label: 'Keywords',
      kind: 'text',
      default: '',
      description: 'One keyword or phrase per line.',
      visible: (p) => p.mode !== 'regex',
    },
    {
      // The keywords of a question are only known at run time (multi-document QA filters on them).
      name: 'queryWords',
      label: 'Query words',
      kind: 'boolean',
      default: false,
      description:
        "Also use the question's words as keywords: cut by the language's word rules (Chinese and Japanese too), stop words such as what, which, the, 的, の left out.",
      visible: (p) => p.mode !== 'regex',
    },
    {
      name: 'require',
      label: 'Require',
      kind: 'enum',
      options: ['any', 'all'],
      default: 'any',
      description: 'Any keyword, or all of them.',
      visible: (p) => p.mode !== 'regex',
    },
    {
      name: 'wholeWord',
      label: 'Whole words',
      kind: 'boolean',
      default: false,
      description: 'Keywords must not be part of a longer word.',
      visible: (p) => p.mode !== 'regex',
    },
    {
      name: 'pattern',
      label: 'Pattern',
      kind: 'string',
      default: '',
      description:
        'Literals, . [classes] \\d \\w \\s, ( | ), * + ? {m,n}, ^ $. No backreferences or lookaround.',
      visible: (p) => p.mode === 'regex',
    },
    {
      name: 'caseSensitive',
      label: 'Case sensitive',
      kind: 'boolean',
      default: false,
      description: 'Distinguish upper and lower case.',
    },
    {
      name: 'negate',
      label: 'Negate',
      kind: 'boolean',
      default: false,
      description: 'True when the text does not match.',
    },
  ],
  ports: () => ({
    inputs: [{ name: 'text', type: Str, label: 'text' }],
    outputs: [{ name: 'match', type: Bool, label: 'match?' }],
  }),
  validate: (params: Params): ParamProblem[] => {
    if (params.mode === 'regex') {
      const problem =
        String(params.pattern) === '' ? 'enter a pattern' : regexProblem(String(params.pattern));
      return problem ? [{ param: 'pattern', message: problem }] : [];
    }
    return keywordList(params.keywords).length === 0 && params.queryWords !== true
      ? [{ param: 'keywords', message: 'enter at least one keyword (one per line)' }]
      : [];
  },
  compute: (inputs, params, ctx) => ({ match: matches(String(inputs.text ?? ''), params, ctx.query) }),
  term: (node, t) => {
    const p = node.params;
    // What the predicate looks for: the pattern, the keywords, and (in question-words mode) the query's words.
    const sought: string[] = [];
    if (p.mode === 'regex') sought.push(`/${String(p.pattern ?? '')}/`);
    else {
      if (keywordList(p.keywords).length > 0) sought.push(t.literal(p.keywords));
      if (p.queryWords === true) sought.push('words(query)');
    }
    const what = sought.length > 0 ? `[${sought.join(', ')}]` : '';
    return `match${what}${t.args}`;
  },
};
