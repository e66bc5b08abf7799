import { List, Str } from '../check/types.ts';
import type { Bound, ComputeContext, NodeSpec, ParamProblem, Params, PlanContext } from './node-spec.ts';
import { type SplitResult, type SplitRule, splitText } from './split-text.ts';

export const SPLIT_MODES = ['auto', 'parts', 'size', 'lines', 'records'] as const;
export type SplitMode = (typeof SPLIT_MODES)[number];

/** The rule a Split applies, given its params and the planner's sizing (auto: k* parts). */
export function splitRule(params: Params, kStar: number): SplitRule {
  switch (params.mode) {
    case 'parts':
      return { mode: 'parts', parts: Number(params.parts) };
    case 'size':
      return { mode: 'size', size: Number(params.size), unit: params.unit === 'chars' ? 'chars' : 'tokens' };
    case 'lines':
      return { mode: 'lines', lines: Number(params.lines) };
    case 'records':
      return { mode: 'records', delimiter: String(params.delimiter), records: Number(params.records) };
    default:
      return { mode: 'parts', parts: Math.max(1, kStar) };
  }
}

/**
 * k* for an automatic Split, except inside a Fix step where a piece that already fits τ* need not be
 * cut further: fewer parts (at least two) mean fewer leaves and never more than the planner's bound.
 * The 10% slack leaves room for cuts moved to word boundaries, so pieces still land under τ*.
 */
function autoParts(
  text: string,
  params: Params,
  ctx: Pick<ComputeContext, 'sizing' | 'tokenizer' | 'inFixStep'>,
) {
  const { kStar, tauStar } = ctx.sizing;
  if (!ctx.inFixStep || (params.mode !== undefined && params.mode !== 'auto') || tauStar <= 0) return kStar;
  const needed = Math.ceil(ctx.tokenizer.count(text) / (0.9 * tauStar));
  return Math.min(kStar, Math.max(2, needed));
}

export function runSplit(
  text: string,
  params: Params,
  ctx: Pick<ComputeContext, 'sizing' | 'tokenizer' | 'inFixStep'>,
): SplitResult {
  const overlap = Math.max(0, Number(params.overlap) || 0);
  const result = splitText(text, splitRule(params, autoParts(text, params, ctx)), ctx.tokenizer, overlap);
  // In a Fix step every piece must be strictly smaller than P, or the recursion would not shrink.
  if (ctx.inFixStep && text.length >= 2 && result.parts.length < 2)
    return splitText(text, { mode: 'parts', parts: Math.max(2, ctx.sizing.kStar) }, ctx.tokenizer, 0);
  return result;
}

export const splitSpec: NodeSpec = {
  kind: 'Split',
  group: 'symbolic',
  title: 'Split',
  description: 'Cuts text into pieces (k parts, by size, by lines or records) without cutting words.',
  params: [
    {
      name: 'mode',
      label: 'Split by',
      kind: 'enum',
      options: SPLIT_MODES,
      default: 'auto',
      description:
        'auto: k* parts from the planner; parts: a fixed k; size: pieces of at most this size; lines: n lines per piece; records: n delimited records per piece.',
    },
    {
      name: 'parts',
      label: 'Parts (k)',
      kind: 'int',
      default: 4,
      min: 2,
      max: 10_000,
      description: 'How many pieces.',
      visible: (p) => p.mode === 'parts',
    },
    {
      name: 'size',
      label: 'Size',
      kind: 'int',
      default: 1000,
      min: 1,
      max: 10_000_000,
      description: 'Largest piece, in the unit below.',
      visible: (p) => p.mode === 'size',
    },
    {
      name: 'unit',
      label: 'Unit',
      kind: 'enum',
      options: ['tokens', 'chars'],
      default: 'tokens',
      description: 'Tokens (through the tokenizer) or characters.',
      visible: (p) => p.mode === 'size',
    },
    {
      name: 'lines',
      label: 'Lines per piece',
      kind: 'int',
      default: 50,
      min: 1,
      max: 1_000_000,
      description: 'How many lines go in one piece.',
      visible: (p) => p.mode === 'lines',
    },
    {
      name: 'delimiter',
      label: 'Delimiter',
      kind: 'string',
      default: '\n\n',
      description: 'What ends a record (kept with the record).',
      visible: (p) => p.mode === 'records',
    },
    {
      name: 'records',
      label: 'Records per piece',
      kind: 'int',
      default: 1,
      min: 1,
      max: 1_000_000,
      description: 'How many records go in one piece.',
      visible: (p) => p.mode === 'records',
    },
    {
      name: 'overlap',
      label: 'Overlap (chars)',
      kind: 'int',
      default: 0,
      min: 0,
      max: 100_000,
      description: 'Each piece also repeats up to this many characters from the end of the one before.',
    },
  ],
  ports: () => ({
    inputs: [{ name: 'text', type: Str, label: 'text' }],
    outputs: [{ name: 'parts', type: List(Str), label: 'pieces' }],
  }),
  validate: (params: Params): ParamProblem[] =>
    params.mode === 'records' && String(params.delimiter).length === 0
      ? [{ param: 'delimiter', message: 'the record delimiter must not be empty' }]
      : [],
  compute: (inputs, params, ctx) => {
    const { parts, spans } = runSplit(String(inputs.text ?? ''), params, ctx);
    ctx.recordSpans('parts', 'text', spans);
    return { parts };
  },
  bound: (inputs, params, ctx) => ({ parts: splitBound(inputs.text?.bound, params, ctx) }),
  // Even the empty text gives one (empty) piece.
  mayBeEmpty: () => false,
  pieces: {
    output: 'parts',
    input: 'text',
    shrinks: (params) =>
      params.mode === 'auto' || params.mode === 'parts' || params.mode === undefined
        ? null
        : `splits by ${String(params.mode)}; inside a Fix step a Split must cut P into k parts (mode auto or parts) so each piece is smaller and the planner can bound the calls`,
  },
  term: (node, t) => {
    const p = node.params;
    const mode = String(p.mode ?? 'auto');
    const detail =
      p.mode === 'parts'
        ? ` k=${p.parts}`
        : p.mode === 'size'
          ? ` ${p.size} ${p.unit ?? 'tokens'}`
          : p.mode === 'lines'
            ? ` ${p.lines}`
            : '';
    return `split[${mode}${detail}]${t.args}`;
  },
};

/** How many pieces a Split may make of a text known only by its bounds, and how large each may be. */
function splitBound(input: Bound | undefined, params: Params, ctx: PlanContext): Bound {
  const text = input ?? { size: 1, chars: Infinity, tokens: Infinity, item: null };
  const k = ctx.sizing.kStar;
  const L = text.chars;
  let count: number;
  if (params.mode === 'auto' || params.mode === undefined) count = Math.max(1, k);
  else if (params.mode === 'parts') count = Number(params.parts);
  else if (params.mode === 'size')
    count = Math.ceil(((params.unit === 'chars' ? 2 : 6) * L) / Math.max(1, Number(params.size))) + 1;
  else if (params.mode === 'lines') count = Math.ceil((L + 1) / Math.max(1, Number(params.lines)));
  else
    count = Math.ceil(
      (L / Math.max(1, String(params.delimiter).length) + 1) / Math.max(1, Number(params.records)),
    );
  if (Number.isNaN(count)) count = Number.POSITIVE_INFINITY;
  // In a Fix step a Split that would not cut falls back to k* parts (see runSplit).
  if (ctx.inFixStep) count = Math.max(count, 2, k);
  const cutsByCount = params.mode === 'auto' || params.mode === undefined || params.mode === 'parts';
  const pieceTokens = cutsByCount
    ? Math.ceil(text.tokens / Math.max(1, count))
    : params.mode === 'size'
      ? Math.min(text.tokens, Number(params.size))
      : text.tokens;
  return {
    size: count,
    chars: Infinity,
    tokens: Infinity,
    item: { size: 1, chars: text.chars, tokens: pieceTokens, item: null },
  };
}
