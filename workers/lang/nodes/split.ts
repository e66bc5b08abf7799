import { duplicateHandling } from '../check/duplicates.ts';
import { List, Str } from '../check/types.ts';
import type {
  Bound,
  ComputeContext,
  NodeSpec,
  ParamProblem,
  Params,
  PlanContext,
  SplitSizing,
} from './node-spec.ts';
import { isOneCodePoint, type SplitResult, type SplitRule, splitText } from './split-text.ts';

export const SPLIT_MODES = ['auto', 'parts', 'size', 'lines', 'records'] as const;

/** The automatic overlap of a Split in a plan that takes each fact once: about a long sentence. */
export const SENTENCE_OVERLAP = 200;
export type SplitMode = (typeof SPLIT_MODES)[number];

/** The rule a Split applies: its own mode, or for `auto` pieces of τ* tokens (in a Fix step, k parts). */
export function splitRule(params: Params, auto: SplitRule): SplitRule {
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
      return auto;
  }
}

/** The leaf bound pieces are held to: the planner's leaf window K, else τ*. */
export function pieceBound(sizing: SplitSizing): number {
  return Math.max(1, Math.floor(sizing.K ?? sizing.tauStar));
}

/**
 * How many parts an automatic Split in a Fix step cuts P into: k*, except that a piece that already fits
 * τ* need not be cut further, so fewer parts (at least two) mean fewer leaves and never more than the
 * planner's bound. The 10% slack leaves room for cuts moved to word boundaries.
 */
function stepParts(text: string, ctx: Pick<ComputeContext, 'sizing' | 'tokenizer'>): number {
  const { kStar, tauStar } = ctx.sizing;
  if (tauStar <= 0) return Math.max(2, kStar);
  const needed = Math.ceil(ctx.tokenizer.count(text) / (0.9 * tauStar));
  return Math.min(Math.max(2, kStar), Math.max(2, needed));
}

/**
 * A Split's pieces. Outside a Fix step every piece holds to the leaf bound (`auto` cuts pieces of τ*
 * tokens, as many as that takes; any other mode's piece over the bound is cut again). In a Fix step the
 * pieces go to Self, not to a leaf: `auto` cuts k parts, and every mode returns at least two pieces, each
 * strictly smaller than P, or the recursion would not shrink.
 */
export function runSplit(
  text: string,
  params: Params,
  ctx: Pick<ComputeContext, 'sizing' | 'tokenizer' | 'inFixStep'>,
): SplitResult {
  const overlap = Math.max(0, Number(params.overlap) || 0);
  const lineCuts = params.cut === 'lines';
  if (ctx.inFixStep) {
    const rule = splitRule(params, { mode: 'parts', parts: stepParts(text, ctx) });
    const result = splitText(text, rule, ctx.tokenizer, { overlap, lineCuts });
    // Every piece strictly smaller than P, or the recursion would not shrink: k parts without overlap
    // (a single code point is the one text that cannot be cut; a Fix takes its base case on it).
    if (
      !isOneCodePoint(text) &&
      (result.parts.length < 2 || result.parts.some((p) => p.length >= text.length))
    )
      return splitText(text, { mode: 'parts', parts: Math.max(2, ctx.sizing.kStar) }, ctx.tokenizer);
    return result;
  }
  const bound = pieceBound(ctx.sizing);
  const tau = Math.max(1, Math.min(bound, Math.floor(ctx.sizing.tauStar)));
  const rule = splitRule(params, { mode: 'size', size: tau, unit: 'tokens' });
  return splitText(text, rule, ctx.tokenizer, { overlap, lineCuts, maxTokens: bound });
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
        'auto: pieces of τ* tokens, as many as the text needs (in a Fix step: k* parts); parts: a fixed k; size: pieces of at most this size; lines: n lines per piece; records: n delimited records per piece. A piece over the leaf window is always cut again.',
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
      default: null,
      nullable: true,
      min: 0,
      max: 100_000,
      description:
        'Each piece also repeats up to this many characters from the end of the one before, so a fact cut in two is whole in one piece. Empty: automatic (a sentence, 200 characters, when the Split cuts running text and every ⊕ downstream takes a fact once, like best or union; none when one adds up, like merge-counts, or when it cuts whole lines or records).',
    },
    {
      name: 'cut',
      label: 'Cut at',
      kind: 'enum',
      options: ['auto', 'words', 'lines'],
      default: 'auto',
      description:
        'Where pieces end: between words, or only at line breaks (a line is never cut in two unless it alone is over the bound). auto: line breaks when the plan adds things up downstream (merge-counts, sum, vote), words otherwise.',
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
  derive: (node, plan, kinds) => {
    const downstream = duplicateHandling(plan, kinds, node.id);
    const out: Params = {};
    // Lines and records are whole units already: only a cut inside running text can halve a fact.
    const mode = node.params.mode ?? 'auto';
    const cutsText = mode === 'auto' || mode === 'size' || mode === 'parts';
    if (node.params.overlap === null || node.params.overlap === undefined)
      out.overlap =
        cutsText && downstream.counted.length === 0 && downstream.tolerated.length > 0 ? SENTENCE_OVERLAP : 0;
    if (node.params.cut === undefined || node.params.cut === 'auto')
      out.cut = downstream.counted.length > 0 ? 'lines' : 'words';
    return out;
  },
  check: (ctx) => {
    const overlap = Number(ctx.params.overlap);
    if (!(overlap > 0)) return [];
    const { counted } = duplicateHandling(ctx.plan, ctx.kinds, ctx.node.id);
    if (counted.length === 0) return [];
    return [
      {
        code: 'overlap',
        param: 'overlap',
        message: `${ctx.name(ctx.node.id)} repeats up to ${overlap} characters of each piece in the next (overlap), and ${counted.map((id) => ctx.name(id)).join(', ')} counts every copy: a fact in an overlap would be counted twice. Set the overlap to 0, or leave it empty (automatic)`,
      },
    ];
  },
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

/**
 * How many pieces a Split may make of a text known only by its bounds, and how large each may be. Outside
 * a Fix step a size-driven cut leaves every piece at least half its room (or ends it at a line whose next
 * line did not fit), so two pieces in a row hold more than the room: at most 2·T/room + 1 pieces.
 */
function splitBound(input: Bound | undefined, params: Params, ctx: PlanContext): Bound {
  const text = input ?? { size: 1, chars: Infinity, tokens: Infinity, item: null };
  const k = ctx.sizing.kStar;
  const L = text.chars;
  const T = text.tokens;
  const mode = params.mode ?? 'auto';
  if (ctx.inFixStep) {
    let count: number;
    if (mode === 'auto') count = Math.max(2, k);
    else if (mode === 'parts') count = Number(params.parts);
    else if (mode === 'size')
      count = Math.ceil(((params.unit === 'chars' ? 2 : 6) * L) / Math.max(1, Number(params.size))) + 1;
    else if (mode === 'lines') count = Math.ceil((L + 1) / Math.max(1, Number(params.lines)));
    else
      count = Math.ceil(
        (L / Math.max(1, String(params.delimiter).length) + 1) / Math.max(1, Number(params.records)),
      );
    if (Number.isNaN(count)) count = Number.POSITIVE_INFINITY;
    // A Split that would not cut falls back to k* parts (see runSplit).
    count = Math.max(count, 2, k);
    const cutsByCount = mode === 'auto' || mode === 'parts';
    const pieceTokens = cutsByCount ? Math.ceil(T / Math.max(1, count)) : T;
    return {
      size: count,
      chars: Infinity,
      tokens: Infinity,
      item: { size: 1, chars: L, tokens: pieceTokens, item: null },
    };
  }
  const bound = pieceBound(ctx.sizing);
  const overlap = Math.max(0, Number(params.overlap) || 0);
  const room = Math.max(
    1,
    (mode === 'auto' ? Math.min(bound, Math.floor(ctx.sizing.tauStar)) : bound) - overlap,
  );
  // Pieces cut to hold the bound, on top of the mode's own.
  const byBound = Math.ceil((2 * T) / room) + 1;
  let own: number;
  if (mode === 'auto' || mode === 'size') {
    const size =
      mode === 'auto' ? room : Math.max(1, Number(params.size) - (params.unit === 'chars' ? overlap : 0));
    own =
      mode === 'size' && params.unit === 'chars'
        ? Math.ceil((2 * L) / size) + 1
        : Math.ceil((2 * T) / size) + 1;
  } else if (mode === 'parts') own = Number(params.parts);
  else if (mode === 'lines') own = Math.ceil((L + 1) / Math.max(1, Number(params.lines)));
  else
    own = Math.ceil(
      (L / Math.max(1, String(params.delimiter).length) + 1) / Math.max(1, Number(params.records)),
    );
  let count = mode === 'auto' ? own : own + byBound;
  if (Number.isNaN(count)) count = Number.POSITIVE_INFINITY;
  const pieceTokens = Math.min(
    T + overlap,
    mode === 'size' && params.unit !== 'chars' ? Number(params.size) : bound,
    bound,
  );
  return {
    size: count,
    chars: Infinity,
    tokens: Infinity,
    item: { size: 1, chars: L, tokens: pieceTokens, item: null },
  };
}
