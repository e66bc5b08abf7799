import type { NodeSpec, ParamProblem, Params } from '../node-spec.ts';
import { Bool, Str } from '../types.ts';

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
      description: "Also use the query's words of four or more letters as keywords.",
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
  inPalette: true,
  ports: () => ({
    inputs: [{ name: 'text', type: Str, label: 'text' }],
    outputs: [{ name: 'match', type: Bool, label: 'match?' }],
  }),
  validate: (_params: Params): ParamProblem[] => [],
};
